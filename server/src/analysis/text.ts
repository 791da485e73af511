/**
 * The text an analysis reads. A plain string is one; so is a Rope, the text of an open
 * document kept in pieces. Reading a character or a short slice of a Rope touches one or
 * two pieces: a keystroke in a long article never makes the whole text again (V8 would copy
 * every character of a concatenated string the first time one of them is read, and on a
 * 500 KB article that costs more than the analysis of the keystroke).
 */
export interface TextSource {
  readonly length: number;
  charCodeAt(index: number): number;
  slice(start?: number, end?: number): string;
  /** the whole text (a Rope makes it once, when first asked) */
  toString(): string;
}

/** Where two versions of a text differ: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** A piece this short is joined with its neighbours after an edit. */
const SMALL = 4096;
/** Past this many pieces, the next edit joins the whole text into one piece again. */
const MAX_PIECES = 1024;
/** How many versions back a Rope remembers the edits that made it. */
const MAX_HISTORY = 64;

/**
 * An immutable text in pieces. An edit makes a new Rope that shares every untouched piece
 * and remembers the edit, so the change between two versions of a document is known
 * without comparing them.
 */
export class Rope implements TextSource {
  /** the whole text, once made */
  private flat: string | undefined;

  private constructor(
    private readonly pieces: readonly string[],
    /** starts[i] is the offset of pieces[i]; starts[pieces.length] is the length */
    private readonly starts: Float64Array,
    /** the version this one was made from (forgotten after MAX_HISTORY versions), and the edit that made it */
    private older: Rope | undefined,
    readonly change: TextChange | undefined,
  ) {
    if (pieces.length === 1) this.flat = pieces[0];
  }

  static of(text: string): Rope {
    const starts = new Float64Array(2);
    starts[1] = text.length;
    return new Rope([text], starts, undefined, undefined);
  }

  /** The version this one was made from, while remembered. */
  get base(): Rope | undefined {
    return this.older;
  }

  get length(): number {
    return this.starts[this.pieces.length];
  }

  /** The piece holding offset i (the last piece for the end of the text). */
  private pieceAt(i: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  charCodeAt(index: number): number {
    if (this.flat !== undefined) return this.flat.charCodeAt(index);
    if (!(index >= 0 && index < this.length)) return NaN;
    const p = this.pieceAt(index);
    return this.pieces[p].charCodeAt(index - this.starts[p]);
  }

  slice(start = 0, end: number = this.length): string {
    if (this.flat !== undefined) return this.flat.slice(start, end);
    const length = this.length;
    if (start < 0) start = Math.max(0, length + start);
    if (end < 0) end = Math.max(0, length + end);
    start = Math.min(start, length);
    end = Math.min(end, length);
    if (end <= start) return '';
    let p = this.pieceAt(start);
    const q = this.pieceAt(end - 1);
    if (p === q) return this.pieces[p].slice(start - this.starts[p], end - this.starts[p]);
    const parts: string[] = [this.pieces[p].slice(start - this.starts[p])];
    for (p++; p < q; p++) parts.push(this.pieces[p]);
    parts.push(this.pieces[q].slice(0, end - this.starts[q]));
    return parts.join('');
  }

  toString(): string {
    if (this.flat === undefined) this.flat = this.pieces.join('');
    return this.flat;
  }

  /** This text with [start, end) replaced by `text`. */
  edit(start: number, end: number, text: string): Rope {
    const length = this.length;
    start = Math.max(0, Math.min(start, length));
    end = Math.max(start, Math.min(end, length));
    const change: TextChange = { start, oldEnd: end, newEnd: start + text.length };
    // the chain of versions stays short: the oldest remembered one forgets where it came from
    let r: Rope = this;
    for (let k = 1; k < MAX_HISTORY && r.older; k++) r = r.older;
    r.older = undefined;
    const base = this;
    if (this.pieces.length >= MAX_PIECES) {
      const whole = this.toString();
      return Rope.build([whole.slice(0, start) + text + whole.slice(end)], base, change);
    }
    // the pieces the edit touches, and what is left of the first and last of them
    const p = this.pieceAt(start);
    const q = end > start ? this.pieceAt(end - 1) : p;
    const head = this.pieces[p].slice(0, start - this.starts[p]);
    const tail = this.pieces[q].slice(end - this.starts[q]);
    const middle: string[] = [];
    for (const s of [head, text, tail]) {
      if (!s) continue;
      const last = middle.length - 1;
      // small neighbours become one piece (typing makes many one-character edits)
      if (last >= 0 && middle[last].length + s.length <= SMALL) middle[last] = flatten(middle[last] + s);
      else middle.push(s.length <= SMALL ? flatten(s) : s);
    }
    const pieces = this.pieces.slice(0, p);
    // join a small edited piece with a small piece before or after it
    if (middle.length && pieces.length && pieces[pieces.length - 1].length + middle[0].length <= SMALL) {
      middle[0] = flatten(pieces.pop() + middle[0]);
    }
    const after = this.pieces.slice(q + 1);
    if (middle.length && after.length && after[0].length + middle[middle.length - 1].length <= SMALL) {
      middle[middle.length - 1] = flatten(middle[middle.length - 1] + after.shift());
    }
    for (const s of middle) pieces.push(s);
    for (const s of after) pieces.push(s);
    return Rope.build(pieces.length ? pieces : [''], base, change);
  }

  private static build(pieces: string[], base: Rope | undefined, change: TextChange): Rope {
    const starts = new Float64Array(pieces.length + 1);
    for (let i = 0; i < pieces.length; i++) starts[i + 1] = starts[i] + pieces[i].length;
    return new Rope(pieces, starts, base, change);
  }
}

/** A string of its own, made flat now (a short concatenation would otherwise be copied on every first read). */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * The change between two texts when `now` was made from `before` by edits a Rope remembers
 * (composed into one region); undefined when they are the same object; null when the Ropes
 * cannot tell, and the texts must be compared.
 */
export function ropeChange(before: TextSource, now: TextSource): TextChange | undefined | null {
  if (before === now) return undefined;
  if (!(now instanceof Rope)) return null;
  const chain: TextChange[] = [];
  let r: Rope | undefined = now;
  while (r && r !== before) {
    if (!r.change) return null;
    chain.push(r.change);
    r = r.base;
  }
  if (!r) return null;
  // compose from the oldest edit on
  let c = chain[chain.length - 1];
  for (let i = chain.length - 2; i >= 0; i--) c = compose(c, chain[i]);
  return c;
}

/** One change that does what `a` then `b` do (b in the coordinates a made). */
export function compose(a: TextChange, b: TextChange): TextChange {
  // the union of what a wrote and b replaced, in the text between them; text after it only moved
  const midEnd = Math.max(a.newEnd, b.oldEnd);
  return { start: Math.min(a.start, b.start), oldEnd: midEnd - (a.newEnd - a.oldEnd), newEnd: midEnd + (b.newEnd - b.oldEnd) };
}
