/**
 * Hostile and odd files, written to a temporary directory, shared by the CLI and
 * server tests. Sizes are exact in characters (UTF-16) unless noted.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArticle, random } from '../bench/generate';
import { byMode } from '../fuzz/config';

/** Size of the big hostile texts: 200 KB in the ci and long tiers, 50 KB in the default run. */
export const HOSTILE_SIZE = byMode(50_000, 200_000, 200_000);
const KB = `${HOSTILE_SIZE / 1000} KB`;

export const QUOTES = ['“', '”', '‘', '’', '"', "'", '«', '»', '„', '‚', '‹', '›', '`'];

/** Texts that are valid UTF-8 but hostile to the analysis. */
export function hostileTexts(size = HOSTILE_SIZE): Record<string, string> {
  const rnd = random(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const fill = (n: number, f: () => string) => {
    let s = '';
    while (s.length < n) s += f();
    return s.slice(0, n);
  };
  return {
    [`${KB} line without spaces`]: fill(size, () => pick(['abc', 'XYZ', 'é', '1', '.'])),
    [`${KB} of quote marks`]: fill(size, () => pick(QUOTES)),
    [`${KB} of spaced quote marks`]: fill(size, () => `${pick(QUOTES)} `),
    [`${KB} of one quote mark`]: '“'.repeat(size),
    [`${KB} of capitalised words, no sentence end`]: fill(size, () => `${pick(['Anna', 'Minsk', 'Union', 'President', 'Kremlin'])} `),
    [`${KB} article with lone CR line ends`]: generateArticle(size, 5).replace(/\n/g, '\r'),
    [`${KB} of emoji and flags`]: '👍🇧🇾'.repeat(size / 6),
    'quote spanning 100 paragraphs': `“${Array.from({ length: 100 }, (_, i) => `Paragraph ${i} of a long statement, Anna Petrova said`).join('\n\n“')}`,
    'dateline of hyphenated capitals (M-M-…)': `Headline\n\n${'M-'.repeat(40)}1 The talks failed.`,
  };
}

/** Write every odd file into a fresh directory; returns name → path. */
export function writeOddFiles(withHuge: boolean): { dir: string; files: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'article-lens-hostile-'));
  const files: Record<string, string> = {};
  const put = (name: string, data: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  files.empty = put('empty.article.txt', '');
  files['only a BOM'] = put('bom.article.txt', Buffer.from([0xef, 0xbb, 0xbf]));
  const rnd = random(3);
  files['binary renamed .article.txt'] = put('image.article.txt', Buffer.from(Array.from({ length: 64_000 }, () => Math.floor(rnd() * 256))));
  files['PNG header'] = put('png.article.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  files['invalid UTF-8 in the middle'] = put(
    'latin1.article.txt',
    Buffer.concat([Buffer.from('MOSCOW — Anna Petrova said the café was '), Buffer.from([0xe9, 0x20, 0xff, 0xfe]), Buffer.from(' closed.\n')]),
  );
  files['truncated UTF-8 sequence at the end'] = put('truncated.article.txt', Buffer.concat([Buffer.from('Anna Petrova said “yes'), Buffer.from([0xe2, 0x80])]));
  files['UTF-16 LE with BOM'] = put('utf16.article.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Anna Petrova said “yes.”\n', 'utf16le')]));
  files['directory named .article.txt'] = join(dir, 'folder.article.txt');
  mkdirSync(files['directory named .article.txt']);
  for (const [name, text] of Object.entries(hostileTexts())) files[name] = put(`${name.replace(/[^a-z0-9]+/gi, '-')}.article.txt`, text);
  if (withHuge) files['5 MB article'] = put('huge.article.txt', generateArticle(5_000_000, 9));
  return { dir, files };
}
