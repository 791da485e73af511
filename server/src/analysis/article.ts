import { changedRegion, resplitParagraphs, splitParagraphsSteps, unmoveParagraphs } from './paragraphs';
import { adoptNlp, analyzeParagraphNlp, shared, sharedString } from './nlp';
import { scanQuoteMarks } from './quoteMarks';
import { detectStructureSteps, prepareStructureParagraph, spliceStructure } from './structure';
import { buildEntitiesSteps, prepareEntityParagraph, spliceEntities, type EditWindow } from './entities';
import { analyzeQuotesSteps, spliceQuotes, type QuoteWindow } from './quotes';
import { openingFamily, perParagraph as prepareQuoteParagraph, variantOf } from './quoteLocal';
import { ParagraphCache } from './cache';
import type { Dictionary } from './dictionary';
import type { Article, ArticleStats, ParagraphAnalysis, ParagraphSlice, Structure } from './types';
import { Rope, ropeChange, type TextSource } from './text';

export type { TextSource } from './text';

export interface AnalysisOptions {
  /** report scare quotes as hints */
  scareQuoteHints?: boolean;
  /** team corrections: names forced to a type, names that are not entities */
  dictionary?: Dictionary;
}

/** What the article-level steps work on: the text, its paragraphs and their cached analyses. */
export interface ArticleInput {
  /** the whole text (a plain string for the whole article-level pass; a spliced analysis reads only parts) */
  text: TextSource;
  paragraphs: ParagraphSlice[];
  /** analyses[i] belongs to paragraphs[i]; offsets inside are relative to paragraphs[i].start */
  analyses: ParagraphAnalysis[];
  structure: Structure;
  options: AnalysisOptions;
}

const sharedCache = new ParagraphCache();

/** The language analysis of one paragraph's text. Depends only on the text, so it is cached by it. */
export function analyzeParagraph(text: string): ParagraphAnalysis {
  return { nlp: analyzeParagraphNlp(text), marks: scanQuoteMarks(text) };
}

/**
 * A copy of a paragraph's text that does not share the article's memory. A slice of a
 * string keeps the whole string alive, so a cached analysis (its key and the names cut
 * from it) would otherwise hold every past version of the article.
 */
function ownCopy(text: string): string {
  return (` ${text}`).slice(1);
}

/**
 * The text each analysis was made of, as a string of its own (the cache's key): paragraphs
 * keep it, so unchanged paragraphs pass from version to version without being cut from the
 * article's text again.
 */
const ownTexts = new WeakMap<ParagraphAnalysis, string>();

/** The paragraph with the text of its analysis (when it has one of its own). */
function withOwnText(slice: ParagraphSlice, analysis: ParagraphAnalysis | undefined): ParagraphSlice {
  const own = analysis && ownTexts.get(analysis);
  return own === undefined || own === slice.text ? slice : { index: slice.index, start: slice.start, end: slice.end, text: own };
}

function paragraphAnalysis(slice: ParagraphSlice, cache: ParagraphCache, hits: { n: number }): ParagraphAnalysis {
  const cached = cache.get(slice.text);
  if (cached) {
    hits.n++;
    return cached;
  }
  const text = ownCopy(slice.text);
  const fresh = analyzeParagraph(text);
  cache.set(text, fresh);
  ownTexts.set(fresh, text);
  // the article-level steps' per-paragraph share, done now so a sliced analysis does it in slices too
  prepare(fresh, text);
  return fresh;
}

/** What an analysis keeps to analyse the next version of the same document quickly. */
interface Basis {
  text: TextSource;
  paragraphs: ParagraphSlice[];
  analyses: ParagraphAnalysis[];
  options: AnalysisOptions;
}

/**
 * Where the paragraphs of a new version differ from those of the version before (see
 * EditWindow and QuoteWindow). A class, so every edit's window has one shape: the splices
 * read it in their hottest loops, and objects of changing shapes keep V8 from optimising them.
 */
class Window implements EditWindow, QuoteWindow {
  readonly oldCount: number;

