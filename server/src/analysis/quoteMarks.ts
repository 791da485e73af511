import type { QuoteMarkToken } from './types';

/**
 * Quotation-mark scanning for one paragraph (offsets relative to the text).
 *
 * One linear pass. Every candidate mark is classified from what flanks it: a
 * mark after a space and before a word opens, a mark after a word and before a
 * space or punctuation closes. Marks that only ever serve one purpose (“ ” « »)
 * fall back to their usual role when the flanks say nothing. Apostrophes —
 * don’t, O’Brien, ’90s, rock ’n’ roll, ’em — are left out. A single mark after
 * a word and before a space (the Joneses’ house / ‘…the Joneses’) is reported
 * as a closing mark; the pairing step decides whether it is a possessive.
 */

type CharClass = 'space' | 'word' | 'openp' | 'closep' | 'dash' | 'other';

const DOUBLE_GLYPHS = new Set(['“', '”', '„', '‟', '«', '»', '"']);
const SINGLE_GLYPHS = new Set(['‘', '’', '‚', '‹', '›', "'"]);

/** Glyph roles when the flanks are not conclusive. */
const DEFAULT_ROLE: Record<string, QuoteMarkToken['role']> = {
  '“': 'open',
  '„': 'open',
  '‟': 'open',
  '«': 'open',
  '‘': 'open',
  '‚': 'open',
  '‹': 'open',
  '”': 'close',
  '»': 'close',
  '’': 'close',
  '›': 'close',
  '"': 'ambiguous',
  "'": 'ambiguous',
  "''": 'ambiguous',
  '``': 'open',
};

/** Words that begin with an elided letter and take an apostrophe in front: ’em, ’til, ’cause. */
const ELISIONS = new Set([
  'em',
  'til',
  'tis',
  'twas',
  'cause',
  'bout',
  'round',
  'n',
  'nuff',
  'cept',
  'fraid',
  'neath',
  'tween',
  'ol',
  'sup',
  'cuz',
  'coz',
  'ere',
  'kay',
]);

function isQuoteChar(c: string): boolean {
  return DOUBLE_GLYPHS.has(c) || SINGLE_GLYPHS.has(c) || c === '`';
}

function isLetterOrDigit(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  // Latin-1 letters, Latin Extended, Greek, Cyrillic and beyond: treat letters as word characters.
  if (code === 0xd7 || code === 0xf7) return false;
  if (code >= 0xc0 && code <= 0x24f) return true;
  if (code >= 0x370 && code <= 0x1fff) return true;
  if (code >= 0x3040 && code <= 0xd7ff) return true; // CJK and friends
  if (code >= 0xf900 && code <= 0xfdff) return true;
  return false;
}

function classify(text: string, i: number): CharClass {
  if (i < 0 || i >= text.length) return 'space';
  const c = text.charCodeAt(i);
  if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x2009 || c === 0x202f || c === 0x200b || c === 0xfeff || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) {
    return 'space';
  }
  if (isLetterOrDigit(c)) return 'word';
  switch (text[i]) {
    case '(':
    case '[':
    case '{':
    case '¿':
    case '¡':
      return 'openp';
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case ')':
    case ']':
    case '}':
    case '…':
      return 'closep';
    case '—':
    case '–':
    case '-':
    case '/':
      return 'dash';
    default:
      return 'other';
  }
}

function isAsciiLetter(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z]/.test(c);
}

/** Is the apostrophe at `i` (followed by letters) the front of an elided word such as ’em or ’n’? */
function isLeadingElision(text: string, i: number): boolean {
  let j = i + 1;
  while (j < text.length && j - i <= 6 && isAsciiLetter(text[j])) j++;
  if (j === i + 1 || j - i > 6) return false;
  const word = text.slice(i + 1, j).toLowerCase();
  if (!ELISIONS.has(word)) return false;
  const after = text[j];
  if (word === 'n') return after === "'" || after === '’' || after === ' ';
  // "'round" / "'cause" can open a quote ("'Round here," she said): only when not followed by a capital-led quote
  return after === undefined || classify(text, j) !== 'word';
}

/** ’90s, '16, ’08: an apostrophe standing for a century. */
function isYearElision(text: string, i: number): boolean {
  const a = text.charCodeAt(i + 1);
  const b = text.charCodeAt(i + 2);
  if (!(a >= 48 && a <= 57 && b >= 48 && b <= 57)) return false;
  const c = text.charCodeAt(i + 3);
  if (c >= 48 && c <= 57) return false;
  if (text[i + 3] === 's') return classify(text, i + 4) !== 'word';
  return classify(text, i + 3) !== 'word';
}

