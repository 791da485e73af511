import type { ParagraphSlice } from './types';

/** Longest slice handed to the paragraph analysis; longer blocks are cut at sentence ends or spaces. */
export const MAX_SLICE = 8000;

const LINE_BREAK = /\r\n|\n|\r|\u2028|\u2029/g;
const TERMINAL = /[.!?:;"”’»)\]…—–-]\s*$/;
const STARTS_LOWER = /^\s*[a-z]/;

interface Line {
  start: number;
  end: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(text); m; m = LINE_BREAK.exec(text)) {
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out;
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
  const out: ParagraphSlice[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  const flush = () => {
    if (blockStart < 0) return;
    pushBounded(text, trimStart(text, blockStart, blockEnd), blockEnd, out);
    blockStart = -1;
  };
  for (const line of lines(text)) {
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
