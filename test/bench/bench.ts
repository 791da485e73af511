/**
 * npm run bench — speed and memory of Article Lens, with plain compromise as the
 * baseline measured in the same run. Prints tables; asserts nothing.
 *
 * Sizes can be chosen: npm run bench -- 5k 50k 500k 5m   (default: all four)
 *
 * The machine this runs on is shared and noisy, so every figure is a median: of several
 * cold runs (interleaved with the baseline's, the ratio is the median of each pair's ratio),
 * and of several rounds through the protocol (a fresh server each), each round's p50 and p95
 * over 200 edits.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { analyzeArticle, ParagraphCache, wasSpliced } from '../../server/src/analysis/article';
import { Rope } from '../../server/src/analysis/text';
import { generateArticle } from './generate';
import { startClient, type TestClient } from '../protocol/lspClient';
import { ServerStatsRequest, StatusNotification, type ServerStats, type StatusParams } from '../../server/src/protocol';
import type { SemanticTokens, SemanticTokensDelta } from 'vscode-languageserver-protocol';

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

/** Wall-clock and CPU milliseconds of a call (CPU time is steadier on a shared machine). */
function timeBoth(fn: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

/** Cold runs per size (interleaved with the baseline's): fewer where one takes half a minute, but never one (a single run is all noise). */
function coldRuns(label: string): number {
  return ({ '5k': 9, '50k': 7, '500k': 5 } as Record<string, number>)[label] ?? 3;
}

/** Edits typed per round through the protocol. */
function editsOf(label: string): number {
  return SIZES[label] > 1_000_000 ? 20 : 200;
}

/** Rounds through the protocol per size, each with a fresh server. */
function rounds(label: string): number {
  return label === '5m' ? 1 : 3;
}

async function inProcess(labels: string[]): Promise<void> {
  console.log('\n## Cold analysis and edits, in process (the same text for both; medians of interleaved runs)\n');
  console.log('| size | runs | Article Lens ms | µs per KB (linear growth: flat) | compromise per paragraph ms | ratio (median of runs) | ratio of CPU time | edit one char: ms p50 / p95 | edits spliced |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  // warm both libraries up
  analyzeArticle(generateArticle(3000, 99), {}, new ParagraphCache());
  baseline(generateArticle(3000, 99));
  for (const label of labels) {
    const text = generateArticle(SIZES[label], 7);
    const n = coldRuns(label);
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let i = 0; i < n; i++) {
      const b = timeBoth(() => baseline(text));
      const a = timeBoth(() => analyzeArticle(text, {}, new ParagraphCache()));
      theirs.push(b.wall);
      ours.push(a.wall);
      ratios.push(a.wall / b.wall);
      cpuRatios.push(a.cpu / b.cpu);
    }
    // as the server does: the text in pieces, each version analysed knowing the article of the one before
    const cache = new ParagraphCache();
    let rope = Rope.of(text);
    let previous = analyzeArticle(rope, {}, cache);
    const edits: number[] = [];
    const middle = text.indexOf('.', Math.floor(text.length / 2));
    const editCount = text.length > 1_000_000 ? 40 : 200;
    let spliced = 0;
    for (let i = 0; i < editCount; i++) {
      rope = i % 2 === 0 ? rope.edit(middle, middle, 'x') : rope.edit(middle, middle + 1, '');
      edits.push(time(() => (previous = analyzeArticle(rope, {}, cache, previous))));
      if (wasSpliced(previous)) spliced++;
    }
    const a = median(ours);
    console.log(
      `| ${label} (${text.length} chars) | ${n} | ${ms(a)} | ${((a * 1000) / (text.length / 1000)).toFixed(0)} | ${ms(median(theirs))} | ${median(ratios).toFixed(2)}× | ${median(cpuRatios).toFixed(2)}× | ${ms(median(edits))} / ${ms(pct(edits, 95))} | ${spliced}/${editCount} |`,
    );
  }
}

interface Round {
  open: number;
  diagP50: number;
  diagP95: number;
  /** the p95 of the edits after the first 40 (the first edits after an open run code V8 has not optimised yet) */
  diagP95Late: number;
  tokensP50: number;
  tokensP95: number;
  analysisP50: number;
  hoverP50: number;
  hoverP95: number;
  symbolsP50: number;
  symbolsP95: number;
  rss: number;
  heap: number;
}

function analysed(client: TestClient, uri: string, version: number): Promise<void> {
  return new Promise<void>((done) => {
    const check = setInterval(() => {
      if (client.notifications.some((n) => n.method === StatusNotification && (n.params as StatusParams).uri === uri && (n.params as StatusParams).version === version)) {
        clearInterval(check);
        done();
      }
    }, 1);
  });
}

/** One round: open a generated article in a fresh server, type and delete a character 200 times, hover, ask for the outline. */
async function protocolRound(label: string, seed: number): Promise<Round> {
  const client = await startClient();
  try {
    const text = generateArticle(SIZES[label], seed);
    const uri = `file:///bench-${label}.article.txt`;
    let t = performance.now();
    await client.open(uri, text);
    await analysed(client, uri, 1);
    const open = performance.now() - t;
    const stats = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);

    // type a quote mark in the middle of a paragraph and delete it again; the semantic tokens are asked
    // for as VS Code does, as a delta on the last answer
    const lines = text.split('\n');
    const line = Math.floor(lines.length / 2) - (Math.floor(lines.length / 2) % 2);
    const character = Math.min(5, lines[line].length);
    const edits = editsOf(label);
    const toDiagnostics: number[] = [];
    const toTokens: number[] = [];
    let resultId = (await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } })).resultId ?? '';
    const statusBefore = client.notifications.length;
    for (let i = 0; i < edits; i++) {
      const version = i + 2;
      const change =
        i % 2 === 0
          ? { range: { start: { line, character }, end: { line, character } }, text: '“' }
          : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
      t = performance.now();
      // fresh diagnostics: pushed when they changed, and in every case followed by the version's status
      const diag = client.waitForAnalysis(uri, version, 60_000);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const tokens = client.connection
        .sendRequest<SemanticTokens | SemanticTokensDelta>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: resultId })
        .then((r) => {
          toTokens.push(performance.now() - t);
          resultId = r.resultId ?? '';
        });
      await diag;
      toDiagnostics.push(performance.now() - t);
      await tokens;
    }
    const millis = client.notifications
      .slice(statusBefore)
      .filter((n) => n.method === StatusNotification && (n.params as StatusParams).uri === uri)
      .map((n) => (n.params as StatusParams).millis);
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
    return {
      open,
      diagP50: median(toDiagnostics),
      diagP95: pct(toDiagnostics, 95),
      // (none when a round types 40 edits or fewer: NaN, null once sent as JSON)
      diagP95Late: toDiagnostics.length > 40 ? pct(toDiagnostics.slice(40), 95) : NaN,
      tokensP50: median(toTokens),
      tokensP95: pct(toTokens, 95),
      analysisP50: median(millis),
      hoverP50: median(hovers),
      hoverP95: pct(hovers, 95),
      symbolsP50: median(symbols),
      symbolsP95: pct(symbols, 95),
      rss: stats.rss,
      heap: stats.heapUsed,
    };
  } finally {
    await client.stop();
  }
}

