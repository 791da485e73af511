/**
 * fast-check arbitraries for hostile and news-like article text.
 *
 * Every generator here produces plain JavaScript strings (UTF-16). Some of them
 * deliberately produce lone surrogates and half-broken pairs: an editor buffer
 * can hold those (a file decoded leniently, a paste cut in the middle of an
 * emoji), and the analysis must still never split a pair it was given whole.
 */
import fc from 'fast-check';
import { generateArticle, random } from '../bench/generate';

/** Every quotation mark the analysis knows, plus the two-character ones. */
export const QUOTE_MARKS = ['“', '”', '‘', '’', '"', "'", "''", '``', '«', '»', '„', '‚', '‹', '›', '「', '」', '〝', '〞', '＂', '′', '″'];

export const LINE_BREAKS = ['\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '\r\r', '\u2028', '\u2029', '\u0085', '\v', '\f'];

export const SPACES = [' ', '  ', '\t', '\u00a0', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u3000', '\u2009', '\u202f', '\u00ad'];

/** Right-to-left and bidi control text. */
export const RTL = ['שלום', 'مرحبا بالعالم', 'قال الرئيس', '\u202e', '\u202b', '\u202c', '\u200f', '\u200e', '\u2067', '\u2069', 'ירושלים'];

/** Astral characters: emoji (with modifiers, ZWJ sequences, flags), math letters, CJK extension B. */
export const ASTRAL = ['👍', '🌊', '👩🏽‍⚕️', '🇧🇾', '🏳️‍🌈', '𝐀𝐁𝐂', '𝒜', '𠀀', '😀', '🧑‍🤝‍🧑', '\u{1F600}\u{FE0F}', '𓀀'];

/** Combining marks, alone and stacked (zalgo). */
export const COMBINING = ['\u0301', '\u0308', '\u0327', '\u20dd', 'e\u0301', 'A\u030a', 'Z\u0351\u0352\u0357\u035b\u0346', '\u0489'];

/** Lone surrogates: not valid text, but a JS string (and an editor buffer) can hold them. */
export const LONE_SURROGATES = ['\ud83d', '\ude00', '\udbff', '\udc00'];

export const PUNCTUATION = ['.', ',', ';', ':', '!', '?', '…', '—', '–', '-', '(', ')', '[', ']', '/', '&', '*', '#', '@', '_', '. ', '.\u00a0', 'Mr.', 'U.S.', 'A.', '...', '--'];

const WORDS = [
  'said', 'says', 'told', 'according to', 'he', 'she', 'they', 'it', 'the', 'a', 'of', 'in', 'and', 'who', 'which', 'added',
  'President', 'Mr.', 'Ms.', 'Dr.', 'Gov.', 'Sen.', 'Prime Minister', 'spokesman', 'the company', 'the ministry',
  'Anna', 'Petrova', 'Pavel', 'Kowalski', 'Minsk', 'Moscow', 'Kremlin', 'European Union', 'NATO', 'Reuters', 'Apple',
  'Aleksandr G. Lukashenko', 'Vladimir V. Putin', 'New York', 'United Nations', 'Interior Ministry', 'Saturday', '1996',
  '42', '3.5', 'BREAKING', 'MOSCOW —', 'WASHINGTON (Reuters) -', 'By', 'Source link', 'Check Also', 'Advertisement',
  'iPhone', "O'Brien", 'D’Amato', 'rock ’n’ roll', "'90s", 'don’t', "isn't", 'Jones’', "Smiths'", 'McDonald’s',
];

/** A fragment of a generated wire story: whole paragraphs, a cut in the middle, or a few lines. */
export const newsFragment: fc.Arbitrary<string> = fc
  .record({ seed: fc.integer({ min: 1, max: 10_000 }), size: fc.integer({ min: 200, max: 3000 }), from: fc.nat(), len: fc.integer({ min: 1, max: 2000 }) })
  .map(({ seed, size, from, len }) => {
    const article = generateArticle(size, seed);
    const start = from % article.length;
    return article.slice(start, start + len);
  });

const piece = (xs: string[]) => fc.constantFrom(...xs);

/** One token of hostile text, weighted towards what breaks quote and name logic. */
export const hostileToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: piece(WORDS) },
  { weight: 6, arbitrary: piece(QUOTE_MARKS) },
  { weight: 4, arbitrary: piece(SPACES) },
  { weight: 3, arbitrary: piece(LINE_BREAKS) },
  { weight: 3, arbitrary: piece(PUNCTUATION) },
  { weight: 2, arbitrary: piece(ASTRAL) },
  { weight: 2, arbitrary: piece(COMBINING) },
  { weight: 2, arbitrary: piece(RTL) },
  { weight: 1, arbitrary: piece(LONE_SURROGATES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('A', 'a', 'Z', ' ', '.', '“', '”', '\n'), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);

/** A whole document: tokens glued with spaces (mostly), optionally mixed with news fragments. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: hostileToken.map((t) => t) },
      { weight: 4, arbitrary: hostileToken.map((t) => `${t} `) },
      { weight: 1, arbitrary: newsFragment },
    ),
    { maxLength: 80 },
  )
  .map((xs) => xs.join(''));

/** Text that is mostly quote marks, words and line breaks: stresses quote pairing across paragraphs. */
export const quoteSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof(piece(QUOTE_MARKS), piece(QUOTE_MARKS.map((q) => ` ${q}`)), piece(['said', 'Anna Petrova', 'he said', ',', '.', ' ']), piece(['\n\n', '\r\n', '\r'])), {
    maxLength: 120,
  })
  .map((xs) => xs.join(''));

/** A news fragment with hostile tokens spliced in at random places. */
export const corruptedNews: fc.Arbitrary<string> = fc
  .tuple(newsFragment, fc.array(fc.tuple(fc.nat(), hostileToken), { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([text, inserts, eol]) => {
    let out = text.replace(/\n/g, eol);
    for (const [at, token] of inserts) {
      const i = out.length ? at % (out.length + 1) : 0;
      out = out.slice(0, i) + token + out.slice(i);
    }
    return out;
  });

/** Long lines and long runs (kept moderate so the fast mode stays fast). */
export const longRun: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(piece(['a', 'A', 'Ab ', '“', '”', '"', "'", ' ', '.', 'Mr. ', 'Anna ', '👍', '\u200b', 'e\u0301', '. ', '“a” ', '‘']), hostileToken), fc.integer({ min: 100, max: 3000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / Math.max(1, unit.length))));

/** Everything, weighted. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 3, arbitrary: corruptedNews },
  { weight: 2, arbitrary: quoteSoup },
  { weight: 1, arbitrary: longRun },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\r', '\r\n', '\ufeff', '“', '"', "'", '\ud83d', '👍', '\u0301', '\u202e') },
);

/** Deterministic hostile texts of a given size, for timing (no fast-check shrinking needed). */
export function sizedInputs(size: number, seed = 1): Record<string, string> {
  const rnd = random(seed);
  const fill = (unit: string | (() => string)) => {
    let s = '';
    while (s.length < size) s += typeof unit === 'string' ? unit : unit();
    return s.slice(0, size).replace(/[\ud800-\udbff]$/, 'x');
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  return {
    news: generateArticle(size, seed).slice(0, size),
    'news, CRLF': generateArticle(size, seed + 1).replace(/\n/g, '\r\n').slice(0, size),
    'news, lone CR': generateArticle(size, seed + 2).replace(/\n/g, '\r').slice(0, size),
    'one line, no spaces': fill('abcdefghij'),
    'quote marks': fill(() => pick(QUOTE_MARKS)),
    'spaced quote marks': fill(() => `${pick(QUOTE_MARKS)} `),
    'capitalised words, no sentence end': fill(() => `${pick(['Anna', 'Pavel', 'Minsk', 'Union', 'President', 'Kremlin', 'Ministry'])} `),
    'one sentence, hard-wrapped': fill(() => `${pick(['the', 'said', 'Anna', 'of', 'Minsk', 'and'])}${rnd() < 0.1 ? '\n' : ' '}`),
    'emoji and combining': fill(() => pick(['👍', '🇧🇾', 'e\u0301', '👩🏽‍⚕️', ' ', 'a'])),
    'random junk': fill(() => String.fromCharCode(Math.floor(rnd() * 0xffff))),
    'said, said, said': fill('“Yes,” he said. '),
    'unclosed quotes per paragraph': fill('“He said no.\n\n'),
    'Mr. initials': fill('Mr. A. B. C. '),
  };
}
