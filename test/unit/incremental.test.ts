import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeArticle, analyzeArticleAsync, ParagraphCache, rehearsalEdit, rehearseSplices, wasSpliced } from '../../server/src/analysis/article';
import { changedRegion } from '../../server/src/analysis/paragraphs';
import { Rope } from '../../server/src/analysis/text';
import type { Article } from '../../server/src/analysis/types';
import { generateArticle, random } from '../bench/generate';

const SAMPLE = readFileSync(resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt'), 'utf8');

/** The analysis without its timing and cache figures, as plain data. */
function comparable(article: Article) {
  const { millis: _m, cachedParagraphs: _c, ...stats } = article.stats;
  return JSON.parse(JSON.stringify({ ...article, stats, paragraphs: article.structure.paragraphs.map((p) => ({ ...p, sentences: p.sentences })) }));
}

const INSERTS = ['x', ' ', '“', '”', '"', "'", '’', '\n\n', '\n', 'Mr. ', 'Angela Merkel said, “Yes.”', '😀', '\r\n', ', the Kremlin said. ', 'Moscow'];

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(rnd() * INSERTS.length)] + text.slice(at);
  const len = Math.floor(rnd() * 40);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at + len);
  return text.slice(0, at) + INSERTS[Math.floor(rnd() * INSERTS.length)] + text.slice(at + len);
}

