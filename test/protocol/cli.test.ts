import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../../server/out/cli.js');
const SAMPLE = resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt');
const BROKEN = resolve(__dirname, '../fixtures/broken-quote.article.txt');

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('article-lens CLI', () => {
  it('prints one JSON object per file with the contract fields', () => {
    const r = run(['--format', 'json', SAMPLE, BROKEN]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    const [sample] = lines;
    expect(sample.file).toBe(SAMPLE);
    expect(Object.keys(sample)).toEqual(expect.arrayContaining(['file', 'entities', 'quotes', 'diagnostics', 'outline']));
    const luka = sample.entities.find((e: { name: string }) => e.name === 'Aleksandr G. Lukashenko');
    expect(luka).toMatchObject({ type: 'person', id: expect.any(String) });
    const text = readFileSync(SAMPLE, 'utf8');
    for (const m of luka.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    for (const q of sample.quotes) {
      expect(['direct', 'partial', 'scare', 'title']).toContain(q.kind);
      expect(q.speaker === null || typeof q.speaker.name === 'string').toBe(true);
    }
    expect(sample.outline[0]).toMatchObject({ kind: 'headline', start: 0 });
  });

  it('exits 1 with --strict when an error is found, 0 without', () => {
    expect(run(['--strict', '--format', 'json', BROKEN]).code).toBe(1);
    expect(run(['--format', 'json', BROKEN]).code).toBe(0);
  });

  it('reads stdin for - or no file, dropping a BOM before counting offsets', () => {
    const r = run(['--format=json'], '\ufeffMayor Jane Smith of Boston spoke.');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.file).toBe('<stdin>');
    const jane = report.entities.find((e: { type: string }) => e.type === 'person');
    expect(jane.mentions[0]).toMatchObject({ start: 6, text: 'Jane Smith' });
  });

  it('exits 2 with a one-line message for missing, binary or invalid files, and still does the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'article-lens-'));
    const binary = join(dir, 'junk.article.txt');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6c, 0xe9]));
    const r = run(['--format', 'json', join(dir, 'missing.txt'), binary, latin1, SAMPLE]);
    expect(r.code).toBe(2);
    const errors = r.stderr.trim().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/missing\.txt: no such file/);
    expect(errors[1]).toMatch(/junk\.article\.txt: (binary|not valid UTF-8)/);
    expect(errors[2]).toMatch(/latin1\.txt: not valid UTF-8/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('rejects bad arguments with exit 2', () => {
    expect(run(['--format', 'xml', SAMPLE]).code).toBe(2);
    expect(run(['--bogus']).code).toBe(2);
  });

  it('prints a readable text report', () => {
    const r = run([SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Outline');
    expect(r.stdout).toMatch(/person\s+Aleksandr G\. Lukashenko/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('handles an empty file', () => {
    const r = run(['--format', 'json', '-'], '');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entities: [], quotes: [], diagnostics: [] });
  });
});
