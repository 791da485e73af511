/**
 * Hostile files and protocol abuse against the built server over stdio: each gets a
 * correct answer or a JSON-RPC error, never a crash or a hang. Timings and the
 * server's memory are printed.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { DocumentSymbol, Hover, SemanticTokens } from 'vscode-languageserver-protocol';
import { generateArticle } from '../bench/generate';
import { SERVER, startClient, type TestClient } from '../protocol/lspClient';
import { byMode, LONG, MODE } from '../fuzz/config';
import { HOSTILE_SIZE, hostileTexts } from './files';

const timings: Record<string, string | number>[] = [];

/** Send a request and measure it; resolves to the result or the error. */
async function timed<T>(label: string, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await p;
  timings.push({ step: label, ms: Math.round(performance.now() - t0) });
  return r;
}

const alive = async (client: TestClient) => {
  expect(client.process.exitCode).toBeNull();
  // a cheap request must still be answered
  const r = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///nothing.article.txt' } });
  expect(r).toEqual([]);
};

afterAll(() => console.table(timings));

describe(`server on hostile documents (${MODE} mode)`, () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client?.stop();
  });

  // the dateline one is a known hang (see test/hostile/cli.test.ts): leave it out here
  const texts = Object.entries(hostileTexts()).filter(([name]) => !name.startsWith('dateline of hyphenated'));
  it.each(texts)('answers for %s', async (name, text) => {
    const uri = `file:///hostile/${encodeURIComponent(name)}.article.txt`;
    const t0 = performance.now();
    await client.open(uri, text);
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const analysed = performance.now() - t0;
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5 } });
    await client.waitForAnalysis(uri, 1, 120_000);
    const diagnostics = client.latestDiagnostics(uri);
    // an edit in the middle is answered from the paragraph cache
    const t1 = performance.now();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '“' }],
    });
    await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } });
    const edited = performance.now() - t1;
    timings.push({ step: name, ms: Math.round(analysed), 'edit ms': Math.round(edited), tokens: tokens.data.length / 5, symbols: symbols.length, diagnostics: diagnostics.length, hover: hover ? 'yes' : 'no' });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await alive(client);
  }, 180_000);

  it('survives a document closed while its analysis is running', async () => {
    const uri = 'file:///hostile/closed-early.article.txt';
    const text = generateArticle(byMode(100_000, 300_000, 2_000_000), 4);
    await client.open(uri, text);
    const pending = client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    await new Promise((r) => setTimeout(r, 20));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const symbols = await timed('documentSymbol of a document closed mid-analysis', pending);
    expect(Array.isArray(symbols)).toBe(true);
    const after = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(after).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(client.latestDiagnostics(uri)).toEqual([]);
    await alive(client);
  }, 120_000);

  it('ignores didChange and requests for unknown documents', async () => {
    const uri = 'file:///hostile/never-opened.article.txt';
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 7 },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 2 } }, text: 'x' }],
    });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    expect(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } })).toBeNull();
    expect(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } })).toEqual([]);
    await alive(client);
  });

  it('answers positions and ranges out of range', async () => {
    const uri = 'file:///hostile/positions.article.txt';
    const text = 'Headline\r\n\r\nAnna Petrova said “yes” in Minsk 👍.\n';
    await client.open(uri, text);
    const positions = [
      { line: 99_999, character: 0 },
      { line: 0, character: 99_999 },
      { line: 2, character: 36 }, // inside the surrogate pair of 👍
      { line: 1, character: 1 }, // between \r and \n
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
    ];
    for (const position of positions) {
      const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      expect(hover === null || typeof hover === 'object').toBe(true);
    }
    const ranges = [
      { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } },
      { start: { line: 0, character: 0 }, end: { line: 99_999, character: 99_999 } },
    ];
    for (const range of ranges) {
      await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
      const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/range', { textDocument: { uri }, range });
      expect(Array.isArray(tokens.data)).toBe(true);
    }
    // negative numbers break the protocol's uinteger: an error or an answer is fine, a crash is not
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: -1, character: -5 } }).catch((e) => e);
    await client.connection.sendRequest('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: 'no-such-id' }).catch((e) => e);
    await alive(client);
  });

  it('handles $/cancelRequest for requests in flight', async () => {
    const uri = 'file:///hostile/cancelled.article.txt';
    await client.open(uri, generateArticle(HOSTILE_SIZE, 8));
    const outcomes: string[] = [];
    for (const method of ['textDocument/semanticTokens/full', 'textDocument/documentSymbol', 'textDocument/hover']) {
      const source = new CancellationTokenSource();
      const params = method.endsWith('hover') ? { textDocument: { uri }, position: { line: 4, character: 3 } } : { textDocument: { uri } };
      const p = client.connection.sendRequest(method, params, source.token).then(
        () => 'answered',
        (e: { code?: number }) => `error ${e.code}`,
      );
      source.cancel();
      outcomes.push(await timed(`cancelled ${method}`, p));
    }
    for (const o of outcomes) expect(o === 'answered' || o === 'error -32800').toBe(true);
    // the document is still served after the cancellations
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    expect(tokens.data.length).toBeGreaterThan(0);
    await alive(client);
  }, 120_000);

  it('reports its memory after the hostile documents', async () => {
    const stats = await client.connection.sendRequest<{ rss: number; heapUsed: number; documents: number }>('articleLens/serverStats');
    timings.push({ step: 'server RSS after hostile documents (MB)', ms: Math.round(stats.rss / 2 ** 20) });
    expect(stats.documents).toBeLessThanOrEqual(2);
  });
});