  constructor(
    readonly from: number,
    readonly oldEnd: number,
    readonly newEnd: number,
    readonly shift: number,
    /** the old text changed in [changeStart, changeOldEnd) */
    readonly changeStart: number,
    readonly changeOldEnd: number,
    /** the old version's paragraphs: from `movedFrom` on, moved by `shift` in place (see resplitParagraphs) */
    private readonly oldParagraphs: readonly ParagraphSlice[],
    private readonly movedFrom: number,
  ) {
    this.oldCount = oldParagraphs.length;
  }

  oldStart(i: number): number {
    const start = this.oldParagraphs[i].start;
    return i >= this.movedFrom ? start - this.shift : start;
  }
}

/** How each article was made: spliced from the version before, or by the whole article-level pass. */
const made = new WeakMap<Article, 'spliced' | 'full'>();

/** Whether an article was spliced from the version before it (for tests and the benchmark). */
export function wasSpliced(article: Article): boolean {
  return made.get(article) === 'spliced';
}

const bases = new WeakMap<Article, Basis>();

/**
 * The paragraphs of `text` and, where it can tell without looking them up, their
 * analyses: paragraphs the change since `previous` did not touch keep theirs.
 * The rest (undefined) come from the cache or are analysed.
 */
function* paragraphsOf(
  text: TextSource,
  previous: Article | undefined,
): Generator<void, { paragraphs: ParagraphSlice[]; known: (ParagraphAnalysis | undefined)[]; basis?: Basis; window?: Window; undo?: () => void }, void> {
  const basis = previous && bases.get(previous);
  if (!basis) return { paragraphs: yield* splitParagraphsSteps(String(text)), known: [] };
  // a document's text knows the edits since an earlier version; other texts are compared
  const known = ropeChange(basis.text, text);
  const change = known === null ? changedRegion(String(basis.text), String(text)) : known;
  const n0 = basis.paragraphs.length;
  if (!change) {
    const end = basis.text.length;
    return { paragraphs: basis.paragraphs, known: basis.analyses, basis, window: new Window(n0, n0, n0, 0, end, end, basis.paragraphs, n0) };
  }
  // the paragraphs after the edit move in place: undo puts them back if the analysis stops before assembling
  const { paragraphs, reused, moved } = resplitParagraphs(basis.text, basis.paragraphs, text, change, true);
  const undo = () => unmoveParagraphs(basis.paragraphs, moved, change);
  return { paragraphs, ...editWindow(basis, paragraphs, reused, text.length - basis.text.length, change.start, change.oldEnd, moved), basis, undo };
}

/**
 * The window of paragraphs an edit changed and the analyses of those it did not. A plain
 * function, not part of the generator above: V8 optimises a long loop in the middle of a call
 * only outside a generator, and this runs once an edit (see finish).
 */
function editWindow(
  basis: Basis,
  paragraphs: ParagraphSlice[],
  reused: number[],
  shift: number,
  changeStart: number,
  changeOldEnd: number,
  moved: number,
): { known: (ParagraphAnalysis | undefined)[]; window: Window } {
  const n = paragraphs.length;
  const n0 = basis.paragraphs.length;
  // (a paragraph moved in place is the old object at its new place: it stays only when nothing moved)
  let from = 0;
  while (from < n && from < n0 && reused[from] === from && paragraphs[from].start === basis.paragraphs[from].start && (from < moved || shift === 0)) from++;
  let after = 0;
  while (after < n - from && after < n0 - from && reused[n - 1 - after] === n0 - 1 - after) after++;
  const window = new Window(from, n0 - after, n - after, shift, changeStart, changeOldEnd, basis.paragraphs, moved);
  const known: (ParagraphAnalysis | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) known[i] = reused[i] >= 0 ? basis.analyses[reused[i]] : undefined;
  return { known, window };
}

/**
 * The article-level steps on top of the per-paragraph analyses, as a generator that
 * pauses between steps: the sliced analysis yields to the event loop there, so no
 * single stretch of work on a very long article blocks other requests for long.
 */
