import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptAnalysis, analyzeArticle, analyzeArticleAsync, analyzeParagraph, ParagraphCache, type ParagraphParser } from '../../server/src/analysis/article';
import type { Article, ParagraphAnalysis } from '../../server/src/analysis/types';
import { ParsePool } from '../../server/src/parsePool';
import { generateArticle } from '../bench/generate';

// the bundle `npm test` builds first: the worker runs exactly what ships
const WORKER = resolve(__dirname, '../../server/out/parseWorker.js');

/** The analysis without its timing, as plain data. */
function comparable(article: Article) {
  const { millis: _m, ...stats } = article.stats;
  return JSON.parse(JSON.stringify({ ...article, stats }));
}

const pools: ParsePool[] = [];
function pool(script = WORKER, idleMillis = 250): ParsePool {
  const p = new ParsePool(script, () => undefined, idleMillis);
  pools.push(p);
  return p;
}
afterEach(() => {
  for (const p of pools.splice(0)) p.dispose();
});

const until = async (test: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return test();
};

describe('parsing paragraphs in a worker thread', () => {
  // repeated paragraphs, quotes, CRLF and emoji: everything the split and the cache see
  const text = `${generateArticle(40_000, 21)}\r\n\r\nRepeated line.\r\n\r\n“Quoted 😀 text,” Anna Smith said.\r\n\r\nRepeated line.\r\n\r\n${generateArticle(20_000, 22)}`;

  it('gives the same article as analysing in this thread, with the same cache figures', async () => {
    const parser = pool();
    const cache = new ParagraphCache();
    const viaWorker = await analyzeArticleAsync(text, {}, cache, { parser, offThreadChars: 0, sliceMillis: 0 });
    expect(parser.parsed).toBeGreaterThan(100);
    expect(comparable(viaWorker!)).toEqual(comparable(analyzeArticle(text, {}, new ParagraphCache())));
    // every paragraph went into the cache: the same text again needs no parsing at all
    const before = parser.parsed;
    const again = await analyzeArticleAsync(text, {}, cache, { parser, offThreadChars: 0 });
    expect(parser.parsed).toBe(before);
    expect(again!.stats.cachedParagraphs).toBe(again!.stats.paragraphs);
  });

  it('analyses only what is new in the worker, and only above the threshold', async () => {
    const parser = pool();
    const cache = new ParagraphCache();
    await analyzeArticleAsync(text, {}, cache, { parser, offThreadChars: 1_000_000 });
    expect(parser.parsed).toBe(0);
    const grown = `${text}\n\n${generateArticle(30_000, 23)}`;
    const article = await analyzeArticleAsync(grown, {}, cache, { parser, offThreadChars: 10_000 });
    expect(parser.parsed).toBeGreaterThan(0);
    expect(parser.parsed).toBeLessThan(article!.stats.paragraphs - article!.stats.cachedParagraphs + 1);
    // the same as a sync analysis with a cache warmed the same way
    const warm = new ParagraphCache();
    analyzeArticle(text, {}, warm);
    expect(comparable(article!)).toEqual(comparable(analyzeArticle(grown, {}, warm)));
  });

  it('falls back to this thread when the parser fails, part-way or from the start', async () => {
    const fresh = comparable(analyzeArticle(text, {}, new ParagraphCache()));
    let calls = 0;
    const flaky: ParagraphParser = {
      parse: (texts) => (++calls === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(texts.map(analyzeParagraph))),
    };
    expect(comparable((await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser: flaky, offThreadChars: 0 }))!)).toEqual(fresh);
    expect(calls).toBeGreaterThan(1);
    const short: ParagraphParser = { parse: (texts) => Promise.resolve(texts.slice(1).map(analyzeParagraph)) };
    expect(comparable((await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser: short, offThreadChars: 0 }))!)).toEqual(fresh);
    const missing = pool(resolve(__dirname, 'no-such-worker.js'));
    expect(comparable((await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser: missing, offThreadChars: 0 }))!)).toEqual(fresh);
    expect(missing.started).toBe(0);
  });

  it('falls back when the worker is stopped in the middle of an analysis', async () => {
    const parser = pool();
    const running = analyzeArticleAsync(text, {}, new ParagraphCache(), { parser, offThreadChars: 0 });
    expect(await until(() => parser.parsed > 0)).toBe(true);
    parser.dispose();
    expect(comparable((await running)!)).toEqual(comparable(analyzeArticle(text, {}, new ParagraphCache())));
  });

  it('stops when cancelled, keeping what the worker already parsed in the cache', async () => {
    const parser = pool();
    const cache = new ParagraphCache();
    let cancel = false;
    const running = analyzeArticleAsync(text, {}, cache, { parser, offThreadChars: 0, isCancelled: () => cancel });
    expect(await until(() => parser.parsed > 0)).toBe(true);
    cancel = true;
    expect(await running).toBeUndefined();
    expect(await until(() => !parser.running)).toBe(true);
    expect(cache.size).toBeGreaterThanOrEqual(parser.parsed);
  });

  it('stops the worker once it is idle, and starts one again when needed', async () => {
    const parser = pool(WORKER, 50);
    await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser, offThreadChars: 0 });
    expect(await until(() => !parser.running)).toBe(true);
    await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser, offThreadChars: 0 });
    expect(parser.started).toBe(2);
  });

  it('answers hostile text the way this thread does', async () => {
    const hostile = ['\u0000\uFFFF\uD800 broken', '“'.repeat(3000), 'A'.repeat(20_000), '', '😀'.repeat(500), 'x\r\n\r\ny'];
    const parsed = await pool().parse(hostile);
    expect(parsed.map(adoptAnalysis)).toEqual(hostile.map(analyzeParagraph));
  });

  it('adopts a structured clone: equal data, shared empty lists and strings', () => {
    const local = analyzeParagraph('Angela Merkel, the German chancellor, said: “We will see.” Merkel smiled.');
    const clone = adoptAnalysis(structuredClone(local));
    expect(clone).toEqual(local);
    const empty = adoptAnalysis(structuredClone(analyzeParagraph('nothing here')));
    expect(Object.isFrozen(empty.nlp.names)).toBe(true);
    expect(Object.isFrozen(empty.marks)).toBe(true);
    const twice = adoptAnalysis(structuredClone(local));
    expect(twice.nlp.names[0].text).toBe(clone.nlp.names[0].text);
  });
});

// kept apart from the cases above: ParagraphAnalysis must stay plain data to cross threads
it('a paragraph analysis is plain data (survives a structured clone unchanged)', () => {
  const a: ParagraphAnalysis = analyzeParagraph('“Yes,” said Dr. Jane Roe, 45, of Minsk.');
  expect(structuredClone(a)).toEqual(a);
});
