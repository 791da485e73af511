import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeArticle } from '../../server/src/analysis/article';
import { codePointMapper, exportFiles, exportNames, toBrat } from '../../server/src/analysis/export';
import type { Article } from '../../server/src/analysis/types';

const CLI = resolve(__dirname, '../../server/out/cli.js');
const SAMPLE = resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt');

interface BratSpan {
  id: string;
  type: string;
  fragments: [number, number][];
  text: string;
}

/** An independent reader of brat text-bound annotations (T lines), as brat itself reads them. */
function readBrat(ann: string): { spans: BratSpan[]; notes: Map<string, string> } {
  const spans: BratSpan[] = [];
  const notes = new Map<string, string>();
  for (const line of ann.split('\n')) {
    if (!line) continue;
    const [id, middle, text] = line.split('\t');
    if (id.startsWith('T')) {
      const space = middle.indexOf(' ');
      const fragments = middle
        .slice(space + 1)
        .split(';')
        .map((f) => f.split(' ').map(Number) as [number, number]);
      spans.push({ id, type: middle.slice(0, space), fragments, text });
    } else if (id.startsWith('#')) {
      notes.set(middle.split(' ')[1], text);
    } else throw new Error(`unexpected line ${line}`);
  }
  return { spans, notes };
}

/** What brat shows for a span: code points of the text (Python string indices), fragments joined by a space. */
function bratText(text: string, span: BratSpan): string {
  const chars = Array.from(text);
  return span.fragments.map(([s, e]) => chars.slice(s, e).join('')).join(' ');
}

function fakeArticle(text: string, mentions: { start: number; end: number; type: 'person' | 'place' | 'organization'; name: string }[]): Article {
  return {
    text,
    structure: { sections: [], paragraphs: [], boilerplate: [] },
    entities: mentions.map((m, i) => ({
      id: `${m.type}:${i}`,
      type: m.type,
      name: m.name,
      aliases: [m.name],
      mentions: [{ start: m.start, end: m.end, text: text.slice(m.start, m.end), paragraph: 0, context: 'body' }],
      declaration: 0,
      titles: [],
      descriptions: [],
      affiliations: [],
      quotes: [],
    })),
    quotes: [],
    findings: [],
    stats: { people: 0, places: 0, organizations: 0, quotes: 0, unattributedQuotes: 0, paragraphs: 0, cachedParagraphs: 0, millis: 0 },
  };
}

describe('UTF-16 → code point offsets', () => {
  it.each([
    ['abc', 2, 2],
    ['😀abc', 2, 1],
    ['😀abc', 3, 2],
    ['a😀b😀c', 6, 4],
    ['a😀b😀c', 7, 5],
    ['\ud800x', 2, 2], // a lone surrogate is one character
    ['é', 1, 1],
  ])('%j at %i → %i', (text, utf16, cp) => {
    expect(codePointMapper(text)(utf16)).toBe(cp);
  });
});

describe('brat standoff', () => {
  it('writes PER/LOC/ORG spans whose code-point offsets give back the text after emoji and CRLF', () => {
    const text =
      'Storm Hits Coast\r\n\r\n🌊🌊 Governor Gavin Newsom visited Sacramento on Monday, aides said.\r\n\r\n🇺🇸 The Federal Emergency Management Agency sent help to Sacramento, Mr. Newsom said.\r\n';
    const article = analyzeArticle(text);
    const { spans, notes } = readBrat(toBrat(article));
    expect(spans.length).toBeGreaterThanOrEqual(3);
    for (const s of spans) {
      expect(['PER', 'LOC', 'ORG']).toContain(s.type);
      expect(bratText(text, s)).toBe(s.text);
      expect(notes.get(s.id)).toBeTruthy();
    }
    const newsom = spans.find((s) => s.text === 'Gavin Newsom');
    expect(newsom?.type).toBe('PER');
    // two flags of 2 code units each, one space, "Governor ", after "Storm Hits Coast\r\n\r\n" (20)
    expect(newsom?.fragments).toEqual([[20 + 2 + 1 + 9, 20 + 2 + 1 + 9 + 12]]);
    expect(notes.get(newsom!.id)).toContain('Gavin Newsom');
    expect(spans.find((s) => s.text === 'Sacramento')?.type).toBe('LOC');
  });

  it('splits a span crossing a line break into fragments, one annotation per line', () => {
    const text = 'In New\nYork, 😀 Mary\r\nAnn Smith spoke.';
    const newYork = { start: 3, end: 11, type: 'place' as const, name: 'New York' };
    const mary = { start: text.indexOf('Mary'), end: text.indexOf(' spoke'), type: 'person' as const, name: 'Mary Ann Smith' };
    const ann = toBrat(fakeArticle(text, [newYork, mary]));
    expect(ann.split('\n').filter(Boolean)).toHaveLength(4);
    const { spans } = readBrat(ann);
    expect(spans[0]).toMatchObject({ type: 'LOC', fragments: [[3, 6], [7, 11]], text: 'New York' });
    expect(spans[1]).toMatchObject({ type: 'PER', text: 'Mary Ann Smith' });
    for (const s of spans) expect(bratText(text, s)).toBe(s.text);
  });

  it('shifts offsets by one when the file beside the .ann has a byte-order mark', () => {
    const text = 'Angela Merkel spoke in Berlin.';
    const plain = readBrat(toBrat(fakeArticle(text, [{ start: 0, end: 13, type: 'person', name: 'Angela Merkel' }])));
    const bom = readBrat(toBrat(fakeArticle(text, [{ start: 0, end: 13, type: 'person', name: 'Angela Merkel' }]), { bom: true }));
    expect(plain.spans[0].fragments).toEqual([[0, 13]]);
    expect(bom.spans[0].fragments).toEqual([[1, 14]]);
    expect(bratText(`\ufeff${text}`, bom.spans[0])).toBe('Angela Merkel');
  });

  it('writes nothing for an article without entities and survives junk', () => {
    expect(toBrat(analyzeArticle(''))).toBe('');
    expect(() => toBrat(analyzeArticle('\u0000\ud800 “ ” '.repeat(100)))).not.toThrow();
  });

  it('names the files so brat pairs X.ann with X.txt', () => {
    expect(exportNames('/a/b/story.article.txt')).toEqual({ ann: 'story.article.ann', json: 'story.article.json', txt: 'story.article.txt', txtIsSource: true });
    expect(exportNames('C:\\news\\story.md')).toEqual({ ann: 'story.md.ann', json: 'story.md.json', txt: 'story.md.txt', txtIsSource: false });
    const files = exportFiles('story.article', analyzeArticle('Mayor Jane Smith of Boston spoke.')).map((f) => f.name);
    expect(files).toEqual(['story.article.json', 'story.article.ann', 'story.article.txt']);
  });
});