/** 5'10" or 6" : feet and inches after digits. */
function isMeasure(text: string, i: number): boolean {
  const prev = text.charCodeAt(i - 1);
  if (!(prev >= 48 && prev <= 57)) return false;
  if (classify(text, i + 1) === 'word') return false;
  // digit + ' + digits + " or digit + " directly
  if (text[i] === "'") {
    const n = text.charCodeAt(i + 1);
    return n >= 48 && n <= 57;
  }
  let j = i - 1;
  while (j >= 0 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j--;
  if (text[j] === "'" || text[j] === '′') return true;
  // a lone 6" (inches) only when the number is not preceded by a word (avoid `"in 2016"`)
  return false;
}

function roleFromFlanks(prev: CharClass, next: CharClass): QuoteMarkToken['role'] {
  let score = 0;
  if (prev === 'space' || prev === 'openp' || prev === 'other') score += 1;
  else if (prev === 'word' || prev === 'closep') score -= 1;
  if (next === 'word' || next === 'openp' || next === 'other') score += 1;
  else if (next === 'space' || next === 'closep') score -= 1;
  return score > 0 ? 'open' : score < 0 ? 'close' : 'ambiguous';
}

/**
 * Every quotation mark in a paragraph, in text order, with a role and weight.
 * Pure and linear in the text length.
 */
export function scanQuoteMarks(text: string): QuoteMarkToken[] {
  const out: QuoteMarkToken[] = [];
  if (typeof text !== 'string' || text.length === 0) return out;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (!isQuoteChar(c)) {
      i++;
      continue;
    }
    // a run of adjacent quote characters shares its flanks
    let runEnd = i;
    while (runEnd < n && isQuoteChar(text[runEnd])) runEnd++;
    const prevClass = classify(text, i - 1);
    const nextClass = classify(text, runEnd);
    const flankRole = roleFromFlanks(prevClass, nextClass);
    const marks: QuoteMarkToken[] = [];
    let j = i;
    while (j < runEnd) {
      const ch = text[j];
      if (ch === '`') {
        if (text[j + 1] === '`') {
          marks.push({ offset: j, mark: '``', role: 'open', weight: 'double' });
          j += 2;
        } else {
          j++; // a lone backtick is not a quotation mark
        }
        continue;
      }
      if (ch === "'") {
        let k = j;
        while (k < runEnd && text[k] === "'") k++;
        const len = k - j;
        if (len >= 2) {
          const doubles = Math.floor(len / 2);
          const single = len % 2 === 1;
          const role = flankRole;
          // inner single quotes sit inside the double ones: '' ' on opening, ' '' on closing
          const seq: string[] = [];
          if (single && role === 'close') seq.push("'");
          for (let d = 0; d < doubles; d++) seq.push("''");
          if (single && role !== 'close') seq.push("'");
          let off = j;
          for (const m of seq) {
            marks.push({ offset: off, mark: m, role, weight: m === "''" ? 'double' : 'single' });
            off += m.length;
          }
          j = k;
          continue;
        }
        // a single straight apostrophe/quote
        const single = singleMark(text, j, i, runEnd, prevClass, nextClass, flankRole);
        if (single) marks.push(single);
        j++;
        continue;
      }
      if (SINGLE_GLYPHS.has(ch)) {
        const single = singleMark(text, j, i, runEnd, prevClass, nextClass, flankRole);
        if (single) marks.push(single);
        j++;
        continue;
      }
      // double glyphs
      if (ch === '"' && isMeasure(text, j)) {
        j++;
        continue;
      }
      let role = flankRole;
      // a mark opening the paragraph before a space ("” … what I learned") opens, whatever its glyph
      if (role === 'ambiguous') role = j === 0 ? 'open' : DEFAULT_ROLE[ch] ?? 'ambiguous';
      marks.push({ offset: j, mark: ch, role, weight: 'double' });
      j++;
    }
    for (const m of marks) out.push(m);
    i = runEnd;
  }
  return out;
}

function singleMark(
  text: string,
  j: number,
  runStart: number,
  runEnd: number,
  prevClass: CharClass,
  nextClass: CharClass,
  flankRole: QuoteMarkToken['role'],
): QuoteMarkToken | null {
  const ch = text[j];
  const alone = runEnd - runStart === 1;
  if (alone) {
    // word’word: O’Brien, don’t, it's
    if (prevClass === 'word' && nextClass === 'word') return null;
    if (ch === "'" || ch === '’' || ch === '‘') {
      if (nextClass === 'word' && (isYearElision(text, j) || isLeadingElision(text, j))) return null;
      // rock ’n’ roll: the closing half of ’n’
      if (prevClass === 'word' && text[j - 1] === 'n' && (text[j - 2] === "'" || text[j - 2] === '’' || text[j - 2] === '‘')) {
        return null;
      }
      if (ch === "'" && isMeasure(text, j)) return null;
    }
  }
  let role = flankRole;
  if (role === 'ambiguous') {
    if (prevClass === 'word' && nextClass === 'word') {
      // inside a run of marks between words: nothing useful
      role = DEFAULT_ROLE[ch] ?? 'ambiguous';
    } else {
      role = DEFAULT_ROLE[ch] ?? 'ambiguous';
    }
  }
  return { offset: j, mark: ch, role, weight: 'single' };
}