function* assemble(
  text: TextSource,
  paragraphs: ParagraphSlice[],
  analyses: ParagraphAnalysis[],
  options: AnalysisOptions,
  cachedParagraphs: number,
  started: number,
  from?: { previous: Article; basis: Basis; window: Window },
): Generator<void, Article, void> {
  // the paragraphs after the edit moved in place, and the splices move the previous article's
  // objects after it in place too (the thousands of them) instead of copying them: that
  // article is consumed, as an edited tree is in an incremental parser, and no later
  // analysis splices from it again
  if (from) bases.delete(from.previous);
  let spliced = !!from && sameOptions(from.basis.options, options);
  let structure: Structure | undefined;
  if (spliced && from) {
    const { window: w, previous } = from;
    structure = spliceStructure(previous.structure, text, paragraphs, analyses, w.from, w.oldEnd, w.newEnd, w.shift);
  }
  // the whole-article steps read the whole text; a splice reads only parts of it
  let flat: ArticleInput | undefined;
  const whole = (): ArticleInput => (flat ??= { text: String(text), paragraphs, analyses, structure: structure as Structure, options });
  if (!structure) {
    structure = yield* detectStructureSteps(String(text), paragraphs, analyses);
    yield;
  }
  const input: ArticleInput = { text, paragraphs, analyses, structure, options };
  let entities = spliced && from ? spliceEntities(from.previous.entities, input, from.window) : undefined;
  if (!entities) {
    spliced = false;
    entities = yield* buildEntitiesSteps(whole());
    yield;
  }
  const spliceable = spliced && from ? spliceQuotes(from.previous.quotes, input, entities, from.window, from.previous.entities) : undefined;
  if (!spliceable) spliced = false;
  const { quotes, findings } = spliceable ?? (yield* analyzeQuotesSteps(whole(), entities));
  const article = finish(text, structure, entities, quotes, findings, paragraphs.length, cachedParagraphs, started);
  made.set(article, spliced ? 'spliced' : 'full');
  return article;
}

/**
 * Each person's quotations and the counts, then the Article. A plain function, not part of the
 * generator above: V8 optimises a long-running loop only in a function it can replace on the
 * stack, which a generator is not, so the first edits of a long article would run this loop slowly.
 */
function finish(text: TextSource, structure: Structure, entities: Article['entities'], quotes: Article['quotes'], findings: Article['findings'], paragraphs: number, cachedParagraphs: number, started: number): Article {
  const byId = new Map<string, Article['entities'][number]>();
  let people = 0;
  let places = 0;
  let organizations = 0;
  for (const e of entities) {
    byId.set(e.id, e);
    if (e.type === 'person') people++;
    else if (e.type === 'place') places++;
    else if (e.type === 'organization') organizations++;
  }
  let unattributedQuotes = 0;
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i];
    const id = q.speaker?.entity;
    if (id) byId.get(id)?.quotes.push(i);
    if (q.kind === 'direct' && !q.speaker) unattributedQuotes++;
  }
  const stats: ArticleStats = { people, places, organizations, quotes: quotes.length, unattributedQuotes, paragraphs, cachedParagraphs, millis: now() - started };
  return makeArticle(text, structure, entities, quotes, findings, stats);
}

const sources = new WeakMap<Article, TextSource>();

/**
 * An Article of a text. When the text is not a plain string (a document's Rope), `text` is
 * made when first read: after a keystroke nothing on the way to fresh diagnostics reads it.
 */
export function makeArticle(text: TextSource, structure: Structure, entities: Article['entities'], quotes: Article['quotes'], findings: Article['findings'], stats: ArticleStats): Article {
  if (typeof text === 'string') return { text, structure, entities, quotes, findings, stats };
  const article = { structure, entities, quotes, findings, stats } as Omit<Article, 'text'> as Article;
  Object.defineProperty(article, 'text', { get: () => text.toString(), enumerable: true, configurable: true });
  sources.set(article, text);
  return article;
}

/** The text of an article as it was analysed, without making it whole (see makeArticle). */
export function sourceOf(article: Article): TextSource {
  return sources.get(article) ?? article.text;
}

