import type { SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from 'vscode-languageserver';
import type { Article, Entity, EntityType, Mention } from '../analysis/types';
import { sourceOf } from '../analysis/article';
import { ropeChange } from '../analysis/text';
import { articleIndex } from './lookup';
import { firstEndingAfter } from './ranges';
import type { OffsetDocument } from './ranges';

/** Token types are declared in package.json (`semanticTokenTypes`) with super types for ordinary themes. */
export const tokenTypes: EntityType[] = ['person', 'place', 'organization'];
export const tokenModifiers = ['declaration'] as const;

export const legend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

const DECLARATION = 1 << tokenModifiers.indexOf('declaration');

const modifiersOf = (m: Mention, entity: Entity): number => (entity.mentions[entity.declaration] === m ? DECLARATION : 0);

/**
 * Writes the relative encoding of tokens: five integers per token (line delta, start delta,
 * length, type, modifiers), each relative to the token before. A token may not span lines,
 * so a hard-wrapped name is split at its line breaks.
 */
class TokenWriter {
  readonly data: number[] = [];
  /** the position of the last token written (or of the token the writing follows) */
  line = 0;
  char = 0;

  constructor(private readonly doc: OffsetDocument) {}

  /** Continue after a token at this offset. */
  after(offset: number): void {
    const pos = this.doc.positionAt(offset);
    this.line = pos.line;
    this.char = pos.character;
  }

  token(offset: number, length: number, type: number, modifiers: number): void {
    const pos = this.doc.positionAt(offset);
    this.data.push(pos.line - this.line, pos.line === this.line ? pos.character - this.char : pos.character, length, type, modifiers);
    this.line = pos.line;
    this.char = pos.character;
  }

  /** The tokens of one mention: one, but for the rare name broken over lines. Returns how many. */
  mention(m: Mention, entity: Entity): number {
    const type = tokenTypes.indexOf(entity.type);
    const modifiers = modifiersOf(m, entity);
    const t = m.text;
    let n = 0;
    let from = 0;
    for (let j = 0; j <= t.length; j++) {
      const c = j === t.length ? -1 : t.charCodeAt(j);
      if (c !== -1 && c !== 10 && c !== 13) continue;
      if (j > from) {
        this.token(m.start + from, j - from, type, modifiers);
        n++;
      }
      from = j + 1;
    }
    return n;
  }
}

/** Where a mention's first token starts (a name starts with a letter; this is for safety). */
function firstTokenStart(m: Mention): number {
  const t = m.text;
  let i = 0;
  while (i < t.length && (t.charCodeAt(i) === 10 || t.charCodeAt(i) === 13)) i++;
  return m.start + i;
}

/** Where a mention's last token starts (the start of its last line, for a name broken over lines). */
function lastTokenStart(m: Mention): number {
  const t = m.text;
  let end = t.length;
  while (end > 0 && (t.charCodeAt(end - 1) === 10 || t.charCodeAt(end - 1) === 13)) end--;
  let i = end;
  while (i > 0 && t.charCodeAt(i - 1) !== 10 && t.charCodeAt(i - 1) !== 13) i--;
  return m.start + i;
}

/** The tokens of the mentions overlapping [start, end), in text order. */
function encode(doc: OffsetDocument, article: Article, start: number, end: number): number[] {
  const { mentions, owners } = articleIndex(article);
  const w = new TokenWriter(doc);
  for (let i = firstEndingAfter(mentions, start); i < mentions.length && mentions[i].start < end; i++) w.mention(mentions[i], owners[i]);
  return w.data;
}

/** The tokens of a whole article, and where each mention's tokens begin. */
interface Encoding {
  /** (a typed array: after an edit it is copied, not rebuilt, and the copy is not the collector's to scan) */
  data: Uint32Array;
  /** first[i] is the index of the first token of articleIndex(article).mentions[i]; first[n] the number of tokens */
  first: Uint32Array;
  /** where each of those mentions starts and ends */
  starts: Float64Array;
  ends: Float64Array;
  /**
   * When this encoding was made from another one (whose data is `base`): the integers it
   * replaced, as a semantic-tokens edit. Dropped once sent, so no encoding keeps another alive.
   */
  edit?: { start: number; deleteCount: number; data: number[] };
  base?: Uint32Array;
}

function encodeWhole(doc: OffsetDocument, article: Article): Encoding {
  const { mentions, owners } = articleIndex(article);
  const w = new TokenWriter(doc);
  const n = mentions.length;
  const first = new Uint32Array(n + 1);
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let tokens = 0;
  for (let i = 0; i < n; i++) {
    first[i] = tokens;
    starts[i] = mentions[i].start;
    ends[i] = mentions[i].end;
    tokens += w.mention(mentions[i], owners[i]);
  }
  first[n] = tokens;
  return { data: Uint32Array.from(w.data), first, starts, ends };
}

/**
 * Whether mention i of an encoding gives the same tokens as `m`, `shift` characters later.
 * Callers ask only where the text around both is the same (before or after an edit), so the
 * offsets tell the text and its line breaks; type and modifiers are read from the encoding.
 */
function sameTokens(old: Encoding, i: number, m: Mention, owner: Entity, shift: number): boolean {
  const k = old.first[i] * 5;
  return (
    old.first[i + 1] > old.first[i] &&
    m.start === old.starts[i] + shift &&
    m.end === old.ends[i] + shift &&
    old.data[k + 3] === tokenTypes.indexOf(owner.type) &&
    old.data[k + 4] === modifiersOf(m, owner)
  );
}

/**
 * The encoding of `article` from that of an earlier version of the same document, when the
 * document's text knows the edit between them: the tokens of the mentions before the edit are
 * the same, and so are those after it (each token is encoded relative to the one before, so
 * only the first token after the edit changes). Only the mentions in between are encoded.
 * Undefined when it cannot tell.
 */
function encodeFrom(doc: OffsetDocument, article: Article, base: Article, old: Encoding): Encoding | undefined {
  const change = ropeChange(sourceOf(base), sourceOf(article));
  if (!change) return undefined;
  const shift = change.newEnd - change.oldEnd;
  const now = articleIndex(article);
  const oldN = old.starts.length;
  const newN = now.mentions.length;
  // the mentions before the edit, then those after it
  let p = 0;
  while (p < oldN && p < newN && old.ends[p] <= change.start && sameTokens(old, p, now.mentions[p], now.owners[p], 0)) p++;
  let s = 0;
  while (s < oldN - p && s < newN - p && old.starts[oldN - 1 - s] >= change.oldEnd && sameTokens(old, oldN - 1 - s, now.mentions[newN - 1 - s], now.owners[newN - 1 - s], shift)) s++;
  // the mentions in between, written after the last token before them
  const w = new TokenWriter(doc);
  if (p > 0) w.after(lastTokenStart(now.mentions[p - 1]));
  const first = new Uint32Array(newN + 1);
  const starts = new Float64Array(newN);
  const ends = new Float64Array(newN);
  first.set(old.first.subarray(0, p + 1));
  starts.set(old.starts.subarray(0, p));
  ends.set(old.ends.subarray(0, p));
  let tokens = old.first[p];
  for (let i = p; i < newN - s; i++) {
    first[i] = tokens;
    starts[i] = now.mentions[i].start;
    ends[i] = now.mentions[i].end;
    tokens += w.mention(now.mentions[i], now.owners[i]);
  }
  const start = old.first[p] * 5;
  let oldStop = old.data.length;
  if (s > 0) {
    // the first token after the edit, relative to the token before it
    const k = old.first[oldN - s] * 5;
    const m = now.mentions[newN - s];
    w.token(firstTokenStart(m), old.data[k + 2], old.data[k + 3], old.data[k + 4]);
    oldStop = k + 5;
    const moved = tokens - old.first[oldN - s];
    for (let i = newN - s; i <= newN; i++) first[i] = old.first[i - newN + oldN] + moved;
    for (let i = newN - s; i < newN; i++) {
      starts[i] = old.starts[i - newN + oldN] + shift;
      ends[i] = old.ends[i - newN + oldN] + shift;
    }
  } else first[newN] = tokens;
  const middle = w.data;
  const data = new Uint32Array(start + middle.length + old.data.length - oldStop);
  data.set(old.data.subarray(0, start), 0);
  data.set(middle, start);
  data.set(old.data.subarray(oldStop), start + middle.length);
  // the smallest edit: what the replaced integers and their replacement have in common is kept
  let head = 0;
  while (head < middle.length && start + head < oldStop && middle[head] === old.data[start + head]) head++;
  let tail = 0;
  while (tail < middle.length - head && tail < oldStop - start - head && middle[middle.length - 1 - tail] === old.data[oldStop - 1 - tail]) tail++;
  const edit = { start: start + head, deleteCount: oldStop - start - head - tail, data: middle.slice(head, middle.length - tail) };
  return { data, first, starts, ends, edit, base: old.data };
}

/** The tokens of a whole article, encoded once per analysis (every edit asks for them, often twice). */
const encoded = new WeakMap<Article, Encoding>();

function encodingOf(doc: OffsetDocument, article: Article, base?: { article: Article; encoding: Encoding }): Encoding {
  let encoding = encoded.get(article);
  if (!encoding) {
    encoding = (base && base.article !== article && encodeFrom(doc, article, base.article, base.encoding)) || encodeWhole(doc, article);
    encoded.set(article, encoding);
  }
  return encoding;
}

/**
 * Full, delta and range semantic tokens. The last full result of each document is kept so
 * the next request can be answered with a delta; after an edit only the tokens around it
 * are encoded again (typing in the middle of a long article changes a few tokens, not the
 * tens of thousands around them).
 */
export class SemanticTokensProvider {
  private readonly last = new Map<string, { resultId: string; article: Article; encoding: Encoding }>();
  private nextId = 1;

  private remember(doc: OffsetDocument, article: Article, encoding: Encoding): string {
    const resultId = String(this.nextId++);
    this.last.set(doc.uri, { resultId, article, encoding });
    return resultId;
  }

  full(doc: OffsetDocument, article: Article): SemanticTokens {
    const encoding = encodingOf(doc, article, this.last.get(doc.uri));
    return { resultId: this.remember(doc, article, encoding), data: Array.from(encoding.data) };
  }

  delta(doc: OffsetDocument, article: Article, previousResultId: string): SemanticTokens | SemanticTokensDelta {
    const previous = this.last.get(doc.uri);
    if (!previous || previous.resultId !== previousResultId) return this.full(doc, article);
    const before = previous.encoding;
    const after = encodingOf(doc, article, previous);
    const resultId = this.remember(doc, article, after);
    if (before === after) return { resultId, edits: [] };
    const edit = after.base === before.data ? after.edit : undefined;
    after.base = after.edit = undefined;
    if (edit) return { resultId, edits: edit.deleteCount || edit.data.length ? [edit] : [] };
    const a = before.data;
    const b = after.data;
    const limit = Math.min(a.length, b.length);
    let head = 0;
    while (head < limit && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < limit - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    if (head === a.length && head === b.length) return { resultId, edits: [] };
    return { resultId, edits: [{ start: head, deleteCount: a.length - head - tail, data: Array.from(b.subarray(head, b.length - tail)) }] };
  }

  range(doc: OffsetDocument, article: Article, start: number, end: number): SemanticTokens {
    return { data: encode(doc, article, start, end) };
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}