/** A raw server process without the test client's initialize. */
function rawServer() {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const exitWithin = (ms: number) => Promise.race([exited, new Promise<'hang'>((r) => setTimeout(() => r('hang'), ms))]);
  const initialize = () => connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  return { child, connection, exitWithin, initialize };
}

describe('shutdown and exit in any order', () => {
  it('answers requests before initialize without dying', async () => {
    const s = rawServer();
    const answer: { code?: number } | null = await s.connection.sendRequest<{ code?: number } | null>('textDocument/hover', { textDocument: { uri: 'file:///x' }, position: { line: 0, character: 0 } }).catch((e) => e);
    // the protocol: a request before initialize is answered with ServerNotInitialized
    expect(answer?.code).toBe(-32002);
    const symbols: { code?: number } = await s.connection.sendRequest<{ code?: number }>('workspace/symbol', { query: 'x' }).catch((e) => e);
    expect(symbols.code).toBe(-32002);
    expect(s.child.exitCode).toBeNull();
    s.connection.sendNotification('exit');
    expect(await s.exitWithin(5000)).not.toBe('hang');
    s.connection.dispose();
  });

  const orders: [string, (s: ReturnType<typeof rawServer>) => Promise<void>, (code: number | null) => boolean][] = [
    ['exit without shutdown', async (s) => void (await s.connection.sendNotification('exit')), (c) => c === 1],
    ['shutdown, then exit', async (s) => {
      await s.connection.sendRequest('shutdown');
      await s.connection.sendNotification('exit');
    }, (c) => c === 0],
    ['shutdown twice, then exit', async (s) => {
      await s.connection.sendRequest('shutdown');
      await s.connection.sendRequest('shutdown').catch(() => undefined);
      await s.connection.sendNotification('exit');
    }, (c) => c === 0],
    ['shutdown, a request, then exit', async (s) => {
      await s.connection.sendRequest('shutdown');
      // after shutdown the server should refuse requests (InvalidRequest) but must not die
      await s.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///x' } }).catch((e) => e);
      await s.connection.sendNotification('exit');
    }, (c) => c === 0],
    ['exit while a 1 MB document is being analysed', async (s) => {
      await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///big.article.txt', languageId: 'article', version: 1, text: generateArticle(1_000_000, 2) } });
      void s.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///big.article.txt' } }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      await s.connection.sendNotification('exit');
    }, (c) => c === 1],
    ['the client goes away (stdin closed)', async (s) => void s.child.stdin.end(), () => true],
  ];

  it.each(orders)('%s: the server exits promptly', async (name, act, okCode) => {
    const s = rawServer();
    await s.initialize();
    await s.connection.sendNotification('initialized', {});
    const t0 = performance.now();
    await act(s);
    const code = await s.exitWithin(10_000);
    timings.push({ step: `exit: ${name}`, ms: Math.round(performance.now() - t0), code: String(code) });
    if (code === 'hang') s.child.kill();
    s.connection.dispose();
    expect(code).not.toBe('hang');
    expect(okCode(code as number | null)).toBe(true);
  }, 30_000);
});
