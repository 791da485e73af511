import { replaceRange } from './lists';
import type { ArticleInput } from './article';
import type { Entity, Finding, Fix, Mention, ParagraphAnalysis, ParagraphKind, ParagraphSlice, Quote, QuoteKind, QuoteMarkToken, QuoteStyle, Span, Speaker, TextEdit } from './types';
import {
  closerFor,
  glyphsMatch,
  hasCloserList,
  isTitleCaseInfo,
  WF_ALL_TITLE,
  WF_FIRST_UPPER,
  openingFamily,
  paragraphEnd,
  perParagraph,
  R_IGNORED,
  R_NONE,
  R_OPEN,
  sentenceStartPlain,
  resolutionOf,
  variantOf,
  variantKey,
  blockShape,
  type LocalAttribution,
  type LocalRec,
  type LocalSpeaker,
  type PerParagraph,
  type Variant,
} from './quoteLocal';
import { CUE_WORDS, FEMALE_GIVEN, MALE_GIVEN, PRONOUNS, WEAK_CUES } from './quoteLexicon';
import { paragraphKinds } from './structure';
import type { TextSource } from './text';

/**
 * Quote analysis of a whole article: pairs the quotation marks, classifies each
 * quotation (direct speech, partial quote, scare quote, title), finds its
 * speaker and cue, and reports quote-mark problems.
 *
 * Two halves. Everything that depends on one paragraph's text — pairing inside
 * the paragraph, masking, tokens, cue and speaker candidates — lives in
 * quoteLocal.ts and is memoised on the paragraph's analysis object. This file
 * is the article-level pass that runs on every keystroke: it links quotations
 * that continue across paragraphs, resolves speaker candidates to entity
 * mentions (binary search), carries the current speaker from quote to quote,
 * merges interrupted quotations and writes the findings. It touches only the
 * compact per-paragraph data, never the text of unchanged paragraphs.
 */

/** Drop the marks of a closed one-part quotation. */
function scareFix(c: Chain, pps: PerParagraph[], starts: Int32Array): Fix[] | undefined {
  if (c.recs.length !== 1 || c.recs[0].close < 0) return undefined;
  const p = c.paras[0];
  const r = c.recs[0];
  const o = pps[p].marks[r.open];
  const cl = pps[p].marks[r.close];
  const b = starts[p];
  return [
    {
      title: 'Remove the quotation marks',
      edits: [
        { start: b + o.offset, end: b + o.offset + o.mark.length, newText: '' },
        { start: b + cl.offset, end: b + cl.offset + cl.mark.length, newText: '' },
      ],
    },
  ];
}

/** At most this many findings of one code per paragraph (junk text must not flood the editor). */
const MAX_FINDINGS_PER_PARAGRAPH = 20;
/** How many other minority marks the mixed-styles finding lists. */
const MIXED_RELATED = 5;

/** One quotation: its local records in paragraph order (several when it continues across paragraphs). */
class Chain {
  readonly paras: number[];
  readonly recs: LocalRec[];
  readonly depth: number;
  unclosed = false;
  kind: QuoteKind = 'partial';
  speaker: Speaker | null = null;
  /** absolute cue span, cueEnd < 0 when none */
  cueStart = -1;
  cueEnd = -1;
  postAttributionEnd = -1;
  localSpeakerPost = false;
  merged: Chain[] | null = null;
  skip = false;

  constructor(p: number, rec: LocalRec) {
    this.paras = [p];
    this.recs = [rec];
    this.depth = rec.depth;
  }
}

