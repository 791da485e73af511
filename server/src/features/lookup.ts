import type { Article, Entity, Mention, Quote } from '../analysis/types';
import { firstEndingAfter } from './ranges';

export interface MentionRef extends Mention {
  entity: Entity;
}

interface Index {
  mentions: MentionRef[];
  quotes: Quote[];
}

const indexes = new WeakMap<Article, Index>();

/** Mentions of all entities in text order, and quotes by start; built once per article. */
export function articleIndex(article: Article): Index {
  let index = indexes.get(article);
  if (!index) {
    const mentions = article.entities
      .flatMap((entity) => entity.mentions.map((m) => ({ ...m, entity })))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    // keep mentions non-overlapping (the first, longest wins) so tokens never overlap
    const clean: MentionRef[] = [];
    for (const m of mentions) if (!clean.length || m.start >= clean[clean.length - 1].end) clean.push(m);
    const quotes = [...article.quotes].sort((a, b) => a.start - b.start);
    index = { mentions: clean, quotes };
    indexes.set(article, index);
  }
  return index;
}

/** The mention under an offset (a cursor right after a name still counts). */
export function mentionAt(article: Article, offset: number): MentionRef | undefined {
  const { mentions } = articleIndex(article);
  const i = firstEndingAfter(mentions, offset);
  for (const j of [i, i - 1]) {
    const m = mentions[j];
    if (m && m.start <= offset && offset <= m.end) return m;
  }
  return undefined;
}

/** The innermost quote whose span contains the offset. */
export function quoteAt(article: Article, offset: number): Quote | undefined {
  let best: Quote | undefined;
  for (const q of articleIndex(article).quotes) {
    if (q.start > offset) break;
    if (offset < q.end && q.parts.some((p) => p.start <= offset && offset < p.end)) {
      if (!best || q.depth > best.depth) best = q;
    }
  }
  return best;
}

/** Mentions overlapping [start, end). */
export function mentionsIn(article: Article, start: number, end: number): MentionRef[] {
  const { mentions } = articleIndex(article);
  const out: MentionRef[] = [];
  for (let i = firstEndingAfter(mentions, start); i < mentions.length && mentions[i].start < end; i++) out.push(mentions[i]);
  return out;
}
