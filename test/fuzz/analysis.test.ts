/**
 * Property-based tests of the analysis over generated hostile and news-like text:
 * it never throws, every span lies inside the text on UTF-16 boundaries, fixes
 * apply cleanly, the LSP answers built from it are well-formed, and the time per
 * character does not grow with the size.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeArticle, analyzeArticleAsync, ParagraphCache } from '../../server/src/analysis/article';
import { splitParagraphs } from '../../server/src/analysis/paragraphs';
import { ParsePool } from '../../server/src/parsePool';
import { anyText, corruptedNews, hostileText, quoteSoup, sizedInputs } from './arbitraries';
import { ANALYSIS_RUNS, LONG, MODE, params } from './config';
import { applyEdits, checkArticle, checkFeatures, splitsSurrogate, triage } from './invariants';

const knownBugs = new Map<string, number>();

/** Analyse, check every invariant, apply every fix and analyse the result too. */
function analyseAndCheck(text: string, cache: ParagraphCache): void {
  const article = analyzeArticle(text, { scareQuoteHints: true }, cache);
  const violations = checkArticle(text, article);
  violations.push(...checkFeatures(text, article));
  // every fix must apply; re-analyse the result of a few of them (all of them would be quadratic)
  const fixes = article.findings.flatMap((f) => f.fixes ?? []);
  fixes.forEach((fix, i) => {
    const fixed = applyEdits(violations, text, `fix ${fix.title}`, fix.edits);
    if (fixed === undefined || (i !== 0 && i !== fixes.length - 1 && i !== fixes.length >> 1)) return;
    violations.push(...checkArticle(fixed, analyzeArticle(fixed, { scareQuoteHints: true }, cache)).map((v) => `after fix "${fix.title}": ${v}`));
  });
  const fresh = triage(violations, knownBugs);
  if (fresh.length) throw new Error(`${fresh.length} violation(s) for ${JSON.stringify(text.slice(0, 300))}:\n${fresh.slice(0, 20).join('\n')}`);
}

// share the documents between the properties (sum = ANALYSIS_RUNS)
const share = (fraction: number) => Math.max(1, Math.round(ANALYSIS_RUNS * fraction));
const counts: Record<string, number> = {};
const count = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);

describe('analysis of generated text', () => {
  // one cache per property keeps memory bounded and still exercises cache hits
  it(`never throws and keeps every span inside the text (${share(0.4)} mixed documents)`, () => {
    const cache = new ParagraphCache();
    fc.assert(
      fc.property(anyText, (text) => {
        count('mixed');
        analyseAndCheck(text, cache);
      }),
      params(share(0.4)),
    );
  }, 600_000);

  it(`hostile token soup (${share(0.3)} documents)`, () => {
    const cache = new ParagraphCache();
    fc.assert(
      fc.property(hostileText, (text) => {
        count('hostile');
        analyseAndCheck(text, cache);
      }),
      params(share(0.3)),
    );
  }, 600_000);

  it(`quote-mark soup (${share(0.15)} documents)`, () => {
    const cache = new ParagraphCache();
    fc.assert(
      fc.property(quoteSoup, (text) => {
        count('quotes');
        analyseAndCheck(text, cache);
      }),
      params(share(0.15)),
    );
  }, 600_000);

  it(`news with hostile splices and CRLF / lone CR (${share(0.15)} documents)`, () => {
    const cache = new ParagraphCache();
    fc.assert(
      fc.property(corruptedNews, (text) => {
        count('news');
        analyseAndCheck(text, cache);
      }),
      params(share(0.15)),
    );
  }, 600_000);

  it('gives the same article synchronously, asynchronously, cached, uncached and parsed in the worker thread', async () => {
    const runs = LONG ? 500 : 60;
    // the worker bundle `npm run build` made: what the server runs
    const pool = new ParsePool(resolve(__dirname, '../../server/out/parseWorker.js'));
    try {
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          count('async');
          const cache = new ParagraphCache();
          const strip = (a: unknown) => JSON.parse(JSON.stringify(a, (k, v) => (k === 'stats' ? undefined : v)));
          const sync = strip(analyzeArticle(text, {}, new ParagraphCache()));
          const async = strip(await analyzeArticleAsync(text, {}, cache, { sliceMillis: 0 }));
          const cached = strip(analyzeArticle(text, {}, cache));
          const worker = strip(await analyzeArticleAsync(text, {}, new ParagraphCache(), { parser: pool, offThreadChars: 0 }));
          expect(async).toEqual(sync);
          expect(cached).toEqual(sync);
          expect(worker).toEqual(sync);
        }),
        params(runs),
      );
      expect(pool.parsed).toBeGreaterThan(0);
    } finally {
      pool.dispose();
    }
  }, 600_000);

  it('splits paragraphs inside the text, in order, never inside a surrogate pair', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let last = 0;
        for (const p of splitParagraphs(text)) {
          expect(p.start).toBeGreaterThanOrEqual(last);
          expect(p.end).toBeGreaterThan(p.start);
          expect(p.text).toBe(text.slice(p.start, p.end));
          expect(splitsSurrogate(text, p.start) || splitsSurrogate(text, p.end)).toBe(false);
          last = p.end;
        }
      }),
      params(LONG ? 20_000 : 3_000),
    );
  });

  it('prints how many documents ran', () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`fuzz: ${total} generated documents analysed (${JSON.stringify(counts)}), mode ${MODE}`);
    for (const [bug, n] of knownBugs) console.warn(`KNOWN BUG hit ${n}×: ${bug}`);
    expect(total).toBeGreaterThanOrEqual(ANALYSIS_RUNS);
  });
});

