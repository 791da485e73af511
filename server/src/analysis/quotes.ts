import type { ArticleInput } from './article';
import type {
  Entity,
  Finding,
  Fix,
  Mention,
  ParagraphKind,
  Quote,
  QuoteKind,
  QuoteMarkToken,
  QuoteStyle,
  Span,
  Speaker,
  TextEdit,
} from './types';

/**
 * Quote analysis of a whole article: pairs the per-paragraph quotation marks,
 * classifies each quotation (direct speech, partial quote, scare quote,
 * title), finds its speaker and cue, and reports quote-mark problems.
 *
 * Everything here is linear in the article length: every look-around is
 * bounded (a few hundred characters or a few dozen mentions).
 */

// ---------------------------------------------------------------------------
// Marks and pairing
// ---------------------------------------------------------------------------

interface Mark {
  abs: number;
  len: number;
  mark: string;
  role: QuoteMarkToken['role'];
  weight: QuoteMarkToken['weight'];
  para: number;
  /** what pairing decided */
  resolved?: 'open' | 'close' | 'ignored';
}

interface Part {
  open: Mark;
  close: Mark | null;
  /** absolute end of the part, closing mark included */
  end: number;
  para: number;
}

interface Rec {
  parts: Part[];
  depth: number;
  parent?: Rec;
  unclosed?: boolean;
}

interface StackEntry {
  mark: Mark;
  rec: Rec;
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

/** The closing glyph that matches an opening glyph. */
function closerFor(open: string, weight: 'single' | 'double'): string {
  const list = CLOSERS[open];
  if (list) return list[list.length - 1];
  return weight === 'double' ? '”' : '’';
}

/** The opening glyph that matches a closing glyph. */
function openerFor(close: string, weight: 'single' | 'double'): string {
  switch (close) {
    case '”':
      return '“';
    case '’':
      return '‘';
    case '»':
      return '«';
    case '›':
      return '‹';
    case '"':
      return '"';
    case "'":
      return "'";
    case "''":
      return "''";
    default:
      return weight === 'double' ? '“' : '‘';
  }
}

function styleOf(mark: string): QuoteStyle {
  switch (mark) {
    case '"':
      return 'straight';
    case "''":
    case '``':
      return 'double-apostrophe';
    case '«':
    case '»':
    case '‹':
    case '›':
      return 'guillemet';
    case '„':
    case '‚':
      return 'low-high';
    case '‘':
    case '’':
      return 'single-curly';
    case "'":
      return 'single-straight';
    default:
      return 'curly';
  }
}

function isCurlyDouble(mark: string): boolean {
  return mark === '“' || mark === '”' || mark === '„' || mark === '‟';
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/** Speech verbs and phrases. Lower case; matched on lower-case tokens. */
const CUE_WORDS = new Set(
  (
    'said says say saying told tells tell telling added adds adding asked asks asking wrote writes writing ' +
    'declared declares declaring insisted insists insisting explained explains explaining noted notes noting ' +
    'warned warns warning argued argues arguing stated continued continues recalled recalls recalling ' +
    'replied replies replying responded responds responding answered answers remarked remarks observed observes ' +
    'acknowledged acknowledges admitted admits conceded concedes claimed claims claiming contended contends ' +
    'suggested suggests suggesting announced announces announcing tweeted tweets tweeting posted quipped quips ' +
    'joked jokes boasted boasts bragged complained complains complaining lamented laments predicted predicts ' +
    'promised promises vowed vows vowing pledged pledges urged urges urging cautioned cautions countered counters ' +
    'retorted shouted shouts yelled exclaimed whispered testified testifies reported reports concluded concludes ' +
    'emphasized emphasizes emphasised stressed stresses stressing mused recounted agreed agrees speculated charged ' +
    'alleged maintained maintains cried chanted wondered wonders demanded demands interjected assured reiterated ' +
    'confirmed confirms denied denies proclaimed proclaims thundered snapped scoffed sighed laughed texted emailed ' +
    'opined predicted estimated quoted recalled acknowledged described describes called calls dubbed labeled ' +
    'labelled branded termed praised criticized criticised blasted slammed accused mocked hailed touted ' +
    'read reads began begins concluded advised explained elaborated clarified asserted asserts asserting ' +
    'commented comments commenting ask put sings sang singing chanting chants wrote tweeted shot fired ' +
    'interrupted interrupts continued explained predicted recounted reminded reminds recalled'
  ).split(/\s+/),
);

/** Cues that are only speech cues when directly followed by the quote or by ':' or ','. */
const WEAK_CUES = new Set(['put', 'shot', 'fired', 'sings', 'sang', 'singing', 'read', 'reads', 'began', 'begins', 'posted', 'calls', 'called', 'described', 'describes', 'dubbed', 'labeled', 'labelled', 'branded', 'termed', 'praised', 'criticized', 'criticised', 'blasted', 'slammed', 'accused', 'mocked', 'hailed', 'touted']);

/** Cues that name or label rather than report speech: what follows is a label, not a statement. */
const NAMING_CUES = new Set(['called', 'calls', 'dubbed', 'labeled', 'labelled', 'branded', 'termed', 'described', 'describes']);

/** Words that may sit between a subject and its cue: "also said", "has said", "later wrote". */
const AUX_WORDS = new Set(
  (
    'also later then previously once again has had have would will was is were are had simply just even still now ' +
    'been being be ' +
    'often repeatedly recently earlier further frequently subsequently finally first flatly bluntly herself himself ' +
    'themselves itself not never always reportedly privately publicly angrily quickly'
  ).split(/\s+/),
);

/** Words that end a speaker noun phrase when walking back from a cue. */
const CLAUSE_WORDS = new Set(
  (
    'that when as because but while after before if since where though although whereas than so and ' +
    'what which who whom whose how why once until unless whether'
  ).split(/\s+/),
);

/** Words that end a speaker noun phrase when walking forward from a cue. */
const FORWARD_STOP = new Set(
  (
    'who which that in on at during after before while when referring adding according as to from via ' +
    'of about with, without told during last this on next because yesterday today tonight'
  ).split(/\s+/),
);

/** A quotation directly followed by one of these is not followed by an attribution. */
const NON_SUBJECT_START = new Set(
  (
    'is was are were be been being has have had will would can could should may might must do does did ' +
    'and or but nor that which to of for in on at by with as than so because if when while although though ' +
    'not no into from about over under between'
  ).split(/\s+/),
);

const PRONOUNS: Record<string, 'male' | 'female' | 'plural' | 'neutral'> = {
  he: 'male',
  she: 'female',
  they: 'plural',
  we: 'plural',
  i: 'neutral',
  it: 'neutral',
};

const SMALL_WORDS = new Set(
  'a an the and or nor but of in on at to for with by from as vs via into onto up out off over per than is are was be its'.split(' '),
);

const HONORIFICS = new Set(
  (
    'mr mrs ms miss mx dr sen rep gov gen lt col sgt capt cpt maj adm prof rev fr st sir dame lord lady president ' +
    'senator representative governor mayor minister chancellor judge justice secretary chairman chairwoman chief ' +
    'general colonel captain sergeant pope king queen prince princess sheikh ambassador commissioner speaker ' +
    'premier dean director coach'
  ).split(/\s+/),
);

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr sen rep gov gen lt col sgt capt cpt maj adm prof rev fr st jr sr mt ft no vs etc inc corp co ' +
    'ltd bros dept est jan feb mar apr jun jul aug sep sept oct nov dec ave blvd rd univ assn gov govt approx ' +
    'fig al del atty supt cmdr pres sec amb hon messrs lieut gens reps sens'
  ).split(/\s+/),
);

const PREPOSITIONS = new Set(
  'in on at during of to about for with from by after before into over under since until upon via as while when'.split(' '),
);

/** Words that open a sentence without being its subject ("During the speech, Trump said …"). */
const OPENERS = new Set(
  (
    'in on at during after before with as while when since although though if because earlier later last this ' +
    'that then but and so yet still also however meanwhile now speaking asked addressing responding following ' +
    'despite throughout among amid under over from for by to of instead unlike like once'
  ).split(/\s+/),
);

const MASK = '\uE000';
const MASK_TERMINAL = '\uE001';

