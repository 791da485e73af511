import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import { toReport } from '../../server/src/analysis/report';
import { AnalysisRequest, ServerStatsRequest, StatusNotification, type ServerStats, type StatusParams } from '../../server/src/protocol';
import { generateArticle } from '../bench/generate';
import { startClient, type TestClient } from './lspClient';

/** The report without its timing. */
const report = (uri: string, r: ReturnType<typeof toReport>) => ({ ...r, uri, stats: undefined });

describe('a long article is parsed in the worker thread', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client?.stop();
  });

  const analysed = (uri: string, version: number) =>
    new Promise<void>((done) => {
      const check = setInterval(() => {
        if (client.notifications.some((n) => n.method === StatusNotification && (n.params as StatusParams).uri === uri && (n.params as StatusParams).version === version)) {
          clearInterval(check);
          done();
        }
      }, 5);
    });

  it('gives the analysis of the CLI, keeps answering a small document meanwhile, stops the worker when done, and collects its garbage only once requests stop', async () => {
    const small = 'file:///small.article.txt';
    await client.open(small, 'Angela Merkel met reporters in Berlin.\n\n“We will see,” Merkel said.');
    await client.waitForDiagnostics(small);
    const uri = 'file:///long.article.txt';
    // (long enough that its garbage is collected once the server is idle)
    const text = generateArticle(520_000, 31);
    await client.open(uri, text);
    // while the worker parses, the small document is answered
    const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } });
    expect(hover?.contents.value).toContain('Angela Merkel');
    await analysed(uri, 1);
    // the collection (one long pause) waits while requests keep coming: here a reader hovering for
    // longer than the two idle seconds it waits for
    const serverStats = () => client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    const hoverUntil = Date.now() + 3_000;
    while (Date.now() < hoverUntil) {
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } });
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await serverStats()).idleCollections).toBe(0);
    const idleEnd = Date.now() + 10_000;
    let collections = 0;
    while (collections === 0 && Date.now() < idleEnd) {
      await new Promise((r) => setTimeout(r, 100));
      collections = (await serverStats()).idleCollections;
    }
    expect(collections).toBe(1);

    const stats = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    expect(stats.workerParagraphs).toBeGreaterThan(500);
    const served = await client.connection.sendRequest<ReturnType<typeof toReport>>(AnalysisRequest, { uri });
    expect(report(uri, served)).toEqual(report(uri, toReport(uri, analyzeArticle(text, {}, new ParagraphCache()))));

    // an edit is analysed in the server's own thread (one paragraph is new) and equals a fresh analysis
    const lines = text.split('\n');
    const line = Math.floor(lines.length / 2);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'Moscow ' }],
    });
    await analysed(uri, 2);
    lines[line] = `Moscow ${lines[line]}`;
    const edited = lines.join('\n');
    const after = await client.connection.sendRequest<ServerStats>(ServerStatsRequest);
    expect(after.workerParagraphs).toBe(stats.workerParagraphs);
    const servedEdit = await client.connection.sendRequest<ReturnType<typeof toReport>>(AnalysisRequest, { uri });
    expect(report(uri, servedEdit)).toEqual(report(uri, toReport(uri, analyzeArticle(edited, {}, new ParagraphCache()))));

    // idle: the worker has stopped and given its memory back
    const end = Date.now() + 10_000;
    let running = true;
    while (running && Date.now() < end) {
      running = (await client.connection.sendRequest<ServerStats>(ServerStatsRequest)).workerRunning;
      if (running) await new Promise((r) => setTimeout(r, 50));
    }
    expect(running).toBe(false);
  });
});
