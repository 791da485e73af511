import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import type { Article } from '../../server/src/analysis/types';
import { ArticleDocument } from '../../server/src/document';
import { SemanticTokensProvider } from '../../server/src/features/semanticTokens';
import { generateArticle, random } from '../bench/generate';

const SAMPLE = readFileSync(resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt'), 'utf8');

const INSERTS = ['x', ' ', '\n', '\n\n', '\r\n', '😀', 'Angela Merkel', ' said Vladimir Putin. ', 'Mr. ', '“', 'Moscow', 'the Kremlin'];

/** Apply semantic-token edits to the integers of the result before. */
function applyEdits(data: number[], edits: { start: number; deleteCount: number; data?: number[] }[]): number[] {
  let out = data;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = [...out.slice(0, e.start), ...(e.data ?? []), ...out.slice(e.start + e.deleteCount)];
  return out;
}

/** The tokens of a fresh analysis of the document's text (a new Article: nothing encoded before is reused). */
function fresh(doc: ArticleDocument, cache: ParagraphCache): number[] {
  return new SemanticTokensProvider().full(doc, analyzeArticle(doc.getText(), {}, cache)).data;
}

/** Edit a document as an editor does (a range and its new text), analyse it knowing the version before, ask for a delta. */
function session(start: string, seed: number, steps: number) {
  const rnd = random(seed);
  const doc = ArticleDocument.create('file:///t.article.txt', 'article', 1, start);
  const cache = new ParagraphCache();
  let article: Article = analyzeArticle(doc.source, {}, cache);
  const provider = new SemanticTokensProvider();
  let result = provider.full(doc, article);
  let data = [...result.data];
  const sizes: number[] = [];
  for (let i = 0; i < steps; i++) {
    const length = doc.source.length;
    const at = Math.floor(rnd() * (length + 1));
    const kind = rnd();
    const del = kind < 0.5 ? 0 : Math.min(length - at, Math.floor(rnd() * 30));
    const text = kind < 0.8 ? INSERTS[Math.floor(rnd() * INSERTS.length)] : '';
    ArticleDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + del) }, text }], i + 2);
    article = analyzeArticle(doc.source, {}, cache, article);
    const delta = provider.delta(doc, article, result.resultId!);
    expect('edits' in delta).toBe(true);
    if (!('edits' in delta)) break;
    data = applyEdits(data, delta.edits);
    sizes.push(delta.edits.reduce((n, e) => n + e.deleteCount + (e.data?.length ?? 0), 0));
    // what a fresh analysis of the same text encodes from scratch
    expect(data).toEqual(fresh(doc, cache));
    result = { resultId: delta.resultId, data };
  }
  return { sizes, tokens: data.length / 5 };
}

describe('semantic-token deltas after edits', () => {
  it.each([
    ['the sample article', SAMPLE, 5],
    ['a generated article', generateArticle(20_000, 4), 6],
    ['a generated article with CRLF line ends', generateArticle(8_000, 8).replace(/\n/g, '\r\n'), 7],
  ])('rebuild the tokens a fresh encoding gives, after random edits of %s', (_name, text, seed) => {
    const { sizes, tokens } = session(text, seed, 40);
    // most edits change a few tokens, not the article's hundreds: the encoding was spliced
    const small = sizes.filter((s) => s <= 40).length;
    expect(tokens).toBeGreaterThan(50);
    expect(small).toBeGreaterThan(sizes.length / 2);
  });

  it('sends one small edit for a character typed in the middle of a long article', () => {
    const text = generateArticle(60_000, 2);
    const doc = ArticleDocument.create('file:///long.article.txt', 'article', 1, text);
    const cache = new ParagraphCache();
    let article = analyzeArticle(doc.source, {}, cache);
    const provider = new SemanticTokensProvider();
    const first = provider.full(doc, article);
    const at = text.indexOf('. ', text.length / 2) + 2;
    ArticleDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: 'x' }], 2);
    article = analyzeArticle(doc.source, {}, cache, article);
    const delta = provider.delta(doc, article, first.resultId!);
    if (!('edits' in delta)) throw new Error('a full result instead of a delta');
    const size = delta.edits.reduce((n, e) => n + e.deleteCount + (e.data?.length ?? 0), 0);
    expect(size).toBeLessThanOrEqual(10);
    expect(applyEdits(first.data, delta.edits)).toEqual(fresh(doc, cache));
  });

  it('moves the tokens after a line break replaced by a space, though their offsets stay', () => {
    const text = 'Talks Resume\n\nMOSCOW — Anna Petrova met Pavel Novak in Minsk.\nThen Olga Varga flew to Warsaw,\nsaid the Kremlin.\n';
    const doc = ArticleDocument.create('file:///lines.article.txt', 'article', 1, text);
    const cache = new ParagraphCache();
    let article = analyzeArticle(doc.source, {}, cache);
    const provider = new SemanticTokensProvider();
    let result = provider.full(doc, article);
    let data = [...result.data];
    let version = 2;
    // each line break of the last paragraph becomes a space, then a space becomes a line break again
    for (const [from, to] of [['.\nThen', '. Then'], ['Warsaw,\n', 'Warsaw, '], ['met Pavel', 'met\nPavel']]) {
      const at = doc.getText().indexOf(from);
      ArticleDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + from.length) }, text: to }], version++);
      article = analyzeArticle(doc.source, {}, cache, article);
      const delta = provider.delta(doc, article, result.resultId!);
      if (!('edits' in delta)) throw new Error('a full result instead of a delta');
      data = applyEdits(data, delta.edits);
      expect(data).toEqual(fresh(doc, cache));
      result = { resultId: delta.resultId, data };
    }
  });
});