/** Options under which an analysis can be spliced from another: the same hints and the same dictionary. */
function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return !!a.scareQuoteHints === !!b.scareQuoteHints && a.dictionary === b.dictionary;
}

/**
 * Pair the quotation marks of paragraph i the way the quote step will most likely need
 * (no quotation continuing into it; the next paragraph as it opens), so that on a long
 * article the sliced loop, not the single article-level step, does that work.
 */
function prepareQuoteVariant(paragraphs: ParagraphSlice[], analyses: ParagraphAnalysis[], i: number): void {
  const pp = prepareQuoteParagraph(analyses[i], paragraphs[i].text);
  if (!pp.marks.length || !analyses[i + 1]) return;
  variantOf(pp, false, openingFamily(prepareQuoteParagraph(analyses[i + 1], paragraphs[i + 1].text)));
}

/** Run a generator of steps to its result without pausing. */
function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Analyse a whole article synchronously. Unchanged paragraphs come from the cache; given
 * the article of an earlier version of the same document, the paragraphs an edit did not
 * touch are taken from it without being looked up or split again. An analysis spliced from
 * `previous` consumes it: the objects after the edit are moved in place, so `previous` then
 * describes the new text, and a later analysis given it again starts afresh (see wasSpliced).
 */
export function analyzeArticle(text: TextSource, options: AnalysisOptions = {}, cache: ParagraphCache = sharedCache, previous?: Article): Article {
  const started = now();
  const { paragraphs, known, basis, window } = runToEnd(paragraphsOf(text, previous));
  const hits = { n: 0 };
  const analyses: ParagraphAnalysis[] = new Array(paragraphs.length);
  for (let i = 0; i < paragraphs.length; i++) {
    const a = known[i];
    if (a) {
      hits.n++;
      analyses[i] = a;
    } else {
      analyses[i] = paragraphAnalysis(paragraphs[i], cache, hits);
      paragraphs[i] = withOwnText(paragraphs[i], analyses[i]);
    }
  }
  const from = previous && basis && window ? { previous, basis, window } : undefined;
  return keepBasis(runToEnd(assemble(text, paragraphs, analyses, options, hits.n, started, from)), text, paragraphs, analyses, options);
}

function keepBasis(article: Article, text: TextSource, paragraphs: ParagraphSlice[], analyses: ParagraphAnalysis[], options: AnalysisOptions): Article {
  bases.set(article, { text, paragraphs, analyses, options });
  return article;
}

/**
 * Analyses paragraphs somewhere else (a worker thread): resolves to analyzeParagraph of
 * each text, in order, as structured clones. Rejects when it cannot.
 */
export interface ParagraphParser {
  parse(texts: string[]): Promise<ParagraphAnalysis[]>;
}

export interface AsyncControl {
  /** checked between slices; when true the analysis stops and resolves to undefined */
  isCancelled?: () => boolean;
  /** yield to the event loop after this many milliseconds of work (default 5) */
  sliceMillis?: number;
  /**
   * the article of an earlier version of the same document, to reuse what an edit did not
   * touch; a spliced analysis consumes it (see analyzeArticle)
   */
  previous?: Article;
  /** where to parse paragraphs when there is much new text (see offThreadChars) */
  parser?: ParagraphParser;
  /** at least this many characters of paragraphs not analysed yet go to the parser (default 200 000) */
  offThreadChars?: number;
}

/** Text sent to the parser at a time: a batch takes the worker a few hundred milliseconds. */
const BATCH_CHARS = 32_000;
/** Batches the parser works on or has queued at once. */
const IN_FLIGHT = 2;

/** A structured clone of an analysis, sharing strings and empty lists like a local one. */
export function adoptAnalysis(analysis: ParagraphAnalysis): ParagraphAnalysis {
  const marks = shared(analysis.marks);
  for (const m of marks) {
    m.mark = sharedString(m.mark);
    m.role = sharedString(m.role) as typeof m.role;
    m.weight = sharedString(m.weight) as typeof m.weight;
  }
  return { nlp: adoptNlp(analysis.nlp), marks };
}