// ---------------------------------------------------------------------------
// Tokens (bounded windows only)
// ---------------------------------------------------------------------------

interface Tok {
  /** absolute offsets */
  start: number;
  end: number;
  text: string;
  kind: 'word' | 'punct' | 'quote';
}

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

/** Letter, digit or combining mark (fast path for ASCII). */
function isWordCode(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c === 0xe000 || c === 0xe001) return false;
  if (c >= 0xd800 && c <= 0xdbff) return NON_ASCII_WORD.test(text.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return false;
  return NON_ASCII_WORD.test(text[i]);
}

/**
 * Words (with inner apostrophes, hyphens, dots: O’Brien, D-Wis, U.S.), runs of
 * masked quotations, and single punctuation characters. Hand-written: one pass.
 */
function tokenize(masked: string, from: number, to: number, base: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to) {
    const c = masked.charCodeAt(i);
    if (c === 0xe000 || c === 0xe001) {
      let j = i + 1;
      while (j < to && (masked.charCodeAt(j) === 0xe000 || masked.charCodeAt(j) === 0xe001)) j++;
      out.push({ start: base + i, end: base + j, text: masked.slice(i, j), kind: 'quote' });
      i = j;
      continue;
    }
    if (isSpaceCode(c)) {
      i++;
      continue;
    }
    if (isWordCode(masked, i)) {
      let j = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      for (;;) {
        while (j < to && isWordCode(masked, j)) j++;
        const d = masked[j];
        if (j + 1 < to && (d === '’' || d === "'" || d === '-' || d === '.' || d === '&') && isWordCode(masked, j + 1)) {
          j += 2;
          continue;
        }
        break;
      }
      let t = masked.slice(i, j);
      if (j < to && masked.charCodeAt(j) === 46 && isAbbreviation(t + '.')) {
        t += '.';
        j++;
      }
      out.push({ start: base + i, end: base + j, text: t, kind: 'word' });
      i = j;
      continue;
    }
    const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
    if (!(c >= 0xdc00 && c <= 0xdfff) || len === 2) {
      if (c < 0xd800 || c > 0xdfff || len === 2) out.push({ start: base + i, end: base + i + len, text: masked.slice(i, i + len), kind: 'punct' });
    }
    i += len;
  }
  return out;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x3000;
}

function isAbbreviation(word: string): boolean {
  const w = word.endsWith('.') ? word.slice(0, -1) : word;
  if (w.length === 1) return /\p{Lu}/u.test(w);
  if (w.includes('.')) return true; // U.S., a.m.
  return ABBREVIATIONS.has(w.toLowerCase());
}

function lower(t: Tok): string {
  return t.text.toLowerCase();
}

function isCapitalized(t: Tok): boolean {
  return t.kind === 'word' && /^\p{Lu}/u.test(t.text);
}

// ---------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------

interface ParaInfo {
  start: number;
  end: number;
  text: string;
  kind: ParagraphKind;
  masked?: string;
  toks?: Tok[];
}

interface QuoteWork {
  rec: Rec;
  start: number;
  end: number;
  parts: Span[];
  inner: Span[];
  paragraphs: number[];
  firstPara: number;
  lastPara: number;
  kind: QuoteKind;
  speaker: Speaker | null;
  cue?: { start: number; end: number; text: string };
  /** the speaker came from the quote's own sentence */
  localSpeaker: boolean;
  /** attribution after the quote: absolute end of speaker+cue */
  postAttributionEnd?: number;
  merged?: boolean;
  localSpeakerPost?: boolean;
  atStart?: boolean;
}

interface MentionRef {
  mention: Mention;
  entity: Entity;
}

const WINDOW = 400;
/** Deepest nesting of pending quotation marks considered (real text never gets near it). */
const MAX_DEPTH = 12;

/** Quote pairing, classification, attribution and diagnostics for one article. */
export function analyzeQuotes(input: ArticleInput, entities: Entity[]): { quotes: Quote[]; findings: Finding[] } {
  try {
    return run(input, entities);
  } catch {
    return { quotes: [], findings: [] };
  }
}

