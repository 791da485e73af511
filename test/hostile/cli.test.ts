/**
 * Hostile and odd files through the built CLI (server/out/cli.js): each gives a
 * report or a one-line message naming the file, within a generous time limit,
 * never a crash (stack trace) or a hang. Timings and peak memory are printed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LONG, MODE } from '../fuzz/config';
import { HOSTILE_SIZE, writeOddFiles } from './files';

const CLI = resolve(__dirname, '../../server/out/cli.js');
const { dir, files } = writeOddFiles(LONG);
const PRELOAD = join(dir, 'maxrss.js');
writeFileSync(PRELOAD, "process.on('exit', () => process.stderr.write(`\\nmaxrss-kb ${process.resourceUsage().maxRSS}\\n`));\n");

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssMb: number;
}

function run(args: string[], timeoutMs: number): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', PRELOAD, CLI, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = performance.now() - t0;
  const rss = /maxrss-kb (\d+)/.exec(r.stderr ?? '');
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(/\n?maxrss-kb \d+\n/, ''),
    ms,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
  };
}

const timings: { file: string; ms: number; rssMb: number; code: number | null; result: string }[] = [];

afterAll(() => {
  console.table(timings.map((t) => ({ ...t, ms: Math.round(t.ms), rssMb: Math.round(t.rssMb) })));
  rmSync(dir, { recursive: true, force: true });
});

/** Files the CLI must refuse with exit 2 and a one-line message naming the file. */
const REFUSED: [string, RegExp][] = [
  ['binary renamed .article.txt', /binary|not valid UTF-8/],
  ['PNG header', /binary|not valid UTF-8/],
  ['invalid UTF-8 in the middle', /not valid UTF-8/],
  ['truncated UTF-8 sequence at the end', /not valid UTF-8/],
  ['UTF-16 LE with BOM', /UTF-16|binary|not valid UTF-8/],
  ['directory named .article.txt', /is a directory/],
];


describe(`CLI on hostile files (${MODE} mode)`, () => {
  it.each(REFUSED)('refuses %s with a clear one-line message', (name, message) => {
    const path = files[name];
    const r = run(['--format', 'json', path], 30_000);
    timings.push({ file: name, ms: r.ms, rssMb: r.rssMb, code: r.code, result: r.stderr.trim().slice(0, 70) });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });

  // the default run sends the big hostile texts through the server only (test/hostile/server.test.ts)
  const accepted = Object.keys(files).filter(
    (n) =>
      !REFUSED.some(([r]) => r === n) &&
      (MODE !== 'fast' || ['empty', 'only a BOM', 'quote spanning 100 paragraphs', 'dateline of hyphenated capitals (M-M-…)'].includes(n)),
  );
  it.each(accepted)('reports %s without crashing or hanging', (name) => {
    const path = files[name];
    const huge = name.startsWith('5 MB');
    const r = run(['--format', 'json', path], huge ? 600_000 : 120_000);
    timings.push({ file: name, ms: r.ms, rssMb: r.rssMb, code: r.code, result: r.signal ? `killed (${r.signal})` : `${r.stdout.length} bytes of JSON` });
    expect(r.signal, `${name}: timed out after ${Math.round(r.ms)} ms`).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.file).toBe(path);
    // offsets in the report point into the decoded text
    const text = require('node:fs').readFileSync(path, 'utf8').replace(/^\ufeff/, '');
    for (const e of report.entities) for (const m of e.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    for (const q of report.quotes) {
      expect(q.start).toBeGreaterThanOrEqual(0);
      expect(q.end).toBeLessThanOrEqual(text.length);
    }
    for (const d of report.diagnostics) expect(d.end).toBeLessThanOrEqual(text.length);
  }, 700_000);

  it('prints the text report of a hostile file too', () => {
    const r = run([files[`${HOSTILE_SIZE / 1000} KB of quote marks`]], 120_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Diagnostics');
  }, 130_000);
});
