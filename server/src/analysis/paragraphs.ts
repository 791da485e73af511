import type { ParagraphSlice } from './types';
import type { TextChange, TextSource } from './text';

export type { TextChange } from './text';

/** Longest slice handed to the paragraph analysis; longer blocks are cut at sentence ends or spaces. */
export const MAX_SLICE = 8000;

const LINE_BREAK = /\r\n|\n|\r|\u2028|\u2029/g;
const TERMINAL = /[.!?:;"”’»)\]…—–-]\s*$/;
const STARTS_LOWER = /^\s*[a-z]/;

interface Line {
  start: number;
  end: number;
}

/** The lines of a text, one at a time (a very long text is split in slices). */
function* lines(text: string): Generator<Line, void, void> {
  const breaks = new RegExp(LINE_BREAK.source, 'g');
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    yield { start, end: m.index };
    start = m.index + m[0].length;
  }
  yield { start, end: text.length };
}

function isBlank(text: string, line: Line): boolean {
  for (let i = line.start; i < line.end; i++) {
    const c = text.charCodeAt(i);
    // space, tab, NBSP, zero-width and BOM count as blank
    if (!(c === 32 || c === 9 || c === 0xa0 || c === 0x200b || c === 0xfeff || c === 0x0c || c === 0x0b)) return false;
  }
  return true;
}

/**
 * Split an article into paragraphs. A paragraph is a line, or several lines when
 * the text is hard-wrapped (a line that does not end a sentence followed by a
 * line starting in lower case). Blank lines always separate paragraphs.
 * Leading and trailing white space is not part of a slice.
 * Blocks longer than MAX_SLICE are cut so no slice is unbounded.
 */
export function splitParagraphs(text: string): ParagraphSlice[] {
  const steps = splitParagraphsSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lines between pauses of splitParagraphsSteps. */
const SPLIT_SLICE = 4000;

/**
 * splitParagraphs as a generator that pauses every few thousand lines, so an analysis
 * that yields to the event loop does not split a very long text in one stretch.
 */
export function* splitParagraphsSteps(text: string): Generator<void, ParagraphSlice[], void> {
  const out: ParagraphSlice[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  const flush = () => {
    if (blockStart < 0) return;
    pushBounded(text, trimStart(text, blockStart, blockEnd), blockEnd, out);
    blockStart = -1;
  };
  let count = 0;
  for (const line of lines(text)) {
    if (++count % SPLIT_SLICE === 0) yield;
    if (isBlank(text, line)) {
      flush();
      continue;
    }
    const end = trimEnd(text, line.start, line.end);
    if (blockStart >= 0) {
      const prev = text.slice(Math.max(blockStart, blockEnd - 3), blockEnd);
      const next = text.slice(line.start, Math.min(line.end, line.start + 3));
      if (!TERMINAL.test(prev) && STARTS_LOWER.test(next)) {
        blockEnd = end;
        continue;
      }
      flush();
    }
    blockStart = line.start;
    blockEnd = end;
  }
  flush();
  return out;
}

function trimStart(text: string, start: number, end: number): number {
  while (start < end && /\s|\u200b|\ufeff/.test(text[start])) start++;
  return start;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s|\u200b|\ufeff/.test(text[end - 1])) end--;
  return end;
}

function pushBounded(text: string, start: number, end: number, out: ParagraphSlice[]): void {
  while (end - start > MAX_SLICE) {
    const cut = cutPoint(text, start, start + MAX_SLICE);
    out.push({ index: out.length, start, end: cut, text: text.slice(start, cut) });
    start = trimStart(text, cut, end);
  }
  if (end > start) out.push({ index: out.length, start, end, text: text.slice(start, end) });
}

/** A good place to cut a long block before `limit`: after a sentence end, else at a space, else anywhere safe. */
function cutPoint(text: string, start: number, limit: number): number {
  const floor = start + Math.floor((limit - start) / 2);
  for (let i = limit; i > floor; i--) {
    const c = text[i - 1];
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[i] ?? '')) return i;
  }
  for (let i = limit; i > floor; i--) if (/\s/.test(text[i])) return i;
  // never split a surrogate pair
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}


/**
 * The smallest region in which two texts differ (common prefix and suffix removed),
 * or undefined when they are equal. Compares in blocks first, so an edit to a long
 * text costs a few native comparisons rather than a loop over every character.
 */