function run(input: ArticleInput, entities: Entity[]): { quotes: Quote[]; findings: Finding[] } {
  const { text, paragraphs, analyses } = input;
  const findings: Finding[] = [];
  const kindByIndex = new Map<number, ParagraphKind>();
  for (const p of input.structure?.paragraphs ?? []) kindByIndex.set(p.index, p.kind);
  const paras: ParaInfo[] = paragraphs.map((p, i) => ({
    start: p.start,
    end: p.end,
    text: p.text,
    kind: kindByIndex.get(p.index) ?? kindByIndex.get(i) ?? 'body',
  }));

  // ---- 1. absolute marks per paragraph
  const marksByPara: Mark[][] = paragraphs.map((p, i) =>
    (analyses[i]?.marks ?? []).map((m) => ({
      abs: p.start + m.offset,
      len: m.mark.length,
      mark: m.mark,
      role: m.role,
      weight: m.weight,
      para: i,
    })),
  );

  // ---- 2. pairing
  const recs: Rec[] = [];
  let stack: StackEntry[] = [];
  let continuing = false;
  const nestedPairs: { inner: Rec; outer: Rec }[] = [];
  const mismatches: { open: Mark; close: Mark }[] = [];
  const unopened: Mark[] = [];

  const newRec = (m: Mark, depth: number, parent?: Rec): Rec => {
    const rec: Rec = { parts: [{ open: m, close: null, end: -1, para: m.para }], depth, parent };
    recs.push(rec);
    m.resolved = 'open';
    return rec;
  };
  const finishUnclosed = (entry: StackEntry, end: number) => {
    const part = entry.rec.parts[entry.rec.parts.length - 1];
    part.end = end;
    entry.rec.unclosed = true;
  };

  for (let pi = 0; pi < paras.length; pi++) {
    const para = paras[pi];
    const marks = marksByPara[pi];
    let k0 = 0;
    if (continuing && stack.length > 0 && marks.length > 0) {
      const bottom = stack[0];
      const first = marks[0];
      bottom.rec.parts.push({ open: first, close: null, end: -1, para: pi });
      first.resolved = 'open';
      bottom.mark = first;
      k0 = 1;
    }
    continuing = false;
    // suffix counts: double marks that can close; next single closer / next double mark
    const n = marks.length;
    const closersAfter = new Int32Array(n + 1);
    const nextSingleClose = new Int32Array(n + 1);
    const nextDouble = new Int32Array(n + 1);
    closersAfter[n] = 0;
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
          if (stack[s].mark.weight === 'double') {
            if (topDouble < 0) topDouble = s;
            openDoubles++;
          }
        }
        const wantsClose = m.role === 'close' || (m.role === 'ambiguous' && topDouble >= 0);
        if (wantsClose) {
          if (topDouble < 0) {
            m.resolved = 'ignored';
            unopened.push(m);
            continue;
          }
          while (stack.length - 1 > topDouble) {
            const dropped = stack.pop()!;
            dropSingle(dropped, m.abs);
          }
          const entry = stack.pop()!;
          closePart(entry, m);
          if (!glyphsMatch(entry.mark.mark, m.mark)) mismatches.push({ open: entry.mark, close: m });
          if (entry.rec.parent && entry.rec.depth > 0 && entry.mark.weight === 'double' && entry.rec.parent.parts[0].open.weight === 'double') {
            nestedPairs.push({ inner: entry.rec, outer: entry.rec.parent });
          }
          continue;
        }
        // an opening double mark
        // the outermost quotation may legitimately stay open when the next paragraph continues it
        const nextFirst = pi + 1 < paras.length ? marksByPara[pi + 1][0] : undefined;
        const mayContinue =
          !!nextFirst && nextFirst.abs === paras[pi + 1].start && nextFirst.role !== 'close' && nextFirst.weight === 'double' && stack[0]?.mark.weight === 'double';
        if (topDouble >= 0 && closersAfter[k + 1] < openDoubles + 1 - (mayContinue ? 1 : 0)) {
          // not enough closing marks left for a nested quote: the open one was never closed
          const cut = trimBack(text, m.abs, para.start);
          while (stack.length > 0) {
            const e = stack.pop()!;
            if (e.mark.weight === 'double') finishUnclosed(e, cut);
            else dropSingle(e, cut);
            let still = 0;
            for (const s of stack) if (s.mark.weight === 'double') still++;
            if (still === 0 || closersAfter[k + 1] >= still + 1) break;
          }
        }
        if (stack.length >= MAX_DEPTH) {
          // absurd nesting: drop the innermost pending single marks, else ignore this mark
          while (stack.length > 0 && stack[stack.length - 1].mark.weight === 'single') dropSingle(stack.pop()!, m.abs);
          if (stack.length >= MAX_DEPTH) {
            m.resolved = 'ignored';
            continue;
          }
        }
        const parent = stack.length ? stack[stack.length - 1].rec : undefined;
        stack.push({ mark: m, rec: newRec(m, stack.length, parent) });
        continue;
      }
      // single marks
      const top = stack.length ? stack[stack.length - 1] : undefined;
      if (m.role === 'open') {
        if (stack.length >= MAX_DEPTH) {
          m.resolved = 'ignored';
          continue;
        }
        stack.push({ mark: m, rec: newRec(m, stack.length, top?.rec) });
        continue;
      }
      if (top && top.mark.weight === 'single') {
        // ’ after a word and before a word: possessive (the Joneses’ house) when another closer follows
        const possessiveLike = /\s/.test(text[m.abs + 1] ?? '') && /[\p{L}]/u.test(text[m.abs + 2] ?? '') && /[sSzZ]/.test(text[m.abs - 1] ?? '');
        const later = nextSingleClose[k + 1];
        if (possessiveLike && later < n && later < nextDouble[k + 1]) {
          m.resolved = 'ignored';
          continue;
        }
        stack.pop();
        closePart(top, m);
        if (!glyphsMatch(top.mark.mark, m.mark)) mismatches.push({ open: top.mark, close: m });
        continue;
      }
      if (m.role === 'ambiguous' && !(top && top.mark.weight === 'single')) {
        // an isolated straight single mark: treat as an apostrophe unless something opens after it
        m.resolved = 'ignored';
        continue;
      }
      m.resolved = 'ignored'; // an apostrophe: students’ / goin’
    }

    // ---- paragraph end
    if (stack.length > 0) {
      while (stack.length > 1) dropOrClose(stack.pop()!, para.end);
      const bottom = stack[0];
      const next = pi + 1 < paras.length ? marksByPara[pi + 1] : undefined;
      const nextPara = pi + 1 < paras.length ? paras[pi + 1] : undefined;
      const first = next?.[0];
      const canContinue =
        bottom.mark.weight === 'double' &&
        !!first &&
        !!nextPara &&
        first.abs === nextPara.start &&
        first.role !== 'close' &&
        first.weight === bottom.mark.weight &&
        para.kind !== 'headline' &&
        nextPara.kind !== 'headline';
      const part = bottom.rec.parts[bottom.rec.parts.length - 1];
      part.end = para.end;
      if (canContinue) {
        continuing = true;
      } else {
        if (bottom.mark.weight === 'double') {
          bottom.rec.unclosed = true;
        } else {
          dropSingle(bottom, para.end);
        }
        stack = [];
      }
    }
  }

  function closePart(entry: StackEntry, m: Mark) {
    const part = entry.rec.parts[entry.rec.parts.length - 1];
    part.close = m;
    part.end = m.abs + m.len;
    m.resolved = 'close';
  }

  function dropOrClose(entry: StackEntry, end: number) {
    if (entry.mark.weight === 'double') finishUnclosed(entry, end);
    else dropSingle(entry, end);
  }

  /** An unclosed single opening mark: usually an apostrophe (’em, ‘til) — forget it, except clear curly openers. */
  function dropSingle(entry: StackEntry, end: number) {
    const m = entry.mark;
    const idx = recs.indexOf(entry.rec, Math.max(0, recs.length - 64));
    const part = entry.rec.parts[entry.rec.parts.length - 1];
    const curlyOpen = m.mark === '‘' || m.mark === '‚' || m.mark === '‹';
    const paraEnd = paras[m.para].end;
    const restHasCloser = curlyOpen && text.slice(m.abs + 1, Math.min(paraEnd, m.abs + 2000)).includes(m.mark === '‹' ? '›' : '’');
    if (curlyOpen && !restHasCloser && entry.rec.parts.length === 1) {
      part.end = end;
      entry.rec.unclosed = true;
      return;
    }
    m.resolved = 'ignored';
    if (idx >= 0) recs.splice(idx, 1);
    else {
      const j = recs.indexOf(entry.rec);
      if (j >= 0) recs.splice(j, 1);
    }
  }

  // ---- 3. findings on marks
  for (const m of unopened) {
    const sentStart = sentenceStartPlain(text, m.abs, paras[m.para].start);
    const opener = openerFor(m.mark, m.weight);
    findings.push({
      start: m.abs,
      end: m.abs + m.len,
      code: 'unopened-quote',
      severity: 'error',
      message: `Closing quotation mark ${m.mark} has no opening mark.`,
      fixes: [
        {
          title: `Insert the opening mark ${opener} at the start of the sentence`,
          edits: [{ start: sentStart, end: sentStart, newText: opener }],
          preferred: true,
        },
        { title: 'Remove the stray closing mark', edits: [{ start: m.abs, end: m.abs + m.len, newText: '' }] },
      ],
    });
  }
  for (const { open, close } of mismatches) {
    const openerIsValid = CLOSERS[open.mark] !== undefined;
    const edit: TextEdit = openerIsValid
      ? { start: close.abs, end: close.abs + close.len, newText: closerFor(open.mark, open.weight) }
      : { start: open.abs, end: open.abs + open.len, newText: openerFor(close.mark, close.weight) };
    const target = openerIsValid ? close : open;
    const partner = openerIsValid ? open : close;
    findings.push({
      start: target.abs,
      end: target.abs + target.len,
      code: 'mismatched-quote',
      severity: 'warning',
      message: openerIsValid
        ? `Quotation opened with ${open.mark} is closed with ${close.mark}; expected ${edit.newText}.`
        : `Quotation closed with ${close.mark} is opened with ${open.mark}; expected ${edit.newText}.`,
      related: [{ span: { start: partner.abs, end: partner.abs + partner.len }, message: openerIsValid ? 'Opening mark' : 'Closing mark' }],
      fixes: [{ title: `Replace ${target.mark} with ${edit.newText}`, edits: [edit], preferred: true }],
    });
  }
  for (const { inner, outer } of nestedPairs) {
    const o = inner.parts[0].open;
    const c = inner.parts[inner.parts.length - 1].close;
    if (!c) continue;
    const single = singleFor(o.mark);
    const singleClose = singleFor(c.mark, true);
    findings.push({
      start: o.abs,
      end: o.abs + o.len,
      code: 'nested-double-quote',
      severity: 'warning',
      message: `Double quotation mark ${o.mark} inside a double-quoted passage; a quote within a quote takes single marks.`,
      related: [
        { span: { start: c.abs, end: c.abs + c.len }, message: 'Closing mark of the inner quotation' },
        { span: { start: outer.parts[0].open.abs, end: outer.parts[0].open.abs + outer.parts[0].open.len }, message: 'Opening mark of the outer quotation' },
      ],
      fixes: [
        {
          title: `Convert the inner quotation marks to ${single} ${singleClose}`,
          edits: [
            { start: o.abs, end: o.abs + o.len, newText: single },
            { start: c.abs, end: c.abs + c.len, newText: singleClose },
          ],
          preferred: true,
        },
      ],
    });
  }
  for (const rec of recs) {
    if (!rec.unclosed) continue;
    const part = rec.parts[rec.parts.length - 1];
    const o = part.open;
    const closer = closerFor(o.mark, o.weight);
    const first = rec.parts[0].open;
    findings.push({
      start: o.abs,
      end: o.abs + o.len,
      code: 'unclosed-quote',
      severity: o.weight === 'double' ? 'error' : 'warning',
      message:
        rec.parts.length > 1
          ? `Quotation continued from an earlier paragraph is never closed.`
          : `Quotation mark ${o.mark} is never closed.`,
      related: rec.parts.length > 1 ? [{ span: { start: first.abs, end: first.abs + first.len }, message: 'The quotation starts here' }] : undefined,
      fixes: [{ title: `Insert the closing mark ${closer}`, edits: [{ start: part.end, end: part.end, newText: closer }], preferred: true }],
    });
  }

  // mixed straight and curly double quotes
  mixedStyles(text, paras, marksByPara, findings);

  // ---- 4. quotes
  const mentionIndex = buildMentionIndex(entities);
  const genders = entityGenders(entities);
  recs.sort((a, b) => a.parts[0].open.abs - b.parts[0].open.abs);
  const works: QuoteWork[] = recs.map((rec) => toWork(rec, text));

  // masked paragraph texts: depth-0 quotes hidden, so the writer's sentences can be read around them
  const topByPara = new Map<number, QuoteWork[]>();
  for (const w of works) {
    if (w.rec.depth !== 0) continue;
    for (const p of w.paragraphs) {
      let list = topByPara.get(p);
      if (!list) topByPara.set(p, (list = []));
      list.push(w);
    }
  }
  for (const [p, list] of topByPara) paras[p].masked = maskParagraph(paras[p], list, text);

  const paraOf = (pos: number): number => {
    let lo = 0;
    let hi = paras.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (paras[mid].start <= pos) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  };
  const ctx: Ctx = { text, paras, mentionIndex, genders, topByPara, quoteInners: [], memo: new Map(), paraOf };
  for (const w of works) if (w.rec.depth === 0) for (const s of w.inner) ctx.quoteInners.push(s);
  ctx.quoteInners.sort((a, b) => a.start - b.start);

  let last: { speaker: Speaker; para: number } | null = null;
  for (const w of works) {
    if (w.rec.depth === 0) {
      classifyAndAttribute(w, ctx, last);
      if (w.speaker && (w.kind === 'direct' || w.kind === 'partial')) last = { speaker: w.speaker, para: w.lastPara };
    } else {
      classifyInner(w, text);
    }
  }

  // interrupted quotes: “…,” he said. “…” is one quotation
  const merged: QuoteWork[] = [];
  for (let i = 0; i < works.length; i++) {
    const w = works[i];
    if (w.merged) continue;
    if (w.rec.depth === 0 && w.kind === 'direct' && w.postAttributionEnd !== undefined) {
      let j = i + 1;
      while (j < works.length && works[j].rec.depth !== 0) j++;
      const nx = works[j];
      if (nx && nx.firstPara === w.lastPara && (nx.kind === 'direct' || nx.kind === 'partial') && !nx.localSpeakerPost) {
        const gap = text.slice(w.postAttributionEnd, nx.start);
        const tail = text.slice(w.end, nx.start);
        const sameSpeaker = !nx.speaker || nx.speaker.via === 'previous-sentence' || (w.speaker && nx.speaker.start >= w.end && nx.speaker.end <= nx.start);
        if (tail.length <= 250 && sameSpeaker && (nx.atStart || /^[\s,.;:—–-]*$/.test(gap))) {
          w.parts.push(...nx.parts);
          w.inner.push(...nx.inner);
          w.end = nx.end;
          for (const p of nx.paragraphs) if (!w.paragraphs.includes(p)) w.paragraphs.push(p);
          w.lastPara = nx.lastPara;
          nx.merged = true;
          // the inner quotes of the merged part belong to it already by position
        }
      }
    }
    merged.push(w);
  }

  const quotes: Quote[] = merged.map((w) => ({
    start: w.start,
    end: w.end,
    text: w.inner.map((s) => text.slice(s.start, s.end)).join(' … '),
    parts: w.parts,
    inner: w.inner,
    kind: w.kind,
    style: styleOf(w.rec.parts[0].open.mark),
    depth: w.rec.depth,
    speaker: w.speaker,
    cue: w.cue,
    paragraphs: w.paragraphs,
  }));

  // an unclosed quotation is reported as such, not also as unattributed (its attribution may be inside it)
  const unclosedStarts = new Set(merged.filter((w) => w.rec.unclosed).map((w) => w.start));
  for (const q of quotes) {
    const pk = paras[q.paragraphs[0]]?.kind ?? 'body';
    if (q.kind === 'direct' && q.depth === 0 && !q.speaker && (pk === 'body' || pk === 'subhead') && !unclosedStarts.has(q.start)) {
      findings.push({
        start: q.start,
        end: q.end,
        code: 'unattributed-quote',
        severity: 'warning',
        message: 'Direct quotation with no speaker: add who said it.',
      });
    }
    if (q.kind === 'scare' && input.options?.scareQuoteHints && pk !== 'boilerplate') {
      findings.push({
        start: q.start,
        end: q.end,
        code: 'scare-quote',
        severity: 'hint',
        message: `Scare quotes around “${q.text}”: consider attributing the word or dropping the marks.`,
      });
    }
  }

  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { quotes, findings };
}