/** Quote pairing, classification, attribution and diagnostics for one article. */
export function analyzeQuotes(input: ArticleInput, entities: Entity[]): { quotes: Quote[]; findings: Finding[] } {
  const steps = analyzeQuotesSteps(input, entities, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * analyzeQuotes as a generator of steps: it yields whenever about `sliceMs` of work
 * has been done since the last pause (checked every few paragraphs or quotations),
 * so a caller can give the event loop a turn between slices on a very long article.
 * Returns the same result as analyzeQuotes; never throws.
 */
export function* analyzeQuotesSteps(input: ArticleInput, entities: Entity[], sliceMs = 4): Generator<void, { quotes: Quote[]; findings: Finding[] }, void> {
  try {
    const r = yield* run(input, entities, new Slicer(sliceMs));
    const findings = r.mixed ? [...r.findings, r.mixed].sort(byPosition) : r.findings;
    states.set(r.quotes, { chainParas: r.chainParas, lastBefore: LastTable.of(r.lastBefore), lastEnd: r.lastAfter, genders: r.genders, counts: mentionCounts(entities), vars: r.vars, kinds: r.kinds, blocked: r.blocked, findings, entities: signature(entities) });
    return { quotes: r.quotes, findings };
  } catch {
    return { quotes: [], findings: [] };
  }
}

const byPosition = (a: Span, b: Span) => a.start - b.start || a.end - b.end;

/** The speaker of the last quotation, carried from quotation to quotation (he/she in the next attribution). */
type Last = { speaker: Speaker; para: number } | null;

/** The paragraphs a run looks at: [from, to), the paragraph before `from` and the one at `to` having no quotation marks. */
interface Range {
  from: number;
  to: number;
  /** the speaker state before the range */
  last: Last;
}

/** What one run of the quote pass found, and what it keeps to splice the next version. */
interface RunResult {
  quotes: Quote[];
  /** the findings of the range, without the mixed-styles finding */
  findings: Finding[];
  /** the article's mixed-styles finding, if any */
  mixed: Finding | undefined;
  /** the first paragraph of each outermost quotation of the range in order, and the speaker state before it */
  chainParas: number[];
  lastBefore: Last[];
  /** the speaker state after the range */
  lastAfter: Last;
  /** the gender of every person, as the pronoun rules read it (a ranged run leaves it empty) */
  genders: Map<string, 'male' | 'female' | null>;
  /** the gender of a person as this run reads it */
  gender(e: Entity): 'male' | 'female' | null;
  /** each paragraph's pairing of its marks, and its kind */
  vars: Variant[];
  kinds: ParagraphKind[];
  /** the article uses the block-quote convention (see blockMarkers) */
  blocked: boolean;
}

/** What a run keeps of an article for splicing the next version, by the quotation list it made. */
interface QuoteState {
  chainParas: number[];
  lastBefore: LastTable;
  /** the speaker state after the last quotation */
  lastEnd: Last;
  genders: Map<string, 'male' | 'female' | null>;
  /** how many mentions each person had */
  counts: Map<string, number>;
  vars: Variant[];
  kinds: ParagraphKind[];
  blocked: boolean;
  findings: Finding[];
  /** id, type and name of every entity, in order */
  entities: string[];
}

const states = new WeakMap<Quote[], QuoteState>();

/**
 * Speaker states in flat arrays: a splice moves the thousands of states after an edit by
 * adding to numbers, not by copying objects. `who` holds each speaker's words (its offsets
 * are those of the arrays).
 */
class LastTable {
  constructor(
    readonly para: Int32Array,
    readonly start: Int32Array,
    readonly end: Int32Array,
    readonly who: readonly (Speaker | null)[],
  ) {}

  static of(list: readonly Last[]): LastTable {
    const n = list.length;
    const t = new LastTable(new Int32Array(n), new Int32Array(n), new Int32Array(n), list.map((l) => l?.speaker ?? null));
    list.forEach((l, i) => {
      t.para[i] = l ? l.para : -1;
      t.start[i] = l ? l.speaker.start : 0;
      t.end[i] = l ? l.speaker.end : 0;
    });
    return t;
  }

  get length(): number {
    return this.para.length;
  }

  get(i: number): Last {
    const who = this.who[i];
    return who && this.para[i] >= 0 ? { speaker: speakerAt(who, this.start[i], this.end[i]), para: this.para[i] } : null;
  }

  /**
   * Entries [0, k) of this table, then `middle`, then entries [k2, length) of this table moved
   * by the edit; undefined when one of those lies in the edited text.
   */
  splice(k: number, middle: LastTable, k2: number, mapPos: (x: number) => number, mapPara: (p: number) => number): LastTable | undefined {
    const tail = this.length - k2;
    const n = k + middle.length + tail;
    const para = new Int32Array(n);
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    para.set(this.para.subarray(0, k), 0);
    start.set(this.start.subarray(0, k), 0);
    end.set(this.end.subarray(0, k), 0);
    para.set(middle.para, k);
    start.set(middle.start, k);
    end.set(middle.end, k);
    const at = k + middle.length;
    for (let i = 0; i < tail; i++) {
      const p = this.para[k2 + i];
      if (p < 0) {
        para[at + i] = -1;
        continue;
      }
      const mp = mapPara(p);
      const ms = mapPos(this.start[k2 + i]);
      const me = mapPos(this.end[k2 + i]);
      if (mp < 0 || ms < 0 || me < 0) return undefined;
      para[at + i] = mp;
      start[at + i] = ms;
      end[at + i] = me;
    }
    return new LastTable(para, start, end, this.who.slice(0, k).concat(middle.who, this.who.slice(k2)));
  }
}

function signature(entities: Entity[]): string[] {
  const out: string[] = [];
  for (const e of entities) out.push(e.id, e.type, e.name);
  return out;
}

/** The ids whose type or name differ between two signatures, or that only one of them has. */
function changedEntities(a: readonly string[], b: readonly string[]): Set<string> {
  const was = new Map<string, string>();
  for (let i = 0; i < a.length; i += 3) was.set(a[i], a[i + 1] + '\u0000' + a[i + 2]);
  const out = new Set<string>();
  for (let i = 0; i < b.length; i += 3) {
    const id = b[i];
    if (was.get(id) !== b[i + 1] + '\u0000' + b[i + 2]) out.add(id);
    was.delete(id);
  }
  for (const id of was.keys()) out.add(id);
  return out;
}

/** Tells a loop when to pause: after `ms` of work, looked at every CHECK_EVERY units. */
class Slicer {
  private count = 0;
  private since: number;
  constructor(readonly ms: number) {
    this.since = ms === Infinity ? 0 : performance.now();
  }
  /** count `units` of work; true when the loop should yield now */
  due(units = 1): boolean {
    if (this.ms === Infinity) return false;
    this.count += units;
    if (this.count < CHECK_EVERY) return false;
    this.count = 0;
    const now = performance.now();
    if (now - this.since < this.ms) return false;
    this.since = now;
    return true;
  }
  /** start a new slice (after a pause) */
  reset(): void {
    this.count = 0;
    this.since = this.ms === Infinity ? 0 : performance.now();
  }
}
const CHECK_EVERY = 64;

/** The first step of a run, over the whole article: each paragraph's pairing of its marks, given what comes before and after it. */
interface Prepared {
  kinds: ParagraphKind[];
  starts: Int32Array;
  ends: Int32Array;
  tab: ParaTable;
  block: Uint8Array | null;
  /** the paragraphs that have quotation marks (the only ones most steps look at) */
  marked: number[];
  /** a quotation continues from the paragraph into the next */
  continuesOut: Uint8Array;
}

function* prepareRun(input: ArticleInput, sl: Slicer): Generator<void, Prepared, void> {
  // (the loops over every paragraph are plain functions the generator resumes: V8 optimises a
  // long loop in the middle of a call only outside a generator, and a splice runs this once an edit)
  const { paragraphs, analyses } = input;
  const n = paragraphs.length;
  const kinds = paragraphKinds(input.structure, n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  paragraphBounds(paragraphs, starts, ends);

  // ---- 1. per-paragraph data and the variant each paragraph needs
  // (paragraphs whose analysis is the one of the previous run take their row from its table)
  const prev = previousTable(analyses);
  const tab = new ParaTable(n);
  {
    const pre = prev ? prev.prefix : 0;
    const suf = prev ? prev.suffix : 0;
    if (prev) tab.copyFrom(prev.table, 0, 0, pre);
    for (let i = pre; i < n - suf; ) {
      i = fillRows(tab, input, i, n - suf, sl);
      if (i < n - suf) {
        yield;
        sl.reset();
      }
    }
    if (prev && suf > 0) tab.copyFrom(prev.table, prev.table.pps.length - suf, n - suf, suf);
  }
  const block = blockMarkers(tab, kinds);
  const pass: VariantPass = { i: 0, continuing: false, marked: [], continuesOut: new Uint8Array(n) };
  while (variantsFrom(pass, tab, kinds, block, sl)) {
    yield;
    sl.reset();
  }
  rememberTable(analyses, tab);
  return { kinds, starts, ends, tab, block, marked: pass.marked, continuesOut: pass.continuesOut };
}

function paragraphBounds(paragraphs: ArticleInput['paragraphs'], starts: Int32Array, ends: Int32Array): void {
  for (let i = 0; i < paragraphs.length; i++) {
    starts[i] = paragraphs[i].start;
    ends[i] = paragraphs[i].end;
  }
}

/** Fill the table's rows from `from` on, until `to` or until the slice is used up; returns where it stopped. */
function fillRows(tab: ParaTable, input: ArticleInput, from: number, to: number, sl: Slicer): number {
  const { paragraphs, analyses } = input;
  let i = from;
  while (i < to) {
    tab.fill(i, perParagraph(analyses[i], paragraphs[i].text));
    i++;
    if (sl.due()) break;
  }
  return i;
}

/** Where the variant pass of prepareRun is, between slices. */
interface VariantPass {
  i: number;
  /** a quotation continues into paragraph i */
  continuing: boolean;
  /** the paragraphs that have quotation marks */
  marked: number[];
  /** a quotation continues from the paragraph into the next */
  continuesOut: Uint8Array;
}

/**
 * The variant each paragraph needs (how its marks pair, given whether a quotation continues
 * into it and how the next one opens), from `pass.i` on. Returns true when it stopped because
 * the slice is used up (before pairing a paragraph afresh, the expensive part), false when done.
 */
function variantsFrom(pass: VariantPass, tab: ParaTable, kinds: ParagraphKind[], block: Uint8Array | null, sl: Slicer): boolean {
  const { pps, fl, fam, vkey, exitFam } = tab;
  const { marked, continuesOut } = pass;
  const n = fl.length;
  let continuing = pass.continuing;
  for (let i = pass.i; i < n; i++) {
    const nextFamily = i + 1 < n && !(block && block[i + 1]) ? fam[i + 1] : 0;
    if (!(fl[i] & F_MARKS)) {
      continuing = false;
      continue;
    }
    const isBlock = !!block && block[i] === 1;
    const key = variantKey(continuing && !isBlock, nextFamily, isBlock);
    if (key !== vkey[i]) {
      // (pairing a paragraph for the first time is the expensive part: count it more)
      if (sl.due(4)) {
        pass.i = i;
        pass.continuing = continuing;
        return true;
      }
      tab.setVariant(i, key, variantOf(pps[i], continuing && !isBlock, nextFamily, isBlock));
    }
    marked.push(i);
    const ef = exitFam[i];
    const cont = ef > 0 && nextFamily === ef && kinds[i] !== 'headline' && (i + 1 >= n || kinds[i + 1] !== 'headline');
    continuesOut[i] = cont ? 1 : 0;
    continuing = cont;
  }
  pass.i = n;
  pass.continuing = continuing;
  return false;
}

function* run(input: ArticleInput, entities: Entity[], sl: Slicer, range?: Range, prepared?: Prepared): Generator<void, RunResult, void> {
  const { text, paragraphs, analyses } = input;
  const n = paragraphs.length;
  const rFrom = range ? range.from : 0;
  const rTo = range ? range.to : n;
  const { kinds, starts, ends, tab, block, marked, continuesOut } = prepared ?? (yield* prepareRun(input, sl));
  const { pps, vars } = tab;

  // ---- 2. chains: one per quotation, linking the parts of multi-paragraph quotations
  const chains: Chain[] = [];
  const incomingChain: (Chain | undefined)[] = new Array(n);
  const junkUnclosed: [number, number][] = [];
  let open: Chain | undefined;
  const inRange = range ? marked.filter((i) => i >= rFrom && i < rTo) : marked;
  for (const i of inRange) {
    if (sl.due()) {
      yield;
      sl.reset();
    }
    const v = vars[i];
    const recs = v.recs;
    let exitChain: Chain | undefined;
    if (v.junk) {
      // not prose: no quotations, only (a bounded number of) unclosed-mark findings
      let count = 0;
      for (let r = 0; r < recs.length; r++) {
        const rec = recs[r];
        if (rec.incoming && open) {
          open.paras.push(i);
          open.recs.push(rec);
          incomingChain[i] = open;
          open.unclosed = rec.unclosed || r === v.exitRec;
        } else if ((rec.unclosed || r === v.exitRec) && ++count <= MAX_FINDINGS_PER_PARAGRAPH) {
          junkUnclosed.push([i, r]);
        }
      }
      open = undefined;
      continue;
    }
    for (let r = 0; r < recs.length; r++) {
      const rec = recs[r];
      let c: Chain;
      if (rec.incoming && open) {
        c = open;
        incomingChain[i] = c;
        c.paras.push(i);
        c.recs.push(rec);
      } else {
        c = new Chain(i, rec);
        chains.push(c);
      }
      if (r === v.exitRec) {
        if (continuesOut[i]) exitChain = c;
        else c.unclosed = true;
      } else if (rec.unclosed) c.unclosed = true;
    }
    open = exitChain;
  }

  // ---- 3. findings on marks
  const findings: Finding[] = [];
  markFindings(inRange, pps, vars, starts, incomingChain, findings, block);
  if (sl.due(CHECK_EVERY)) {
    yield;
    sl.reset();
  }
  let unclosedPara = -1;
  let unclosedCount = 0;
  const unclosedChains: Chain[] = chains.filter((c) => c.unclosed);
  for (const [p, r] of junkUnclosed) {
    const c = new Chain(p, vars[p].recs[r]);
    c.unclosed = true;
    unclosedChains.push(c);
  }
  for (const c of unclosedChains) {
    const li = c.paras.length - 1;
    const lp = c.paras[li];
    const lr = c.recs[li];
    if (lp !== unclosedPara) {
      unclosedPara = lp;
      unclosedCount = 0;
    }
    if (++unclosedCount > MAX_FINDINGS_PER_PARAGRAPH) continue;
    const o = pps[lp].marks[lr.open];
    const oAbs = starts[lp] + o.offset;
    const first = pps[c.paras[0]].marks[c.recs[0].open];
    const firstAbs = starts[c.paras[0]] + first.offset;
    const closer = closerFor(o.mark, o.weight);
    const endAbs = starts[lp] + closingPoint(paragraphs[lp].text, oAbs + o.mark.length - starts[lp], lr.end);
    findings.push({
      start: oAbs,
      end: oAbs + o.mark.length,
      code: 'unclosed-quote',
      severity: o.weight === 'double' ? 'error' : 'warning',
      message: c.recs.length > 1 ? `Quotation continued from an earlier paragraph is never closed.` : `Quotation mark ${o.mark} is never closed.`,
      related: c.recs.length > 1 ? [{ span: { start: firstAbs, end: firstAbs + first.mark.length }, message: 'The quotation starts here' }] : undefined,
      fixes: [{ title: `Insert the closing mark ${closer}`, edits: [{ start: endAbs, end: endAbs, newText: closer }], preferred: true }],
    });
  }
  const mixedList: Finding[] = [];
  mixedStyles(paragraphs, marked, pps, vars, kinds, starts, mixedList);

  // ---- 4. classification and attribution
  const mentions = new Mentions(entities, starts, ends, vars);
  mentions.setEntities(entities);
  mentions.setAnalyses(analyses, text);
  if (sl.due(CHECK_EVERY)) {
    yield;
    sl.reset();
  }
  const ctx: Ctx = { last: null, text, paragraphs, analyses, starts, ends, kinds, vars, mentions };
  let last: Last = range ? range.last : null;
  const chainParas: number[] = [];
  const lastBefore: Last[] = [];
  for (const c of chains) {
    if (sl.due()) {
      yield;
      sl.reset();
    }
    if (c.depth === 0) {
      chainParas.push(c.paras[0]);
      lastBefore.push(last);
      ctx.last = last;
      classifyAndAttribute(c, ctx, last);
      if (c.speaker && (c.kind === 'direct' || c.kind === 'partial')) last = { speaker: c.speaker, para: c.paras[c.paras.length - 1] };
    } else {
      c.kind = c.recs[0].innerKind ?? 'partial';
    }
  }

  // interrupted quotes: “…,” he said, “…” is one quotation
  mergeInterrupted(chains, ctx);
  if (sl.due(CHECK_EVERY)) {
    yield;
    sl.reset();
  }

  // ---- 5. quotes
  const quotes: Quote[] = [];
  for (const c of chains) {
    if (sl.due()) {
      yield;
      sl.reset();
    }
    // a paragraph with hundreds of marks is not prose: its marks are checked, but it yields no quotations
    if (c.skip || vars[c.paras[0]].junk) continue;
    let parts: Span[];
    let inner: Span[];
    let paras: number[];
    let qt: string;
    if (c.recs.length === 1 && !c.merged) {
      const b = starts[c.paras[0]];
      const r = c.recs[0];
      parts = [{ start: b + r.start, end: b + r.end }];
      inner = [{ start: b + r.innerStart, end: b + r.innerEnd }];
      paras = [c.paras[0]];
      qt = text.slice(b + r.innerStart, b + r.innerEnd);
    } else {
      parts = [];
      inner = [];
      paras = [];
      const all = c.merged ? [c, ...c.merged] : [c];
      for (const ch of all) {
        for (let k = 0; k < ch.recs.length; k++) {
          const b = starts[ch.paras[k]];
          const r = ch.recs[k];
          parts.push({ start: b + r.start, end: b + r.end });
          inner.push({ start: b + r.innerStart, end: b + r.innerEnd });
          if (!paras.includes(ch.paras[k])) paras.push(ch.paras[k]);
        }
      }
      qt = text.slice(inner[0].start, inner[0].end);
      for (let k = 1; k < inner.length; k++) qt += ' … ' + text.slice(inner[k].start, inner[k].end);
    }
    const fm = pps[c.paras[0]].marks[c.recs[0].open];
    const q: Quote = {
      start: parts[0].start,
      end: parts[parts.length - 1].end,
      text: qt,
      parts,
      inner,
      kind: c.kind,
      style: styleOf(fm.mark),
      depth: c.depth,
      speaker: c.speaker,
      cue: c.cueEnd >= 0 ? { start: c.cueStart, end: c.cueEnd, text: text.slice(c.cueStart, c.cueEnd) } : undefined,
      paragraphs: paras,
    };
    quotes.push(q);
    const pk = kinds[c.paras[0]] ?? 'body';
    // an unclosed quotation is reported as such, not also as unattributed (its attribution may be inside it)
    // (a headline-style line is not checked: its speaker is in the story)
    if (q.kind === 'direct' && q.depth === 0 && !q.speaker && (pk === 'body' || pk === 'subhead') && !c.unclosed && !analyses[c.paras[0]]?.nlp?.titleCase) {
      findings.push({ start: q.start, end: q.end, code: 'unattributed-quote', severity: 'warning', message: 'Direct quotation with no speaker: add who said it.' });
    }
    if (q.kind === 'scare' && input.options?.scareQuoteHints && pk !== 'boilerplate' && !vars[c.paras[0]].junk) {
      findings.push({
        start: q.start,
        end: q.end,
        code: 'scare-quote',
        severity: 'hint',
        message: `Scare quotes around “${q.text}”: consider attributing the word or dropping the marks.`,
        fixes: scareFix(c, pps, starts),
      });
    }
  }

  findings.sort(byPosition);
  // the gender of every person, kept to tell whether an edit changed one (a splice works out only those it may have changed)
  const genders = new Map<string, 'male' | 'female' | null>();
  if (!range) for (const e of entities) if (e.type === 'person') genders.set(e.id, mentions.gender(e));
  return { quotes, findings, mixed: mixedList[0], chainParas, lastBefore, lastAfter: last, genders, gender: (e) => mentions.gender(e), vars, kinds, blocked: !!block };
}

// ---------------------------------------------------------------------------
// Mark findings
// ---------------------------------------------------------------------------

/**
 * The paragraphs whose opening straight " is the excerpt marker of the block-quote
 * convention (see blockShape), or null when the article has none. Only in an
 * article that quotes with curly marks (they outnumber the other straight double
 * marks three to one), and only for a paragraph whose single straight double mark is
 * that opener; and the paragraph itself quotes with curly marks, or the article
 * uses the convention at least twice. A lone forgotten closing mark in an
 * otherwise straight-quoted article is still reported.
 */
function blockMarkers(tab: ParaTable, kinds: ParagraphKind[]): Uint8Array | null {
  const { fl, straight: st, curly: cu } = tab;
  const n = fl.length;
  let straight = 0;
  let curly = 0;
  let openers = 0;
  for (let i = 0; i < n; i++) {
    const f = fl[i];
    if (!(f & F_MARKS) || kinds[i] === 'boilerplate') continue;
    // straight marks other than the convention's own lone ones
    straight += st[i] - (f & (F_LONE_OPENER | F_LONE_CLOSER) ? 1 : 0);
    curly += cu[i];
    if (f & F_LONE_OPENER) openers++;
  }
  if (openers === 0 || curly < 4 || curly < 3 * straight) return null;
  const out = new Uint8Array(n);
  let any = false;
  // a run of lone openers followed by a paragraph that reopens with a straight " and closes it is the
  // ordinary multi-paragraph convention, not excerpt markers
  let normalRun = false;
  for (let i = n - 1; i >= 0; i--) {
    if (!(fl[i] & F_LONE_OPENER)) {
      normalRun = false;
      continue;
    }
    const nf = i + 1 < n ? fl[i + 1] : 0;
    const nextStraight = (nf & F_STARTS_STRAIGHT) !== 0;
    normalRun = nextStraight && (nf & F_LONE_OPENER ? normalRun : true);
    if (normalRun) continue;
    if (kinds[i] === 'boilerplate' || kinds[i] === 'headline') continue;
    if (cu[i] >= 2 || openers >= 2) {
      out[i] = 1;
      any = true;
    }
  }
  return any ? out : null;
}

// ---------------------------------------------------------------------------
// The per-paragraph table of a run
// ---------------------------------------------------------------------------

const F_MARKS = 1;
const F_LONE_OPENER = 2;
const F_LONE_CLOSER = 4;
/** the first mark is a straight " at offset 0 */
const F_STARTS_STRAIGHT = 8;

/**
 * What the article pass reads about every paragraph, in flat arrays: filled from the
 * per-paragraph memo for paragraphs new to this run, copied from the previous run's
 * table for the others (so an edit does not touch every paragraph's objects again).
 */
class ParaTable {
  readonly pps: PerParagraph[];
  readonly vars: Variant[];
  readonly fl: Uint8Array;
  readonly fam: Uint8Array;
  readonly straight: Int32Array;
  readonly curly: Int32Array;
  /** key of the variant in vars (-1: none yet) */
  readonly vkey: Int16Array;
  /** the exit family of the variant when its exit record can continue (not junk), else 0 */
  readonly exitFam: Uint8Array;

  constructor(n: number) {
    this.pps = new Array(n);
    this.vars = new Array(n);
    this.fl = new Uint8Array(n);
    this.fam = new Uint8Array(n);
    this.straight = new Int32Array(n);
    this.curly = new Int32Array(n);
    this.vkey = new Int16Array(n);
    this.exitFam = new Uint8Array(n);
  }

  fill(i: number, pp: PerParagraph): void {
    this.pps[i] = pp;
    this.fam[i] = openingFamily(pp);
    if (pp.marks.length === 0) {
      this.fl[i] = 0;
      this.vars[i] = pp.v!;
      this.vkey[i] = -2;
      return;
    }
    const s = blockShape(pp);
    const m0 = pp.marks[0];
    this.fl[i] = F_MARKS | (s.loneOpener ? F_LONE_OPENER : 0) | (s.loneCloserAtEnd >= 0 ? F_LONE_CLOSER : 0) | (m0.offset === 0 && m0.mark === '"' ? F_STARTS_STRAIGHT : 0);
    this.straight[i] = s.straight;
    this.curly[i] = s.curly;
    this.vkey[i] = -1;
  }

  setVariant(i: number, key: number, v: Variant): void {
    this.vars[i] = v;
    this.vkey[i] = key;
    this.exitFam[i] = v.exitRec >= 0 && !v.junk ? v.exitFamily : 0;
  }

  copyFrom(src: ParaTable, from: number, to: number, count: number): void {
    if (count <= 0) return;
    for (let k = 0; k < count; k++) {
      this.pps[to + k] = src.pps[from + k];
      this.vars[to + k] = src.vars[from + k];
    }
    this.fl.set(src.fl.subarray(from, from + count), to);
    this.fam.set(src.fam.subarray(from, from + count), to);
    this.straight.set(src.straight.subarray(from, from + count), to);
    this.curly.set(src.curly.subarray(from, from + count), to);
    this.vkey.set(src.vkey.subarray(from, from + count), to);
    this.exitFam.set(src.exitFam.subarray(from, from + count), to);
  }
}

/**
 * The tables of recent runs, by their analyses array (the article keeps that array while it
 * is the current version, so a table lives as long as its document's last analysis).
 */
const tables = new WeakMap<ParagraphAnalysis[], ParaTable>();
const recentRuns: WeakRef<ParagraphAnalysis[]>[] = [];
const RECENT_RUNS = 4;

/** The recent run sharing the longest prefix and suffix of analysis objects with this one. */
function previousTable(analyses: ParagraphAnalysis[]): { table: ParaTable; prefix: number; suffix: number } | null {
  const n = analyses.length;
  let best: { table: ParaTable; prefix: number; suffix: number } | null = null;
  for (const ref of recentRuns) {
    const old = ref.deref();
    if (!old || old === analyses) continue;
    const table = tables.get(old);
    if (!table || table.pps.length !== old.length) continue;
    const m = old.length;
    const lim = Math.min(n, m);
    let prefix = 0;
    while (prefix < lim && old[prefix] === analyses[prefix]) prefix++;
    let suffix = 0;
    while (suffix < lim - prefix && old[m - 1 - suffix] === analyses[n - 1 - suffix]) suffix++;
    if (prefix + suffix > 0 && (!best || prefix + suffix > best.prefix + best.suffix)) best = { table, prefix, suffix };
  }
  return best;
}

function rememberTable(analyses: ParagraphAnalysis[], tab: ParaTable): void {
  if (!Array.isArray(analyses)) return;
  tables.set(analyses, tab);
  for (let k = recentRuns.length - 1; k >= 0; k--) {
    const a = recentRuns[k].deref();
    if (!a || a === analyses) recentRuns.splice(k, 1);
  }
  recentRuns.unshift(new WeakRef(analyses));
  if (recentRuns.length > RECENT_RUNS) recentRuns.length = RECENT_RUNS;
}

function markFindings(
  marked: number[],
  pps: PerParagraph[],
  vars: Variant[],
  starts: Int32Array,
  incomingChain: (Chain | undefined)[],
  findings: Finding[],
  block: Uint8Array | null,
): void {
  for (const i of marked) {
    if (!vars[i].problems) continue;
    const marks = pps[i].marks;
    const b = starts[i];
    let count = 0;
    // the straight " that ends a block-quoted excerpt right after its marked paragraphs
    const blockEnd = block && ((i > 0 && block[i - 1]) || (i > 1 && block[i - 2])) ? blockShape(pps[i]).loneCloserAtEnd : -1;
    for (const k of vars[i].unopened) {
      if (k === blockEnd) continue;
      if (++count > MAX_FINDINGS_PER_PARAGRAPH) break;
      const m = marks[k];
      const abs = b + m.offset;
      const sentStart = b + sentenceStartPlain(pps[i].text, m.offset, 0);
      const opener = openerFor(m.mark, m.weight);
      findings.push({
        start: abs,
        end: abs + m.mark.length,
        code: 'unopened-quote',
        severity: 'error',
        message: `Closing quotation mark ${m.mark} has no opening mark.`,
        fixes: [
          { title: `Insert the opening mark ${opener} at the start of the sentence`, edits: [{ start: sentStart, end: sentStart, newText: opener }], preferred: true },
          { title: 'Remove the stray closing mark', edits: [{ start: abs, end: abs + m.mark.length, newText: '' }] },
        ],
      });
    }
  }
  for (const i of marked) {
    if (!vars[i].problems) continue;
    const marks = pps[i].marks;
    const b = starts[i];
    let count = 0;
    for (const [ok, ck] of vars[i].mismatches) {
      if (++count > MAX_FINDINGS_PER_PARAGRAPH) break;
      const open = marks[ok];
      const close = marks[ck];
      const openerIsValid = hasCloserList(open.mark);
      const oAbs = b + open.offset;
      const cAbs = b + close.offset;
      const edit: TextEdit = openerIsValid
        ? { start: cAbs, end: cAbs + close.mark.length, newText: closerFor(open.mark, open.weight) }
        : { start: oAbs, end: oAbs + open.mark.length, newText: openerFor(close.mark, close.weight) };
      const target = openerIsValid ? { m: close, abs: cAbs } : { m: open, abs: oAbs };
      const partner = openerIsValid ? { m: open, abs: oAbs } : { m: close, abs: cAbs };
      findings.push({
        start: target.abs,
        end: target.abs + target.m.mark.length,
        code: 'mismatched-quote',
        severity: 'warning',
        message: openerIsValid
          ? `Quotation opened with ${open.mark} is closed with ${close.mark}; expected ${edit.newText}.`
          : `Quotation closed with ${close.mark} is opened with ${open.mark}; expected ${edit.newText}.`,
        related: [{ span: { start: partner.abs, end: partner.abs + partner.m.mark.length }, message: openerIsValid ? 'Opening mark' : 'Closing mark' }],
        fixes: [{ title: `Replace ${target.m.mark} with ${edit.newText}`, edits: [edit], preferred: true }],
      });
    }
  }
  for (const i of marked) {
    if (!vars[i].problems) continue;
    const marks = pps[i].marks;
    const v = vars[i];
    const b = starts[i];
    let count = 0;
    for (const [ii, oi] of v.nested) {
      const inner = v.recs[ii];
      if (inner.close < 0) continue;
      if (++count > MAX_FINDINGS_PER_PARAGRAPH) break;
      const o = marks[inner.open];
      const c = marks[inner.close];
      const outer = v.recs[oi];
      let outerAbs = b + marks[outer.open].offset;
      let outerLen = marks[outer.open].mark.length;
      if (outer.incoming && incomingChain[i]) {
        const ch = incomingChain[i]!;
        const fm = pps[ch.paras[0]].marks[ch.recs[0].open];
        outerAbs = starts[ch.paras[0]] + fm.offset;
        outerLen = fm.mark.length;
      }
      const oAbs = b + o.offset;
      const cAbs = b + c.offset;
      const single = singleFor(o.mark);
      const singleClose = singleFor(c.mark, true);
      findings.push({
        start: oAbs,
        end: oAbs + o.mark.length,
        code: 'nested-double-quote',
        severity: 'warning',
        message: `Double quotation mark ${o.mark} inside a double-quoted passage; a quote within a quote takes single marks.`,
        related: [
          { span: { start: cAbs, end: cAbs + c.mark.length }, message: 'Closing mark of the inner quotation' },
          { span: { start: outerAbs, end: outerAbs + outerLen }, message: 'Opening mark of the outer quotation' },
        ],
        fixes: [
          {
            title: `Convert the inner quotation marks to ${single} ${singleClose}`,
            edits: [
              { start: oAbs, end: oAbs + o.mark.length, newText: single },
              { start: cAbs, end: cAbs + c.mark.length, newText: singleClose },
            ],
            preferred: true,
          },
        ],
      });
    }
  }
}

function paraOf(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
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
// Mixed styles: one finding per article
// ---------------------------------------------------------------------------

function mixedStyles(
  paragraphs: ArticleInput['paragraphs'],
  marked: number[],
  pps: PerParagraph[],
  vars: Variant[],
  kinds: ParagraphKind[],
  starts: Int32Array,
  findings: Finding[],
): void {
  let straight = 0;
  let curly = 0;
  for (const i of marked) {
    if (kinds[i] === 'boilerplate') continue;
    const v = vars[i];
    straight += v.straight;
    curly += v.curly;
  }
  if (straight === 0 || curly === 0) return;
  const toCurly = straight <= curly;
  const minority: { para: number; mark: number }[] = [];
  let total = 0;
  for (const i of marked) {
    if (kinds[i] === 'boilerplate') continue;
    const v = vars[i];
    const count = toCurly ? v.straight : v.curly;
    total += count;
    if (count === 0 || minority.length > MIXED_RELATED) continue;
    // the minority marks themselves, in order (only for the first few paragraphs that have any)
    const marks = pps[i].marks;
    for (let k = 0; k < marks.length; k++) {
      const m = marks[k];
      if (m.weight !== 'double' || resolutionOf(v, k) === R_IGNORED) continue;
      if (!(toCurly ? m.mark === '"' : isCurlyDouble(m.mark))) continue;
      if (minority.length > MIXED_RELATED) break;
      minority.push({ para: i, mark: k });
    }
  }
  const abs = (x: { para: number; mark: number }) => {
    const m = pps[x.para].marks[x.mark];
    return { start: starts[x.para] + m.offset, end: starts[x.para] + m.offset + m.mark.length };
  };
  const first = abs(minority[0]);
  const firstMark = pps[minority[0].para].marks[minority[0].mark].mark;
  const majorityName = toCurly ? 'curly' : 'straight';
  const fixes = [
    lazyFix(toCurly ? 'Convert straight quotes to curly quotes in the whole article' : 'Convert curly quotes to straight quotes in the whole article', true, () =>
      conversionEdits(paragraphs, pps, vars, kinds, starts, toCurly),
    ),
    lazyFix(toCurly ? 'Convert curly quotes to straight quotes in the whole article' : 'Convert straight quotes to curly quotes in the whole article', false, () =>
      conversionEdits(paragraphs, pps, vars, kinds, starts, !toCurly),
    ),
  ];
  findings.push({
    start: first.start,
    end: first.end,
    code: 'mixed-quote-styles',
    severity: 'information',
    message:
      `${firstMark === '"' ? 'Straight' : 'Curly'} quotation mark in an article that mostly uses ${majorityName} quotation marks ` +
      `(${total} ${toCurly ? 'straight' : 'curly'} against ${toCurly ? curly : straight} ${majorityName}).`,
    related: minority.slice(1).map((x) => ({ span: abs(x), message: `Another ${toCurly ? 'straight' : 'curly'} quotation mark` })),
    fixes,
  });
}

/** A fix whose edits are computed when first read (an article-wide conversion can be thousands of edits). */
function lazyFix(title: string, preferred: boolean, make: () => TextEdit[]): Fix {
  let edits: TextEdit[] | undefined;
  const fix = { title, preferred } as Fix;
  Object.defineProperty(fix, 'edits', {
    enumerable: true,
    get: () => (edits ??= make()),
  });
  return fix;
}

const straightApostropheMemo = new WeakMap<PerParagraph, { straight: number[]; curly: number[] }>();

/** Apostrophes in a paragraph that are not quotation marks: straight ' and curly ’. */
function apostrophes(pp: PerParagraph): { straight: number[]; curly: number[] } {
  let a = straightApostropheMemo.get(pp);
  if (!a) {
    a = apostrophesIn(pp.text, pp.marks);
    straightApostropheMemo.set(pp, a);
  }
  return a;
}

function apostrophesIn(t: string, marks: QuoteMarkToken[]): { straight: number[]; curly: number[] } {
  const markAt = new Set<number>();
  for (const m of marks) for (let k = 0; k < m.mark.length; k++) markAt.add(m.offset + k);
  const a = { straight: [] as number[], curly: [] as number[] };
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if ((c === "'" || c === '’') && !markAt.has(i)) (c === "'" ? a.straight : a.curly).push(i);
  }
  return a;
}

/**
 * Every edit that converts the article's quotation marks (and apostrophes) to one
 * style. Boilerplate paragraphs (source links, related headlines) are left as they are:
 * they are not the writer's text.
 */
function conversionEdits(paragraphs: ArticleInput['paragraphs'], pps: PerParagraph[], vars: Variant[], kinds: ParagraphKind[], starts: Int32Array, toCurly: boolean): TextEdit[] {
  const edits: TextEdit[] = [];
  for (let i = 0; i < pps.length; i++) {
    if (kinds[i] === 'boilerplate') continue;
    const pp = pps[i];
    const v = vars[i];
    const b = starts[i];
    const ap = pp.marks.length > 0 ? apostrophes(pp) : apostrophesIn(paragraphs[i].text, pp.marks);
    const local: TextEdit[] = [];
    pp.marks.forEach((m, k) => {
      const res = resolutionOf(v, k);
      const isOpen = res === R_OPEN || (res === R_NONE && m.role === 'open');
      if (toCurly) {
        if (m.mark === '"' || m.mark === "''" || m.mark === '``') local.push({ start: b + m.offset, end: b + m.offset + m.mark.length, newText: isOpen ? '“' : '”' });
        else if (m.mark === "'") local.push({ start: b + m.offset, end: b + m.offset + 1, newText: res === R_OPEN ? '‘' : '’' });
      } else {
        if (m.weight === 'double' && m.mark !== '"' && m.mark !== '«' && m.mark !== '»') local.push({ start: b + m.offset, end: b + m.offset + m.mark.length, newText: '"' });
        else if (m.mark === '‘' || m.mark === '’') local.push({ start: b + m.offset, end: b + m.offset + 1, newText: "'" });
      }
    });
    for (const o of toCurly ? ap.straight : ap.curly) local.push({ start: b + o, end: b + o + 1, newText: toCurly ? '’' : "'" });
    local.sort((x, y) => x.start - y.start);
    for (const e of local) edits.push(e);
  }
  return edits;
}

// ---------------------------------------------------------------------------
// Mentions
// ---------------------------------------------------------------------------

/**
 * Entity mentions bucketed by paragraph, sorted by start inside each bucket, in
 * flat arrays (a counting sort: linear, few allocations): mentions of paragraph p
 * are at [off[p], off[p + 1]).
 */
class Mentions {
  readonly allM: Mention[] = [];
  readonly allE: Entity[] = [];
  readonly allOff: Int32Array;
  readonly pplM: Mention[] = [];
  readonly pplE: Entity[] = [];
  readonly pplOff: Int32Array;
  private readonly genders = new Map<string, 'male' | 'female' | null>();

  constructor(
    entities: Entity[],
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    readonly vars: Variant[],
  ) {
    const n = starts.length;
    let total = 0;
    for (const e of entities ?? []) total += e.mentions?.length ?? 0;
    const pm = new Int32Array(total);
    const cntA = new Int32Array(n + 1);
    const cntP = new Int32Array(n + 1);
    let k = 0;
    for (const e of entities ?? []) {
      const person = e.type === 'person';
      for (const m of e.mentions ?? []) {
        let p = m.paragraph;
        if (!(p >= 0 && p < n && starts[p] <= m.start && m.start < ends[p])) {
          p = n > 0 ? paraOf(starts, m.start) : -1;
          if (p < 0 || m.start < starts[p] || m.start >= ends[p]) p = -1;
        }
        pm[k++] = p;
        if (p < 0) continue;
        cntA[p + 1]++;
        if (person) cntP[p + 1]++;
      }
    }
    for (let i = 0; i < n; i++) {
      cntA[i + 1] += cntA[i];
      cntP[i + 1] += cntP[i];
    }
    this.allOff = cntA.slice();
    this.pplOff = cntP.slice();
    this.allM.length = cntA[n];
    this.allE.length = cntA[n];
    this.pplM.length = cntP[n];
    this.pplE.length = cntP[n];
    k = 0;
    for (const e of entities ?? []) {
      const person = e.type === 'person';
      for (const m of e.mentions ?? []) {
        const p = pm[k++];
        if (p < 0) continue;
        const a = cntA[p]++;
        this.allM[a] = m;
        this.allE[a] = e;
        if (person) {
          const q = cntP[p]++;
          this.pplM[q] = m;
          this.pplE[q] = e;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      sortSegment(this.allM, this.allE, this.allOff[i], this.allOff[i + 1]);
      sortSegment(this.pplM, this.pplE, this.pplOff[i], this.pplOff[i + 1]);
    }
  }

  private byId?: Map<string, Entity>;
  private entityList: Entity[] = [];

  setEntities(entities: Entity[]): void {
    this.entityList = entities ?? [];
  }

  entityById(id: string): Entity | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const e of this.entityList) this.byId.set(e.id, e);
    }
    return this.byId.get(id);
  }

  private analyses?: ArticleInput['analyses'];

  private text: TextSource = '';

  setAnalyses(analyses: ArticleInput['analyses'], text: TextSource): void {
    this.analyses = analyses;
    this.text = text;
  }

  gender(e: Entity): 'male' | 'female' | null {
    let g = this.genders.get(e.id);
    if (g === undefined) {
      g = entityGender(e) ?? this.pronounGender(e);
      this.genders.set(e.id, g);
    }
    return g;
  }

  /**
   * A person's gender from the writer's pronouns: the first he/his/him or she/her after
   * a mention, in the same sentence, with no other person named in between
   * ("Rakeyia Scott told officers that her husband …"). A majority of a few mentions.
   */
  private pronounGender(e: Entity): 'male' | 'female' | null {
    if (e.type !== 'person' || !this.analyses) return null;
    let male = 0;
    let female = 0;
    const ms = e.mentions;
    for (let i = 0, seen = 0; i < ms.length && seen < 12; i++) {
      const m = ms[i];
      const p = m.paragraph;
      if (!(p >= 0 && p < this.starts.length) || m.start < this.starts[p] || m.start >= this.ends[p]) continue;
      const nlp = this.analyses[p]?.nlp;
      if (!nlp?.pronouns?.length) continue;
      seen++;
      const b = this.starts[p];
      const relEnd = m.end - b;
      const prons = nlp.pronouns;
      let lo = 0;
      let hi = prons.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (prons[mid].start < relEnd) lo = mid + 1;
        else hi = mid;
      }
      // the first gendered pronoun after the mention, outside quotations
      let pr = null;
      for (let k = lo; k < prons.length && k < lo + 6; k++) {
        if (prons[k].start - relEnd > 160) break;
        if (this.insideQuote(p, b + prons[k].start)) continue;
        if (prons[k].gender === 'male' || prons[k].gender === 'female') {
          pr = prons[k];
          break;
        }
        if (prons[k].gender === 'plural') break;
      }
      if (!pr) continue;
      // same sentence: no sentence end in between
      let sentenceEnd = false;
      for (const s of nlp.sentences) {
        if (s.end > relEnd && s.end <= pr.start) {
          sentenceEnd = true;
          break;
        }
      }
      if (sentenceEnd) continue;
      // no other person named in between
      let other = false;
      for (let k = this.pplOff[p]; k < this.pplOff[p + 1]; k++) {
        const o = this.pplM[k];
        if (o.start >= m.end && o.start < b + pr.start && this.pplE[k] !== e) {
          other = true;
          break;
        }
      }
      // nor anyone else likely: a capitalised word in between ("said to the Republican nominee, who … his")
      if (other || /\s\p{Lu}/u.test(this.text.slice(m.end, b + pr.start))) continue;
      if (pr.gender === 'male') male++;
      else female++;
    }
    if (male > female) return 'male';
    if (female > male) return 'female';
    return null;
  }

  /** Is the absolute position (in paragraph p) inside a depth-0 quotation? */
  insideQuote(p: number, pos: number): boolean {
    const v = this.vars[p];
    if (!v) return false;
    const list = v.topInner;
    const rel = pos - this.starts[p];
    if (list === null) {
      // every record is a depth-0 quotation: the records, sorted by start, are the list
      const recs = v.recs;
      let lo = 0;
      let hi = recs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (recs[mid].innerStart <= rel) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0) return false;
      return rel < recs[lo - 1].innerEnd;
    }
    if (list.length === 0) return false;
    // pairs [start, end] sorted by start
    let lo = 0;
    let hi = list.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid * 2] <= rel) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return false;
    return rel < list[(lo - 1) * 2 + 1];
  }
}