/** Per-paragraph preparation of the article-level steps (done where the sliced loop can pause). */
function prepare(analysis: ParagraphAnalysis, text: string): void {
  prepareStructureParagraph(analysis, text);
  prepareEntityParagraph(analysis, text);
  prepareQuoteParagraph(analysis, text);
}

/**
 * Have the parser analyse the paragraphs not analysed yet (`analyses[i]` undefined), a
 * batch at a time, while this thread only adopts the results. Every result is cached as
 * it arrives, even when the analysis is cancelled meanwhile: the next version needs it.
 * Returns false when cancelled; paragraphs the parser failed on are left undefined.
 */
async function parseElsewhere(
  parser: ParagraphParser,
  paragraphs: ParagraphSlice[],
  analyses: (ParagraphAnalysis | undefined)[],
  cache: ParagraphCache,
  hits: { n: number },
  breathe: () => Promise<boolean>,
): Promise<boolean> {
  // one request per distinct text; repeated paragraphs share it (and count as cache hits)
  const first = new Map<string, number>();
  const batches: number[][] = [];
  let batch: number[] = [];
  let chars = 0;
  for (let i = 0; i < paragraphs.length; i++) {
    if (analyses[i] || first.has(paragraphs[i].text)) continue;
    first.set(paragraphs[i].text, i);
    batch.push(i);
    chars += paragraphs[i].text.length;
    if (chars >= BATCH_CHARS) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length) batches.push(batch);
  // the texts are own copies: what the cache and the preparation keep must not hold the article
  type Answer = { texts: string[]; list: ParagraphAnalysis[] };
  const request = (indices: number[]): Promise<Answer> => {
    const texts = indices.map((i) => ownCopy(paragraphs[i].text));
    const answer = parser.parse(texts).then((parsed) => {
      if (parsed.length !== texts.length) throw new Error('the parser answered a different number of paragraphs');
      const list = parsed.map(adoptAnalysis);
      list.forEach((a, k) => {
        cache.set(texts[k], a);
        ownTexts.set(a, texts[k]);
      });
      return { texts, list };
    });
    answer.catch(() => undefined); // a batch nobody waits for any more may fail unobserved
    return answer;
  };
  const queue: Promise<Answer>[] = [];
  let sent = 0;
  while (sent < batches.length && queue.length < IN_FLIGHT) queue.push(request(batches[sent++]));
  for (const indices of batches) {
    let answer: Answer;
    try {
      answer = await (queue.shift() as Promise<Answer>);
    } catch {
      return true; // the rest is analysed here
    }
    const { texts, list } = answer;
    if (sent < batches.length) queue.push(request(batches[sent++]));
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      analyses[i] = list[k];
      prepare(list[k], texts[k]);
      if (i > 0 && analyses[i - 1]) prepareQuoteVariant(paragraphs, analyses as ParagraphAnalysis[], i - 1);
      if (!(await breathe())) return false;
    }
  }
  // repeated paragraphs take the analysis of their first occurrence
  for (let i = 0; i < paragraphs.length; i++) {
    if (analyses[i]) continue;
    const j = first.get(paragraphs[i].text);
    if (j !== undefined && j !== i && analyses[j]) {
      analyses[i] = analyses[j];
      hits.n++;
    }
  }
  return true;
}

/**
 * Analyse an article in slices that yield to the event loop, so a server stays
 * responsive while a long document is analysed. Resolves to undefined when cancelled.
 * The result equals analyzeArticle(text, options) for the same text.
 */