describe('analysis time is linear in the size', () => {
  const sizes = LONG ? [2_000, 8_000, 32_000, 128_000, 512_000] : [2_000, 8_000, 32_000];
  it(`time per character does not grow from ${sizes[0]} to ${sizes[sizes.length - 1]} characters`, () => {
    analyzeArticle(sizedInputs(2000).news, {}, new ParagraphCache()); // warm up compromise
    const table: Record<string, Record<number, number>> = {};
    const slowest: Record<number, { name: string; ms: number }> = {};
    // warm every code path once, then take the best of three runs (the machine is shared with other test files)
    for (const text of Object.values(sizedInputs(sizes[0], 2))) analyzeArticle(text, {}, new ParagraphCache());
    for (const size of sizes) {
      for (const [name, text] of Object.entries(sizedInputs(size, 3))) {
        const once = () => {
          const t0 = performance.now();
          analyzeArticle(text, {}, new ParagraphCache());
          return performance.now() - t0;
        };
        const first = once();
        const ms = first > 2000 ? first : Math.min(first, once(), once());
        (table[name] ??= {})[size] = ms;
        if (!slowest[size] || ms > slowest[size].ms) slowest[size] = { name, ms };
      }
    }
    const rows = Object.entries(table).map(([name, bySize]) => ({
      input: name,
      ...Object.fromEntries(sizes.map((s) => [`µs/char @${s / 1000}K`, +((bySize[s] * 1000) / s).toFixed(2)])),
      [`ms @${sizes[sizes.length - 1] / 1000}K`]: Math.round(bySize[sizes[sizes.length - 1]]),
    }));
    console.table(rows);
    console.log('slowest input per size:', Object.entries(slowest).map(([s, x]) => `${s}: ${x.name} ${x.ms.toFixed(0)} ms`).join('; '));
    const failures: string[] = [];
    const small = sizes[0];
    const big = sizes[sizes.length - 1];
    for (const [name, bySize] of Object.entries(table)) {
      const perCharSmall = bySize[small] / small;
      const perCharBig = bySize[big] / big;
      // generous for a shared machine: allow 8× per character (plus 100 ms of noise); quadratic growth from
      // the smallest to the largest size is ×16 or more (×256 in long mode)
      if (bySize[big] > 100 && perCharBig > 8 * perCharSmall + 100 / big) {
        failures.push(`${name}: ${(perCharSmall * 1000).toFixed(2)} µs/char at ${small} → ${(perCharBig * 1000).toFixed(2)} µs/char at ${big}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