/** Sort ms[from, to) by start, keeping es in step (insertion sort for the usual short segments). */
function sortSegment(ms: Mention[], es: Entity[], from: number, to: number): void {
  if (to - from < 2) return;
  if (to - from <= 24) {
    for (let i = from + 1; i < to; i++) {
      const m = ms[i];
      const e = es[i];
      let j = i - 1;
      while (j >= from && ms[j].start > m.start) {
        ms[j + 1] = ms[j];
        es[j + 1] = es[j];
        j--;
      }
      ms[j + 1] = m;
      es[j + 1] = e;
    }
    return;
  }
  const idx = Array.from({ length: to - from }, (_, i) => from + i);
  idx.sort((a, b) => ms[a].start - ms[b].start || a - b);
  const m2 = idx.map((i) => ms[i]);
  const e2 = idx.map((i) => es[i]);
  for (let i = 0; i < m2.length; i++) {
    ms[from + i] = m2[i];
    es[from + i] = e2[i];
  }
}

function entityGender(e: Entity): 'male' | 'female' | null {
  if (e.type !== 'person') return null;
  // the first mentions carry the honorific if any does ("Mr. Smith" … "Smith"): a bounded look
  const ms = e.mentions;
  for (let i = 0; i < ms.length && i < 40; i++) {
    const m = ms[i];
    const p = m.prefix?.text.toLowerCase().replace(/\.$/, '');
    if (!p) continue;
    if (p === 'mr' || p === 'sir' || p === 'lord' || p === 'king' || p === 'prince' || p === 'father') return 'male';
    if (p === 'mrs' || p === 'ms' || p === 'miss' || p === 'dame' || p === 'lady' || p === 'queen' || p === 'princess' || p === 'mme') return 'female';
  }
  const t = e.titles.join(' ').toLowerCase();
  if (/\b(mr|sir|king|prince)\b/.test(t)) return 'male';
  if (/\b(mrs|ms|miss|queen|princess)\b/.test(t)) return 'female';
  // a given name: "Hillary Clinton", "Donald J. Trump"
  // (the first word that is a given name: "White House Press Secretary Josh Earnest")
  for (const n of [e.name, ...(e.aliases ?? [])]) {
    for (const w of n.toLowerCase().split(/\s+/).slice(0, 6)) {
      if (MALE_GIVEN.has(w)) return 'male';
      if (FEMALE_GIVEN.has(w)) return 'female';
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Classification and attribution
// ---------------------------------------------------------------------------

interface Ctx {
  /** the speaker of the last quotation, for he/she in the next attribution */
  last: { speaker: Speaker; para: number } | null;
  text: TextSource;
  paragraphs: ArticleInput['paragraphs'];
  analyses: ArticleInput['analyses'];
  starts: Int32Array;
  ends: Int32Array;
  kinds: ParagraphKind[];
  vars: Variant[];
  mentions: Mentions;
}

/** A local speaker candidate of paragraph p, resolved against the entity mentions. */
function resolve(ctx: Ctx, ls: LocalSpeaker | null | undefined, p: number, forceVia?: Speaker['via']): Speaker | null {
  if (!ls) return null;
  const b = ctx.starts[p];
  const start = b + ls.start;
  const end = b + ls.end;
  const M = ctx.mentions;
  let bestM: Mention | null = null;
  let bestE: Entity | null = null;
  {
    const from = M.allOff[p];
    const to = M.allOff[p + 1];
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (M.allM[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = Math.max(from, lo - 1); i < to && M.allM[i].start < end; i++) {
      const m = M.allM[i];
      const e = M.allE[i];
      if (m.end <= start) continue;
      if (ls.common && e.type === 'place') continue;
      if (!bestE) {
        bestM = m;
        bestE = e;
      } else if ((bestE.type !== 'person' && e.type === 'person') || (bestE.type === 'place' && e.type === 'organization')) {
        bestM = m;
        bestE = e;
      }
      if (bestE.type === 'person') break;
    }
  }
  const via: Speaker['via'] = ls.via === 'according-to' || ls.via === 'previous-sentence' ? ls.via : 'name';
  let sp: Speaker;
  if (bestM && bestE) {
    sp = { start: bestM.start, end: bestM.end, text: bestM.text, name: bestE.name, entity: bestE.id, via };
  } else {
    const fs = b + ls.fbStart;
    const fe = b + ls.fbEnd;
    const fbText = ctx.paragraphs[p].text.slice(ls.fbStart, ls.fbEnd);
    if (ls.fbKind === 'pronoun') {
      const resolved = resolvePronoun(ctx, p, fs, b + ls.sentStart, fbText.toLowerCase(), ls.via !== 'previous-sentence');
      sp = { start: fs, end: fe, text: fbText, name: resolved ? resolved.name : fbText, entity: resolved?.id, via: ls.via === 'previous-sentence' ? 'previous-sentence' : 'pronoun' };
    } else if (ls.fbKind === 'name') {
      sp = { start: fs, end: fe, text: fbText, name: fbText, via };
    } else {
      sp = { start: fs, end: fe, text: fbText, name: fbText, via: ls.via === 'name' ? 'noun-phrase' : ls.via };
    }
  }
  if (forceVia) sp.via = forceVia;
  return sp;
}

/**
 * The person a he/she refers to, among the persons mentioned outside quotations
 * (a bounded look back): a compatible person named earlier in the same sentence;
 * else the speaker of the last quotation when still close; else the nearest person
 * who is the subject of a sentence ("Lynch said …", "Mr. Hale, 52, …"); else, when the
 * nearest paragraph naming someone compatible names them only in passing, the last
 * speaker; else that paragraph's first such person.
 */
function resolvePronoun(ctx: Ctx, p: number, pos: number, sentStart: number, pronoun: string, useLast: boolean): { id: string; name: string } | null {
  const gender = PRONOUNS[pronoun];
  if (gender !== 'male' && gender !== 'female') return null;
  const M = ctx.mentions;
  // “…,” he said — when nobody compatible is named in the sentence, "he" is usually the one still speaking
  const last = useLast ? ctx.last : null;
  const lastEntity = last?.speaker.entity ? M.entityById(last.speaker.entity) : undefined;
  const lastGender = lastEntity ? M.gender(lastEntity) : null;
  const lastCompatible = !!lastEntity && lastEntity.type === 'person' && last!.para <= p && p - last!.para <= 3 && (lastGender === gender || lastGender === null);
  const lastKnown = lastCompatible && lastGender === gender;
  const lastOk = lastKnown && p - last!.para <= 1;
  let subject: Entity | null = null;
  const pick = (e: Entity) => ({ id: e.id, name: e.name });
  let chosen: Entity | null = null;
  let chosenPara = -1;
  let steps = 0;
  for (let q = p; q >= 0 && steps < 60; q--) {
    if (q < p && pos - ctx.ends[q] > 6000) break;
    if (chosen && q !== chosenPara) break;
    const from = M.pplOff[q];
    const to = M.pplOff[q + 1];
    if (from === to) continue;
    let i = to - 1;
    if (q === p) {
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (M.pplM[mid].start < pos) lo = mid + 1;
        else hi = mid;
      }
      i = lo - 1;
    }
    for (; i >= from && steps < 60; i--, steps++) {
      const m = M.pplM[i];
      const e = M.pplE[i];
      if (pos - m.end > 6000) return subject ? pick(subject) : chosen ? pick(chosen) : lastKnown ? pick(lastEntity!) : null;
      if (M.insideQuote(q, m.start)) continue;
      const g = M.gender(e);
      if (g && g !== gender) continue;
      if (q === p && m.start >= sentStart) return pick(e);
      if (lastOk) return pick(lastEntity!);
      // the nearest subject of a sentence in the nearest paragraph naming someone compatible
      if (!subject && isSubjectMention(ctx, q, m)) subject = e;
      if (!chosen) chosenPara = q;
      chosen = e;
    }
    if (subject) return pick(subject);
    if (chosen && chosenPara === q) {
      // that paragraph names someone compatible only in passing ("… investigating his wife, Hillary Clinton")
      if (lastKnown && last!.para >= q - 1 && lastEntity !== chosen) return pick(lastEntity!);
      break;
    }
  }
  if (!chosen && lastKnown) return pick(lastEntity!);
  return chosen ? pick(chosen) : null;
}

/**
 * Is the mention the subject of its sentence: it opens the sentence (after a short
 * title: "Democratic nominee Hillary Clinton"), or a speech verb follows it ("…, Lynch said").
 */
function isSubjectMention(ctx: Ctx, q: number, m: Mention): boolean {
  const t = ctx.paragraphs[q].text;
  const b = ctx.starts[q];
  const rs = m.start - b;
  const re = m.end - b;
  if (rs < 0 || re > t.length) return false;
  // what follows: [’s is not a subject] a cue, or an auxiliary and a cue
  if (m.possessive) return false;
  const after = /^\s*(?:,[^,]{0,60},\s*)?(\p{L}+)(?:\s+(\p{L}+))?/u.exec(t.slice(re, re + 90));
  if (after) {
    const w1 = after[1].toLowerCase();
    const w2 = after[2]?.toLowerCase();
    if (CUE_WORDS.has(w1) && !WEAK_CUES.has(w1)) return true;
    if (w2 && /^(also|has|had|later|then|once|again|previously|repeatedly)$/.test(w1) && CUE_WORDS.has(w2) && !WEAK_CUES.has(w2)) return true;
  }
  const sentences = ctx.analyses[q]?.nlp?.sentences;
  let start = 0;
  if (sentences && sentences.length) {
    let lo = 0;
    let hi = sentences.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sentences[mid].start <= rs) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) start = sentences[lo - 1].start;
  }
  if (rs - start > 80) return false;
  const prefix = t.slice(start, rs).replace(/^[\s"“‘'(\[—–-]+/, '');
  if (prefix === '') return true;
  const words = prefix.split(/\s+/).filter(Boolean);
  if (words.length > 4) return false;
  // "But Mr.", "Democratic presidential nominee", "The former governor,"
  return words.every((w) => !/^(of|to|with|for|on|in|at|by|about|from|after|before|during|against|than|that|when|while|if|because|said|says|told)$/i.test(w)) && !/[,;:]\s*$/.test(prefix.trim()) === true;
}

/**
 * The number of words of a quotation of several parts (the parts' words in order, read
 * until more than 14) and whether they look like a title, from each part's count and flags.
 */
function chainWordInfo(c: Chain): { count: number; title: boolean } {
  let count = 0;
  let first = -1;
  let all = true;
  for (const r of c.recs) {
    if (first < 0 && r.wordCount > 0) first = r.wordFlags & WF_FIRST_UPPER;
    if (r.wordCount > 0 && !(r.wordFlags & WF_ALL_TITLE)) all = false;
    count += r.wordCount;
    if (count > 14) break;
  }
  return { count, title: isTitleCaseInfo(count, (first > 0 ? WF_FIRST_UPPER : 0) | (all ? WF_ALL_TITLE : 0)) };
}

function classifyAndAttribute(c: Chain, ctx: Ctx, last: { speaker: Speaker; para: number } | null): void {
  const fp = c.paras[0];
  const lp = c.paras[c.paras.length - 1];
  const f = c.recs[0];
  const l = c.recs[c.recs.length - 1];
  const preF = f.pre;
  const postF = l.post;
  if (!preF || !postF || ctx.vars[fp].junk || ctx.vars[lp].junk) {
    c.kind = 'scare';
    return;
  }
  let wordCount: number;
  let titleWords: boolean;
  if (c.recs.length === 1) {
    wordCount = f.wordCount;
    titleWords = f.titleWords;
  } else {
    const info = chainWordInfo(c);
    wordCount = info.count;
    titleWords = info.title;
  }
  const { startsLower, atStart } = preF;
  const { terminalInside } = postF;
  const pre = preF.pre;
  const post = postF.post;
  // a title ends its sentence with the period inside the marks (on “Fox and Friends.”) only in the middle of the writer's sentence
  const title = titleWords && (!postF.sentenceInside || (!atStart && !(pre && (pre.introduced || pre.adjacent)) && wordCount <= 8));

  let kind: QuoteKind;
  let attribution: LocalAttribution | null = null;
  let attrPara = fp;
  // He says “it’s interesting that …”: a quotation right after the cue that ends the sentence is the whole statement
  const wholeStatement = !!pre && postF.postEmpty && wordCount >= 3 && !pre.naming;
  if (pre && (pre.introduced || (pre.adjacent && (!startsLower || wholeStatement)))) {
    kind = startsLower && !pre.colon && !wholeStatement ? 'partial' : 'direct';
    if (pre.naming) kind = wordCount <= 3 && !pre.speaker ? 'scare' : 'partial';
    attribution = pre;
    if (kind === 'direct' && title && wordCount <= 6 && !pre.colon && !terminalInside) kind = 'title';
  } else if (atStart) {
    if (post) {
      kind = 'direct';
      attribution = post;
      attrPara = lp;
      c.postAttributionEnd = ctx.starts[lp] + post.end;
      c.localSpeakerPost = true;
    } else if (postF.postEmpty) {
      kind = title && ctx.kinds[fp] !== 'headline' && !terminalInside ? 'title' : 'direct';
      if (wordCount === 0) kind = 'scare';
    } else {
      kind = title ? 'title' : wordCount <= 3 ? 'scare' : 'partial';
      if (kind === 'partial' && terminalInside && !startsLower && wordCount >= 4) kind = 'direct';
      // a whole sentence in marks, then the writer's next sentence (“Nothing has changed.” He added: …)
      if (kind === 'scare' && postF.sentenceInside && !startsLower && wordCount >= 2) kind = 'direct';
    }
  } else {
    if (post && wordCount >= 3 && (!startsLower || (preF.introComma && !preF.cueNear && terminalInside))) {
      kind = 'direct';
      attribution = post;
      attrPara = lp;
      c.postAttributionEnd = ctx.starts[lp] + post.end;
      c.localSpeakerPost = true;
    } else if (title) {
      kind = 'title';
    } else if (!startsLower && wordCount >= 3 && preF.introDash && (postF.dashAfter || postF.postEmpty)) {
      // a whole sentence set off by dashes: Mr. Romney -- ''It is disqualifying …'' -- and …
      kind = 'direct';
      attribution = pre ?? (preF.dashSpeaker ? { speaker: preF.dashSpeaker, end: 0 } : post);
      if (!pre && !preF.dashSpeaker && post) attrPara = lp;
    } else if (!startsLower && wordCount >= 4 && preF.introComma && !preF.introDash && postF.sentenceInside && postF.postEmpty && !pre?.naming) {
      // a whole sentence after the writer's comma, ending the writer's sentence: … on Twitter on Monday, “Next summer, we …”
      kind = 'direct';
      attribution = pre;
    } else if (wordCount <= 3 && !preF.cueNear && !(pre?.speaker && !pre.naming) && !post) {
      // one to three words nobody is credited with in the writer's sentence: a scare quote
      // (inside reported speech — he warned that he would not be “lulled to sleep” — they are the speaker's words)
      kind = 'scare';
    } else {
      kind = 'partial';
      attribution = pre ?? post;
      if (!pre && post) attrPara = lp;
      if (post) c.localSpeakerPost = true;
    }
  }
  // a headline is title case throughout: a quotation in it is a quotation, not a title
  if (kind === 'title' && (ctx.kinds[fp] === 'headline' || ctx.analyses[fp]?.nlp?.titleCase)) kind = wordCount >= 3 ? 'direct' : 'partial';
  c.kind = kind;
  if (attribution) {
    c.speaker = resolve(ctx, attribution.speaker, attrPara);
    if (attribution.cue) {
      c.cueStart = ctx.starts[attrPara] + attribution.cue.start;
      c.cueEnd = ctx.starts[attrPara] + attribution.cue.end;
    }
  }
  // a post-quote attribution may also carry the speaker when the quote was introduced without one
  if (!c.speaker && post && (kind === 'direct' || kind === 'partial')) {
    c.speaker = resolve(ctx, post.speaker, lp);
    if (post.cue) {
      c.cueStart = ctx.starts[lp] + post.cue.start;
      c.cueEnd = ctx.starts[lp] + post.cue.end;
    }
    c.postAttributionEnd = ctx.starts[lp] + post.end;
  }
  if (!c.speaker && kind === 'direct') {
    const prev = previousSpeaker(ctx, c, last);
    if (prev) c.speaker = prev;
  }
}

function isDashCue(ctx: Ctx, p: number, cue: Span | undefined): boolean {
  return !!cue && /^[―—–]$/.test(ctx.paragraphs[p].text.slice(cue.start, cue.end));
}

/**
 * “…,” she said, “…” and “…,” she said. “…” are one quotation of two parts when the
 * second part has no attribution of its own, the writer says little in between (no
 * other speech cue), and the second part ends its sentence.
 */
function mergeInterrupted(chains: Chain[], ctx: Ctx): void {
  const { starts, vars } = ctx;
  for (let k = 0; k < chains.length; k++) {
    const w = chains[k];
    if (w.depth !== 0 || w.skip || w.kind !== 'direct' || w.postAttributionEnd < 0) continue;
    const lp = w.paras[w.paras.length - 1];
    const lr = w.recs[w.recs.length - 1];
    const post = lr.post;
    if (!post || post.next < 0 || post.gapCue) continue;
    const target = vars[lp].recs[post.next];
    let c: Chain | undefined;
    for (let j = k + 1; j < chains.length && j <= k + 8; j++) {
      if (chains[j].recs[0] === target && chains[j].paras[0] === lp) {
        c = chains[j];
        break;
      }
    }
    if (!c || c.depth !== 0 || c.skip || !(c.kind === 'direct' || c.kind === 'partial') || c.localSpeakerPost) continue;
    const cFirst = c.recs[0];
    const cLast = c.recs[c.recs.length - 1];
    // the second part ends its sentence (what follows is a new sentence or nothing)
    // (or starts a sentence of its own and the writer's words after it attribute nothing: “…,” said X, 32, an aide. “…” – and …)
    if (!cFirst.pre || !cLast.post || !(cLast.post.postEmpty || cLast.post.sentenceInside || (cFirst.pre.atStart && !cLast.post.post && !wordFollows(ctx.paragraphs[c.paras[c.paras.length - 1]].text, cLast.end)))) continue;
    const wEnd = starts[lp] + lr.end;
    const cStart = starts[lp] + cFirst.start;
    if (cStart - wEnd > 250) continue;
    const sp = c.speaker;
    const sameSpeaker = !sp || sp.via === 'previous-sentence' || (!!w.speaker && sp.start >= wEnd && sp.end <= cStart);
    if (!sameSpeaker) continue;
    if (!(cFirst.pre.atStart || post.gapComma)) continue;
    (w.merged ??= []).push(c);
    c.skip = true;
  }
  mergeAcrossParagraphs(chains, ctx);
}

/**
 * “…,” she said.¶“…”¶“…” — a speech attributed once and continued by the paragraphs
 * after it, each wholly a quotation with no attribution of its own, is one quotation.
 * Only when nothing but the attribution follows the quotation in its paragraph.
 */
function mergeAcrossParagraphs(chains: Chain[], ctx: Ctx): void {
  const { vars } = ctx;
  for (let k = 0; k < chains.length; k++) {
    const w = chains[k];
    if (w.depth !== 0 || w.skip || w.kind !== 'direct' || !w.speaker) continue;
    let tail: Chain = w.merged ? w.merged[w.merged.length - 1] : w;
    let j = k + 1;
    for (let guard = 0; guard < 64; guard++) {
      const tp = tail.paras[tail.paras.length - 1];
      const tr = tail.recs[tail.recs.length - 1];
      // (not after a signed statement: “…” ― Name)
      if (tr.close < 0 || !tr.post?.restEmpty || tp + 1 >= vars.length || (tr.post.post && isDashCue(ctx, tp, tr.post.post.cue))) break;
      const nv = vars[tp + 1];
      if (nv.junk || nv.recs.length === 0) break;
      const target = nv.recs[0];
      if (target.start !== 0 || target.depth !== 0 || target.incoming || !target.pre?.atStart) break;
      while (j < chains.length && j - k < 200 && !(chains[j].paras[0] === tp + 1 && chains[j].recs[0] === target)) {
        if (chains[j].paras[0] > tp + 1) break;
        j++;
      }
      const c = chains[j];
      if (!c || c.paras[0] !== tp + 1 || c.recs[0] !== target) break;
      if (c.skip || c.depth !== 0 || c.kind !== 'direct' || c.localSpeakerPost || c.recs[c.recs.length - 1].post?.post) break;
      if (c.speaker && c.speaker.via !== 'previous-sentence') break;
      (w.merged ??= []).push(c);
      c.skip = true;
      tail = c;
      j++;
    }
  }
}

/** The writer's sentence goes on with a word right after a quotation (“…” to drive up the price). */
function wordFollows(t: string, end: number): boolean {
  let i = end;
  while (i < t.length && i < end + 8 && (t[i] === ' ' || t[i] === '\u00a0')) i++;
  return i < t.length && /\p{L}/u.test(t[i]);
}

/** A quotation standing alone: the speaker introduced just before (“X said:”) or the one still speaking. */
function previousSpeaker(ctx: Ctx, c: Chain, last: { speaker: Speaker; para: number } | null): Speaker | null {
  const pi = c.paras[0];
  const pre = c.recs[0].pre!;
  // same paragraph: the text before ends with ":"
  if (pre.colon) return resolve(ctx, pre.colon, pi, 'previous-sentence');
  // the previous paragraph ends with ":" (X said:) — its speaker
  const prevIdx = pi - 1;
  const prevEnd = prevIdx >= 0 ? paragraphEnd(ctx.analyses[prevIdx], ctx.paragraphs[prevIdx].text, ctx.vars[prevIdx]) : undefined;
  if (prevEnd?.endColon) return resolve(ctx, prevEnd.endColon, prevIdx, 'previous-sentence');
  // the last speaker, when still close
  if (last && pi - last.para <= 2 && last.para <= pi) {
    const sp = last.speaker;
    return { start: sp.start, end: sp.end, text: sp.text, name: sp.name, entity: sp.entity, via: 'previous-sentence' };
  }
  // a cue with a subject in the previous sentence of this paragraph, or in the previous paragraph's last sentence
  if (pre.prevSentence) return resolve(ctx, pre.prevSentence, pi, 'previous-sentence');
  if (prevEnd?.endSentence) return resolve(ctx, prevEnd.endSentence, prevIdx, 'previous-sentence');
  return null;
}

export type { QuoteMarkToken };

const SUBJECT_STARTS = new Set(['he', 'she', 'they', 'we', 'i', 'the', 'a', 'an', 'its', 'his', 'her', 'their']);

/**
 * Where the closing mark of an unclosed quotation belongs: right after the comma that
 * ends the speech when an attribution follows (“We need more time,” said X / “…,” she
 * said / “…,” the mayor said), else at the end of the paragraph.
 */
export function closingPoint(text: string, from: number, end: number): number {
  for (let comma = text.indexOf(',', from); comma !== -1 && comma < end; comma = text.indexOf(',', comma + 1)) {
    const words = text.slice(comma + 1, Math.min(end, comma + 80)).split(/[^\p{L}.’'-]+/u);
    if (words[0] !== '') continue; // the comma must be followed by a space
    const next = words.slice(1, 6);
    const k = next.findIndex((w) => CUE_WORDS.has(w.toLowerCase()) && !WEAK_CUES.has(w.toLowerCase()));
    if (k < 0) continue;
    const subject = next.slice(0, k);
    if (k === 0 || SUBJECT_STARTS.has(subject[0].toLowerCase()) || subject.every((w) => /^\p{Lu}/u.test(w))) return comma + 1;
  }
  return end;
}

// ---------------------------------------------------------------------------
// Splicing: the quotations of an edited article from those of the version before
// ---------------------------------------------------------------------------

/** Where an edit changed the text and the paragraphs. */
export interface QuoteWindow {
  /** paragraphs [from, oldEnd) of the old version became [from, newEnd) of the new one */
  from: number;
  oldEnd: number;
  newEnd: number;
  /** the old text changed in [changeStart, changeOldEnd); what follows moved by `shift` */
  changeStart: number;
  changeOldEnd: number;
  shift: number;
  /** how many paragraphs the old version had */
  oldCount: number;
  /** where old paragraph i started in the old text */
  oldStart(i: number): number;
}

/**
 * How far back the pronoun rules look (resolvePronoun gives up 6000 characters before the
 * pronoun): a quotation starting this far after a change reads nothing the change touched.
 */
const LOOKBACK = 6500;

/**
 * The quotations and findings of an edited article from those of the version before, when
 * the entities are those of the version before except in the edited paragraphs (as
 * spliceEntities makes them). Only the paragraphs around the change are run again: from
 * after a paragraph without quotation marks before it, to a paragraph without quotation
 * marks far enough after it that the pronoun rules of later quotations cannot see it, and
 * where the speaker carried from quotation to quotation is again the old one. The rest is
 * moved. Equals analyzeQuotes on the new input; undefined when it cannot tell (the caller
 * runs the whole pass).
 */
export function spliceQuotes(
  prevQuotes: Quote[],
  input: ArticleInput,
  entities: Entity[],
  w: QuoteWindow,
  prevEntities: readonly Entity[],
): { quotes: Quote[]; findings: Finding[] } | undefined {
  const prev = states.get(prevQuotes);
  if (!prev) return undefined;
  const n = input.paragraphs.length;
  const oldN = w.oldCount;
  const dp = w.newEnd - w.oldEnd;
  if (prev.vars.length !== oldN || n !== oldN + dp || prev.blocked) return undefined;
  const sig = signature(entities);
  // entities gained, lost or renamed (a name typed or broken in the edited paragraphs): none
  // may be named outside those paragraphs, nor be the speaker of a quotation kept from before
  let changed: Set<string> | undefined;
  if (sig.length !== prev.entities.length || sig.some((x, i) => x !== prev.entities[i])) {
    changed = changedEntities(prev.entities, sig);
    const inWindow = (list: readonly Entity[], end: number) => {
      for (const e of list) if (changed!.has(e.id) && e.mentions.some((m) => m.paragraph < w.from || m.paragraph >= end)) return false;
      return true;
    };
    if (!inWindow(entities, w.newEnd) || !inWindow(prevEntities, w.oldEnd)) return undefined;
  }
  const sl = new Slicer(Infinity);
  const P = runToEnd(prepareRun(input, sl));
  if (P.block) return undefined;

  // the paragraphs the edit changed: the window, and those whose pairing or kind changed with it
  let cFrom = w.from;
  let cTo = w.newEnd;
  const vars = P.tab.vars;
  for (let i = 0; i < n; i++) {
    if (i >= w.from && i < w.newEnd) continue;
    const j = i < w.from ? i : i - dp;
    if (vars[i] !== prev.vars[j] || P.kinds[i] !== prev.kinds[j]) {
      if (i < cFrom) cFrom = i;
      if (i + 1 > cTo) cTo = i + 1;
    }
  }
  const fl = P.tab.fl;
  let u = cFrom - 2;
  while (u >= 0 && fl[u] & F_MARKS) u--;
  const from = u + 1;
  const changedEnd = cTo > 0 ? P.ends[cTo - 1] : 0;
  const k = lowerBound(prev.chainParas, from);
  const entry = k < prev.chainParas.length ? prev.lastBefore.get(k) : prev.lastEnd;

  // (-1: in the edited text; a number, never NaN, keeps the fields of the objects made here integers)
  const mapPos = (x: number) => (x < w.changeStart ? x : x >= w.changeOldEnd ? x + w.shift : -1);
  const mapPara = (p: number) => (p < w.from ? p : p >= w.oldEnd ? p + dp : -1);
  const mapLast = (l: Last): Last => (l ? { speaker: speakerAt(l.speaker, mapPos(l.speaker.start), mapPos(l.speaker.end)), para: mapPara(l.para) } : null);

  let extra = 0;
  for (let attempt = 0; attempt < 3; attempt++, extra = extra * 4 + 16) {
    // the end: a paragraph without marks far enough after the change
    let to = cTo + 1 + extra;
    while (to < n && (P.starts[to] < changedEnd + LOOKBACK || fl[to] & F_MARKS)) to++;
    if (to > n) to = n;
    const R = runToEnd(run(input, entities, sl, { from, to, last: entry }, P));
    // a person's gender (as the pronoun rules read it) changes only with its mentions in the changed
    // paragraphs, or with mentions gained or lost: those are worked out again, the others kept
    const genders = new Map(prev.genders);
    for (const e of entities) {
      if (e.type !== 'person') continue;
      const old = prev.genders.get(e.id);
      if (old !== undefined && prev.counts.get(e.id) === e.mentions.length && !mentionIn(e, P.starts[cFrom] ?? Infinity, changedEnd)) continue;
      const g = R.gender(e);
      if (g !== old && !changed?.has(e.id)) return undefined;
      genders.set(e.id, g);
    }
    if (changed) for (const id of changed) if (!entities.some((e) => e.id === id && e.type === 'person')) genders.delete(id);
    const oldTo = to - dp;
    const k2 = lowerBound(prev.chainParas, oldTo);
    const after = k2 < prev.chainParas.length;
    if (after && !sameLast(R.lastAfter, mapLast(prev.lastBefore.get(k2)))) {
      if (to >= n) return undefined;
      continue;
    }
    return splice(prevQuotes, prev, R, w, from, to, k, k2, mapPos, mapPara, mapLast, P, genders, mentionCounts(entities), sig, changed);
  }
  return undefined;
}

function splice(
  prevQuotes: Quote[],
  prev: QuoteState,
  R: RunResult,
  w: QuoteWindow,
  from: number,
  to: number,
  k: number,
  k2: number,
  mapPos: (x: number) => number,
  mapPara: (p: number) => number,
  mapLast: (l: Last) => Last,
  P: Prepared,
  genders: Map<string, 'male' | 'female' | null>,
  counts: Map<string, number>,
  sig: string[],
  changed: ReadonlySet<string> | undefined,
): { quotes: Quote[]; findings: Finding[] } | undefined {
  const dp = w.newEnd - w.oldEnd;
  const oldTo = to - dp;
  const n = P.starts.length;
  const ok = (x: number) => x >= 0;
  const mapSpan = (x: Span): Span => ({ start: mapPos(x.start), end: mapPos(x.end) });

  // quotations before the range are kept, those after it move: in place, for the version
  // before is consumed by the splice (see analyzeArticle), so every check comes first and
  // nothing is moved until the splice cannot fail
  const keep = firstQuoteFrom(prevQuotes, from);
  const moveFrom = firstQuoteFrom(prevQuotes, oldTo);
  if (changed && (speaksFor(prevQuotes, 0, keep, changed) || speaksFor(prevQuotes, moveFrom, prevQuotes.length, changed))) return undefined;
  for (let i = moveFrom; i < prevQuotes.length; i++) if (!movable(prevQuotes[i], w)) return undefined;

  // findings: those of the range are new, the mixed-styles finding is the article's
  const rangeStart = P.starts[from];
  const oldAfter = oldTo < w.oldCount ? w.oldStart(oldTo) : Infinity;
  const findings: Finding[] = [];
  for (const f of prev.findings) {
    if (f.code === 'mixed-quote-styles') continue;
    if (f.start < rangeStart) findings.push(f);
    else if (f.start >= oldAfter) {
      const moved: Finding = { ...f, ...mapSpan(f) };
      if (f.related) moved.related = f.related.map((r) => ({ span: mapSpan(r.span), message: r.message }));
      if (f.fixes) moved.fixes = f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, ...mapSpan(e) })) }));
      const spans = [moved, ...(moved.related ?? []).map((r) => r.span), ...(moved.fixes ?? []).flatMap((x) => x.edits)];
      if (!spans.every((x) => ok(x.start) && ok(x.end))) return undefined;
      findings.push(moved);
    }
  }
  for (const f of R.findings) findings.push(f);
  if (R.mixed) findings.push(R.mixed);
  findings.sort(byPosition);

  const lastBefore = prev.lastBefore.splice(k, LastTable.of(R.lastBefore), k2, mapPos, mapPara);
  if (!lastBefore) return undefined;
  const lastEnd = k2 < prev.chainParas.length ? mapLast(prev.lastEnd) : R.lastAfter;
  if (lastEnd && !(ok(lastEnd.para) && ok(lastEnd.speaker.start))) return undefined;
  // the speakers carried from quotation to quotation must still be the entities they were
  if (changed && [...lastBefore.who, lastEnd?.speaker ?? null].some((s) => s?.entity !== undefined && changed.has(s.entity))) return undefined;

  // the splice holds: the quotations after the range move, those of the range replace the old ones
  for (let i = moveFrom; i < prevQuotes.length; i++) moveQuote(prevQuotes[i], mapPos, mapPara, dp !== 0);
  const quotes = prevQuotes;
  replaceRange(quotes, keep, moveFrom - keep, R.quotes);
  const chainParas = prev.chainParas;
  if (dp !== 0) for (let i = k2; i < chainParas.length; i++) chainParas[i] += dp;
  replaceRange(chainParas, k, k2 - k, R.chainParas);
  states.set(quotes, {
    chainParas,
    lastBefore,
    lastEnd,
    genders,
    counts,
    vars: R.vars,
    kinds: R.kinds,
    blocked: false,
    findings,
    entities: sig,
  });
  void n;
  return { quotes, findings };
}

