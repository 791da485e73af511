/**
 * Regression tests: minimal reproductions of the bugs the fuzzers found (all fixed).
 * Every reproduction is bounded so it cannot hang the run if a bug comes back.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { defaultSettings } from '../../server/src/protocol';
import { checkArticle } from './invariants';

const time = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

describe('bugs the fuzzers found stay fixed', () => {
  // quoteLexicon.ts tokenize(): `while (j < to && isWordCode(masked, j)) j++` steps one code unit,
  // so a word ending in an astral letter (𝐀 U+1D400, 𞤀, 𐀀) ends between its surrogates.
  it('a speaker ending in an astral letter keeps its surrogate pair whole', () => {
    const text = '“Bad,” told r𝐀.';
    const article = analyzeArticle(text, {}, new ParagraphCache());
    expect(article.quotes[0].speaker?.text).not.toBe('r\ud835');
    expect(checkArticle(text, article)).toEqual([]);
  });

  // quoteLocal.ts localSpeaker(): the previous sentence's range ended between the halves of an
  // astral letter glued to an initial ("A.𠀀fficials"), and the reported speaker was "A.\ud840".
  it('a speaker from the previous sentence never ends inside a surrogate pair', () => {
    const text = 'A.𠀀fficials were preparing a response to the latest demands in 124 districts,” said in a statement Mikhail Dunmore, a engineer from Berlin. “W';
    const article = analyzeArticle(text, {}, new ParagraphCache());
    expect(checkArticle(text, article)).toEqual([]);
  });

  // structure.ts DATELINE: `(?:[A-Z][A-Z.'’-]*)(?:[ -](?:[A-Z][A-Z.'’-]*))*` can split "M-M-M" at
  // every hyphen in two ways: exponential backtracking when the dateline dash never comes.
  it('a paragraph of hyphenated capitals is analysed in linear time', () => {
    const ms = (n: number) => time(() => analyzeArticle(`Headline\n\n${'M-'.repeat(n)}1 The talks failed.`, {}, new ParagraphCache()));
    ms(10);
    const t18 = ms(18);
    const t22 = ms(22); // 4 more pairs: ×16 when exponential; stays well under a second
    expect(t22).toBeLessThan(Math.max(4 * t18, 40));
  }, 30_000);

  // features/codeActions.ts: for every finding, `diagnostics.find(... sameRange ...)` over all the
  // diagnostics the client sent: O(findings × diagnostics). Select all + Ctrl+. in an article with one
  // unclosed quote per paragraph: 800 paragraphs ≈ 0.1 s, 10 000 (200 KB) ≈ 15 s of a frozen server.
  it('code actions for a range are linear in the number of diagnostics', () => {
    const run = (paragraphs: number) => {
      const text = 'He said “no.\n\nThen.\n\n'.repeat(paragraphs);
      const doc = TextDocument.create('file:///x.article.txt', 'article', 1, text);
      const article = analyzeArticle(text, {}, new ParagraphCache());
      const diagnostics = provideDiagnostics(doc, article, defaultSettings);
      expect(diagnostics.length).toBeGreaterThanOrEqual(paragraphs);
      return Math.min(...[0, 1, 2].map(() => time(() => provideCodeActions(doc, article, 0, text.length, diagnostics))));
    };
    run(50);
    const small = run(200);
    const big = run(800); // 4× the diagnostics: ×16 when quadratic
    expect(big).toBeLessThan(Math.max(8 * small, 20));
  }, 60_000);
});
