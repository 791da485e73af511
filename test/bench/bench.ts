/**
 * npm run bench — speed and memory of Article Lens, with plain compromise as the
 * baseline measured in the same run. Prints tables; asserts nothing.
 *
 * Sizes can be chosen: npm run bench -- 5k 50k 500k 5m   (default: all four)
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import { generateArticle } from './generate';
import { startClient } from '../protocol/lspClient';
import { ServerStatsRequest, StatusNotification, type ServerStats, type StatusParams } from '../../server/src/protocol';

// A separate copy of compromise, without Article Lens's plugins: the baseline.
const plain = createRequire(resolve(process.cwd(), 'package.json'))('compromise') as (text: string) => any;

const SIZES: Record<string, number> = { '5k': 5_000, '50k': 50_000, '500k': 500_000, '5m': 5_000_000 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (bytes: number) => (bytes / 1048576).toFixed(0);

/** compromise used the efficient way: paragraph by paragraph, people/places/organizations with term offsets. */
function baseline(text: string): number {
  let found = 0;
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (!paragraph.trim()) continue;
    const doc = plain(paragraph);
    for (const view of [doc.people(), doc.places(), doc.organizations()]) {
      for (const m of view.json({ offset: true, terms: { offset: true } })) {
        const terms = m.terms;
        if (terms.length) found += terms[terms.length - 1].offset.start + terms[terms.length - 1].offset.length - terms[0].offset.start > 0 ? 1 : 0;
      }
    }
  }
  return found;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Runs per size: the median of several (interleaved with the baseline's) where a run takes seconds, not minutes. */
function runs(label: string): number {
  return ({ '5k': 9, '50k': 5, '500k': 3 } as Record<string, number>)[label] ?? 1;
}

async function inProcess(labels: string[]): Promise<void> {
  console.log('\n## Cold analysis, in process (median of runs; the same text for both)\n');
  console.log('| size | runs | Article Lens ms | µs per KB (linear growth: flat) | compromise per paragraph ms | ratio | edit one char (warm cache) ms p50/p95 |');
  console.log('|---|---|---|---|---|---|---|');
  // warm both libraries up
  analyzeArticle(generateArticle(3000, 99), {}, new ParagraphCache());
  baseline(generateArticle(3000, 99));
  for (const label of labels) {
    const text = generateArticle(SIZES[label], 7);
    const n = runs(label);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < n; i++) {
      theirs.push(time(() => baseline(text)));
      ours.push(time(() => analyzeArticle(text, {}, new ParagraphCache())));
    }
    const cache = new ParagraphCache();
    // as the server does: each version is analysed knowing the article of the one before
    let previous = analyzeArticle(text, {}, cache);
    const edits: number[] = [];
    const middle = text.indexOf('.', Math.floor(text.length / 2));
    let current = text;
    const editCount = text.length > 1_000_000 ? 20 : 100;
    for (let i = 0; i < editCount; i++) {
      current = i % 2 === 0 ? `${current.slice(0, middle)}x${current.slice(middle)}` : `${current.slice(0, middle)}${current.slice(middle + 1)}`;
      edits.push(time(() => (previous = analyzeArticle(current, {}, cache, previous))));
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(`| ${label} (${text.length} chars) | ${n} | ${ms(a)} | ${((a * 1000) / (text.length / 1000)).toFixed(0)} | ${ms(b)} | ${(a / b).toFixed(2)}× | ${ms(median(edits))} / ${ms(pct(edits, 95))} |`);
  }
}

async function overProtocol(labels: string[]): Promise<void> {
  console.log('\n## Through the protocol (server over stdio)\n');
  console.log('| size | open → analysed ms | edit → diagnostics p50/p95 ms | edit → semantic tokens p50/p95 ms | hover p50/p95 ms | symbols p50/p95 ms | RSS MB | heap MB |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const label of labels) {
    const client = await startClient();
    try {
      const text = generateArticle(SIZES[label], 11);
      const uri = `file:///bench-${label}.article.txt`;
      const analysed = (version: number) =>
        new Promise<void>((done) => {
          const check = setInterval(() => {
            if (client.notifications.some((n) => n.method === StatusNotification && (n.params as StatusParams).uri === uri && (n.params as StatusParams).version === version)) {
              clearInterval(check);
              done();
            }
          }, 1);
        });
      let t = performance.now();
      await client.open(uri, text);
      await analysed(1);
      const openMs = performance.now() - t;
      const stats = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);

      // type a quote mark in the middle of a paragraph and delete it again: diagnostics change every time
      const lines = text.split('\n');
      const line = Math.floor(lines.length / 2) - (Math.floor(lines.length / 2) % 2);
      const character = Math.min(5, lines[line].length);
      const edits = text.length > 1_000_000 ? 20 : 200;
      const toDiagnostics: number[] = [];
      const toTokens: number[] = [];
      for (let i = 0; i < edits; i++) {
        const version = i + 2;
        const change =
          i % 2 === 0
            ? { range: { start: { line, character }, end: { line, character } }, text: '“' }
            : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
        t = performance.now();
        const diag = client.waitForDiagnostics(uri, (_d, v) => v === version, 60_000);
        await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
        const tokens = client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }).then(() => toTokens.push(performance.now() - t));
        await diag;
        toDiagnostics.push(performance.now() - t);
        await tokens;
      }
      // hovers as a reader moves the mouse over the text; then the outline, as the editor asks for it
      const hovers: number[] = [];
      const symbols: number[] = [];
      for (let i = 0; i < 200; i++) {
        t = performance.now();
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: (i * 7) % lines.length, character: 3 } });
        hovers.push(performance.now() - t);
      }
      for (let i = 0; i < (text.length < 1_000_000 ? 200 : 50); i++) {
        t = performance.now();
        await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
        symbols.push(performance.now() - t);
      }
      console.log(
        `| ${label} | ${ms(openMs)} | ${ms(median(toDiagnostics))} / ${ms(pct(toDiagnostics, 95))} | ${ms(median(toTokens))} / ${ms(pct(toTokens, 95))} | ${ms(median(hovers))} / ${ms(pct(hovers, 95))} | ${ms(median(symbols))} / ${ms(pct(symbols, 95))} | ${mb(stats.rss)} | ${mb(stats.heapUsed)} |`,
      );
    } finally {
      await client.stop();
    }
  }
}