/** Whether a quotation in [from, to) is spoken by one of the `changed` entities. */
function speaksFor(quotes: readonly Quote[], from: number, to: number, changed: ReadonlySet<string>): boolean {
  for (let i = from; i < to; i++) {
    const id = quotes[i].speaker?.entity;
    if (id !== undefined && changed.has(id)) return true;
  }
  return false;
}

/**
 * Whether every offset and paragraph of a quotation after the edit lies outside the edited
 * text (what mapPos and mapPara of spliceQuotes map to -1). An insertion loses no offset.
 */
function movable(q: Quote, w: QuoteWindow): boolean {
  const cs = w.changeStart;
  const ce = w.changeOldEnd;
  if (cs < ce) {
    const lost = (x: number) => x >= cs && x < ce;
    if (lost(q.start) || lost(q.end)) return false;
    for (const x of q.parts) if (lost(x.start) || lost(x.end)) return false;
    for (const x of q.inner) if (lost(x.start) || lost(x.end)) return false;
    const sp = q.speaker;
    if (sp && (lost(sp.start) || lost(sp.end))) return false;
    const cue = q.cue;
    if (cue && (lost(cue.start) || lost(cue.end))) return false;
  }
  for (const p of q.paragraphs) if (p >= w.from && p < w.oldEnd) return false;
  return true;
}

