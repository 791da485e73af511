import type { ParagraphAnalysis, QuoteMarkToken, Speaker, Span } from './types';
import {
  ABBREVIATIONS,
  AUX_WORDS,
  CLAUSE_WORDS,
  CUE_WORDS,
  FORWARD_STOP,
  HONORIFICS,
  MASK,
  MASK_TERMINAL,
  NON_SUBJECT_START,
  OPENERS,
  PREPOSITIONS,
  PRONOUNS,
  SMALL_WORDS,
  WEAK_CUES,
  isAbbreviation,
  isCapitalized,
  isSpaceCode,
  lower,
  tokenize,
  type Tok,
} from './quoteLexicon';

/**
 * The per-paragraph half of the quote analysis. Everything here depends only on
 * one paragraph's text (and its scanned marks) plus two booleans that say how
 * the paragraph sits between its neighbours (a quotation continues into it; the
 * next paragraph opens with a double mark). It is computed once per paragraph
 * text and variant and memoised on the paragraph's analysis object, which the
 * paragraph cache keeps identical across versions of the article.
 *
 * All offsets here are RELATIVE to the paragraph start.
 */

/** Deepest nesting of pending quotation marks considered (real text never gets near it). */
const MAX_DEPTH = 12;
/** A paragraph with more marks than this is not prose: its quotations are paired but not read for speakers. */
export const JUNK_MARKS = 256;
/** How many problem records of a junk paragraph are kept for findings. */
const JUNK_KEEP = 24;
const MAX_TOKENS = 60;
const WINDOW = 400;

/** Resolution codes for a mark. */
export const R_NONE = 0;
export const R_OPEN = 1;
export const R_CLOSE = 2;
export const R_IGNORED = 3;

/** A speaker found in the writer's words, before entity mentions are known. */
export interface LocalSpeaker {
  /** the range where an entity mention is looked for */
  start: number;
  end: number;
  /** what to report when no mention overlaps the range: [fbStart, fbEnd) of the paragraph (its text is that slice) */
  fbStart: number;
  fbEnd: number;
  fbKind: 'pronoun' | 'name' | 'np';
  /** start of the pronoun's sentence (0 for the other kinds) */
  sentStart: number;
  /** the phrase is a common noun phrase ("the leaders of Estonia"): places named in it are not the speaker */
  common: boolean;
  /** how the range was found */
  via: Speaker['via'];
}

export interface LocalAttribution {
  speaker: LocalSpeaker | null;
  cue?: Span;
  /** end of the attribution (speaker or cue, whichever is later) */
  end: number;
  introduced?: boolean;
  adjacent?: boolean;
  colon?: boolean;
  /** the cue names or labels ("called it …") rather than reports speech */
  naming?: boolean;
}

/** Facts about the writer's words before a quotation (first part). */
export interface PreFeatures {
  startsLower: boolean;
  atStart: boolean;
  /** attribution before the quotation (null when at the sentence start) */
  pre: LocalAttribution | null;
  cueNear: boolean;
  /** the text before the quotation ends with ':': who introduced it */
  colon: LocalSpeaker | null;
  /** a cue with a subject in the sentence before, in this paragraph */
  prevSentence: LocalSpeaker | null;
  /** the writer's words right before end with a comma or a dash ("As for costs, “…”") */
  introComma: boolean;
  /** … or with a dash */
  introDash: boolean;
  /** the name right before that dash ("Mitt Romney -- ''…''") */
  dashSpeaker: LocalSpeaker | null;
}

/** Facts about the writer's words after a quotation (last part). */
export interface PostFeatures {
  terminalInside: boolean;
  sentenceInside: boolean;
  postEmpty: boolean;
  post: LocalAttribution | null;
  /**
   * The quotation that may continue this one after its attribution (“…,” she said, “…”):
   * the next depth-0 quotation in the paragraph, skipping titles; -1.
   */
  next: number;
  /** words of the writer between the attribution and that quotation */
  gapWords: number;
  /** another speech cue among them ("…,” she said before asking, “…”) */
  gapCue: boolean;
  /** the writer's words end with , : or a dash right before it */
  gapComma: boolean;
  /** a dash follows the quotation ("… -- ''That makes me smart'' -- and …") */
  dashAfter: boolean;
  /**
   * Nothing of the writer's follows in the paragraph but the sentence that carries the
   * quotation's attribution (“…,” he said.¶) or nothing at all (“…”¶): a quotation opening
   * the next paragraph may continue this speech.
   */
  restEmpty: boolean;
}

export interface LocalRec {
  open: number;
  close: number;
  start: number;
  end: number;
  innerStart: number;
  innerEnd: number;
  depth: number;
  /** local index of the enclosing quotation, -1 */
  parent: number;
  /** continues a quotation opened in an earlier paragraph */
  incoming: boolean;
  /** never closed (decided inside the paragraph) */
  unclosed: boolean;
  /** still open at the paragraph end: continues or is unclosed, the article decides */
  exit: boolean;
  /** number of words of the inner text (first 160 characters) */
  wordCount: number;
  /** WF_FIRST_UPPER | WF_ALL_TITLE (see isTitleCase): what a chain of parts needs to tell a title */
  wordFlags: number;
  /** the words look like a title ("Saturday Night Live") */
  titleWords: boolean;
  pre?: PreFeatures;
  post?: PostFeatures;
  /** kind of a nested quotation */
  innerKind?: 'direct' | 'partial' | 'scare' | 'title';
  /** pairing bookkeeping: the enclosing record and this record's final index */
  parentRec?: LocalRec;
  index: number;
}

/** the first word starts with a capital letter */
export const WF_FIRST_UPPER = 1;
/** every word is a small word or starts with a capital letter or digit */
export const WF_ALL_TITLE = 2;

const NO_PAIRS: [number, number][] = [];
const NO_NUMBERS: number[] = [];

export interface Variant {
  recs: LocalRec[];
  /** how each mark was resolved (R_*): two bits a mark when there are at most 15 marks, else one number a mark (see resolutionOf) */
  resolved: number | number[];
  mismatches: [number, number][];
  /** [inner rec, outer rec] */
  nested: [number, number][];
  unopened: number[];
  /** rec open at the paragraph end, -1 */
  exitRec: number;
  /** the mark family of the record open at the end (it continues only into a paragraph reopening with the same family) */
  exitFamily: number;
  /**
   * sorted inner spans of depth-0 quotations (for "is this mention inside a quote"), as
   * start, end pairs; null when every record is a depth-0 quotation (read the records)
   */
  topInner: number[] | null;
  /** the paragraph ends with ':' and names who speaks next */
  endColon: LocalSpeaker | null;
  /** a cue with a subject in the paragraph's last sentence */
  endSentence: LocalSpeaker | null;
  junk: boolean;
  /** double marks counted for the mixed-styles finding: straight " and curly ones (ignored marks excluded) */
  straight: number;
  curly: number;
  /** unopened, mismatches or nested is not empty */
  problems: boolean;
}

export interface PerParagraph {
  text: string;
  marks: QuoteMarkToken[];
  /** the family of the double mark the paragraph opens with (see openingFamily) */
  fam: number;
  /** the variant used last (most paragraphs only ever need one) and its key; other variants in `more` */
  vkey: number;
  v: Variant | undefined;
  more: Map<number, Variant> | undefined;
  /** counts for the block-quote convention (see blockShape); made when first needed */
  shape: BlockShape | undefined;
}

/**
 * What the block-quote convention needs to know about a paragraph: some writers
 * (and scrapers of block quotes) mark each paragraph of a quoted excerpt with one
 * straight " at its start and never close it, while the quotations inside use
 * curly marks. In an article that otherwise quotes with curly marks, that lone
 * straight " is an excerpt marker, not an unclosed quotation mark.
 */
export interface BlockShape {
  straight: number;
  curly: number;
  /** the paragraph's only straight double mark opens it (offset 0) */
  loneOpener: boolean;
  /** the paragraph's only straight double mark ends it (only closers and spaces after it) */
  loneCloserAtEnd: number;
}

export function blockShape(pp: PerParagraph): BlockShape {
  let s = pp.shape;
  if (s) return s;
  let straight = 0;
  let curly = 0;
  let curlyOpen = 0;
  let last = -1;
  for (let k = 0; k < pp.marks.length; k++) {
    const m = pp.marks[k];
    if (m.weight !== 'double') continue;
    if (m.mark === '"') {
      straight++;
      last = k;
    } else if (m.mark === '“' || m.mark === '”') {
      curly++;
      if (m.mark === '“') curlyOpen++;
    }
  }
  let loneOpener = false;
  let loneCloserAtEnd = -1;
  // the curly marks pair among themselves: none of them closes the straight one ("But it won,” she said)
  if (straight === 1 && curly === 2 * curlyOpen) {
    const m = pp.marks[last];
    if (m.offset === 0 && m.role !== 'close') loneOpener = true;
    else if (m.role !== 'open' && lastBeforeClosers(pp.text.trimEnd()) < m.offset) loneCloserAtEnd = last;
  }
  s = { straight, curly, loneOpener, loneCloserAtEnd };
  pp.shape = s;
  return s;
}

