import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'article.tmLanguage.json');
let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(createRequire(__filename).resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
      createOnigString: (s: string) => new OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.article' ? parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar('source.article');
  if (!loaded) throw new Error('grammar did not load');
  grammar = loaded;
});

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenize a whole text; one token list per line. */
function tokenize(text: string): Token[][] {
  let state: StateStack = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** Scopes of the token holding the first character of `needle` in the given line. */
function scopesOf(lines: Token[][], line: number, needle: string): string[] {
  const text = lines[line].map((t) => t.text).join('');
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not in line ${line}: ${text}`);
  let offset = 0;
  for (const t of lines[line]) {
    if (at < offset + t.text.length) return t.scopes;
    offset += t.text.length;
  }
  throw new Error('unreachable');
}

const has = (scopes: string[], prefix: string) => scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

// [description, text, line, needle, scope expected (prefix), scope that must be absent (prefix)]
type Case = [string, string, number, string, string | null, string | null];

const HEADLINE = 'Under Siege in Belarus, Lukashenko Turns to Putin';

const cases: Case[] = [
  // headline
  ['first line is the headline', `${HEADLINE}\n\nMOSCOW — Text.`, 0, 'Lukashenko', 'markup.heading.1.headline', null],
  ['repeated headline later is not the headline', `${HEADLINE}\n\n${HEADLINE}`, 2, 'Lukashenko', null, 'markup.heading'],
  ['blank lines before the headline', `\n  \n${HEADLINE}\nBody text here.`, 2, 'Siege', 'markup.heading.1.headline', null],
  ['line after a headline after blank lines is body', `\n\n${HEADLINE}\nBody text here.`, 3, 'Body', null, 'markup.heading'],
  ['quotes inside the headline', 'Putin Says ‘No Deal’ on Union', 0, 'No Deal', 'string.quoted.single', null],
  ['straight single quotes inside the headline', "Putin: 'We Will Help' Belarus", 0, 'We Will', 'string.quoted.single.straight', null],
  ['markdown headline marker', '# Under Siege in Belarus', 0, '#', 'punctuation.definition.heading', null],
  ['markdown subhead in the body', 'Headline\n\n## The protests', 2, 'The protests', 'markup.heading', null],
  // dateline
  ['dateline place', 'H\nMOSCOW — After claiming for weeks', 1, 'MOSCOW', 'markup.bold.dateline.place', null],
  ['dateline dash', 'H\nMOSCOW — After claiming for weeks', 1, '—', 'punctuation.separator.dash', null],
  ['text after the dateline is not dateline', 'H\nMOSCOW — After claiming for weeks', 1, 'After', null, 'meta.dateline'],
  ['dateline with agency', 'H\nWASHINGTON (Reuters) - The U.S. said', 1, '(Reuters)', 'markup.italic.dateline.agency', null],
  ['dateline with ISO date', 'H\nLONDON 1996-08-30', 1, '1996', 'constant.numeric.date', null],
  ['dateline with ISO date: place', 'H\nLONDON 1996-08-30', 1, 'LONDON', 'markup.bold.dateline.place', null],
  ['dateline with region', 'H\nST. LOUIS, Mo. — The city', 1, 'Mo.', 'markup.bold.dateline.region', null],
  ['dateline with region and date', 'H\nNEW YORK, Aug 15 (Reuters) - Stocks fell', 1, '(Reuters)', 'meta.dateline', null],
  ['dateline, non-ASCII capitals', 'H\nSÃO PAULO — Rain', 1, 'SÃO', 'markup.bold.dateline.place', null],
  ['dateline with attached em dash', 'H\nMINSK—Protesters gathered', 1, 'MINSK', 'markup.bold.dateline.place', null],
  ['acronym without dash is not a dateline', 'H\nNATO said on Friday', 1, 'NATO', null, 'meta.dateline'],
  ['capitalised word with dash is not a dateline', 'H\nMoscow — the capital', 1, 'Moscow', null, 'meta.dateline'],
  // byline
  ['byline keyword', 'H\nBy Andrew Higgins and Ivan Nechepurenko', 1, 'By', 'keyword.other.byline', null],
  ['byline authors', 'H\nBy Andrew Higgins and Ivan Nechepurenko', 1, 'Ivan', 'markup.italic.byline.author', null],
  ['byline with agency', 'H\nBy JANE DOE, Reuters', 1, 'Reuters', 'meta.byline', null],
  ['byline with particle', 'H\nBy Ursula von der Leyen', 1, 'Leyen', 'meta.byline', null],
  ['sentence starting with By is not a byline', 'H\nBy casting his opponents as Western-backed agents, he won.', 1, 'casting', null, 'meta.byline'],
  ['capitalised sentence starting with By is not a byline', 'H\nBy Tuesday, the city had fallen.', 1, 'Tuesday', null, 'meta.byline'],
  // credit line
  ['credit: reported from', 'H\nAndrew Higgins reported from Moscow and Ivan Nechepurenko from Minsk, Belarus.', 1, 'Minsk', 'meta.credit', null],
  ['credit: contributed reporting', 'H\nJane Doe contributed reporting from Kyiv.', 1, 'Jane', 'markup.italic.credit', null],
  ['credit: Reuters style', 'H\n(Reporting by Jane Doe; Editing by John Smith)', 1, 'Editing', 'meta.credit', null],
  ['body sentence is not a credit line', 'H\nHe spoke in Moscow on Friday.', 1, 'Moscow', null, 'meta.credit'],
  // boilerplate
  ['boilerplate: Source link', 'H\nSource link', 1, 'Source', 'comment.line.boilerplate', null],
  ['boilerplate: Check Also', 'H\nCheck Also', 1, 'Check', 'comment.line.boilerplate', null],
  ['boilerplate: Advertisement', 'H\n  Advertisement  ', 1, 'Advertisement', 'comment.line.boilerplate', null],
  ['boilerplate: Share this:', 'H\nShare this:', 1, 'Share', 'comment.line.boilerplate', null],
  ['boilerplate: photo credit', 'H\nCredit...Sergei Grits/Associated Press', 1, 'Sergei', 'comment.line.boilerplate', null],
  ['sentence mentioning a link is not boilerplate', 'H\nCheck also the source link before filing.', 1, 'Check', null, 'comment'],
  // quotes
  ['curly double quote', 'H\n“He gave an order,” said Vitaly A. Karazhan, 33.', 1, 'gave', 'string.quoted.double', null],
  ['curly quote marks are punctuation', 'H\n“He gave an order,” said Vitaly A. Karazhan, 33.', 1, '”', 'punctuation.definition.string.end', null],
  ['text after the quote is not quoted', 'H\n“He gave an order,” said Vitaly A. Karazhan, 33.', 1, 'said', null, 'string'],
  ['number after a quote', 'H\n“He gave an order,” said Vitaly A. Karazhan, 33.', 1, '33', 'constant.numeric', null],
  ['apostrophe inside a quote keeps the quote open', 'H\n“Lukashenko’s men came,” he said.', 1, 'came', 'string.quoted.double', null],
  ['nested single quote', 'H\n“She told me ‘never again,’ and left,” he said.', 1, 'never', 'string.quoted.single', null],
  ['nested single quote closes', 'H\n“She told me ‘never again,’ and left,” he said.', 1, 'and left', null, 'string.quoted.single'],
  ['after nested single, still in double', 'H\n“She told me ‘never again,’ and left,” he said.', 1, 'and left', 'string.quoted.double', null],
  ['straight double quote', 'H\nHe said "hello" and left.', 1, 'hello', 'string.quoted.double.straight', null],
  ['text between straight quotes', 'H\nHe said "hello" and "bye" then left.', 1, 'and', null, 'string'],
  ['guillemets', 'H\nIl a dit «\u00a0non\u00a0» hier.', 1, 'non', 'string.quoted.double.guillemets', null],
  ['low-high German quote', 'H\nEr sagte „nein“ gestern.', 1, 'nein', 'string.quoted.double.low', null],
  ['unclosed quote ends with its line', 'H\n“The defense of Belarus is ours\nMr. Lukashenko said.', 2, 'Lukashenko', null, 'string'],
  ['lone apostrophe outside quotes is text', "H\nThe country's leader ’90s rock", 1, 'leader', null, 'string'],
  // numbers and dates
  ['date', 'H\nOn Aug. 15, 2020, the vote took place.', 1, 'Aug', 'constant.numeric.date', null],
  ['number with thousands', 'H\nAbout 200,000 people marched.', 1, '200,000', 'constant.numeric', null],
  ['digits in a word are not a number', 'H\nThe B52 flew.', 1, '52', null, 'constant.numeric'],
  ['link', 'H\nSee https://example.com/a?b=1 now.', 1, 'https', 'markup.underline.link', null],
];

describe('article grammar', () => {
  it.each(cases)('%s', (_name, text, line, needle, expected, absent) => {
    const scopes = scopesOf(tokenize(text), line, needle);
    expect(scopes[0]).toBe('source.article');
    if (expected) expect(has(scopes, expected), `${needle}: ${scopes.join(' ')}`).toBe(true);
    if (absent) expect(has(scopes, absent), `${needle}: ${scopes.join(' ')}`).toBe(false);
  });

  it('tokenizes the sample article without errors', () => {
    const text = readFileSync(join(root, 'seeds', '000_d9a995616103b19f.txt'), 'utf8');
    const lines = tokenize(text);
    expect(has(scopesOf(lines, 0, 'Lukashenko'), 'markup.heading')).toBe(true);
    const dateline = lines.findIndex((l) => l.some((t) => has(t.scopes, 'meta.dateline')));
    expect(lines[dateline].map((t) => t.text).join('')).toMatch(/^MOSCOW —/);
    const boiler = lines.flatMap((l) => l.filter((t) => has(t.scopes, 'comment.line.boilerplate')).map((t) => t.text.trim()));
    expect(boiler).toEqual(expect.arrayContaining(['Source link', 'Check Also']));
  });

  const N = 20_000;
  const pick = (chars: string, n: number) => {
    let seed = 7;
    let out = '';
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      out += chars[seed % chars.length];
    }
    return out;
  };
  const pathological: [string, string][] = [
    ['curly opening quotes', '“'.repeat(N)],
    ['straight double quotes', '"'.repeat(N)],
    ['straight single quotes', "'".repeat(N)],
    ['single curly quotes', '‘’'.repeat(N / 2)],
    ['capitals', 'A'.repeat(N)],
    ['capital words', 'ABCD '.repeat(N / 5)],
    ['capitals and dashes', 'A-'.repeat(N / 2)],
    ['byline of names', 'By ' + 'Jane and '.repeat(N / 9)],
    ['dateline-like words', 'MOSCOW, '.repeat(N / 8)],
    ['digits and commas', '1,'.repeat(N / 2)],
    ['random quote marks and capitals', pick('“”‘’"\'«»„AB .,—-( )', N)],
    ['spaces then a letter', ' '.repeat(N) + 'x'],
  ];
  it.each(pathological)('a 20 000-character line of %s finishes', (name, line) => {
    for (const prefix of ['', 'Headline\n']) {
      const started = performance.now();
      const lines = tokenize(prefix + line);
      const ms = performance.now() - started;
      const last = lines[lines.length - 1];
      expect(last.map((t) => t.text).join('')).toBe(line);
      console.log(`grammar: ${name}${prefix ? '' : ' (first line)'}: ${ms.toFixed(1)} ms, ${last.length} tokens`);
    }
  });
});
