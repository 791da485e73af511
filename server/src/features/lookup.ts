import type { Article, Entity, Mention, Quote } from '../analysis/types';
import { firstEndingAfter } from './ranges';

export interface MentionRef extends Mention {
  entity: Entity;
}

interface Index {
  /** every mention in text order, non-overlapping (the longest of overlapping ones wins): the model's own objects */
  mentions: Mention[];
  /** owners[i] is the entity of mentions[i] */
  owners: Entity[];
  quotes: Quote[];
}

const indexes = new WeakMap<Article, Index>();

/**
 * Mentions of all entities in text order, and quotes by start; built once per article.
 * Runs after every edit, so it allocates no object per mention: a permutation sorts them.
 */
export function articleIndex(article: Article): Index {
  let index = indexes.get(article);
  if (!index) {
    const all: Mention[] = [];
    const allOwners: Entity[] = [];
    for (const entity of article.entities) {
      for (const m of entity.mentions) {
        all.push(m);
        allOwners.push(entity);
      }
    }
    const order = textOrder(all, article.structure.paragraphs.length);
    const mentions: Mention[] = [];
    const owners: Entity[] = [];
    for (const i of order) {
      if (mentions.length && all[i].start < mentions[mentions.length - 1].end) continue;
      mentions.push(all[i]);
      owners.push(allOwners[i]);
    }
    const quotes = [...article.quotes].sort((a, b) => a.start - b.start);
    index = { mentions, owners, quotes };
    indexes.set(article, index);
  }
  return index;
}

const before = (a: Mention, b: Mention): boolean => a.start < b.start || (a.start === b.start && a.end > b.end);

/**
 * A permutation putting mentions in text order (start, then longest first). Each mention
 * knows its paragraph, so a counting sort by paragraph and an insertion sort of each
 * paragraph's few mentions do it in linear time.
 */
function textOrder(all: Mention[], paragraphs: number): Uint32Array {
  const order = new Uint32Array(all.length);
  const bucket = new Int32Array(paragraphs + 1);
  for (const m of all) {
    if (!(m.paragraph >= 0 && m.paragraph < paragraphs)) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      return order.sort((a, b) => (before(all[a], all[b]) ? -1 : before(all[b], all[a]) ? 1 : 0));
    }
    bucket[m.paragraph + 1]++;
  }
  for (let p = 1; p <= paragraphs; p++) bucket[p] += bucket[p - 1];
  for (let i = 0; i < all.length; i++) order[bucket[all[i].paragraph]++] = i;
  // bucket[p] is now the end of paragraph p's run; sort each run
  let from = 0;
  for (let p = 0; p < paragraphs; p++) {
    const to = bucket[p];
    for (let i = from + 1; i < to; i++) {
      const x = order[i];
      let j = i - 1;
      while (j >= from && before(all[x], all[order[j]])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    from = to;
  }
  return order;
}

/** The mention under an offset (a cursor right after a name still counts). */
export function mentionAt(article: Article, offset: number): MentionRef | undefined {
  const { mentions, owners } = articleIndex(article);
  const i = firstEndingAfter(mentions, offset);
  for (const j of [i, i - 1]) {
    const m = mentions[j];
    if (m && m.start <= offset && offset <= m.end) return { ...m, entity: owners[j] };
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
  const { mentions, owners } = articleIndex(article);
  const out: MentionRef[] = [];
  for (let i = firstEndingAfter(mentions, start); i < mentions.length && mentions[i].start < end; i++) out.push({ ...mentions[i], entity: owners[i] });
  return out;
}