function singleFor(mark: string, closing = false): string {
  switch (mark) {
    case '"':
      return "'";
    case "''":
    case '``':
      return "'";
    case '«':
      return '‹';
    case '»':
      return '›';
    case '„':
      return '‚';
    default:
      return closing ? '’' : '‘';
  }
}

function glyphsMatch(open: string, close: string): boolean {
  const list = CLOSERS[open];
  return !!list && list.includes(close);
}

/** Back over spaces from `pos` (not before `floor`). */
function trimBack(text: string, pos: number, floor: number): number {
  while (pos > floor && /\s/.test(text[pos - 1])) pos--;
  return pos;
}

/** Start of the sentence containing `pos`, by plain punctuation (bounded look-back). */
function sentenceStartPlain(text: string, pos: number, floor: number): number {
  const limit = Math.max(floor, pos - WINDOW);
  for (let i = pos - 1; i > limit; i--) {
    if (!isSpaceCode(text.charCodeAt(i))) continue;
    const p = text.charCodeAt(i - 1);
    if ((p === 46 || p === 33 || p === 63) && !isAbbrevBefore(text, i - 1)) {
      let j = i;
      while (j < pos && isSpaceCode(text.charCodeAt(j))) j++;
      return j;
    }
  }
  return limit;
}

/** Is the period at `dot` the end of an abbreviation or initial ("Mr.", "G.", "U.S.")? */
function isAbbrevBefore(text: string, dot: number): boolean {
  if (text[dot] !== '.') return false;
  let j = dot;
  while (j > 0 && j > dot - 12 && /[\p{L}.]/u.test(text[j - 1])) j--;
  const word = text.slice(j, dot);
  if (!word) return false;
  return isAbbreviation(word);
}

// ---------------------------------------------------------------------------
// Mixed styles
// ---------------------------------------------------------------------------

function mixedStyles(text: string, paras: ParaInfo[], marksByPara: Mark[][], findings: Finding[]): void {
  const straight: Mark[] = [];
  const curly: Mark[] = [];
  for (let i = 0; i < paras.length; i++) {
    if (paras[i].kind === 'boilerplate') continue;
    for (const m of marksByPara[i]) {
      if (m.weight !== 'double' || m.resolved === 'ignored') continue;
      if (m.mark === '"') straight.push(m);
      else if (isCurlyDouble(m.mark)) curly.push(m);
    }
  }
  if (straight.length === 0 || curly.length === 0) return;
  const minority = straight.length <= curly.length ? straight : curly;
  const edits: TextEdit[] = [];
  const markAt = new Set<number>();
  for (const list of marksByPara) {
    for (const m of list) {
      for (let k = 0; k < m.len; k++) markAt.add(m.abs + k);
      if (m.mark === '"' || m.mark === "''" || m.mark === '``') {
        const open = m.resolved === 'open' || (m.resolved === undefined && m.role === 'open');
        edits.push({ start: m.abs, end: m.abs + m.len, newText: open ? '“' : '”' });
      } else if (m.mark === "'") {
        const open = m.resolved === 'open';
        edits.push({ start: m.abs, end: m.abs + 1, newText: open ? '‘' : '’' });
      }
    }
  }
  for (let i = text.indexOf("'"); i >= 0; i = text.indexOf("'", i + 1)) {
    if (!markAt.has(i)) edits.push({ start: i, end: i + 1, newText: '’' });
  }
  edits.sort((a, b) => a.start - b.start);
  const fix: Fix = { title: 'Convert straight quotes to curly quotes in the whole article', edits };
  const majorityName = minority === straight ? 'curly' : 'straight';
  for (const m of minority) {
    findings.push({
      start: m.abs,
      end: m.abs + m.len,
      code: 'mixed-quote-styles',
      severity: 'information',
      message: `${m.mark === '"' ? 'Straight' : 'Curly'} quotation mark in an article that mostly uses ${majorityName} quotation marks.`,
      fixes: [fix],
    });
  }
}

