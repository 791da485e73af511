import type { SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from 'vscode-languageserver';
import type { Article, EntityType } from '../analysis/types';
import { sourceOf } from '../analysis/article';
import { articleIndex } from './lookup';
import { firstEndingAfter } from './ranges';
import type { OffsetDocument } from './ranges';

/** Token types are declared in package.json (`semanticTokenTypes`) with super types for ordinary themes. */
export const tokenTypes: EntityType[] = ['person', 'place', 'organization'];
export const tokenModifiers = ['declaration'] as const;

export const legend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

const DECLARATION = 1 << tokenModifiers.indexOf('declaration');

/**
 * The relative encoding of the tokens of the mentions overlapping [start, end), in text
 * order: five integers per token (line delta, start delta, length, type, modifiers). A
 * token may not span lines, so a hard-wrapped name is split at its line breaks.
 */
function encode(doc: OffsetDocument, article: Article, start: number, end: number): number[] {
  const { mentions, owners } = articleIndex(article);
  const first = firstEndingAfter(mentions, start);
  let last = first;
  while (last < mentions.length && mentions[last].start < end) last++;
  // one token per mention but for the rare name broken over lines: the list is made at its size once
  const data: number[] = new Array((last - first) * 5);
  let k = 0;
  let prevLine = 0;
  let prevChar = 0;
  for (let i = first; i < last; i++) {
    const m = mentions[i];
    const entity = owners[i];
    const type = tokenTypes.indexOf(entity.type);
    const modifiers = entity.mentions[entity.declaration] === m ? DECLARATION : 0;
    const t = m.text;
    let from = 0;
    for (let j = 0; j <= t.length; j++) {
      const c = j === t.length ? -1 : t.charCodeAt(j);
      if (c !== -1 && c !== 10 && c !== 13) continue;
      if (j > from) {
        const pos = doc.positionAt(m.start + from);
        data[k++] = pos.line - prevLine;
        data[k++] = pos.line === prevLine ? pos.character - prevChar : pos.character;
        data[k++] = j - from;
        data[k++] = type;
        data[k++] = modifiers;
        prevLine = pos.line;
        prevChar = pos.character;
      }
      from = j + 1;
    }
  }
  data.length = k;
  return data;
}

/** The tokens of a whole article, encoded once per analysis (every edit asks for them, often twice). */
const encoded = new WeakMap<Article, number[]>();

function encodeAll(doc: OffsetDocument, article: Article): number[] {
  let data = encoded.get(article);
  if (!data) {
    data = encode(doc, article, 0, sourceOf(article).length);
    encoded.set(article, data);
  }
  return data;
}

/**
 * Full, delta and range semantic tokens. The last full result of each document is kept
 * so the next request can be answered with a delta: one edit replacing the integers
 * between the common prefix and suffix of the two encodings (typing in the middle of a
 * long article changes a few tokens, not the tens of thousands around them).
 */
export class SemanticTokensProvider {
  private readonly last = new Map<string, { resultId: string; data: number[] }>();
  private nextId = 1;

  full(doc: OffsetDocument, article: Article): SemanticTokens {
    const data = encodeAll(doc, article);
    const resultId = String(this.nextId++);
    this.last.set(doc.uri, { resultId, data });
    return { resultId, data };
  }

  delta(doc: OffsetDocument, article: Article, previousResultId: string): SemanticTokens | SemanticTokensDelta {
    const previous = this.last.get(doc.uri);
    if (!previous || previous.resultId !== previousResultId) return this.full(doc, article);
    const before = previous.data;
    const after = encodeAll(doc, article);
    const resultId = String(this.nextId++);
    this.last.set(doc.uri, { resultId, data: after });
    if (before === after) return { resultId, edits: [] };
    const limit = Math.min(before.length, after.length);
    let head = 0;
    while (head < limit && before[head] === after[head]) head++;
    let tail = 0;
    while (tail < limit - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    if (head === before.length && head === after.length) return { resultId, edits: [] };
    return { resultId, edits: [{ start: head, deleteCount: before.length - head - tail, data: after.slice(head, after.length - tail) }] };
  }

  range(doc: OffsetDocument, article: Article, start: number, end: number): SemanticTokens {
    return { data: encode(doc, article, start, end) };
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}
