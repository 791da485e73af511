import { analyzeArticleAsync, ParagraphCache, rehearseSplices, wasSpliced, type AnalysisOptions, type ParagraphParser, type TextSource } from './analysis/article';
import type { Article } from './analysis/types';

/**
 * An article this long analysed afresh has its splices rehearsed, a few times (see
 * rehearseSplices); not a longer one, where a single splice blocks the thread too long for
 * other documents' requests to wait behind six of them.
 */
const REHEARSE_CHARS = 200_000;
const REHEARSE_MAX_CHARS = 1_000_000;
const REHEARSALS = 6;

/** The minimum the store needs of an open document. */
export interface VersionedText {
  readonly uri: string;
  readonly version: number;
  getText(): string;
  /** the text as the analysis may read it in parts (an ArticleDocument's Rope) */
  readonly source?: TextSource;
}

interface Entry {
  version: number;
  article?: Article;
  /** the last finished article, kept across invalidation: the next analysis reuses its unchanged paragraphs */
  last?: Article;
  running?: { version: number; promise: Promise<Article | undefined> };
  /** settles when the document's last started analysis has */
  tail: Promise<void>;
}

export interface StoreHooks {
  /** the document as the editor has it now (undefined once closed) */
  current(uri: string): VersionedText | undefined;
  /** called once per analysed version that is still current when it finishes */
  analyzed(doc: VersionedText, article: Article): void;
  /** analysis options in force for a document */
  options(doc: VersionedText): AnalysisOptions;
  /** an analysis failed: the error is reported and an empty article stands in */
  failed(doc: VersionedText, error: unknown): void;
  /** parses a long article's new paragraphs off the main thread */
  parser?: ParagraphParser;
}

/** An article with structure but no language analysis, for when the analysis itself failed. */
export function emptyArticle(text: string): Article {
  return {
    text,
    structure: { sections: [], paragraphs: [], boilerplate: [] },
    entities: [],
    quotes: [],
    findings: [],
    stats: { people: 0, places: 0, organizations: 0, quotes: 0, unattributedQuotes: 0, paragraphs: 0, cachedParagraphs: 0, millis: 0 },
  };
}

/**
 * One Article per open document version. A request never re-analyses unchanged
 * text; paragraphs are reused across versions through the paragraph cache; an
 * analysis of a version that is no longer current is dropped and never published.
 */
export class ArticleStore {
  private readonly entries = new Map<string, Entry>();
  /** bumped when options change: analyses started before are stale */
  private generation = 0;
  readonly cache = new ParagraphCache();
  /** whether the splices were rehearsed (see rehearseSplices) */
  private rehearsed = false;

  constructor(private readonly hooks: StoreHooks) {}

  /** The article for the document's current version, analysing it if needed. */
  async get(uri: string): Promise<Article | undefined> {
    for (;;) {
      const doc = this.hooks.current(uri);
      if (!doc) return undefined;
      const entry = this.entries.get(uri);
      if (entry?.article && entry.version === doc.version) return entry.article;
      const article = await this.analyze(doc);
      if (article) return article;
      // superseded by a newer version while running: loop to the newest
    }
  }

  /** The last finished article for a document, whatever its version (for cheap peeks). */
  peek(uri: string): Article | undefined {
    return this.entries.get(uri)?.article;
  }

  /** Whether `article` is the analysis of the document's version now (no text is compared). */
  isCurrent(doc: VersionedText, article: Article): boolean {
    const entry = this.entries.get(doc.uri);
    return !!entry && entry.article === article && entry.version === doc.version;
  }

  /** Start (or join) the analysis of the document's current version. */
  analyze(doc: VersionedText): Promise<Article | undefined> {
    let entry = this.entries.get(doc.uri);
    if (!entry) {
      entry = { version: -1, tail: Promise.resolve() };
      this.entries.set(doc.uri, entry);
    }
    if (entry.article && entry.version === doc.version) return Promise.resolve(entry.article);
    if (entry.running?.version === doc.version) return entry.running.promise;
    const target = entry;
    const version = doc.version;
    const generation = this.generation;
    const stale = () =>
      this.hooks.current(doc.uri)?.version !== version || this.entries.get(doc.uri) !== target || this.generation !== generation;
    // analyses of a document run one after another: each may consume the article before it
    const promise = target.tail.then(async () => {
      if (stale()) return undefined;
      // an analysis may be spliced from the last article in place (see analyzeArticle): from
      // now on that article is no longer one to hand out
      const previous = target.last;
      if (previous && target.article === previous) target.article = undefined;
      const article = await this.run(doc, stale, previous);
      if (!article || this.entries.get(doc.uri) !== target) return undefined;
      // the newest finished article is the one to splice the next version from, even when the
      // version it analysed is no longer the document's (the one before may be consumed)
      target.last = article;
      if (stale()) return undefined;
      target.version = version;
      target.article = article;
      this.hooks.analyzed(doc, article);
      return article;
    });
    const settled = promise.finally(() => {
      if (target.running?.promise === promise) target.running = undefined;
    });
    target.tail = settled.then(
      () => undefined,
      () => undefined,
    );
    target.running = { version, promise };
    return promise;
  }

  private async run(doc: VersionedText, stale: () => boolean, previous: Article | undefined): Promise<Article | undefined> {
    const text = doc.source ?? doc.getText();
    try {
      const options = this.hooks.options(doc);
      const article = await analyzeArticleAsync(text, options, this.cache, { isCancelled: stale, previous, parser: this.hooks.parser });
      // the first long article analysed afresh: the splices are made ready for the keystrokes to come
      // (once: V8 keeps what it optimised for every document after)
      if (!article || this.rehearsed || wasSpliced(article) || text.length < REHEARSE_CHARS || text.length >= REHEARSE_MAX_CHARS) return article;
      this.rehearsed = true;
      return await rehearseSplices(article, text, options, this.cache, REHEARSALS, stale);
    } catch (error) {
      this.hooks.failed(doc, error);
      return emptyArticle(String(text));
    }
  }

  close(uri: string): void {
    this.entries.delete(uri);
  }

  /** Forget every finished analysis (options changed); paragraph analyses stay cached. */
  invalidate(): void {
    this.generation++;
    for (const entry of this.entries.values()) {
      entry.article = undefined;
      entry.version = -1;
      entry.running = undefined;
    }
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }
}