export async function analyzeArticleAsync(
  text: TextSource,
  options: AnalysisOptions = {},
  cache: ParagraphCache = sharedCache,
  control: AsyncControl = {},
): Promise<Article | undefined> {
  const started = now();
  const sliceMillis = control.sliceMillis ?? 5;
  let sliceStart = now();
  /** Yield to the event loop once a slice's time is used up; false when the analysis was cancelled meanwhile. */
  const breathe = async (): Promise<boolean> => {
    if (now() - sliceStart <= sliceMillis) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = now();
    return !control.isCancelled?.();
  };
  const split = paragraphsOf(text, control.previous);
  let splitStep = split.next();
  while (!splitStep.done) {
    if (!(await breathe())) return undefined;
    splitStep = split.next();
  }
  const { paragraphs, known, basis, window, undo } = splitStep.value;
  let assembling = false;
  try {
    return await analyzeSplit(text, options, cache, control, paragraphs, known, basis, window, started, breathe, () => (assembling = true));
  } finally {
    // stopped (cancelled or failed) before the previous article was consumed: it stays as it was
    if (!assembling) undo?.();
  }
}

/** The rest of analyzeArticleAsync once the paragraphs are split; `assembling` is called when the previous article is consumed. */
async function analyzeSplit(
  text: TextSource,
  options: AnalysisOptions,
  cache: ParagraphCache,
  control: AsyncControl,
  paragraphs: ParagraphSlice[],
  known: (ParagraphAnalysis | undefined)[],
  basis: Basis | undefined,
  window: Window | undefined,
  started: number,
  breathe: () => Promise<boolean>,
  assembling: () => void,
): Promise<Article | undefined> {
  const hits = { n: 0 };
  const analyses: (ParagraphAnalysis | undefined)[] = new Array(paragraphs.length);
  // (the loops over every paragraph are plain functions this async function resumes, a block
  // of paragraphs at a time: V8 optimises a long loop mid-call only outside a generator or an
  // async function, and an edit runs them once)
  let newChars = 0;
  for (let i = 0; i < paragraphs.length; i += KNOWN_BLOCK) {
    newChars += knownAnalyses(paragraphs, known, control.parser ? cache : undefined, analyses, hits, i, Math.min(paragraphs.length, i + KNOWN_BLOCK));
    if (i + KNOWN_BLOCK < paragraphs.length && !(await breathe())) return undefined;
  }
  if (control.parser && newChars >= (control.offThreadChars ?? 200_000)) {
    if (!(await parseElsewhere(control.parser, paragraphs, analyses, cache, hits, breathe))) return undefined;
  }
  for (let i = nextMissing(analyses, 0); i < paragraphs.length; i = nextMissing(analyses, i + 1)) {
    if (!(await breathe())) return undefined;
    analyses[i] = paragraphAnalysis(paragraphs[i], cache, hits);
    if (i > 0 && analyses[i - 1]) prepareQuoteVariant(paragraphs, analyses as ParagraphAnalysis[], i - 1);
  }
  const done = analyses as ParagraphAnalysis[];
  ownTextsOf(paragraphs, known, done);
  const previous = control.previous;
  assembling();
  const steps = assemble(text, paragraphs, done, options, hits.n, started, previous && basis && window ? { previous, basis, window } : undefined);
  for (;;) {
    const step = steps.next();
    if (step.done) return keepBasis(step.value, text, paragraphs, done, options);
    if (!(await breathe())) return undefined;
  }
}

/**
 * Make V8 ready for the keystrokes to come in a long article. It optimises the splices' loops
 * only after they have run a few times, and until then every keystroke in a long article runs
 * them slowly (tens of milliseconds each, over the first edits). Rehearses the edits a writer
 * makes most, each typed in the middle of the article and taken away again: a word added at the
 * end of a paragraph, a letter typed into a place's or organization's name (the name changes:
 * the article's knowledge and the entity's mentions are made again) and a quotation mark opened
 * (the quotations around it are paired again), one kind a round, `rounds` rounds. Returns the article that ends
 * with: one of `text` again, equal to `article` (a splice equals a fresh analysis), which is
 * consumed. Stops early, returning the last article of `text`, when an edit is not spliced (an
 * article the splices do not work on) or `isCancelled` says so between rounds.
 */