/** Index of the last character before a trailing run of closing marks and brackets (-1 if all are). A loop, not /[…]+$/, which is quadratic on long runs. */
function lastBeforeClosers(text: string): number {
  let i = text.length - 1;
  while (i >= 0 && TRAILING_CLOSERS.has(text[i])) i--;
  return i;
}
const TRAILING_CLOSERS = new Set(['’', "'", '‘', '”', '“', '"', ')', ']']);

const memo = new WeakMap<ParagraphAnalysis, PerParagraph>();

const EMPTY_VARIANT: Variant = {
  recs: [],
  resolved: NO_NUMBERS,
  mismatches: NO_PAIRS,
  nested: NO_PAIRS,
  unopened: NO_NUMBERS,
  exitRec: -1,
  exitFamily: 0,
  topInner: NO_NUMBERS,
  endColon: null,
  endSentence: null,
  junk: false,
  straight: 0,
  curly: 0,
  problems: false,
};
const NO_MARKS: QuoteMarkToken[] = [];
/** Shared by every paragraph without quotation marks (its text is not needed: see paragraphEnd). */
export const EMPTY_PP: PerParagraph = { text: '', marks: NO_MARKS, fam: 0, vkey: -1, v: EMPTY_VARIANT, more: undefined, shape: undefined };

const endMemo = new WeakMap<ParagraphAnalysis, { endColon: LocalSpeaker | null; endSentence: LocalSpeaker | null }>();

/**
 * How a paragraph ends, as read by a quotation in the next paragraph: a colon
 * introducing it, or a cue with a subject in the last sentence. Computed with
 * the pairing for paragraphs with quotation marks, on demand (and memoised) for
 * the others.
 */
export function paragraphEnd(analysis: ParagraphAnalysis, text: string, v: Variant): { endColon: LocalSpeaker | null; endSentence: LocalSpeaker | null } {
  if (v !== EMPTY_VARIANT) return v;
  let e = analysis && typeof analysis === 'object' ? endMemo.get(analysis) : undefined;
  if (!e) {
    const P: Para = { t: text, toks: tokenize(text, 0, text.length, 0) };
    e = endOf(P);
    if (analysis && typeof analysis === 'object') endMemo.set(analysis, e);
  }
  return e;
}

function endOf(P: Para): { endColon: LocalSpeaker | null; endSentence: LocalSpeaker | null } {
  const t = P.t;
  const tail = t.slice(Math.max(0, t.length - WINDOW)).trimEnd();
  const endColon = tail.endsWith(':') ? attributionBefore(P, t.length, false)?.speaker ?? null : null;
  return { endColon, endSentence: previousSentenceSpeaker(P, t.length) };
}

/** The memoised per-paragraph data of an analysis (created on first use). */
export function perParagraph(analysis: ParagraphAnalysis, text: string): PerParagraph {
  const marks = analysis?.marks;
  if (!marks || marks.length === 0) {
    // no quotation marks: nothing but the paragraph's end can matter (a colon introducing the next quote)
    return EMPTY_PP;
  }
  // an analysis object belongs to exactly one paragraph text (the cache is keyed by it)
  let pp = memo.get(analysis);
  if (!pp) {
    // every field from the start: one object layout for all paragraphs keeps the quote pass's reads fast
    pp = { text, marks, fam: openingFamilyOf(marks), vkey: -1, v: undefined, more: undefined, shape: undefined };
    if (analysis && typeof analysis === 'object') memo.set(analysis, pp);
  }
  return pp;
}

/** Families of double marks: a quotation continued in the next paragraph reopens with the same family. */
export function markFamily(mark: string): number {
  switch (mark) {
    case '“':
    case '”':
    case '„':
    case '‟':
      return 1;
    case '"':
      return 2;
    case "''":
    case '``':
      return 3;
    case '«':
    case '»':
      return 4;
    default:
      return 5;
  }
}

/**
 * The family of the double mark this paragraph opens with, when it can continue a
 * quotation from the previous paragraph (the multi-paragraph convention); 0 otherwise.
 */
export function openingFamily(pp: PerParagraph): number {
  return pp.fam;
}

function openingFamilyOf(marks: QuoteMarkToken[]): number {
  if (marks.length === 0) return 0;
  const f = marks[0];
  return f.offset === 0 && f.role !== 'close' && f.weight === 'double' ? markFamily(f.mark) : 0;
}

/**
 * The paragraph's pairing and features for one variant: whether a quotation continues
 * into it, and the family of the double mark the next paragraph opens with (0: none).
 */
/** How mark k of the variant's paragraph was resolved (R_*). */
export function resolutionOf(v: Variant, k: number): number {
  const r = v.resolved;
  return typeof r === 'number' ? (r >>> (2 * k)) & 3 : r[k] ?? R_NONE;
}

/** The memo key of a variant (see variantOf). */
export function variantKey(continuingIn: boolean, nextFamily: number, blockMarker: boolean): number {
  return (continuingIn ? 1 : 0) | (nextFamily << 1) | (blockMarker ? 16 : 0);
}

export function variantOf(pp: PerParagraph, continuingIn: boolean, nextFamily: number, blockMarker = false): Variant {
  const key = variantKey(continuingIn, nextFamily, blockMarker);
  if (pp.vkey === key) return pp.v!;
  if (pp.marks.length === 0) return EMPTY_VARIANT;
  let v = pp.vkey < 0 ? undefined : pp.more?.get(key);
  if (!v) v = buildVariant(pp.text, pp.marks, continuingIn && pp.marks.length > 0, nextFamily, blockMarker);
  // keep the previous one too (a paragraph flips between two variants while a quotation is being typed)
  if (pp.v && pp.vkey >= 0) (pp.more ??= new Map()).set(pp.vkey, pp.v);
  pp.more?.delete(key);
  if (pp.more && pp.more.size === 0) pp.more = undefined;
  pp.vkey = key;
  pp.v = v;
  return v;
}

// ---------------------------------------------------------------------------
// Pairing
// ---------------------------------------------------------------------------

interface Entry {
  mark: number;
  rec: LocalRec;
}

const CLOSERS: Record<string, string[]> = {
  '“': ['”'],
  '„': ['“', '”'],
  '‟': ['”'],
  '«': ['»'],
  '»': ['«'],
  '"': ['"'],
  "''": ["''"],
  '``': ["''"],
  '‘': ['’'],
  '‚': ['‘', '’'],
  '‹': ['›'],
  '›': ['‹'],
  "'": ["'"],
};

export function glyphsMatch(open: string, close: string): boolean {
  const list = CLOSERS[open];
  return !!list && list.includes(close);
}

export function hasCloserList(open: string): boolean {
  return CLOSERS[open] !== undefined;
}

/** The closing glyph that matches an opening glyph. */
export function closerFor(open: string, weight: 'single' | 'double'): string {
  const list = CLOSERS[open];
  if (list) return list[list.length - 1];
  return weight === 'double' ? '”' : '’';
}

function isSpaceAt(t: string, i: number): boolean {
  return i >= 0 && i < t.length && isSpaceCode(t.charCodeAt(i));
}

/** Back over spaces from `pos` (not before `floor`). */
export function trimBack(t: string, pos: number, floor: number): number {
  while (pos > floor && /\s/.test(t[pos - 1])) pos--;
  return pos;
}

