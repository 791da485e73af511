import { changedRegion, resplitParagraphs, splitParagraphsSteps } from './paragraphs';
import { analyzeParagraphNlp } from './nlp';
import { scanQuoteMarks } from './quoteMarks';
import { detectStructure, prepareStructureParagraph } from './structure';
import { buildEntitiesSteps, prepareEntityParagraph } from './entities';
import { analyzeQuotesSteps } from './quotes';
import { openingFamily, perParagraph as prepareQuoteParagraph, variantOf } from './quoteLocal';
import { ParagraphCache } from './cache';
import type { Dictionary } from './dictionary';
import type { Article, ArticleStats, ParagraphAnalysis, ParagraphSlice, Structure } from './types';

export interface AnalysisOptions {
  /** report scare quotes as hints */
  scareQuoteHints?: boolean;
  /** team corrections: names forced to a type, names that are not entities */
  dictionary?: Dictionary;
}

/** What the article-level steps work on: the text, its paragraphs and their cached analyses. */
export interface ArticleInput {
  text: string;
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

function paragraphAnalysis(slice: ParagraphSlice, cache: ParagraphCache, hits: { n: number }): ParagraphAnalysis {
  const cached = cache.get(slice.text);
  if (cached) {
    hits.n++;
    return cached;
  }
  const text = ownCopy(slice.text);
  const fresh = analyzeParagraph(text);
  cache.set(text, fresh);
  // the article-level steps' per-paragraph share, done now so a sliced analysis does it in slices too
  prepareStructureParagraph(fresh, text);
  prepareEntityParagraph(fresh, text);
  prepareQuoteParagraph(fresh, text);
  return fresh;
}

/** What an analysis keeps to analyse the next version of the same document quickly. */
interface Basis {
  text: string;
  paragraphs: ParagraphSlice[];
  analyses: ParagraphAnalysis[];
}

const bases = new WeakMap<Article, Basis>();

/**
 * The paragraphs of `text` and, where it can tell without looking them up, their
 * analyses: paragraphs the change since `previous` did not touch keep theirs.
 * The rest (undefined) come from the cache or are analysed.
 */
function* paragraphsOf(text: string, previous: Article | undefined): Generator<void, { paragraphs: ParagraphSlice[]; known: (ParagraphAnalysis | undefined)[] }, void> {
  const basis = previous && bases.get(previous);
  if (!basis) return { paragraphs: yield* splitParagraphsSteps(text), known: [] };
  const change = changedRegion(basis.text, text);
  if (!change) return { paragraphs: basis.paragraphs, known: basis.analyses };
  const { paragraphs, reused } = resplitParagraphs(basis.text, basis.paragraphs, text, change);
  return { paragraphs, known: reused.map((i) => (i >= 0 ? basis.analyses[i] : undefined)) };
}

/**
 * The article-level steps on top of the per-paragraph analyses, as a generator that
 * pauses between steps: the sliced analysis yields to the event loop there, so no
 * single stretch of work on a very long article blocks other requests for long.
 */
function* assemble(
  text: string,
  paragraphs: ParagraphSlice[],
  analyses: ParagraphAnalysis[],
  options: AnalysisOptions,
  cachedParagraphs: number,
  started: number,
): Generator<void, Article, void> {
  const structure = detectStructure(text, paragraphs, analyses);
  yield;
  const input: ArticleInput = { text, paragraphs, analyses, structure, options };
  const entities = yield* buildEntitiesSteps(input);
  yield;
  const { quotes, findings } = yield* analyzeQuotesSteps(input, entities);
  const byId = new Map(entities.map((e) => [e.id, e]));
  quotes.forEach((q, i) => {
    const id = q.speaker?.entity;
    if (id) byId.get(id)?.quotes.push(i);
  });
  const stats: ArticleStats = {
    people: entities.filter((e) => e.type === 'person').length,
    places: entities.filter((e) => e.type === 'place').length,
    organizations: entities.filter((e) => e.type === 'organization').length,
    quotes: quotes.length,
    unattributedQuotes: quotes.filter((q) => q.kind === 'direct' && !q.speaker).length,
    paragraphs: paragraphs.length,
    cachedParagraphs,
    millis: now() - started,
  };
  return { text, structure, entities, quotes, findings, stats };
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
 * touch are taken from it without being looked up or split again.
 */
export function analyzeArticle(text: string, options: AnalysisOptions = {}, cache: ParagraphCache = sharedCache, previous?: Article): Article {
  const started = now();
  const { paragraphs, known } = runToEnd(paragraphsOf(text, previous));
  const hits = { n: 0 };
  const analyses = paragraphs.map((p, i) => known[i] ?? paragraphAnalysis(p, cache, hits));
  hits.n += known.reduce((n, a) => (a ? n + 1 : n), 0);
  return keepBasis(runToEnd(assemble(text, paragraphs, analyses, options, hits.n, started)), paragraphs, analyses);
}

function keepBasis(article: Article, paragraphs: ParagraphSlice[], analyses: ParagraphAnalysis[]): Article {
  bases.set(article, { text: article.text, paragraphs, analyses });
  return article;
}

export interface AsyncControl {
  /** checked between slices; when true the analysis stops and resolves to undefined */
  isCancelled?: () => boolean;
  /** yield to the event loop after this many milliseconds of work (default 5) */
  sliceMillis?: number;
  /** the article of an earlier version of the same document, to reuse what an edit did not touch */
  previous?: Article;
}

/**
 * Analyse an article in slices that yield to the event loop, so a server stays
 * responsive while a long document is analysed. Resolves to undefined when cancelled.
 * The result equals analyzeArticle(text, options) for the same text.
 */
export async function analyzeArticleAsync(
  text: string,
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
  const { paragraphs, known } = splitStep.value;
  const hits = { n: 0 };
  const analyses: ParagraphAnalysis[] = [];
  for (const [i, p] of paragraphs.entries()) {
    const reused = known[i];
    if (reused) {
      hits.n++;
      analyses.push(reused);
      continue;
    }
    if (!(await breathe())) return undefined;
    analyses.push(paragraphAnalysis(p, cache, hits));
    if (i > 0) prepareQuoteVariant(paragraphs, analyses, i - 1);
  }
  const steps = assemble(text, paragraphs, analyses, options, hits.n, started);
  for (;;) {
    const step = steps.next();
    if (step.done) return keepBasis(step.value, paragraphs, analyses);
    if (!(await breathe())) return undefined;
  }
}

function now(): number {
  return performance.now();
}

export { ParagraphCache };