export function changedRegion(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  for (let block = 4096; block >= 1; block >>= 4) {
    while (start + block <= limit && before.slice(start, start + block) === after.slice(start, start + block)) start += block;
  }
  // never leave half of a surrogate pair on either side of the change
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let tail = 0;
  const tailLimit = limit - start;
  for (let block = 4096; block >= 1; block >>= 4) {
    while (
      tail + block <= tailLimit &&
      before.slice(before.length - tail - block, before.length - tail) === after.slice(after.length - tail - block, after.length - tail)
    )
      tail += block;
  }
  if (tail > 0 && isLowSurrogate(before.charCodeAt(before.length - tail))) tail--;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const isBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
/** space, tab, NBSP, zero-width space, BOM, form feed, vertical tab */
const isBlankCode = (c: number) => c === 32 || c === 9 || c === 0xa0 || c === 0x200b || c === 0xfeff || c === 0x0c || c === 0x0b;

/**
 * True when the split starts a fresh block at `pos` (the start of a paragraph) whatever
 * comes before the line it is on: the paragraph begins its line (it is not the
 * continuation of a cut block) and either its line cannot be joined to the line before
 * (it does not start in lower case) or a blank line comes before it. Looks only at the
 * line and the line before it.
 */
function isAnchor(text: TextSource, pos: number): boolean {
  let lineStart = pos;
  while (lineStart > 0 && isBlankCode(text.charCodeAt(lineStart - 1))) lineStart--;
  if (lineStart === 0) return true;
  if (!isBreak(text.charCodeAt(lineStart - 1))) return false; // cut from a long block
  if (!STARTS_LOWER.test(text.slice(lineStart, lineStart + 3))) return true;
  let i = lineStart - 1;
  if (text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) === 13) i--;
  while (i > 0 && isBlankCode(text.charCodeAt(i - 1))) i--;
  return i === 0 || isBreak(text.charCodeAt(i - 1));
}

/**
 * The paragraphs of `after`, given those of `before` and the change between them:
 * paragraphs before the change are kept as they are, those after it are kept with
 * shifted offsets, and only a window around the change, bounded by paragraphs at
 * which the split starts afresh, is split again. Equals splitParagraphs(after).
 * `reused[i]` is the index in `previous` of the paragraph now at i, or -1 when new.
 * In place, the paragraphs after the window are those of `previous` (from index `moved`
 * on), moved: the caller owns them, and unmoveParagraphs puts them back.
 */
export function resplitParagraphs(
  before: TextSource,
  previous: ParagraphSlice[],
  after: TextSource,
  change: TextChange,
  inPlace = false,
): { paragraphs: ParagraphSlice[]; reused: number[]; moved: number } {
  const delta = change.newEnd - change.oldEnd;
  // the paragraph before the first one the change touches (its end decides whether the
  // next line joins it), moved back to a fresh start that lies wholly before the change
  // (the first paragraph ending at or after the change, by binary search; none: the change is after every paragraph)
  let lo = 0;
  let hi = previous.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (previous[mid].end >= change.start) hi = mid;
    else lo = mid + 1;
  }
  let first = lo - 1;
  while (first > 0 && (previous[first].start + 3 > change.start || !isAnchor(before, previous[first].start))) first--;
  if (first < 0) first = 0;
  // the first fresh start wholly after the change, in both versions
  let last = previous.length;
  for (let i = first + 1; i < previous.length; i++) {
    const oldStart = previous[i].start;
    if (oldStart - 3 >= change.oldEnd && isAnchor(before, oldStart) && isAnchor(after, oldStart + delta)) {
      last = i;
      break;
    }
  }
  const windowStart = first === 0 ? 0 : previous[first].start;
  const windowEnd = last < previous.length ? previous[last].start + delta : after.length;
  const fresh = splitParagraphs(after.slice(windowStart, windowEnd));
  // (made at their size: after every keystroke they hold every paragraph of a long article)
  const n = first + fresh.length + previous.length - last;
  const paragraphs: ParagraphSlice[] = new Array(n);
  const reused: number[] = new Array(n);
  // paragraphs before the window are the old ones; those after it keep their text and move
  for (let i = 0; i < first; i++) {
    paragraphs[i] = previous[i];
    reused[i] = i;
  }
  // a paragraph of the window the change did not touch is the old one (same place, same text)
  let old = first;
  let index = first;
  for (const p of fresh) {
    const start = p.start + windowStart;
    const end = p.end + windowStart;
    const shift = start >= change.newEnd ? delta : 0;
    while (old < last && previous[old].start + shift < start) old++;
    const same = old < last && (end < change.start || start >= change.newEnd) && previous[old].start + shift === start && previous[old].end + shift === end;
    paragraphs[index] = { index, start, end, text: same ? previous[old].text : p.text };
    reused[index++] = same ? old : -1;
  }
  for (let i = last; i < previous.length; i++, index++) {
    const p = previous[i];
    if (delta === 0 && index === i) paragraphs[index] = p;
    else if (inPlace) {
      p.index = index;
      p.start += delta;
      p.end += delta;
      paragraphs[index] = p;
    } else paragraphs[index] = { index, start: p.start + delta, end: p.end + delta, text: p.text };
    reused[index] = i;
  }
  return { paragraphs, reused, moved: last };
}

/** Put back what resplitParagraphs in place moved (`moved` is what it returned): `previous` as it was before. */
export function unmoveParagraphs(previous: ParagraphSlice[], moved: number, change: TextChange): void {
  const delta = change.newEnd - change.oldEnd;
  for (let i = moved; i < previous.length; i++) {
    const p = previous[i];
    p.index = i;
    p.start -= delta;
    p.end -= delta;
  }
}