function pair(t: string, marks: QuoteMarkToken[], continuingIn: boolean, nextFamily: number, blockMarker = false): Variant {
  const n = marks.length;
  const resolved: number[] = new Array(n).fill(0);
  const all: (LocalRec | null)[] = [];
  const mismatches: [number, number][] = [];
  const nestedRecs: [LocalRec, LocalRec][] = [];
  const unopened: number[] = [];
  const stack: Entry[] = [];
  let closerPositions: number[] | undefined;
  let angleCloserPositions: number[] | undefined;

  const newRec = (m: number, depth: number, parent: LocalRec | undefined, incoming: boolean): LocalRec => {
    const mk = marks[m];
    const rec: LocalRec = {
      open: m,
      close: -1,
      start: mk.offset,
      end: -1,
      innerStart: 0,
      innerEnd: 0,
      depth,
      parent: -1,
      incoming,
      unclosed: false,
      exit: false,
      wordCount: 0,
      wordFlags: 0,
      titleWords: false,
      pre: undefined,
      post: undefined,
      innerKind: undefined,
      parentRec: parent,
      index: all.length,
    };
    all.push(rec);
    resolved[m] = R_OPEN;
    return rec;
  };
  const closePart = (e: Entry, m: number) => {
    e.rec.close = m;
    e.rec.end = marks[m].offset + marks[m].mark.length;
    resolved[m] = R_CLOSE;
  };
  const finishUnclosed = (e: Entry, end: number) => {
    e.rec.end = end;
    e.rec.unclosed = true;
  };
  /** the next ’ (or ›) after `from`, by binary search over their positions */
  const closerWithin = (from: number, angle: boolean): boolean => {
    let list = angle ? angleCloserPositions : closerPositions;
    if (!list) {
      list = [];
      const ch = angle ? '›' : '’';
      for (let i = t.indexOf(ch); i >= 0; i = t.indexOf(ch, i + 1)) list.push(i);
      if (angle) angleCloserPositions = list;
      else closerPositions = list;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo] < Math.min(t.length, from - 1 + 2000);
  };
  /** An unclosed single opening mark: usually an apostrophe (’em, ‘til) — forget it, except clear curly openers. */
  const dropSingle = (e: Entry, end: number) => {
    const m = marks[e.mark];
    const curlyOpen = m.mark === '‘' || m.mark === '‚' || m.mark === '‹';
    const restHasCloser = curlyOpen && closerWithin(m.offset + 1, m.mark === '‹');
    if (curlyOpen && !restHasCloser && !e.rec.incoming) {
      e.rec.end = end;
      e.rec.unclosed = true;
      return;
    }
    resolved[e.mark] = R_IGNORED;
    // index holds the record's slot in `all` until the final compaction
    if (all[e.rec.index] === e.rec) all[e.rec.index] = null;
    e.rec.index = -1;
  };

  let k0 = 0;
  if (blockMarker && n > 0) {
    // the excerpt marker of the block-quote convention: not a quotation mark
    resolved[0] = R_IGNORED;
    k0 = 1;
  } else if (continuingIn && n > 0) {
    stack.push({ mark: 0, rec: newRec(0, 0, undefined, true) });
    k0 = 1;
  }
  // suffix counts: double marks that can close; next single closer / next double mark
  const closersAfter = new Int32Array(n + 1);
  const nextSingleClose = new Int32Array(n + 1);
  const nextDouble = new Int32Array(n + 1);
  nextSingleClose[n] = n;
  nextDouble[n] = n;
  for (let k = n - 1; k >= 0; k--) {
    const m = marks[k];
    closersAfter[k] = closersAfter[k + 1] + (m.weight === 'double' && m.role !== 'open' ? 1 : 0);
    nextSingleClose[k] = m.weight === 'single' && m.role !== 'open' ? k : nextSingleClose[k + 1];
    nextDouble[k] = m.weight === 'double' ? k : nextDouble[k + 1];
  }

  for (let k = k0; k < n; k++) {
    const m = marks[k];
    if (m.weight === 'double') {
      let topDouble = -1;
      let openDoubles = 0;
      for (let s = stack.length - 1; s >= 0; s--) {
        if (marks[stack[s].mark].weight === 'double') {
          if (topDouble < 0) topDouble = s;
          openDoubles++;
        }
      }
      const wantsClose = m.role === 'close' || (m.role === 'ambiguous' && topDouble >= 0);
      if (wantsClose) {
        if (topDouble < 0) {
          resolved[k] = R_IGNORED;
          unopened.push(k);
          continue;
        }
        while (stack.length - 1 > topDouble) dropSingle(stack.pop()!, m.offset);
        const entry = stack.pop()!;
        closePart(entry, k);
        if (!glyphsMatch(marks[entry.mark].mark, m.mark)) mismatches.push([entry.mark, k]);
        const parent = entry.rec.parentRec;
        // a double-quoted passage inside another of the same family (“ … “ … ” … ”) is ambiguous; “ inside " is a
        // deliberate (if unusual) nesting and is not reported
        if (
          parent &&
          entry.rec.depth > 0 &&
          marks[entry.mark].weight === 'double' &&
          marks[parent.open].weight === 'double' &&
          markFamily(marks[entry.mark].mark) === markFamily(marks[parent.open].mark)
        ) {
          nestedRecs.push([entry.rec, parent]);
        }
        continue;
      }
      // an opening double mark; the outermost quotation may stay open when the next paragraph continues it
      const mayContinue = nextFamily > 0 && stack.length > 0 && marks[stack[0].mark].weight === 'double' && markFamily(marks[stack[0].mark].mark) === nextFamily;
      if (topDouble >= 0 && closersAfter[k + 1] < openDoubles + 1 - (mayContinue ? 1 : 0)) {
        // not enough closing marks left for a nested quote: the open one was never closed
        const cut = trimBack(t, m.offset, 0);
        while (stack.length > 0) {
          const e = stack.pop()!;
          if (marks[e.mark].weight === 'double') finishUnclosed(e, cut);
          else dropSingle(e, cut);
          let still = 0;
          for (const s of stack) if (marks[s.mark].weight === 'double') still++;
          if (still === 0 || closersAfter[k + 1] >= still + 1) break;
        }
      }
      if (stack.length >= MAX_DEPTH) {
        while (stack.length > 0 && marks[stack[stack.length - 1].mark].weight === 'single') dropSingle(stack.pop()!, m.offset);
        if (stack.length >= MAX_DEPTH) {
          resolved[k] = R_IGNORED;
          continue;
        }
      }
      const parent = stack.length ? stack[stack.length - 1].rec : undefined;
      stack.push({ mark: k, rec: newRec(k, stack.length, parent, false) });
      continue;
    }
    // single marks
    const top = stack.length ? stack[stack.length - 1] : undefined;
    if (m.role === 'open') {
      if (stack.length >= MAX_DEPTH) {
        resolved[k] = R_IGNORED;
        continue;
      }
      stack.push({ mark: k, rec: newRec(k, stack.length, top?.rec, false) });
      continue;
    }
    if (top && marks[top.mark].weight === 'single') {
      // ’ after s and before a word: possessive (the Joneses’ house) when another closer follows
      const o = m.offset;
      const possessiveLike = isSpaceAt(t, o + 1) && /\p{L}/u.test(t[o + 2] ?? '') && /[sSzZ]/.test(t[o - 1] ?? '');
      const later = nextSingleClose[k + 1];
      if (possessiveLike && later < n && later < nextDouble[k + 1]) {
        resolved[k] = R_IGNORED;
        continue;
      }
      stack.pop();
      closePart(top, k);
      if (!glyphsMatch(marks[top.mark].mark, m.mark)) mismatches.push([top.mark, k]);
      continue;
    }
    resolved[k] = R_IGNORED; // an apostrophe: students’ / goin’
  }

  // paragraph end
  let exit: LocalRec | null = null;
  let exitFamily = 0;
  if (stack.length > 0) {
    while (stack.length > 1) {
      const e = stack.pop()!;
      if (marks[e.mark].weight === 'double') finishUnclosed(e, t.length);
      else dropSingle(e, t.length);
    }
    const bottom = stack[0];
    bottom.rec.end = t.length;
    if (marks[bottom.mark].weight === 'double') {
      bottom.rec.exit = true;
      exit = bottom.rec;
      exitFamily = markFamily(marks[bottom.mark].mark);
    } else {
      dropSingle(bottom, t.length);
    }
  }

  const recs: LocalRec[] = [];
  const junk = n > JUNK_MARKS;
  let kept = 0;
  for (const r of all) {
    if (!r) continue;
    // junk keeps only what findings and the neighbours need: a few unclosed records, the incoming and the exit one
    if (junk && !(r.incoming || r === exit || (r.unclosed && kept++ < JUNK_KEEP))) {
      r.index = -1;
      continue;
    }
    r.index = recs.length;
    recs.push(r);
  }
  if (junk) {
    mismatches.length = Math.min(mismatches.length, JUNK_KEEP);
    unopened.length = Math.min(unopened.length, JUNK_KEEP);
    nestedRecs.length = 0;
  }
  for (const r of recs) {
    const p = r.parentRec;
    r.parent = p && p.index >= 0 ? p.index : -1;
    r.parentRec = undefined;
    const om = marks[r.open];
    r.end = Math.max(r.end, r.start + om.mark.length);
    r.innerStart = r.start + om.mark.length;
    let innerEnd = r.close >= 0 ? marks[r.close].offset : r.end;
    if (r.close < 0) innerEnd = trimBack(t, innerEnd, r.innerStart);
    r.innerEnd = Math.max(r.innerStart, innerEnd);
  }
  let nested = NO_PAIRS;
  for (const [inner, outer] of nestedRecs) {
    if (inner.index >= 0 && outer.index >= 0) (nested === NO_PAIRS ? (nested = []) : nested).push([inner.index, outer.index]);
  }
  let straight = 0;
  let curly = 0;
  for (let k = 0; k < n; k++) {
    const m = marks[k];
    if (m.weight !== 'double' || resolved[k] === R_IGNORED) continue;
    if (m.mark === '"') straight++;
    else if (m.mark === '“' || m.mark === '”' || m.mark === '„' || m.mark === '‟') curly++;
  }
  let packed = 0;
  if (n <= 15) for (let k = 0; k < n; k++) packed |= resolved[k] << (2 * k);
  return {
    recs: recs.length ? recs : [],
    resolved: n <= 15 ? packed : resolved,
    mismatches: mismatches.length ? mismatches.slice() : NO_PAIRS,
    nested,
    unopened: unopened.length ? unopened.slice() : NO_NUMBERS,
    exitRec: exit && exit.index >= 0 ? exit.index : -1,
    exitFamily,
    topInner: NO_NUMBERS,
    endColon: null,
    endSentence: null,
    junk,
    straight,
    curly,
    problems: mismatches.length > 0 || nested.length > 0 || unopened.length > 0,
  };
}