// ---------------------------------------------------------------------------
// Quote records → quotes
// ---------------------------------------------------------------------------

interface QuoteWorkExt extends QuoteWork {
  localSpeakerPost?: boolean;
}

function toWork(rec: Rec, text: string): QuoteWorkExt {
  const parts: Span[] = [];
  const inner: Span[] = [];
  const paragraphs: number[] = [];
  for (const p of rec.parts) {
    const start = p.open.abs;
    const end = Math.max(p.end, start + p.open.len);
    parts.push({ start, end });
    const innerStart = start + p.open.len;
    let innerEnd = p.close ? p.close.abs : end;
    if (!p.close) innerEnd = trimBack(text, innerEnd, innerStart);
    inner.push({ start: innerStart, end: Math.max(innerStart, innerEnd) });
    if (!paragraphs.includes(p.para)) paragraphs.push(p.para);
  }
  return {
    rec,
    start: parts[0].start,
    end: parts[parts.length - 1].end,
    parts,
    inner,
    paragraphs,
    firstPara: rec.parts[0].para,
    lastPara: rec.parts[rec.parts.length - 1].para,
    kind: 'partial',
    speaker: null,
    localSpeaker: false,
  };
}

function maskParagraph(para: ParaInfo, list: QuoteWork[], text: string): string {
  let out = '';
  let pos = para.start;
  for (const w of list) {
    for (let i = 0; i < w.parts.length; i++) {
      const part = w.parts[i];
      if (part.end <= para.start || part.start >= para.end) continue;
      const s = Math.max(part.start, para.start, pos);
      const e = Math.min(part.end, para.end);
      if (e <= s) continue;
      out += text.slice(pos, s);
      const inner = text.slice(w.inner[i].start, w.inner[i].end).trimEnd();
      const terminal = /[.!?…]$/.test(inner) || (/[.!?…]$/.test(inner.replace(/[’'‘”“")\]]+$/, '')) && inner.length > 0);
      out += MASK.repeat(e - s - 1) + (terminal ? MASK_TERMINAL : MASK);
      pos = e;
    }
  }
  out += text.slice(pos, para.end);
  return out;
}

// ---------------------------------------------------------------------------
// Classification and attribution
// ---------------------------------------------------------------------------

interface MentionIndex {
  all: MentionRef[];
  people: MentionRef[];
}

interface Ctx {
  text: string;
  paras: ParaInfo[];
  mentionIndex: MentionIndex;
  genders: Map<string, 'male' | 'female'>;
  topByPara: Map<number, QuoteWork[]>;
  quoteInners: Span[];
  /** token windows by position (tokensBefore: 2·pos, tokensAfter: 2·pos + 1) */
  memo: Map<number, unknown>;
  /** index of the paragraph containing (or preceding) an absolute offset */
  paraOf: (pos: number) => number;
}

function buildMentionIndex(entities: Entity[]): MentionIndex {
  const all: MentionRef[] = [];
  for (const e of entities ?? []) for (const m of e.mentions ?? []) all.push({ mention: m, entity: e });
  all.sort((a, b) => a.mention.start - b.mention.start);
  return { all, people: all.filter((r) => r.entity.type === 'person') };
}

function entityGenders(entities: Entity[]): Map<string, 'male' | 'female'> {
  const out = new Map<string, 'male' | 'female'>();
  for (const e of entities ?? []) {
    if (e.type !== 'person') continue;
    for (const m of e.mentions) {
      const p = m.prefix?.text.toLowerCase().replace(/\.$/, '');
      if (!p) continue;
      if (p === 'mr' || p === 'sir' || p === 'lord' || p === 'king' || p === 'prince' || p === 'father') out.set(e.id, 'male');
      else if (p === 'mrs' || p === 'ms' || p === 'miss' || p === 'dame' || p === 'lady' || p === 'queen' || p === 'princess' || p === 'mme') out.set(e.id, 'female');
      if (out.has(e.id)) break;
    }
    if (!out.has(e.id)) {
      const t = e.titles.join(' ').toLowerCase();
      if (/\b(mr|sir|king|prince)\b/.test(t)) out.set(e.id, 'male');
      else if (/\b(mrs|ms|miss|queen|princess)\b/.test(t)) out.set(e.id, 'female');
    }
  }
  return out;
}

/** First index in a start-sorted list whose start is >= pos. */
function lowerBound(list: MentionRef[], pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].mention.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insideQuote(ctx: Ctx, pos: number): boolean {
  const list = ctx.quoteInners;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= pos) lo = mid + 1;
    else hi = mid;
  }
  const s = list[lo - 1];
  return !!s && pos >= s.start && pos < s.end;
}

/** The tokens of a paragraph's masked text, computed once per paragraph. */
function paraTokens(ctx: Ctx, pi: number): Tok[] {
  const para = ctx.paras[pi];
  if (!para.toks) {
    const masked = para.masked ?? ctx.text.slice(para.start, para.end);
    para.toks = tokenize(masked, 0, masked.length, para.start);
  }
  return para.toks;
}

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

const MAX_TOKENS = 60;

function isBoundaryAt(toks: Tok[], i: number, nextIdx: number, limit: number): boolean {
  const t = toks[i];
  const nx = nextIdx < limit ? toks[nextIdx] : undefined;
  const nextOk = !nx || nx.kind === 'quote' || (nx.kind === 'word' && /^[\p{Lu}\p{N}]/u.test(nx.text)) || nx.text === '(';
  if (t.kind === 'quote') return t.text.endsWith(MASK_TERMINAL) && (!nx || nx.kind === 'quote' || (nx.kind === 'word' && /^[\p{Lu}\p{N}]/u.test(nx.text)));
  return t.kind === 'punct' && (t.text === '.' || t.text === '!' || t.text === '?') && nextOk;
}

/** Tokens of the writer's sentence before `pos` (from the sentence start; bounded). */
function tokensBefore(ctx: Ctx, pi: number, pos: number): Tok[] {
  const key = pos * 2;
  const hit = ctx.memo.get(key);
  if (hit) return hit as Tok[];
  const out = tokensBeforeUncached(ctx, pi, pos);
  ctx.memo.set(key, out);
  return out;
}

function tokensBeforeUncached(ctx: Ctx, pi: number, pos: number): Tok[] {
  const toks = paraTokens(ctx, pi);
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
function tokensAfter(ctx: Ctx, pi: number, pos: number): { toks: Tok[]; endsAtQuote: boolean } {
  const key = pos * 2 + 1;
  const hit = ctx.memo.get(key);
  if (hit) return hit as { toks: Tok[]; endsAtQuote: boolean };
  const out = tokensAfterUncached(ctx, pi, pos);
  ctx.memo.set(key, out);
  return out;
}

function tokensAfterUncached(ctx: Ctx, pi: number, pos: number): { toks: Tok[]; endsAtQuote: boolean } {
  const all = paraTokens(ctx, pi);
  let i0 = tokIndexBefore(all, pos);
  while (i0 < all.length && all[i0].start < pos) i0++;
  const toks = all.slice(i0, Math.min(all.length, i0 + MAX_TOKENS));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'quote') {
      if (isNickname(toks, i)) continue;
      return { toks: toks.slice(0, i), endsAtQuote: true };
    }
    if (t.kind === 'punct' && t.text === ';') return { toks: toks.slice(0, i + 1), endsAtQuote: false };
    if (t.kind === 'punct' && isBoundaryAt(toks, i, i + 1, toks.length)) return { toks: toks.slice(0, i + 1), endsAtQuote: false };
  }
  return { toks, endsAtQuote: false };
}

interface Attribution {
  speaker: Speaker | null;
  cue?: Tok & { end: number };
  /** absolute end of the attribution (speaker or cue, whichever is later) */
  end: number;
  colon?: boolean;
}

/** Marcia "Cia" Price: a short quotation between two capitalised words. */
function isNickname(toks: Tok[], i: number): boolean {
  const t = toks[i];
  if (t.kind !== 'quote' || t.end - t.start > 24) return false;
  const a = toks[i - 1];
  const b = toks[i + 1];
  return !!a && !!b && isCapitalized(a) && isCapitalized(b);
}

function isCue(t: Tok | undefined): boolean {
  return !!t && t.kind === 'word' && CUE_WORDS.has(t.text.toLowerCase()) && !/^\p{Lu}{2,}/u.test(t.text);
}

/** "according to" at index i */
function isAccordingTo(toks: Tok[], i: number): boolean {
  return toks[i]?.kind === 'word' && lower(toks[i]) === 'according' && toks[i + 1] && lower(toks[i + 1]) === 'to';
}

/** Attribution after a quote: “…,” said X / “…,” X said / “…,” according to X. */
function attributionAfter(ctx: Ctx, w: QuoteWork): Attribution | null {
  const { toks } = tokensAfter(ctx, w.lastPara, w.end);
  let i = 0;
  while (i < toks.length && toks[i].kind === 'punct' && /[,―—–\-:(]/.test(toks[i].text)) i++;
  if (i >= toks.length) return null;
  // “…” ― Name (an epigraph-style attribution at the end of a line)
  const dash = toks[i - 1];
  if (dash && i > 0 && /^[―—–]$/.test(dash.text) && toks[i] && isCapitalized(toks[i])) {
    let j = i;
    while (j < toks.length && j < i + 8 && ((isCapitalized(toks[j]) && !isCue(toks[j])) || (toks[j].text === '.' && isAbbreviation(toks[j - 1].text + '.')))) j++;
    const rest = toks.slice(j);
    if (rest.every((t) => t.kind === 'punct')) {
      const speaker = resolveRange(ctx, toks[i].start, toks[j - 1].end, w.lastPara, 'name');
      if (speaker) return { speaker, cue: { ...dash }, end: toks[j - 1].end };
    }
  }
  const first = toks[i];
  if (!first || first.kind !== 'word') return null;
  if (isAccordingTo(toks, i)) {
    const np = forwardNP(toks, i + 2);
    const speaker = np ? resolveRange(ctx, np.start, np.end, w.lastPara, 'according-to') : null;
    const cueTok = { ...first, end: toks[i + 1].end, text: ctx.text.slice(first.start, toks[i + 1].end) };
    return { speaker, cue: cueTok, end: np ? np.end : cueTok.end };
  }
  if (isCue(first) && !WEAK_CUES.has(lower(first))) {
    // inverted: said X
    const np = forwardNP(toks, i + 1);
    if (!np) return null;
    const speaker = resolveRange(ctx, np.start, np.end, w.lastPara, 'noun-phrase');
    return speaker ? { speaker, cue: { ...first }, end: Math.max(np.end, cueExtensionEnd(toks, i)) } : null;
  }
  if (NON_SUBJECT_START.has(lower(first))) return null;
  // X said: find the cue within the subject
  let commas = 0;
  for (let j = i; j < toks.length && j < i + 30; j++) {
    const t = toks[j];
    if (t.kind === 'quote') {
      if (isNickname(toks, j)) continue;
      break;
    }
    if (t.kind === 'punct') {
      if (t.text === ',') commas++;
      else if (t.text === ';' || t.text === ':' || t.text === '!' || t.text === '?') break;
      continue;
    }
    if (j - i > 8 && commas === 0) break;
    if (isCue(t) && j > i && (!WEAK_CUES.has(lower(t)) || j - i <= 3)) {
      const np = backwardNP(toks, i, j);
      if (!np) return null;
      const speaker = resolveRange(ctx, np.start, np.end, w.lastPara, 'noun-phrase');
      if (!speaker) return null;
      return { speaker, cue: { ...t }, end: cueExtensionEnd(toks, j) };
    }
    if (isAccordingTo(toks, j)) break;
  }
  return null;
}

/** End of a cue with its short extension ("said in a statement", "told reporters") up to the next punctuation. */
function cueExtensionEnd(toks: Tok[], cueIdx: number): number {
  let end = toks[cueIdx].end;
  for (let j = cueIdx + 1; j < toks.length && j <= cueIdx + 10; j++) {
    const t = toks[j];
    if (t.kind !== 'word') break;
    end = t.end;
  }
  return end;
}

/** Noun phrase after a cue: "said Vitaly A. Karazhan, 33," → Vitaly A. Karazhan. */
function forwardNP(toks: Tok[], from: number): Span | null {
  let start = -1;
  let end = -1;
  let count = 0;
  for (let j = from; j < toks.length && count < 12; j++) {
    const t = toks[j];
    if (t.kind !== 'word') {
      if (t.text === '.' && start >= 0 && isAbbreviation(toks[j - 1]?.text + '.')) continue;
      if ((t.text === '-' || t.text === '’' || t.text === "'" || t.text === '/') && (start >= 0 || t.text === '/')) continue;
      break;
    }
    const lw = lower(t);
    if (start >= 0 && FORWARD_STOP.has(lw)) break;
    if (start < 0 && PREPOSITIONS.has(lw)) return null; // said in a statement
    if (start < 0) start = t.start;
    end = t.end;
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
  if (toks[j].kind === 'punct' && toks[j].text === ',') {
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
    const t = toks[k];
    if (t.kind === 'quote') {
      if (isNickname(toks, k)) continue;
      break;
    }
    if (t.kind === 'punct' && t.text === ')') {
      // (R-Utah): skip the parenthesis
      let m = k - 1;
      while (m >= floor && m > k - 12 && toks[m].text !== '(') m--;
      if (m >= floor && toks[m].text === '(') {
        k = m;
        continue;
      }
      break;
    }
    if (t.kind === 'punct') {
      if (t.text === '.' && k > floor && isAbbreviation(toks[k - 1].text + '.')) continue;
      if (t.text === '-' || t.text === '’' || t.text === "'" || t.text === '&') continue;
      break;
    }
    if (CLAUSE_WORDS.has(t.text) && n > 0) break;
    if (CLAUSE_WORDS.has(t.text)) break;
    start = t.start;
    n++;
  }
  return start >= 0 ? { start, end } : null;
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
  if (OPENERS.has(lower(toks[k])) && !PRONOUNS[lower(toks[k])]) {
    let c = k;
    while (c < limit && toks[c].text !== ',') c++;
    if (c >= limit) return null;
    k = c + 1;
  }
  let start = -1;
  let end = -1;
  for (let i = k; i < limit && i < k + 10; i++) {
    const t = toks[i];
    if (t.kind === 'quote') {
      if (isNickname(toks, i)) continue;
      break;
    }
    if (t.kind === 'punct') {
      if (t.text === '.' && i > k && isAbbreviation(toks[i - 1].text + '.')) continue;
      if (t.text === '’' || t.text === "'" || t.text === '-') continue;
      break;
    }
    const lw = lower(t);
    const nounish = isCapitalized(t) || /^(the|a|an|his|her|their|its|our|one|two|three|some|many|several|both)$/.test(lw) || PRONOUNS[lw] !== undefined;
    if (start >= 0 && !nounish && !/^[a-z]+s$/.test(t.text) && !/^[a-z]+(er|or|ist|man|woman|ian|ant|ent|ee)s?$/.test(t.text)) break;
    if (start < 0 && !nounish) return null;
    if (start < 0) start = t.start;
    end = t.end;
    if (PRONOUNS[lw] !== undefined && i === k) break;
  }
  return start >= 0 ? { start, end } : null;
}

/** The speaker named in [start, end): an entity mention, a pronoun, a proper name, or the phrase. */
function resolveRange(ctx: Ctx, start: number, end: number, pi: number, fallbackVia: Speaker['via']): Speaker | null {
  if (end <= start) return null;
  const { text } = ctx;
  const all = ctx.mentionIndex.all;
  // the head of the phrase: "A poster at a subway station in Minsk" → "A poster"
  {
    const head = /\s(?:of|at|in|for|from|with|on|to|near|inside|outside|across|behind|under|over|by|about)\s/.exec(text.slice(start, end));
    if (head && head.index > 0) {
      const before = text.slice(start, start + head.index);
      // keep "Joel Pollak of Breitbart", cut "a spokesman for the Kremlin"
      end = start + head.index;
      void before;
    }
  }
  let best: MentionRef | null = null;
  // mentions overlapping the range
  for (let i = Math.max(0, lowerBound(all, start) - 1); i < all.length && all[i].mention.start < end; i++) {
    const r = all[i];
    if (r.mention.end <= start) continue;
    if (!best) best = r;
    else if (best.entity.type !== 'person' && r.entity.type === 'person') best = r;
    else if (best.entity.type === 'place' && r.entity.type === 'organization') best = r;
    if (best.entity.type === 'person') break;
  }
  const via: Speaker['via'] = fallbackVia === 'according-to' || fallbackVia === 'previous-sentence' ? fallbackVia : 'name';
  if (best) {
    return { start: best.mention.start, end: best.mention.end, text: best.mention.text, name: best.entity.name, entity: best.entity.id, via };
  }
  const phrase = text.slice(start, end);
  // pronoun
  const pm = /^(?:[^\p{L}]*)(he|she|they|we|i|it)\b/iu.exec(phrase);
  if (pm && phrase.trim().split(/\s+/).length <= 2) {
    const pStart = start + pm.index + pm[0].length - pm[1].length;
    const pronoun = pm[1];
    const resolved = resolvePronoun(ctx, pStart, pronoun.toLowerCase());
    return {
      start: pStart,
      end: pStart + pronoun.length,
      text: pronoun,
      name: resolved ? resolved.name : pronoun,
      entity: resolved?.id,
      via: fallbackVia === 'previous-sentence' ? 'previous-sentence' : 'pronoun',
    };
  }
  // a proper name without an entity: the longest run of capitalised words (no honorific)
  const toks = tokenize(text, start, end, 0);
  let runStart = -1;
  let bestRun: Span | null = null;
  let runLen = 0;
  let bestLen = 0;
  for (let i = 0; i <= toks.length; i++) {
    const t = toks[i];
    const cap =
      t &&
      isCapitalized(t) &&
      !(HONORIFICS.has(lower(t).replace(/\.$/, '')) && toks[i + 1] && isCapitalized(toks[i + 1])) &&
      !(runStart < 0 && (OPENERS.has(lower(t)) || /^(the|a|an)$/i.test(t.text)));
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
    const t = text.slice(bestRun.start, bestRun.end);
    // "The Kremlin", "A spokesman" at a sentence start are noun phrases
    const np = /^(the|a|an)\s/i.test(text.slice(start, end).trim()) && phraseWords(text.slice(start, end)) <= 4;
    if (!np) return { start: bestRun.start, end: bestRun.end, text: t, name: t, via };
  }
  // the noun phrase itself ("the Kremlin", "a spokesman", "officials")
  let s = start;
  let e = end;
  while (s < e && /[\s,.;:—–-]/.test(text[s])) s++;
  while (e > s && /[\s,.;:—–-]/.test(text[e - 1])) e--;
  if (e <= s) return null;
  let np = text.slice(s, e);
  const words = np.split(/\s+/);
  if (words.length > 8) {
    return null;
  }
  if (/^(and|but|so|then)\s/i.test(np)) {
    const cut = np.indexOf(' ') + 1;
    s += cut;
    np = np.slice(cut);
  }
  if (!/\p{L}/u.test(np)) return null;
  return { start: s, end: e, text: np, name: np, via: fallbackVia === 'name' ? 'noun-phrase' : fallbackVia };
}

function phraseWords(s: string): number {
  return s.trim().split(/\s+/).filter(Boolean).length;
}

/** The person a he/she refers to: the most recent compatible person mentioned outside quotations. */
function resolvePronoun(ctx: Ctx, pos: number, pronoun: string): { id: string; name: string } | null {
  const gender = PRONOUNS[pronoun];
  if (gender !== 'male' && gender !== 'female') return null;
  const people = ctx.mentionIndex.people;
  let i = lowerBound(people, pos) - 1;
  // the nearest stretch of text (sentence, else paragraph) naming a compatible person: its first such person,
  // who is usually the subject ("Mr. A told B that … . He said …" → Mr. A)
  let chosen: MentionRef | null = null;
  const sentStart = sentenceStartPlain(ctx.text, pos, ctx.paras[ctx.paraOf(pos)]?.start ?? 0);
  for (let steps = 0; i >= 0 && steps < 60; i--, steps++) {
    const r = people[i];
    if (pos - r.mention.end > 6000) break;
    if (insideQuote(ctx, r.mention.start)) continue;
    const g = ctx.genders.get(r.entity.id);
    if (g && g !== gender) continue;
    if (!chosen) {
      chosen = r;
      if (r.mention.start >= sentStart) break; // same sentence: the nearest one
      continue;
    }
    if (r.mention.paragraph !== chosen.mention.paragraph) break;
    chosen = r;
  }
  return chosen ? { id: chosen.entity.id, name: chosen.entity.name } : null;
}

/** Attribution before a quote: X said, “…” / X said: “…” / X: “…” / According to X, “…”. */
function attributionBefore(ctx: Ctx, pi: number, pos: number, strict: boolean): (Attribution & { introduced: boolean; adjacent: boolean }) | null {
  const toks = tokensBefore(ctx, pi, pos);
  if (toks.length === 0) return null;
  let last = toks.length - 1;
  let introducer = '';
  while (last >= 0 && toks[last].kind === 'punct' && /[,:—–\-(]/.test(toks[last].text)) {
    if (!introducer) introducer = toks[last].text;
    last--;
  }
  if (last < 0) return null;
  const lastWord = lower(toks[last]);
  // according to X, “…”
  for (let i = 0; i <= last; i++) {
    if (isAccordingTo(toks, i)) {
      const np = forwardNP(toks, i + 2);
      if (np && np.end <= toks[last].end) {
        const speaker = resolveRange(ctx, np.start, np.end, pi, 'according-to');
        return {
          speaker,
          cue: { ...toks[i], end: toks[i + 1].end, text: ctx.text.slice(toks[i].start, toks[i + 1].end) },
          end: np.end,
          introduced: introducer === ',' || introducer === ':',
          adjacent: false,
        };
      }
    }
  }
  // the last cue in reach
  const reach = introducer ? 10 : strict ? 1 : 40;
  for (let j = last; j >= 0 && last - j <= reach; j--) {
    const t = toks[j];
    if (t.kind === 'quote') break;
    if (!isCue(t)) continue;
    if (WEAK_CUES.has(lower(t))) {
      let k = j + 1;
      while (k <= last && /^(it|this|that|back|him|her|them|out)$/i.test(toks[k].text)) k++;
      if (!(k === last + 1 && (introducer === ':' || introducer === ',' || !introducer))) continue;
    }
    const participle = /ing$/.test(lower(t));
    let np = participle ? null : backwardNP(toks, 0, j);
    let speaker = np ? resolveRange(ctx, np.start, np.end, pi, 'noun-phrase') : null;
    if (!speaker) {
      np = sentenceSubject(toks, 0, j);
      speaker = np ? resolveRange(ctx, np.start, np.end, pi, 'noun-phrase') : null;
    }
    if (!speaker && j < last) {
      // Said Mr. X: “…” / …, said X, “…”
      np = forwardNP(toks, j + 1);
      speaker = np ? resolveRange(ctx, np.start, np.end, pi, 'noun-phrase') : null;
    }
    return {
      speaker,
      cue: { ...t },
      end: t.end,
      introduced: !!introducer && introducer !== '(' && introducer !== '-',
      adjacent: j === last,
    };
  }
  // X: “…”
  if (introducer === ':') {
    const np = last + 1 <= 12 ? backwardNP(toks, 0, last + 1) : sentenceSubject(toks, 0, last + 1);
    const speaker = np ? resolveRange(ctx, np.start, np.end, pi, 'noun-phrase') : null;
    const colon = toks[last + 1];
    return { speaker, cue: colon && speaker ? { ...colon } : undefined, end: toks[last].end, introduced: true, adjacent: true, colon: true };
  }
  void lastWord;
  return null;
}

function innerWords(text: string, spans: Span[]): string[] {
  const words: string[] = [];
  for (const s of spans) {
    const slice = text.slice(s.start, Math.min(s.end, s.start + 160));
    for (const w of slice.split(/[\s—–]+/)) {
      const clean = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (clean) words.push(clean);
    }
    if (words.length > 14) break;
  }
  return words;
}

function isTitleCase(words: string[]): boolean {
  if (words.length < 2 || words.length > 12) return false;
  if (!/^\p{Lu}/u.test(words[0])) return false;
  for (const w of words) {
    if (SMALL_WORDS.has(w.toLowerCase())) continue;
    if (!/^[\p{Lu}\p{N}]/u.test(w)) return false;
  }
  return true;
}

function classifyAndAttribute(w: QuoteWorkExt, ctx: Ctx, last: { speaker: Speaker; para: number } | null): void {
  const { text, paras } = ctx;
  const firstInner = w.inner[0];
  const lastInner = w.inner[w.inner.length - 1];
  const innerText = text.slice(firstInner.start, Math.min(firstInner.end, firstInner.start + 400)).trim();
  const lastText = text.slice(Math.max(lastInner.start, lastInner.end - 40), lastInner.end).trim();
  const words = innerWords(text, w.inner);
  const startsLower = /^[^\p{L}]*\p{Ll}/u.test(innerText) && !/^[^\p{L}]*(i|i’m|i'm)\b/u.test(innerText);
  const terminalInside = /[.,!?…—–-]['’‘]?$/.test(lastText);
  const sentenceInside = /[.!?…]['’‘]?$/.test(lastText);

  const preToks = tokensBefore(ctx, w.firstPara, w.start);
  const atStart = preToks.every((t) => t.kind === 'punct' && /[—–\-(\[]/.test(t.text));
  const after = tokensAfter(ctx, w.lastPara, w.end);
  const postEmpty = after.toks.every((t) => t.kind === 'punct');
  const post = attributionAfter(ctx, w);
  const pre = atStart ? null : attributionBefore(ctx, w.firstPara, w.start, false);
  const title = isTitleCase(words) && !sentenceInside;

  let kind: QuoteKind;
  let attribution: Attribution | null = null;
  w.atStart = atStart;
  if (pre && (pre.introduced || (pre.adjacent && !startsLower))) {
    kind = startsLower && !pre.colon ? 'partial' : 'direct';
    if (pre.cue && NAMING_CUES.has(pre.cue.text.toLowerCase())) kind = words.length <= 3 && !pre.speaker ? 'scare' : 'partial';
    attribution = pre;
    if (kind === 'direct' && title && words.length <= 6 && !pre.colon && !terminalInside) kind = 'title';
  } else if (atStart) {
    if (post) {
      kind = 'direct';
      attribution = post;
      w.postAttributionEnd = post.end;
      w.localSpeakerPost = true;
    } else if (postEmpty) {
      kind = title && paras[w.firstPara].kind !== 'headline' && !terminalInside ? 'title' : 'direct';
      if (words.length === 0) kind = 'scare';
    } else {
      kind = title ? 'title' : words.length <= 3 ? 'scare' : 'partial';
      if (kind === 'partial' && terminalInside && !startsLower && words.length >= 4) kind = 'direct';
    }
  } else {
    const nearCue = pre ?? attributionBefore(ctx, w.firstPara, w.start, false);
    if (post && !startsLower && words.length >= 3) {
      kind = 'direct';
      attribution = post;
      w.postAttributionEnd = post.end;
      w.localSpeakerPost = true;
    } else if (title) {
      kind = 'title';
    } else if (words.length <= 3 && !hasCueNear(preToks, 6)) {
      kind = 'scare';
    } else {
      kind = 'partial';
      attribution = nearCue ?? post;
      if (post) w.localSpeakerPost = true;
    }
  }
  w.kind = kind;
  if (attribution) {
    w.speaker = attribution.speaker;
    if (attribution.cue) w.cue = { start: attribution.cue.start, end: attribution.cue.end, text: text.slice(attribution.cue.start, attribution.cue.end) };
    w.localSpeaker = !!attribution.speaker;
  }
  // a post-quote attribution may also carry the speaker when the quote was introduced without one
  if (!w.speaker && post && (kind === 'direct' || kind === 'partial')) {
    w.speaker = post.speaker;
    if (post.cue) w.cue = { start: post.cue.start, end: post.cue.end, text: text.slice(post.cue.start, post.cue.end) };
    w.postAttributionEnd = post.end;
  }
  if (!w.speaker && kind === 'direct') {
    const prev = previousSpeaker(ctx, w, last);
    if (prev) w.speaker = prev;
  }
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

/** A quotation standing alone: the speaker introduced just before (“X said:”) or the one still speaking. */
function previousSpeaker(ctx: Ctx, w: QuoteWork, last: { speaker: Speaker; para: number } | null): Speaker | null {
  const { text, paras } = ctx;
  const pi = w.firstPara;
  // same paragraph: a previous sentence ending with ":" or with a cue
  const para = paras[pi];
  const before = text.slice(Math.max(para.start, w.start - WINDOW), w.start).trimEnd();
  if (before.endsWith(':')) {
    const a = attributionBefore(ctx, pi, w.start, false);
    if (a?.speaker) return { ...a.speaker, via: 'previous-sentence' };
  }
  // the previous paragraph ends with ":" (X said:) — its speaker
  const prevIdx = pi - 1;
  if (prevIdx >= 0) {
    const prev = paras[prevIdx];
    const prevText = text.slice(Math.max(prev.start, prev.end - WINDOW), prev.end).trimEnd();
    if (prevText.endsWith(':')) {
      const a = attributionBefore(ctx, prevIdx, prev.end, false);
      if (a?.speaker) return { ...a.speaker, via: 'previous-sentence' };
    }
  }
  // the last speaker, when still close
  if (last && pi - last.para <= 2 && last.para <= pi) return { ...last.speaker, via: 'previous-sentence' };
  // a cue with a subject in the previous paragraph's last sentence, or the previous sentence of this one
  for (const [p, pos] of [
    [pi, w.start],
    [prevIdx, prevIdx >= 0 ? paras[prevIdx].end : -1],
  ] as const) {
    if (p < 0 || pos < 0) continue;
    const toks = tokensBeforeSentence(ctx, p, pos);
    for (let j = 0; j < toks.length; j++) {
      if (!isCue(toks[j]) || WEAK_CUES.has(lower(toks[j]))) continue;
      const np = backwardNP(toks, 0, j);
      const sp = np ? resolveRange(ctx, np.start, np.end, p, 'previous-sentence') : null;
      if (sp) return { ...sp, via: 'previous-sentence' };
    }
  }
  return null;
}

/** Tokens of the sentence that ends right before `pos` (used for the previous sentence). */
function tokensBeforeSentence(ctx: Ctx, pi: number, pos: number): Tok[] {
  const toks = paraTokens(ctx, pi);
  let i0 = tokIndexBefore(toks, pos);
  while (i0 > 0 && (toks[i0 - 1].kind === 'quote' || /^[.!?]$/.test(toks[i0 - 1].text))) i0--;
  const floor = Math.max(0, i0 - MAX_TOKENS);
  let cut = floor;
  for (let i = i0 - 1; i >= floor; i--) {
    const t = toks[i];
    if (t.kind === 'quote' || (t.kind === 'punct' && /[.!?]/.test(t.text))) {
      cut = i + 1;
      break;
    }
  }
  return toks.slice(cut, i0);
}

/** Quotes inside quotes: a quotation within speech, or a term. */
function classifyInner(w: QuoteWork, text: string): void {
  const words = innerWords(text, w.inner);
  const before = text.slice(Math.max(0, w.start - 40), w.start);
  if (isTitleCase(words)) w.kind = 'title';
  else if (/[,:]\s*$/.test(before) || words.length >= 5) w.kind = 'direct';
  else if (words.length <= 3) w.kind = 'scare';
  else w.kind = 'partial';
}