/**
 * Move a quotation after the edit, in place (see movable). Its spans and paragraph list are its
 * own; its speaker may be shared with other quotations, so it gets a moved copy.
 */
function moveQuote(q: Quote, mapPos: (x: number) => number, mapPara: (p: number) => number, paragraphsMoved: boolean): void {
  q.start = mapPos(q.start);
  q.end = mapPos(q.end);
  for (const x of q.parts) {
    x.start = mapPos(x.start);
    x.end = mapPos(x.end);
  }
  for (const x of q.inner) {
    x.start = mapPos(x.start);
    x.end = mapPos(x.end);
  }
  if (paragraphsMoved) for (let i = 0; i < q.paragraphs.length; i++) q.paragraphs[i] = mapPara(q.paragraphs[i]);
  const sp = q.speaker;
  if (sp) q.speaker = speakerAt(sp, mapPos(sp.start), mapPos(sp.end));
  const cue = q.cue;
  if (cue) {
    cue.start = mapPos(cue.start);
    cue.end = mapPos(cue.end);
  }
}

/** A speaker at another place, always of one shape (the splices read these in their hottest loops). */
function speakerAt(sp: Speaker, start: number, end: number): Speaker {
  return { start, end, text: sp.text, name: sp.name, entity: sp.entity, via: sp.via };
}

/** The first quotation whose first paragraph is at or after p (quotations are in paragraph order). */
function firstQuoteFrom(quotes: readonly Quote[], p: number): number {
  let lo = 0;
  let hi = quotes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (quotes[mid].paragraphs[0] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many mentions each person has. */
function mentionCounts(entities: Entity[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entities) if (e.type === 'person') out.set(e.id, e.mentions.length);
  return out;
}

/** Whether an entity has a mention starting in [start, end) (its mentions are in text order). */
function mentionIn(e: Entity, start: number, end: number): boolean {
  const ms = e.mentions;
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < ms.length && ms[lo].start < end;
}

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameLast(a: Last, b: Last): boolean {
  if (!a || !b) return a === b;
  const x = a.speaker;
  const y = b.speaker;
  return a.para === b.para && x.start === y.start && x.end === y.end && x.text === y.text && x.name === y.name && x.entity === y.entity && x.via === y.via;
}

function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