// ---------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------

/** A cue in a relative clause describing the speaker (“…,” said X, who said she …): not a new attribution. */
function relativeCue(toks: Tok[], k: number): boolean {
  for (let j = k - 1; j >= 0 && j >= k - 2; j--) {
    if (toks[j].kind !== 'word') return false;
    if (lower(toks[j]) === 'who') return true;
  }
  return false;
}

function buildVariant(t: string, marks: QuoteMarkToken[], continuingIn: boolean, nextFamily: number, blockMarker: boolean): Variant {
  const v = pair(t, marks, continuingIn, nextFamily, blockMarker);
  const top: LocalRec[] = [];
  for (const r of v.recs) if (r.depth === 0) top.push(r);
  if (top.length === v.recs.length) v.topInner = null;
  else if (top.length) {
    const inner: number[] = new Array(top.length * 2);
    for (let i = 0; i < top.length; i++) {
      inner[2 * i] = top[i].innerStart;
      inner[2 * i + 1] = top[i].innerEnd;
    }
    v.topInner = inner;
  }
  if (v.junk) {
    for (const r of v.recs) r.innerKind = 'scare';
    return v;
  }
  for (const r of v.recs) {
    // the words themselves are not kept: their count and two flags say all the article step needs
    const words = innerWords(t, r.innerStart, r.innerEnd);
    r.wordCount = words.length;
    r.wordFlags = wordFlagsOf(words);
    r.titleWords = isTitleCase(words);
    if (r.depth !== 0) r.innerKind = classifyInner(t, r, words);
  }
  const masked = maskParagraph(t, top);
  const toks = tokenize(masked, 0, masked.length, 0);
  const P: Para = { t, toks };
  for (let i = 0; i < v.recs.length; i++) {
    const r = v.recs[i];
    if (r.depth !== 0) continue;
    if (!r.incoming) r.pre = preFeatures(P, r);
    r.post = postFeatures(P, r);
  }
  // the quotation that may continue each one after its attribution, and what the writer says in between
  for (let i = 0; i < top.length; i++) {
    const r = top[i];
    const a = r.post?.post;
    if (!a) continue;
    let j = i + 1;
    // skip titles in the writer's words (“…,” she said on “Fox and Friends.” “…”)
    while (j < top.length && j - i < 4 && !top[j].pre?.atStart && ((top[j].titleWords && top[j].wordCount <= 8) || top[j].wordCount <= 2)) j++;
    const nx = top[j];
    if (!nx || nx.start < a.end) continue;
    r.post!.next = nx.index;
    let k = tokIndexBefore(toks, r.end);
    while (k < toks.length && toks[k].start < r.end) k++;
    let words = 0;
    let cue = false;
    let lastTok: Tok | undefined;
    for (; k < toks.length && toks[k].start < nx.start && words < 40; k++) {
      const x = toks[k];
      lastTok = x;
      if (x.kind !== 'word') continue;
      if (x.start >= a.end) words++;
      // (a naming verb in the writer's aside is not another speech act: "a super PAC called Future45")
      if ((!a.cue || x.start !== a.cue.start) && isVerbCue(toks, k) && !relativeCue(toks, k) && !WEAK_CUES.has(lower(x))) cue = true;
    }
    r.post!.gapWords = words;
    r.post!.gapCue = cue;
    r.post!.gapComma = !!lastTok && lastTok.kind === 'punct' && /^[,:—–-]$/.test(lastTok.text);
  }
  // the paragraph's end, read by a quotation in the next paragraph
  const end = endOf(P);
  v.endColon = end.endColon;
  v.endSentence = end.endSentence;
  return v;
}

interface Para {
  t: string;
  toks: Tok[];
}

function innerWords(t: string, start: number, end: number): string[] {
  const words: string[] = [];
  const slice = t.slice(start, Math.min(end, start + 160));
  for (const w of slice.split(/[\s—–]+/)) {
    const clean = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (clean) words.push(clean);
  }
  return words;
}

function wordFlagsOf(words: string[]): number {
  let f = words.length > 0 && /^\p{Lu}/u.test(words[0]) ? WF_FIRST_UPPER : 0;
  let all = true;
  for (const w of words) {
    if (SMALL_WORDS.has(w.toLowerCase())) continue;
    if (!/^[\p{Lu}\p{N}]/u.test(w)) {
      all = false;
      break;
    }
  }
  if (all) f |= WF_ALL_TITLE;
  return f;
}

/** isTitleCase from a word count and flags (wordFlagsOf). */
export function isTitleCaseInfo(count: number, flags: number): boolean {
  return count >= 2 && count <= 12 && (flags & (WF_FIRST_UPPER | WF_ALL_TITLE)) === (WF_FIRST_UPPER | WF_ALL_TITLE);
}

export function isTitleCase(words: string[]): boolean {
  if (words.length < 2 || words.length > 12) return false;
  if (!/^\p{Lu}/u.test(words[0])) return false;
  for (const w of words) {
    if (SMALL_WORDS.has(w.toLowerCase())) continue;
    if (!/^[\p{Lu}\p{N}]/u.test(w)) return false;
  }
  return true;
}

function maskParagraph(t: string, top: LocalRec[]): string {
  if (top.length === 0) return t;
  let out = '';
  let pos = 0;
  for (const r of top) {
    const s = Math.max(r.start, pos);
    const e = Math.min(r.end, t.length);
    if (e <= s) continue;
    out += t.slice(pos, s);
    const inner = t.slice(r.innerStart, r.innerEnd).trimEnd();
    const terminal = /[.!?…]$/.test(inner) || (inner.length > 0 && /[.!?…]/.test(inner[lastBeforeClosers(inner)] ?? ''));
    out += MASK.repeat(e - s - 1) + (terminal ? MASK_TERMINAL : MASK);
    pos = e;
  }
  out += t.slice(pos);
  return out;
}

/** Quotes inside quotes: a quotation within speech, or a term. */
function classifyInner(t: string, r: LocalRec, words: string[]): LocalRec['innerKind'] {
  const before = t.slice(Math.max(0, r.start - 40), r.start);
  if (isTitleCase(words)) return 'title';
  if (/[,:]\s*$/.test(before) || words.length >= 5) return 'direct';
  if (words.length <= 3) return 'scare';
  return 'partial';
}

/** PreFeatures with its booleans packed in one number (there is one per quotation of every paragraph). */
class PreF implements PreFeatures {
  constructor(
    private readonly f: number,
    readonly pre: LocalAttribution | null,
    readonly colon: LocalSpeaker | null,
    readonly prevSentence: LocalSpeaker | null,
    readonly dashSpeaker: LocalSpeaker | null,
  ) {}
  get startsLower(): boolean {
    return (this.f & 1) !== 0;
  }
  get atStart(): boolean {
    return (this.f & 2) !== 0;
  }
  get cueNear(): boolean {
    return (this.f & 4) !== 0;
  }
  get introComma(): boolean {
    return (this.f & 8) !== 0;
  }
  get introDash(): boolean {
    return (this.f & 16) !== 0;
  }
}