describe('incremental analysis', () => {
  it.each([
    ['the sample article', SAMPLE, 11],
    ['a generated article', generateArticle(12_000, 3), 12],
  ])('after random edits of %s equals a fresh analysis of the same text', (_name, start, seed) => {
    const rnd = random(seed);
    const warm = new ParagraphCache();
    let text = start;
    analyzeArticle(text, {}, warm);
    for (let i = 0; i < 25; i++) {
      text = edit(text, rnd);
      const incremental = analyzeArticle(text, {}, warm);
      expect(incremental.stats.cachedParagraphs).toBeGreaterThan(0);
      expect(comparable(incremental)).toEqual(comparable(analyzeArticle(text, {}, new ParagraphCache())));
    }
  });

  it.each([
    ['the sample article', SAMPLE, 21],
    ['a generated article', generateArticle(12_000, 3), 22],
  ])('given the previous version, after random edits of %s equals a fresh analysis', async (_name, start, seed) => {
    const rnd = random(seed);
    const warm = new ParagraphCache();
    let text = start;
    let previous = analyzeArticle(text, {}, warm);
    for (let i = 0; i < 25; i++) {
      text = edit(text, rnd);
      const fresh = comparable(analyzeArticle(text, {}, new ParagraphCache()));
      const next = i % 2 ? analyzeArticle(text, {}, warm, previous) : (await analyzeArticleAsync(text, {}, warm, { previous, sliceMillis: 0 }))!;
      expect(comparable(next)).toEqual(fresh);
      previous = next;
    }
  });

  it('given the previous version, takes untouched paragraphs from it without the cache', () => {
    const first = analyzeArticle(SAMPLE, {}, new ParagraphCache());
    const changed = SAMPLE.replace('thousands of people', 'hundreds of people');
    // an empty cache: everything reused comes from the previous article
    const second = analyzeArticle(changed, {}, new ParagraphCache(), first);
    expect(second.stats.paragraphs).toBe(first.stats.paragraphs);
    expect(second.stats.cachedParagraphs).toBe(first.stats.paragraphs - 1);
    expect(analyzeArticle(changed, {}, new ParagraphCache(), second).stats.cachedParagraphs).toBe(first.stats.paragraphs);
  });

  it('re-analyses only the changed paragraph', () => {
    const cache = new ParagraphCache();
    const first = analyzeArticle(SAMPLE, {}, cache);
    const changed = SAMPLE.replace('thousands of people', 'hundreds of people');
    const second = analyzeArticle(changed, {}, cache);
    expect(second.stats.paragraphs).toBe(first.stats.paragraphs);
    expect(second.stats.cachedParagraphs).toBe(first.stats.paragraphs - 1);
  });

  it('gives the same result in slices as in one go, and stops when cancelled', async () => {
    const text = generateArticle(30_000, 5);
    const sliced = await analyzeArticleAsync(text, {}, new ParagraphCache(), { sliceMillis: 0 });
    expect(comparable(sliced!)).toEqual(comparable(analyzeArticle(text, {}, new ParagraphCache())));
    const cancelled = await analyzeArticleAsync(text, {}, new ParagraphCache(), { sliceMillis: 0, isCancelled: () => true });
    expect(cancelled).toBeUndefined();
  });

  it('leaves the previous version as it was when an analysis from it stops before assembling, and splices from it afterwards', async () => {
    const text = generateArticle(30_000, 8);
    const cache = new ParagraphCache();
    const rope = Rope.of(text);
    const previous = analyzeArticle(rope, {}, cache);
    const before = comparable(previous);
    const at = text.indexOf('\n\n', text.length >> 1) + 7;
    // a new paragraph's analysis is sliced: the analysis stops at its first pause, after the split
    const edited = rope.edit(at, at, ' The talks went on until late in the evening.');
    let checks = 0;
    const stopped = await analyzeArticleAsync(edited, {}, cache, { previous, sliceMillis: -1, isCancelled: () => ++checks > 0 });
    expect(stopped).toBeUndefined();
    expect(checks).toBeGreaterThan(0);
    expect(comparable(previous)).toEqual(before);
    // (with a cache of its own: every paragraph but the edited one comes from the previous version)
    const again = await analyzeArticleAsync(edited, {}, new ParagraphCache(), { previous });
    expect(wasSpliced(again!)).toBe(true);
    expect(again!.stats.cachedParagraphs).toBe(again!.stats.paragraphs - 1);
    expect(comparable(again!)).toEqual(comparable(analyzeArticle(edited.toString(), {}, new ParagraphCache())));
  });

  it('rehearses the splices on a long article (a word added, a letter typed into the name of a place or organization, a quotation mark opened, twice each): the article it ends with equals the fresh one, and the next edit splices from it', async () => {
    const cache = new ParagraphCache();
    const rope = Rope.of(generateArticle(60_000, 4));
    const fresh = analyzeArticle(rope, {}, cache);
    const expected = comparable(fresh);
    const rehearsed = await rehearseSplices(fresh, rope, {}, cache, 6);
    expect(rehearsed).not.toBe(fresh);
    expect(wasSpliced(rehearsed)).toBe(true);
    expect(comparable(rehearsed)).toEqual(expected);
    const at = rope.length >> 1;
    const next = rope.edit(at, at, '“');
    const edited = analyzeArticle(next, {}, new ParagraphCache(), rehearsed);
    expect(wasSpliced(edited)).toBe(true);
    expect(comparable(edited)).toEqual(comparable(analyzeArticle(next.toString(), {}, new ParagraphCache())));
  });

  it('rehearses each kind of edit where it splices: a word at a paragraph end, a letter inside a place or organization named elsewhere, an opening quotation mark', () => {
    const cache = new ParagraphCache();
    const rope = Rope.of(generateArticle(60_000, 4));
    let current = analyzeArticle(rope, {}, cache);
    const texts: string[] = [];
    for (let round = 0; round < 6; round++) {
      const edit = rehearsalEdit(current, round)!;
      expect(edit).toBeDefined();
      texts.push(edit.text);
      if (edit.text === 'x') {
        // inside a mention of a place or organization with other mentions, not its first
        const owner = current.entities.find((e) => e.mentions.some((m) => m.start < edit.at && edit.at < m.end))!;
        expect(owner.type).not.toBe('person');
        expect(owner.mentions[0].start).toBeLessThan(edit.at);
      }
      const typed = rope.edit(edit.at, edit.at, edit.text);
      const edited = analyzeArticle(typed, {}, cache, current);
      expect(wasSpliced(edited)).toBe(true);
      expect(comparable(edited)).toEqual(comparable(analyzeArticle(typed.toString(), {}, new ParagraphCache())));
      current = analyzeArticle(rope, {}, cache, edited);
      expect(wasSpliced(current)).toBe(true);
    }
    expect(texts).toEqual([' and', 'x', '“', ' and', 'x', '“']);
  });

  /** Typing: one character after another at one place, then deleting them again. */
  function* typing(text: string, rnd: () => number, words: string[]): Generator<string> {
    let at = Math.floor(rnd() * text.length);
    for (const word of words) {
      for (const ch of word) {
        text = text.slice(0, at) + ch + text.slice(at);
        at += ch.length;
        yield text;
      }
    }
    for (let k = 0; k < 6 && at > 0; k++) {
      text = text.slice(0, at - 1) + text.slice(at);
      at--;
      yield text;
    }
  }

  it.each([
    ['the sample article', SAMPLE, 31],
    ['a generated article', generateArticle(12_000, 3), 32],
    ['a longer generated article', generateArticle(40_000, 6), 33],
  ])('splices most edits of %s from the version before, and every splice equals a fresh analysis', (_name, start, seed) => {
    const rnd = random(seed);
    const warm = new ParagraphCache();
    // the text as an open document keeps it: in pieces, with its edits
    let rope = Rope.of(start);
    let previous = analyzeArticle(rope, {}, warm);
    let spliced = 0;
    let total = 0;
    // the whole article-level pass, on paragraph analyses of its own cache
    const fresh = new ParagraphCache();
    const step = (text: string) => {
      const change = changedRegion(rope.toString(), text) ?? { start: 0, oldEnd: 0, newEnd: 0 };
      rope = rope.edit(change.start, change.oldEnd, text.slice(change.start, change.newEnd));
      const next = analyzeArticle(rope, {}, warm, previous);
      total++;
      if (wasSpliced(next)) spliced++;
      expect(comparable(next)).toEqual(comparable(analyzeArticle(text, {}, fresh)));
      previous = next;
    };
    let text = start;
    for (let i = 0; i < 30; i++) {
      text = edit(text, rnd);
      step(text);
    }
    // a writer typing a sentence with a quotation and a new name into the middle of a paragraph
    for (const typed of typing(text, rnd, [' “We will', ' not leave,”', ' said', ' Maria', ' Kowalczyk.'])) {
      text = typed;
      step(text);
    }
    // the same text again: nothing to do
    step(text);
    expect(spliced / total).toBeGreaterThan(0.5);
  });

  it.each([
    ['the sample article', SAMPLE, 41],
    ['a generated article', generateArticle(30_000, 4), 42],
  ])('splices edits inside the names of %s (a name broken, lengthened or made new), and each equals a fresh analysis', (_name, start, seed) => {
    const rnd = random(seed);
    const warm = new ParagraphCache();
    const fresh = new ParagraphCache();
    let rope = Rope.of(start);
    let previous = analyzeArticle(rope, {}, warm);
    let spliced = 0;
    let total = 0;
    const names = [...start.matchAll(/\p{Lu}\p{Ll}{3,}/gu)].map((m) => m.index!);
    for (let i = 0; i < 24; i++) {
      const at = names[Math.floor(rnd() * names.length)];
      const word = /^\p{L}+/u.exec(start.slice(at))![0];
      // inside the word, at its end, or a new capitalised word after it
      const where = i % 3 === 0 ? at + 1 + Math.floor(rnd() * (word.length - 1)) : at + word.length;
      const typed = i % 3 === 0 ? '“' : i % 3 === 1 ? 's' : ' Kowalczyk';
      for (const [from, to, insert] of [
        [where, where, typed],
        [where, where + typed.length, ''],
      ] as const) {
        rope = rope.edit(from, to, insert);
        const next = analyzeArticle(rope, {}, warm, previous);
        total++;
        if (wasSpliced(next)) spliced++;
        expect(comparable(next)).toEqual(comparable(analyzeArticle(rope.toString(), {}, fresh)));
        previous = next;
      }
    }
    expect(spliced / total).toBeGreaterThan(0.75);
  });

  it('analyses edits inside names from an older version as well as from the newest (an undo, a stale version), each equal to a fresh analysis; a version a splice consumed is not spliced from again', () => {
    const rnd = random(43);
    const warm = new ParagraphCache();
    const fresh = new ParagraphCache();
    const start = generateArticle(20_000, 5);
    const versions = [{ rope: Rope.of(start), article: analyzeArticle(start, {}, warm) }];
    const consumed = new Set<Article>();
    let spliced = 0;
    let fromLive = 0;
    for (let i = 0; i < 30; i++) {
      // edit one of the last three versions: a name lengthened or broken
      const base = versions[Math.max(0, versions.length - 1 - Math.floor(rnd() * 3))];
      const text = base.rope.toString();
      const names = [...text.matchAll(/\p{Lu}\p{Ll}{3,}/gu)].map((m) => m.index!);
      const at = names[Math.floor(rnd() * names.length)];
      const word = /^\p{L}+/u.exec(text.slice(at))![0];
      const where = i % 2 ? at + word.length : at + 1 + Math.floor(rnd() * (word.length - 1));
      const rope = base.rope.edit(where, where, i % 2 ? 'o' : '“');
      const wasConsumed = consumed.has(base.article);
      if (!wasConsumed) fromLive++;
      const article = analyzeArticle(rope, {}, warm, base.article);
      if (wasConsumed) expect(wasSpliced(article)).toBe(false);
      if (wasSpliced(article)) {
        spliced++;
        consumed.add(base.article);
      }
      expect(comparable(article)).toEqual(comparable(analyzeArticle(rope.toString(), {}, fresh)));
      versions.push({ rope, article });
    }
    expect(fromLive).toBeGreaterThan(10);
    expect(spliced / fromLive).toBeGreaterThan(0.6);
    expect(consumed.size).toBe(spliced);
  });

  it('splices from a version whose successor changed what the paragraphs read (a branch of the edit history)', () => {
    const text = [
      'Schools close in Minsk',
      'MINSK — Anna Petrova, 34, a teacher at the city school, said the building was closed on Monday.',
      '"It is over for this year," Petrova said.',
      'The ministry spokesman Ivan Sokolov declined to comment.',
    ].join('\n\n');
    const cache = new ParagraphCache();
    const fresh = (t: string) => comparable(analyzeArticle(t, {}, new ParagraphCache()));
    const at = (rope: Rope, word: string) => rope.toString().indexOf(word);
    const v0 = Rope.of(text);
    const a0 = analyzeArticle(v0, {}, cache);
    // a name lengthened: the knowledge changes
    const v1 = v0.edit(at(v0, 'Sokolov') + 7, at(v0, 'Sokolov') + 7, 's');
    const a1 = analyzeArticle(v1, {}, cache, a0);
    expect(comparable(a1)).toEqual(fresh(v1.toString()));
    // from it, the quote's speaker named no more
    const quoted = at(v1, 'Petrova said');
    const v2 = v1.edit(quoted, quoted + 7, 'she');
    expect(comparable(analyzeArticle(v2, {}, cache, a1))).toEqual(fresh(v2.toString()));
    // and from the same version, the full name broken: the quote's paragraph still reads it
    const full = at(v1, 'Petrova,');
    const v3 = v1.edit(full + 3, full + 3, '“');
    expect(comparable(analyzeArticle(v3, {}, cache, a1))).toEqual(fresh(v3.toString()));
  });

  it('keeps the paragraph cache within its bound', () => {
    const cache = new ParagraphCache(5_000);
    analyzeArticle(generateArticle(40_000, 9), {}, cache);
    expect(cache.cachedChars).toBeLessThanOrEqual(5_000 + 2_000);
    expect(cache.size).toBeGreaterThan(0);
  });
});