describe('CLI export', () => {
  function run(args: string[], input?: string) {
    const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('--export writes JSON, .ann, .txt and annotation.conf that read back to the same annotations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'article-lens-export-'));
    const emoji = join(dir, 'in', 'emoji.article.md');
    spawnSync('mkdir', ['-p', join(dir, 'in')]);
    writeFileSync(emoji, '# Storm\n\n🌊 Governor Gavin Newsom visited Sacramento, aides said.\n');
    const out = join(dir, 'out');
    const r = run(['--export', out, SAMPLE, emoji]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      ['000_d9a995616103b19f.ann', '000_d9a995616103b19f.json', '000_d9a995616103b19f.txt', 'annotation.conf', 'emoji.article.md.ann', 'emoji.article.md.json', 'emoji.article.md.txt'].sort(),
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(7);

    // the text copy is the analysed text; the .ann offsets are code points into it
    const text = readFileSync(join(out, '000_d9a995616103b19f.txt'), 'utf8');
    expect(text).toBe(readFileSync(SAMPLE, 'utf8'));
    const report = JSON.parse(readFileSync(join(out, '000_d9a995616103b19f.json'), 'utf8'));
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['file', 'entities', 'quotes', 'diagnostics', 'outline']));
    // audits travel with the export
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toContain('scraped-boilerplate');
    const { spans } = readBrat(readFileSync(join(out, '000_d9a995616103b19f.ann'), 'utf8'));
    const mentions = report.entities.reduce((n: number, e: { mentions: unknown[] }) => n + e.mentions.length, 0);
    expect(spans.length).toBe(mentions);
    for (const s of spans) expect(bratText(text, s)).toBe(s.text);
    expect(spans.filter((s) => s.text === 'Aleksandr G. Lukashenko').every((s) => s.type === 'PER')).toBe(true);

    const emojiText = readFileSync(join(out, 'emoji.article.md.txt'), 'utf8');
    const emojiSpans = readBrat(readFileSync(join(out, 'emoji.article.md.ann'), 'utf8')).spans;
    expect(emojiSpans.find((s) => s.text === 'Gavin Newsom')?.fragments).toEqual([[20, 32]]);
    for (const s of emojiSpans) expect(bratText(emojiText, s)).toBe(s.text);
    expect(readFileSync(join(out, 'annotation.conf'), 'utf8')).toMatch(/\[entities\]\nPER\nLOC\nORG/);
  });

  it('--format brat prints the standoff, and the JSON format is unchanged', () => {
    const r = run(['--format', 'brat'], 'Mayor Jane Smith of Boston spoke.');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^T1\tPER 6 16\tJane Smith\n/);
    expect(r.stdout).toMatch(/\tLOC 20 26\tBoston\n/);
    const json = JSON.parse(run(['--format', 'json'], 'Mayor Jane Smith of Boston spoke.').stdout);
    expect(json.file).toBe('<stdin>');
  });

  it('refuses --export without a directory and reports an unwritable one', () => {
    expect(run(['--export']).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'article-lens-export-'));
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const r = run(['--export', join(blocker, 'sub'), SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the export/);
    expect(existsSync(join(blocker, 'sub'))).toBe(false);
  });
});