/** PostFeatures with its booleans packed in one number. */
class PostF implements PostFeatures {
  next = -1;
  gapWords = 0;
  private f: number;
  constructor(
    f: number,
    readonly post: LocalAttribution | null,
  ) {
    this.f = f;
  }
  get terminalInside(): boolean {
    return (this.f & 1) !== 0;
  }
  get sentenceInside(): boolean {
    return (this.f & 2) !== 0;
  }
  get postEmpty(): boolean {
    return (this.f & 4) !== 0;
  }
  get dashAfter(): boolean {
    return (this.f & 8) !== 0;
  }
  get restEmpty(): boolean {
    return (this.f & 16) !== 0;
  }
  get gapCue(): boolean {
    return (this.f & 32) !== 0;
  }
  set gapCue(b: boolean) {
    this.f = b ? this.f | 32 : this.f & ~32;
  }
  get gapComma(): boolean {
    return (this.f & 64) !== 0;
  }
  set gapComma(b: boolean) {
    this.f = b ? this.f | 64 : this.f & ~64;
  }
}

function preFeatures(P: Para, r: LocalRec): PreFeatures {
  const { t } = P;
  const innerText = t.slice(r.innerStart, Math.min(r.innerEnd, r.innerStart + 400)).trim();
  const startsLower = /^[^\p{L}]*\p{Ll}/u.test(innerText) && !/^[^\p{L}]*(i|i’m|i'm)\b/u.test(innerText);
  const preToks = tokensBefore(P, r.start);
  // (a straight " before it can only be an ignored excerpt marker of the block-quote convention)
  const atStart = preToks.every((x) => x.kind === 'punct' && /[—–\-(\["]/.test(x.text));
  const pre = atStart ? null : attributionBefore(P, r.start, false);
  const before = t.slice(Math.max(0, r.start - WINDOW), r.start).trimEnd();
  const introDash = preToks.length > 0 && preToks[preToks.length - 1].kind === 'punct' && /^[—–-]$/.test(preToks[preToks.length - 1].text);
  const cueNear = hasCueNear(preToks, 6);
  const colon = before.endsWith(':') ? (pre ?? attributionBefore(P, r.start, false))?.speaker ?? null : null;
  const prevSentence = previousSentenceSpeaker(P, r.start);
  const dashSpeaker = introDash ? dashName(P, preToks) : null;
  const introComma = preToks.length > 0 && preToks[preToks.length - 1].kind === 'punct' && /^[,—–-]$/.test(preToks[preToks.length - 1].text);
  const f = (startsLower ? 1 : 0) | (atStart ? 2 : 0) | (cueNear ? 4 : 0) | (introComma ? 8 : 0) | (introDash ? 16 : 0);
  return new PreF(f, pre, colon, prevSentence, dashSpeaker);
}

/** The capitalised name ending right before the dash(es) that end `preToks`. */
function dashName(P: Para, preToks: Tok[]): LocalSpeaker | null {
  let j = preToks.length - 1;
  while (j >= 0 && preToks[j].kind === 'punct' && /^[—–-]$/.test(preToks[j].text)) j--;
  if (j < 0 || !isCapitalized(preToks[j])) return null;
  let i = j;
  while (i - 1 >= 0 && (isCapitalized(preToks[i - 1]) || (preToks[i - 1].text === '.' && i - 2 >= 0 && isAbbreviation(preToks[i - 2].text + '.'))) && j - i < 5) i--;
  return localSpeaker(P.t, preToks[i].start, preToks[j].end, 'noun-phrase');
}

function postFeatures(P: Para, r: LocalRec): PostFeatures {
  const { t } = P;
  const lastText = t.slice(Math.max(r.innerStart, r.innerEnd - 40), r.innerEnd).trim();
  const after = tokensAfter(P, r.end);
  const postEmpty = after.toks.every((x) => x.kind === 'punct');
  const post = attributionAfter(P, r.end);
  const terminalInside = /[.,!?…—–-]['’‘]?$/.test(lastText);
  const sentenceInside = /[.!?…]['’‘]?$/.test(lastText);
  const dashAfter = after.toks.length > 0 && after.toks[0].kind === 'punct' && /^[—–-]$/.test(after.toks[0].text);
  const restEmpty = !after.endsAtQuote && (postEmpty || !!post) && onlyPunctFrom(P.toks, after.next);
  const f = (terminalInside ? 1 : 0) | (sentenceInside ? 2 : 0) | (postEmpty ? 4 : 0) | (dashAfter ? 8 : 0) | (restEmpty ? 16 : 0);
  return new PostF(f, post);
}

function hasCueNear(toks: Tok[], words: number): boolean {
  let n = 0;
  for (let i = toks.length - 1; i >= 0 && n < words; i--) {
    if (toks[i].kind !== 'word') continue;
    n++;
    if (isCue(toks[i])) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Token windows
// ---------------------------------------------------------------------------

/** Number of tokens that end at or before `pos`. */
function tokIndexBefore(toks: Tok[], pos: number): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isBoundaryAt(toks: Tok[], i: number, nextIdx: number, limit: number): boolean {
  const t = toks[i];
  const nx = nextIdx < limit ? toks[nextIdx] : undefined;
  const nextOk = !nx || nx.kind === 'quote' || (nx.kind === 'word' && /^[\p{Lu}\p{N}]/u.test(nx.text)) || nx.text === '(';
  if (t.kind === 'quote') return t.text.endsWith(MASK_TERMINAL) && (!nx || nx.kind === 'quote' || (nx.kind === 'word' && /^[\p{Lu}\p{N}]/u.test(nx.text)));
  return t.kind === 'punct' && (t.text === '.' || t.text === '!' || t.text === '?') && nextOk;
}

/** Tokens of the writer's sentence before `pos` (from the sentence start; bounded). */
function tokensBefore(P: Para, pos: number): Tok[] {
  const toks = P.toks;
  const i0 = tokIndexBefore(toks, pos);
  const floor = Math.max(0, i0 - MAX_TOKENS);
  let cut = floor;
  for (let i = i0 - 1; i >= floor; i--) {
    if (isBoundaryAt(toks, i, i + 1, i0)) {
      cut = i + 1;
      break;
    }
  }
  if (cut === floor && floor > 0) cut = floor + 1;
  return toks.slice(cut, i0);
}

/** Tokens of the writer's sentence after `pos`, up to the sentence end or the next quote (bounded). */
function tokensAfter(P: Para, pos: number): { toks: Tok[]; endsAtQuote: boolean; next: number } {
  const all = P.toks;
  let i0 = tokIndexBefore(all, pos);
  while (i0 < all.length && all[i0].start < pos) i0++;
  const toks = all.slice(i0, Math.min(all.length, i0 + MAX_TOKENS));
  for (let i = 0; i < toks.length; i++) {
    const x = toks[i];
    if (x.kind === 'quote') {
      if (isNickname(toks, i)) continue;
      return { toks: toks.slice(0, i), endsAtQuote: true, next: i0 + i };
    }
    if (x.kind === 'punct' && x.text === ';') return { toks: toks.slice(0, i + 1), endsAtQuote: false, next: i0 + i + 1 };
    if (x.kind === 'punct' && isBoundaryAt(toks, i, i + 1, toks.length)) return { toks: toks.slice(0, i + 1), endsAtQuote: false, next: i0 + i + 1 };
  }
  return { toks, endsAtQuote: false, next: i0 + toks.length };
}

/** Only punctuation from token index `from` to the paragraph end (a bounded look). */
function onlyPunctFrom(toks: Tok[], from: number): boolean {
  for (let i = from; i < toks.length; i++) {
    if (toks[i].kind !== 'punct' || i - from > 8) return false;
  }
  return true;
}

/** Tokens of the sentence that ends right before `pos` (used for the previous sentence). */
function tokensBeforeSentence(P: Para, pos: number): Tok[] {
  const toks = P.toks;
  let i0 = tokIndexBefore(toks, pos);
  while (i0 > 0 && (toks[i0 - 1].kind === 'quote' || /^[.!?]$/.test(toks[i0 - 1].text))) i0--;
  const floor = Math.max(0, i0 - MAX_TOKENS);
  let cut = floor;
  for (let i = i0 - 1; i >= floor; i--) {
    const x = toks[i];
    if (x.kind === 'quote' || (x.kind === 'punct' && /[.!?]/.test(x.text))) {
      cut = i + 1;
      break;
    }
  }
  return toks.slice(cut, i0);
}

// ---------------------------------------------------------------------------
// Attribution
// ---------------------------------------------------------------------------

/** Marcia "Cia" Price: a short quotation between two capitalised words. */
function isNickname(toks: Tok[], i: number): boolean {
  const x = toks[i];
  if (x.kind !== 'quote' || x.end - x.start > 24) return false;
  const a = toks[i - 1];
  const b = toks[i + 1];
  return !!a && !!b && isCapitalized(a) && isCapitalized(b);
}

export function isCue(x: Tok | undefined): boolean {
  return !!x && x.kind === 'word' && CUE_WORDS.has(x.text.toLowerCase()) && !/^\p{Lu}{2,}/u.test(x.text);
}

/**
 * A cue used as a verb with a subject of its own: not a noun ("Clinton’s comments",
 * "his remarks") and not a passive ("was formally called to testify").
 */
function isVerbCue(toks: Tok[], k: number): boolean {
  if (!isCue(toks[k])) return false;
  for (let j = k - 1; j >= 0 && j >= k - 2; j--) {
    const p = toks[j];
    if (p.kind !== 'word') break;
    const w = lower(p);
    if (/^(was|were|been|is|are|be|being|the|a|an|his|her|their|its|our|my|your|this|that|these|those)$/.test(w) || /['’]s$/.test(w)) return false;
    // "when asked whether …": a reduced passive
    if (/^(when|if|once|unless|as)$/.test(w) && /ed$/.test(lower(toks[k]))) return false;
    if (!/ly$/.test(w)) break;
  }
  return true;
}

/** "according to" at index i */
function isAccordingTo(toks: Tok[], i: number): boolean {
  return toks[i]?.kind === 'word' && lower(toks[i]) === 'according' && !!toks[i + 1] && lower(toks[i + 1]) === 'to';
}

/** Attribution after a quote: “…,” said X / “…,” X said / “…,” according to X. */
function attributionAfter(P: Para, pos: number): LocalAttribution | null {
  const { t } = P;
  const { toks } = tokensAfter(P, pos);
  let i = 0;
  while (i < toks.length && toks[i].kind === 'punct' && /[,―—–\-:(]/.test(toks[i].text)) i++;
  if (i >= toks.length) return null;
  // “…” ― Name (an epigraph-style attribution at the end of a line)
  const dash = toks[i - 1];
  if (dash && i > 0 && /^[―—–]$/.test(dash.text) && toks[i] && isCapitalized(toks[i])) {
    let j = i;
    while (j < toks.length && j < i + 8 && ((isCapitalized(toks[j]) && !isCue(toks[j])) || (toks[j].text === '.' && isAbbreviation(toks[j - 1].text + '.')))) j++;
    const rest = toks.slice(j);
    if (rest.every((x) => x.kind === 'punct')) {
      const speaker = localSpeaker(t, toks[i].start, toks[j - 1].end, 'name');
      if (speaker) return { speaker, cue: { start: dash.start, end: dash.end }, end: toks[j - 1].end };
    }
  }
  const first = toks[i];
  if (!first || first.kind !== 'word') return null;
  if (isAccordingTo(toks, i)) {
    const np = forwardNP(toks, i + 2);
    const speaker = np ? localSpeaker(t, np.start, np.end, 'according-to') : null;
    const cue = { start: first.start, end: toks[i + 1].end };
    return { speaker, cue, end: np ? np.end : cue.end };
  }
  if (isCue(first) && !WEAK_CUES.has(lower(first))) {
    // inverted: said X
    const np = forwardNP(toks, i + 1);
    if (!np || introducesNext(toks, i)) return null;
    const speaker = localSpeaker(t, np.start, np.end, 'noun-phrase');
    return speaker ? { speaker, cue: { start: first.start, end: first.end }, end: Math.max(np.end, cueExtensionEnd(toks, i)) } : null;
  }
  if (NON_SUBJECT_START.has(lower(first))) return null;
  // X said: find the cue within the subject
  let commas = 0;
  for (let j = i; j < toks.length && j < i + 30; j++) {
    const x = toks[j];
    if (x.kind === 'quote') {
      if (isNickname(toks, j)) continue;
      break;
    }
    if (x.kind === 'punct') {
      if (x.text === ',') commas++;
      else if (x.text === ';' || x.text === ':' || x.text === '!' || x.text === '?') break;
      continue;
    }
    if (j - i > 8 && commas === 0) break;
    if (isCue(x) && j > i && (!WEAK_CUES.has(lower(x)) || j - i <= 3)) {
      const np = backwardNP(toks, i, j);
      if (!np) return null;
      const speaker = localSpeaker(t, np.start, np.end, 'noun-phrase');
      if (!speaker) return null;
      // “…” He added: “…” — the cue introduces the next quotation, not this one
      if (introducesNext(toks, j)) return null;
      return { speaker, cue: { start: x.start, end: x.end }, end: cueExtensionEnd(toks, j) };
    }
    if (isAccordingTo(toks, j)) break;
  }
  return null;
}

/** The clause of the cue at `cueIdx` ends with a colon: it introduces what follows. */
function introducesNext(toks: Tok[], cueIdx: number): boolean {
  for (let j = cueIdx + 1; j < toks.length && j <= cueIdx + 12; j++) {
    const x = toks[j];
    if (x.kind === 'word') continue;
    if (x.text === '.' && isAbbreviation(toks[j - 1].text + '.')) continue;
    return x.text === ':';
  }
  return false;
}

/** End of a cue with its short extension ("said in a statement", "told reporters") up to the next punctuation. */
function cueExtensionEnd(toks: Tok[], cueIdx: number): number {
  let end = toks[cueIdx].end;
  for (let j = cueIdx + 1; j < toks.length && j <= cueIdx + 10; j++) {
    const x = toks[j];
    if (x.kind !== 'word') break;
    end = x.end;
  }
  return end;
}

/** Noun phrase after a cue: "said Vitaly A. Karazhan, 33," → Vitaly A. Karazhan. */
function forwardNP(toks: Tok[], from: number): Span | null {
  let start = -1;
  let end = -1;
  let count = 0;
  for (let j = from; j < toks.length && count < 12; j++) {
    const x = toks[j];
    if (x.kind !== 'word') {
      if (x.text === '.' && start >= 0 && isAbbreviation(toks[j - 1]?.text + '.')) continue;
      if ((x.text === '-' || x.text === '’' || x.text === "'" || x.text === '/') && (start >= 0 || x.text === '/')) continue;
      break;
    }
    const lw = lower(x);
    if (start >= 0 && FORWARD_STOP.has(lw)) break;
    if (start < 0 && PREPOSITIONS.has(lw)) return null; // said in a statement
    if (start < 0 && CLAUSE_WORDS.has(lw)) return null; // warning that it was …
    if (start < 0) start = x.start;
    end = x.end;
    count++;
  }
  return start >= 0 ? { start, end } : null;
}

/**
 * Noun phrase right before a cue at index `cueIdx` (tokens from `floor`):
 * skips adverbs ("also said"), appositives ("Lael Brainard, a Fed governor, said")
 * and stops at clause words ("when she said").
 */
function backwardNP(toks: Tok[], floor: number, cueIdx: number): Span | null {
  let j = cueIdx - 1;
  while (j >= floor && toks[j].kind === 'word' && (AUX_WORDS.has(lower(toks[j])) || /^[a-z]+ly$/.test(toks[j].text)) && !PRONOUNS[lower(toks[j])]) j--;
  if (j < floor) return null;
  if (toks[j].kind === 'word' && (toks[j].text === 'who' || toks[j].text === 'which') && j > floor) {
    // “Stevie Wonder, who joked, …”: the antecedent
    j--;
    if (toks[j].text === ',') j--;
    if (j < floor) return null;
  }
  if (toks[j].text === ')') {
    let m = j - 1;
    while (m >= floor && m > j - 12 && toks[m].text !== '(') m--;
    if (m > floor && toks[m].text === '(') j = m - 1;
  }
  if (j < floor) return null;
  if (toks[j].kind === 'punct' && toks[j].text === ',' && isListTail(toks, floor, j)) {
    // "the leaders of Estonia, Latvia and Lithuania called": a list inside the subject — read through it
  } else if (toks[j].kind === 'punct' && toks[j].text === ',') {
    // appositive: skip back to the previous comma
    let k = j - 1;
    let n = 0;
    while (k >= floor && n < 25 && !(toks[k].kind === 'punct' && toks[k].text === ',') && toks[k].kind !== 'quote') {
      k--;
      n++;
    }
    if (k >= floor && toks[k].text === ',') j = k - 1;
    else j = j - 1; // "…, X said" with no opening comma: read the phrase itself
    if (j >= floor && toks[j].text === ')') {
      let m = j - 1;
      while (m >= floor && m > j - 12 && toks[m].text !== '(') m--;
      if (m > floor && toks[m].text === '(') j = m - 1;
    }
  }
  if (j < floor) return null;
  const end = toks[j].end;
  let start = -1;
  let n = 0;
  for (let k = j; k >= floor && n < 12; k--) {
    const x = toks[k];
    if (x.kind === 'quote') {
      if (isNickname(toks, k)) continue;
      break;
    }
    if (x.text === ',' && isListTail(toks, floor, k)) continue;
    // "Estonia, Latvia and Lithuania": the last item of a list of three or more
    if (x.text === 'and' && n > 0 && k - 2 >= floor && isCapitalized(toks[k - 1]) && toks[k - 2].text === ',' && isCapitalized(toks[k + 1])) continue;
    if (x.kind === 'punct' && x.text === ')') {
      // (R-Utah): skip the parenthesis
      let m = k - 1;
      while (m >= floor && m > k - 12 && toks[m].text !== '(') m--;
      if (m >= floor && toks[m].text === '(') {
        k = m;
        continue;
      }
      break;
    }
    if (x.kind === 'punct') {
      if (x.text === '.' && k > floor && isAbbreviation(toks[k - 1].text + '.')) continue;
      if (x.text === '-' || x.text === '’' || x.text === "'" || x.text === '&') continue;
      break;
    }
    if (CLAUSE_WORDS.has(x.text)) break;
    start = x.start;
    n++;
  }
  return start >= 0 ? { start, end } : null;
}

/**
 * The comma at k separates capitalised items of a list that ends "… X and Y" before the
 * cue ("Estonia, Latvia and Lithuania"), with a common noun and "of" before it.
 */
function isListTail(toks: Tok[], floor: number, k: number): boolean {
  const before = toks[k - 1];
  const after = toks[k + 1];
  if (!before || k - 1 < floor || !after || !isCapitalized(before) || !isCapitalized(after)) return false;
  let sawAnd = false;
  for (let m = k + 1; m < toks.length && m <= k + 8; m++) {
    const x = toks[m];
    if (x.kind !== 'word' && x.text !== ',') break;
    if (lower(x) === 'and') sawAnd = true;
    if (isCue(x)) return sawAnd;
  }
  return false;
}

/**
 * The subject at the start of a sentence (tokens from `floor` up to `limit`):
 * skips an opening adverbial ("During the speech, …") and reads the noun
 * phrase up to its verb. Used for "X did this, saying, “…”" and "X …: “…”".
 */
function sentenceSubject(toks: Tok[], floor: number, limit: number): Span | null {
  let k = floor;
  while (k < limit && toks[k].kind !== 'word') k++;
  if (k >= limit) return null;
  if (/^(but|and|so|yet|or)$/.test(lower(toks[k])) && k + 1 < limit && toks[k + 1].kind === 'word') {
    k++; // "But Mr. Lukashenko, speaking to officials, warned …"
  } else if (OPENERS.has(lower(toks[k])) && !PRONOUNS[lower(toks[k])]) {
    let c = k;
    while (c < limit && toks[c].text !== ',') c++;
    if (c >= limit) return null;
    k = c + 1;
  }
  let start = -1;
  let end = -1;
  for (let i = k; i < limit && i < k + 10; i++) {
    const x = toks[i];
    if (x.kind === 'quote') {
      if (isNickname(toks, i)) continue;
      break;
    }
    if (x.kind === 'punct') {
      if (x.text === '.' && i > k && isAbbreviation(toks[i - 1].text + '.')) continue;
      if (x.text === '’' || x.text === "'" || x.text === '-') continue;
      break;
    }
    const lw = lower(x);
    const nounish = isCapitalized(x) || /^(the|a|an|his|her|their|its|our|one|two|three|some|many|several|both)$/.test(lw) || PRONOUNS[lw] !== undefined;
    if (start >= 0 && !nounish && !/^[a-z]+s$/.test(x.text) && !/^[a-z]+(er|or|ist|man|woman|ian|ant|ent|ee)s?$/.test(x.text)) break;
    if (start < 0 && !nounish) return null;
    // "The ad uses …": the noun after a determiner belongs to the phrase
    if (start >= 0 && i === k + 1 && /^(the|a|an|his|her|their|its|our)$/.test(lower(toks[k]))) {
      end = x.end;
      continue;
    }
    if (start < 0) start = x.start;
    end = x.end;
    if (PRONOUNS[lw] !== undefined && i === k) break;
  }
  return start >= 0 ? { start, end } : null;
}

/** Start of the sentence containing `pos`, by plain punctuation (bounded look-back). */
export function sentenceStartPlain(t: string, pos: number, floor: number): number {
  const limit = Math.max(floor, pos - WINDOW);
  for (let i = pos - 1; i > limit; i--) {
    if (!isSpaceCode(t.charCodeAt(i))) continue;
    const p = t.charCodeAt(i - 1);
    if ((p === 46 || p === 33 || p === 63) && !isAbbrevBefore(t, i - 1)) {
      let j = i;
      while (j < pos && isSpaceCode(t.charCodeAt(j))) j++;
      return j;
    }
  }
  return limit;
}

/** Does `i` fall between the two halves of a surrogate pair? */
function isPairAt(t: string, i: number): boolean {
  if (i <= 0 || i >= t.length) return false;
  const hi = t.charCodeAt(i - 1);
  const lo = t.charCodeAt(i);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** Is the period at `dot` the end of an abbreviation or initial ("Mr.", "G.", "U.S.")? */
function isAbbrevBefore(t: string, dot: number): boolean {
  if (t[dot] !== '.') return false;
  let j = dot;
  while (j > 0 && j > dot - 12 && /[\p{L}.]/u.test(t[j - 1])) j--;
  const word = t.slice(j, dot);
  if (!word) return false;
  return isAbbreviation(word);
}

/**
 * The speaker named in [start, end) of the paragraph, as far as the paragraph
 * alone can tell: the range to look up entity mentions in, and what to report
 * when there is none (a pronoun, a proper name, or the noun phrase).
 */
function localSpeaker(t: string, start: number, end: number, via: Speaker['via']): LocalSpeaker | null {
  // never cut an astral character (a surrogate pair) in two at either end
  if (isPairAt(t, start)) start++;
  if (isPairAt(t, end)) end--;
  if (end <= start) return null;
  // the head of the phrase: "A poster at a subway station in Minsk" → "A poster"
  const head = /\s(?:of|at|in|for|from|with|on|to|near|inside|outside|across|behind|under|over|by|about)\s/.exec(t.slice(start, end));
  if (head && head.index > 0) {
    // keep "the leaders of Estonia, Latvia and Lithuania" and "Joel Pollak of Breitbart"
    const keep = head[0].trim() === 'of' && /^\p{Lu}/u.test(t.slice(start + head.index + head[0].length));
    if (!keep) end = start + head.index;
  }
  const fb = fallbackSpeaker(t, start, end);
  // the tokenizer steps code units: a word may end between the halves of an astral letter
  if (fb && isPairAt(t, fb.start)) fb.start++;
  if (fb && isPairAt(t, fb.end)) fb.end--;
  if (fb && fb.end <= fb.start) return null;
  const common = isCommonNP(t.slice(start, end));
  return fb ? { start, end, fbStart: fb.start, fbEnd: fb.end, fbKind: fb.kind, sentStart: fb.sentStart, common, via } : null;
}

/** "the leaders of …", "A spokesman for …": a determiner and a common noun. */
function isCommonNP(phrase: string): boolean {
  const m = /^\s*(\p{L}+)\s+(\p{L})/u.exec(phrase);
  return !!m && /^(the|a|an|his|her|its|their|our|two|three|several|many|some)$/i.test(m[1]) && /\p{Ll}/u.test(m[2]);
}

interface Fallback {
  start: number;
  end: number;
  text: string;
  kind: LocalSpeaker['fbKind'];
  sentStart: number;
}

function fallbackSpeaker(t: string, start: number, end: number): Fallback | null {
  const phrase = t.slice(start, end);
  // pronoun
  const pm = /^(?:[^\p{L}]*)(he|she|they|we|i|it)\b/iu.exec(phrase);
  if (pm && phrase.trim().split(/\s+/).length <= 2) {
    const pStart = start + pm.index + pm[0].length - pm[1].length;
    return { start: pStart, end: pStart + pm[1].length, text: pm[1], kind: 'pronoun', sentStart: sentenceStartPlain(t, pStart, 0) };
  }
  // "the leaders of Estonia …", "a spokesman for …": a common noun phrase, whatever names follow
  const commonNP = isCommonNP(phrase);
  // a proper name: the longest run of capitalised words (no honorific)
  const toks = commonNP ? [] : tokenize(t, start, end, 0);
  let runStart = -1;
  let bestRun: Span | null = null;
  let runLen = 0;
  let bestLen = 0;
  for (let i = 0; i <= toks.length; i++) {
    const x = toks[i];
    const cap =
      x &&
      isCapitalized(x) &&
      !(HONORIFICS.has(lower(x).replace(/\.$/, '')) && toks[i + 1] && isCapitalized(toks[i + 1])) &&
      !(runStart < 0 && (OPENERS.has(lower(x)) || /^(the|a|an)$/i.test(x.text)));
    if (cap) {
      if (runStart < 0) {
        runStart = i;
        runLen = 0;
      }
      runLen++;
    } else {
      if (runStart >= 0 && runLen > bestLen) {
        bestLen = runLen;
        bestRun = { start: toks[runStart].start, end: toks[i - 1].end };
      }
      runStart = -1;
    }
  }
  if (bestRun && bestLen >= 1) {
    // "The Kremlin", "A spokesman" at a sentence start are noun phrases
    const np = /^(the|a|an)\s/i.test(phrase.trim()) && phrase.trim().split(/\s+/).filter(Boolean).length <= 4;
    if (!np) return { start: bestRun.start, end: bestRun.end, text: t.slice(bestRun.start, bestRun.end), kind: 'name', sentStart: 0 };
  }
  // the noun phrase itself ("the Kremlin", "a spokesman", "officials")
  let s = start;
  let e = end;
  while (s < e && /[\s,.;:—–-]/.test(t[s])) s++;
  while (e > s && /[\s,.;:—–-]/.test(t[e - 1])) e--;
  if (e <= s) return null;
  let np = t.slice(s, e);
  if (np.split(/\s+/).length > 8) return null;
  if (/^(and|but|so|then)\s/i.test(np)) {
    const cut = np.indexOf(' ') + 1;
    s += cut;
    np = np.slice(cut);
  }
  if (!/\p{L}/u.test(np)) return null;
  return { start: s, end: e, text: np, kind: 'np', sentStart: 0 };
}

/** Attribution before a quote: X said, “…” / X said: “…” / X: “…” / According to X, “…”. */
function attributionBefore(P: Para, pos: number, strict: boolean): LocalAttribution | null {
  const { t } = P;
  const toks = tokensBefore(P, pos);
  if (toks.length === 0) return null;
  let last = toks.length - 1;
  let introducer = '';
  while (last >= 0 && toks[last].kind === 'punct' && /[,:—–\-(]/.test(toks[last].text)) {
    if (!introducer) introducer = toks[last].text;
    last--;
  }
  if (last < 0) return null;
  // according to X, “…”
  for (let i = 0; i <= last; i++) {
    if (isAccordingTo(toks, i)) {
      const np = forwardNP(toks, i + 2);
      if (np && np.end <= toks[last].end) {
        return {
          speaker: localSpeaker(t, np.start, np.end, 'according-to'),
          cue: { start: toks[i].start, end: toks[i + 1].end },
          end: np.end,
          introduced: introducer === ',' || introducer === ':',
          adjacent: false,
        };
      }
    }
  }
  // Mr. A, the Kremlin said in a statement, had agreed … “…”: the interposed attribution covers the sentence
  if (!strict) {
    const par = parentheticalAttribution(t, toks, last);
    if (par) return { ...par, introduced: false, adjacent: false };
  }
  // the last cue in reach
  const reach = introducer ? 10 : strict ? 1 : 40;
  for (let j = last; j >= 0 && last - j <= reach; j--) {
    const x = toks[j];
    if (x.kind === 'quote') break;
    if (!isCue(x)) continue;
    // "called on the country to …" urges; "has been called “…”" is a passive: nobody is named
    const calledOn = /^call(s|ed)?$/.test(lower(x)) && j + 1 <= last && lower(toks[j + 1]) === 'on';
    if (WEAK_CUES.has(lower(x)) && !calledOn && isPassive(toks, j)) {
      return { speaker: null, cue: { start: x.start, end: x.end }, end: x.end, introduced: false, adjacent: j === last, naming: true };
    }
    if (WEAK_CUES.has(lower(x)) && !calledOn) {
      let k = j + 1;
      while (k <= last && /^(it|this|that|back|him|her|them|out)$/i.test(toks[k].text)) k++;
      if (!(k === last + 1 && (introducer === ':' || introducer === ',' || !introducer))) continue;
    }
    const participle = /ing$/.test(lower(x));
    // "footage of Hillary Clinton asking, “…”": a name right before the participle is its subject
    let np = participle && !(j > 0 && isCapitalized(toks[j - 1])) ? null : backwardNP(toks, 0, j);
    let speaker = np ? localSpeaker(t, np.start, np.end, 'noun-phrase') : null;
    if (!speaker) {
      np = sentenceSubject(toks, 0, j);
      speaker = np ? localSpeaker(t, np.start, np.end, 'noun-phrase') : null;
    }
    if (!speaker && j < last) {
      // Said Mr. X: “…” / …, said X, “…”
      np = forwardNP(toks, j + 1);
      speaker = np ? localSpeaker(t, np.start, np.end, 'noun-phrase') : null;
    }
    return {
      speaker,
      cue: { start: x.start, end: x.end },
      end: x.end,
      introduced: !!introducer && introducer !== '(' && introducer !== '-',
      adjacent: j === last,
      naming: NAMING_CUES_LOCAL.has(lower(x)) && !calledOn,
    };
  }
  // X: “…”
  if (introducer === ':') {
    const np = last + 1 <= 12 ? backwardNP(toks, 0, last + 1) : sentenceSubject(toks, 0, last + 1);
    const speaker = np ? localSpeaker(t, np.start, np.end, 'noun-phrase') : null;
    const colon = toks[last + 1];
    return { speaker, cue: colon && speaker ? { start: colon.start, end: colon.end } : undefined, end: toks[last].end, introduced: true, adjacent: true, colon: true };
  }
  return null;
}

/** "has often been called", "was described": the cue at j is a passive. */
function isPassive(toks: Tok[], j: number): boolean {
  for (let k = j - 1; k >= 0 && k >= j - 3; k--) {
    const w = toks[k];
    if (w.kind !== 'word') return false;
    const lw = lower(w);
    if (/^(been|being|be|is|are|was|were|so-called)$/.test(lw)) return true;
    if (!/ly$/.test(lw) && !/^(also|often|once|widely|long|never|sometimes)$/.test(lw)) return false;
  }
  return false;
}

/**
 * An attribution set off by commas before the quotation ("Mr. A, the Kremlin said in a
 * statement, had agreed …", "The release, the Kremlin said on Saturday, showed …"): its
 * speaker reports the whole sentence.
 */
function parentheticalAttribution(t: string, toks: Tok[], last: number): LocalAttribution | null {
  for (let c = 0; c < last; c++) {
    if (toks[c].text !== ',') continue;
    // , NP cue [words] ,
    let j = c + 1;
    let np = 0;
    while (j <= last && toks[j].kind === 'word' && !isCue(toks[j]) && np < 6) {
      j++;
      np++;
    }
    if (np === 0 || j > last || !isCue(toks[j]) || WEAK_CUES.has(lower(toks[j]))) continue;
    const cue = toks[j];
    // "Trump attacked Clinton, saying …": a cue with a named object is the sentence's own verb, not an aside
    if (j + 1 <= last && isCapitalized(toks[j + 1])) continue;
    let k = j + 1;
    while (k <= last && toks[k].kind === 'word' && k - j <= 6) k++;
    if (k > last || toks[k].text !== ',') continue;
    const first = toks[c + 1];
    if (CLAUSE_WORDS.has(lower(first)) || OPENERS.has(lower(first))) continue;
    const speaker = localSpeaker(t, first.start, toks[j - 1].end, 'noun-phrase');
    if (!speaker) continue;
    return { speaker, cue: { start: cue.start, end: cue.end }, end: cue.end };
  }
  return null;
}

const NAMING_CUES_LOCAL = new Set(['called', 'calls', 'dubbed', 'labeled', 'labelled', 'branded', 'termed', 'described', 'describes']);

/** A cue with a subject in the sentence that ends right before `pos`. */
function previousSentenceSpeaker(P: Para, pos: number): LocalSpeaker | null {
  const toks = tokensBeforeSentence(P, pos);
  for (let j = 0; j < toks.length; j++) {
    if (!isCue(toks[j]) || WEAK_CUES.has(lower(toks[j]))) continue;
    const np = backwardNP(toks, 0, j);
    const sp = np ? localSpeaker(P.t, np.start, np.end, 'previous-sentence') : null;
    if (sp) return sp;
  }
  return null;
}

void ABBREVIATIONS;