export async function rehearseSplices(
  article: Article,
  text: TextSource,
  options: AnalysisOptions,
  cache: ParagraphCache = sharedCache,
  rounds = 3,
  isCancelled: () => boolean = () => false,
): Promise<Article> {
  const started = now();
  let current = article;
  for (let round = 0; round < rounds && !isCancelled(); round++) {
    const edit = rehearsalEdit(current, round);
    if (!edit) break;
    const typed = text instanceof Rope ? text.edit(edit.at, edit.at, edit.text) : String(text).slice(0, edit.at) + edit.text + String(text).slice(edit.at);
    // (neither step is cancelled: the article of `text` must come back)
    const edited = await analyzeArticleAsync(typed, options, cache, { previous: current });
    if (!edited) break;
    const back = await analyzeArticleAsync(text, options, cache, { previous: edited });
    if (!back) break;
    current = back;
    if (!wasSpliced(edited) || !wasSpliced(back)) break;
  }
  // what the article took to make, and what it was made of, are the fresh analysis's
  if (current !== article) current.stats = { ...current.stats, cachedParagraphs: article.stats.cachedParagraphs, millis: article.stats.millis + now() - started };
  return current;
}

/**
 * Round `round`'s rehearsal edit (see rehearseSplices), in a body paragraph from the middle of
 * the article on: the kinds in turn, each round a paragraph further. A kind the article has no
 * place for (no place or organization named in the body after the middle) gives way to a word
 * at a paragraph's end. Exported for the tests.
 */
export function rehearsalEdit(article: Article, round: number): { at: number; text: string } | undefined {
  const paragraphs = article.structure.paragraphs;
  let k = (paragraphs.length >> 1) + round;
  while (k < paragraphs.length && paragraphs[k].kind !== 'body') k++;
  if (k >= paragraphs.length) return undefined;
  const kind = round % 3;
  if (kind === 1) {
    // the first mention at or after paragraph k, in a body paragraph, of a place or organization
    // named more than twice, not where it is introduced (not a person: quotations elsewhere are
    // attributed to a person's name, and a name they read changing is not spliced)
    let best: { start: number; end: number } | undefined;
    for (const e of article.entities) {
      if (e.type === 'person' || e.mentions.length < 3) continue;
      for (let i = 1; i < e.mentions.length; i++) {
        const m = e.mentions[i];
        if (m.paragraph < k || m.end - m.start < 2 || paragraphs[m.paragraph]?.kind !== 'body') continue;
        if (!best || m.start < best.start) best = m;
        break;
      }
    }
    if (best) return { at: best.start + 1, text: 'x' };
  } else if (kind === 2) {
    return { at: paragraphs[k].start, text: '“' };
  }
  return { at: paragraphs[k].end, text: ' and' };
}

/** Paragraphs looked at between pauses when gathering the analyses already known. */
const KNOWN_BLOCK = 1024;

/**
 * The analyses of paragraphs [from, to) that are known (kept from the version before) or, when
 * `cache` is given, cached; returns the length of the others' text.
 */
function knownAnalyses(
  paragraphs: ParagraphSlice[],
  known: (ParagraphAnalysis | undefined)[],
  cache: ParagraphCache | undefined,
  analyses: (ParagraphAnalysis | undefined)[],
  hits: { n: number },
  from: number,
  to: number,
): number {
  let newChars = 0;
  for (let i = from; i < to; i++) {
    const ready = known[i] ?? cache?.get(paragraphs[i].text);
    if (ready) {
      hits.n++;
      analyses[i] = ready;
    } else newChars += paragraphs[i].text.length;
  }
  return newChars;
}

/** The first paragraph from `i` on that has no analysis yet (the length when none). */
function nextMissing(analyses: (ParagraphAnalysis | undefined)[], i: number): number {
  while (i < analyses.length && analyses[i]) i++;
  return i;
}

/** Paragraphs analysed in this run take the text their analysis was made of (see ownTexts). */
function ownTextsOf(paragraphs: ParagraphSlice[], known: (ParagraphAnalysis | undefined)[], analyses: ParagraphAnalysis[]): void {
  for (let i = 0; i < paragraphs.length; i++) if (!known[i]) paragraphs[i] = withOwnText(paragraphs[i], analyses[i]);
}

function now(): number {
  return performance.now();
}

export { ParagraphCache };