async function hoverDuringBigAnalysis(label: string): Promise<void> {
  const client = await startClient();
  try {
    const small = 'file:///small.article.txt';
    const smallText = generateArticle(3_000, 3);
    await client.open(small, smallText);
    await client.waitForDiagnostics(small);
    const big = `file:///big-${label}.article.txt`;
    const bigText = generateArticle(SIZES[label], 5);
    const started = performance.now();
    await client.open(big, bigText);
    const waits: number[] = [];
    const done = () => client.notifications.some((n) => n.method === StatusNotification && (n.params as StatusParams).uri === big);
    while (!done() && performance.now() - started < 600_000) {
      const t = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: { line: 4, character: 6 } });
      waits.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    const took = performance.now() - started;
    const stats = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    console.log(`\n## A hover on a small document while a ${label} document is analysed\n`);
    console.log(`analysis of ${bigText.length} chars took ${ms(took)} ms; ${waits.length} hovers answered meanwhile: p50 ${ms(median(waits))} ms, p95 ${ms(pct(waits, 95))} ms, max ${ms(Math.max(...waits))} ms; server RSS ${mb(stats.rss)} MB, heap ${mb(stats.heapUsed)} MB`);
    // V8 gives the analysis's garbage back once the server is idle: the steady state with the document open
    await new Promise((r) => setTimeout(r, 30_000));
    const idle = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    console.log(`with both documents open, 30 s later (idle): server RSS ${mb(idle.rss)} MB, heap ${mb(idle.heapUsed)} MB`);
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => a in SIZES);
  const labels = asked.length ? asked : Object.keys(SIZES);
  console.log(`# Article Lens benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await inProcess(labels);
  await overProtocol(labels);
  await hoverDuringBigAnalysis(labels[labels.length - 1]);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
