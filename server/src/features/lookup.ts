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
}

const indexes = new WeakMap<Article, Index>();

/**
 * Mentions of all entities in text order; built once per article. Runs after every edit (the
 * semantic tokens read it), so it allocates no object per mention and no list but the two it
 * returns: a counting sort by paragraph puts the mentions straight into place.
 */
export function articleIndex(article: Article): Index {
  let index = indexes.get(article);
  if (!index) {
    const { mentions, owners } = textOrder(article.entities, article.structure.paragraphs.length);
    dropOverlapping(mentions, owners);
    index = { mentions, owners };
    indexes.set(article, index);
  }
  return index;
}

/**
 * Of overlapping mentions in text order, the first (the longest) stays, in place. (A function of
 * its own: V8 compiles a long loop on the stack and the caller's code after it would lack feedback.)
 */
function dropOverlapping(mentions: Mention[], owners: Entity[]): void {
  let kept = 0;
  for (let i = 0; i < mentions.length; i++) {
    if (kept && mentions[i].start < mentions[kept - 1].end) continue;
    mentions[kept] = mentions[i];
    owners[kept++] = owners[i];
  }
  mentions.length = kept;
  owners.length = kept;
}

const byStart = new WeakMap<Article, Quote[]>();

/** The quotes by start, made when first asked for: a hover needs them, a keystroke does not. */
function quotesByStart(article: Article): Quote[] {
  let quotes = byStart.get(article);
  if (!quotes) {
    quotes = [...article.quotes].sort((a, b) => a.start - b.start);
    byStart.set(article, quotes);
  }
  return quotes;
}

const before = (a: Mention, b: Mention): boolean => a.start < b.start || (a.start === b.start && a.end > b.end);

/**
 * Every entity's mentions in text order (start, then longest first), with their entities.
 * Each mention knows its paragraph, so a counting sort by paragraph and an insertion sort of
 * each paragraph's few mentions do it in linear time.
 */
function textOrder(entities: readonly Entity[], paragraphs: number): { mentions: Mention[]; owners: Entity[] } {
  let total = 0;
  let bucketed = true;
  const bucket = new Int32Array(paragraphs + 1);
  for (const e of entities) {
    total += e.mentions.length;
    for (const m of e.mentions) {
      if (m.paragraph >= 0 && m.paragraph < paragraphs) bucket[m.paragraph + 1]++;
      else bucketed = false;
    }
  }
  const mentions: Mention[] = new Array(total);
  const owners: Entity[] = new Array(total);
  if (!bucketed) {
    let k = 0;
    for (const e of entities) {
      for (const m of e.mentions) {
        mentions[k] = m;
        owners[k++] = e;
      }
    }
    const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => (before(mentions[a], mentions[b]) ? -1 : before(mentions[b], mentions[a]) ? 1 : 0));
    const m2 = order.map((i) => mentions[i]);
    const o2 = order.map((i) => owners[i]);
    return { mentions: m2, owners: o2 };
  }
  for (let p = 1; p <= paragraphs; p++) bucket[p] += bucket[p - 1];
  for (const e of entities) {
    for (const m of e.mentions) {
      const at = bucket[m.paragraph]++;
      mentions[at] = m;
      owners[at] = e;
    }
  }
  // bucket[p] is now the end of paragraph p's run; sort each run (stable: equal mentions keep their order)
  let from = 0;
  for (let p = 0; p < paragraphs; p++) {
    const to = bucket[p];
    for (let i = from + 1; i < to; i++) {
      const m = mentions[i];
      const e = owners[i];
      let j = i - 1;
      while (j >= from && before(m, mentions[j])) {
        mentions[j + 1] = mentions[j];
        owners[j + 1] = owners[j];
        j--;
      }
      mentions[j + 1] = m;
      owners[j + 1] = e;
    }
    from = to;
  }
  return { mentions, owners };
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
  for (const q of quotesByStart(article)) {
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
