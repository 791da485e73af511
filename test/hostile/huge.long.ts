/**
 * Long mode only (npm run test:fuzz:long): a 5 MB article through the server, its
 * time and memory printed. Not a *.test.ts file, so the default run does not see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, SemanticTokens } from 'vscode-languageserver-protocol';
import { generateArticle } from '../bench/generate';
import { startClient, type TestClient } from '../protocol/lspClient';

const timings: Record<string, string | number>[] = [];
afterAll(() => console.table(timings));

const alive = async (client: TestClient) => {
  expect(client.process.exitCode).toBeNull();
  const r = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///nothing.article.txt' } });
  expect(r).toEqual([]);
};

describe('server on a 5 MB article', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client?.stop();
  }, 120_000);

  it('analyses a 5 MB article and reports time and memory', async () => {
    const uri = 'file:///hostile/huge.article.txt';
    const text = generateArticle(5_000_000, 9);
    const t0 = performance.now();
    await client.open(uri, text);
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const ms = performance.now() - t0;
    const stats = await client.connection.sendRequest<{ rss: number }>('articleLens/serverStats');
    timings.push({ step: '5 MB article: open → tokens', ms: Math.round(ms), 'rss MB': Math.round(stats.rss / 2 ** 20), tokens: tokens.data.length / 5 });
    // typing in the middle of it
    const t1 = performance.now();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 4000, character: 0 }, end: { line: 4000, character: 0 } }, text: 'Anna ' }],
    });
    await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } });
    timings.push({ step: '5 MB article: one edit → tokens', ms: Math.round(performance.now() - t1) });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await alive(client);
  }, 900_000);
});