async function overProtocol(labels: string[]): Promise<void> {
  console.log('\n## Through the protocol (server over stdio; medians of rounds, each round a fresh server)\n');
  console.log(
    '| size | rounds | open → analysed ms | edit → diagnostics p50 / p95 ms | (p95 after the first 40 edits) | (analysis in the server p50 ms) | edit → semantic-tokens delta p50 / p95 ms | hover p50 / p95 ms | symbols p50 / p95 ms | RSS MB | heap MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const label of labels) {
    const all: Round[] = [];
    // each round in a process of its own: the client must not carry the in-process runs' heap (its pauses would count)
    for (let r = 0; r < rounds(label); r++) {
      const out = execFileSync(process.execPath, [process.argv[1], '--round', label, String(11 + r)], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 1_800_000 });
      all.push(JSON.parse(out.trim().split('\n').pop() as string) as Round);
    }
    const m = (f: (r: Round) => number) => median(all.map(f));
    console.log(
      `| ${label} | ${all.length} | ${ms(m((r) => r.open))} | ${ms(m((r) => r.diagP50))} / ${ms(m((r) => r.diagP95))} | ${Number.isFinite(m((r) => r.diagP95Late)) ? ms(m((r) => r.diagP95Late)) : '–'} | ${ms(m((r) => r.analysisP50))} | ${ms(m((r) => r.tokensP50))} / ${ms(m((r) => r.tokensP95))} | ${ms(m((r) => r.hoverP50))} / ${ms(m((r) => r.hoverP95))} | ${ms(m((r) => r.symbolsP50))} / ${ms(m((r) => r.symbolsP95))} | ${mb(m((r) => r.rss))} | ${mb(m((r) => r.heap))} |`,
    );
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
    const hover = async () => {
      const t = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: { line: 4, character: 6 } });
      return performance.now() - t;
    };
    const started = performance.now();
    await client.open(big, bigText);
    // the first hover waits behind the open message itself: its transfer and JSON parse
    const first = await hover();
    const waits: number[] = [];
    const done = () => client.notifications.some((n) => n.method === StatusNotification && (n.params as StatusParams).uri === big);
    while (!done() && performance.now() - started < 600_000) {
      waits.push(await hover());
      await new Promise((r) => setTimeout(r, 10));
    }
    const took = performance.now() - started;
    const stats = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    console.log(`\n## A hover on a small document while a ${label} document is analysed\n`);
    console.log(`- the first hover, sent right after the ${(bigText.length / 1e6).toFixed(1)} MB open message, waited ${ms(first)} ms (the message's transfer and JSON parse come first)`);
    console.log(
      `- the analysis took ${ms(took)} ms; ${waits.length} hovers answered meanwhile: p50 ${ms(median(waits))} ms, p95 ${ms(pct(waits, 95))} ms, max ${ms(Math.max(...waits))} ms; server RSS ${mb(stats.rss)} MB, heap ${mb(stats.heapUsed)} MB`,
    );
    // the server gives the analysis's garbage back once idle: the steady state with the document open
    await new Promise((r) => setTimeout(r, 30_000));
    const idle = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    console.log(`- with both documents open, 30 s later (idle): server RSS ${mb(idle.rss)} MB, heap ${mb(idle.heapUsed)} MB`);
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const round = process.argv.indexOf('--round');
  if (round >= 0) {
    console.log(JSON.stringify(await protocolRound(process.argv[round + 1], Number(process.argv[round + 2]))));
    return;
  }
  const hover = process.argv.indexOf('--hover-during');
  if (hover >= 0) {
    await hoverDuringBigAnalysis(process.argv[hover + 1]);
    return;
  }
  const asked = process.argv.slice(2).filter((a) => a in SIZES);
  const labels = asked.length ? asked : Object.keys(SIZES);
  console.log(`# Article Lens benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await inProcess(labels);
  await overProtocol(labels);
  // in a process of its own too: the client's pauses (collecting what the in-process runs left) would count as waits
  process.stdout.write(execFileSync(process.execPath, [process.argv[1], '--hover-during', labels[labels.length - 1]], { encoding: 'utf8', timeout: 1_800_000 }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
