/**
 * Document life cycle against the built server (server/out/server.js) over stdio:
 * an article whose file is deleted on disk while it is open in the editor, and a
 * deleted folder. The editor keeps the buffer, so the server must keep serving it
 * from the editor's text, forget it once it is closed, and never crash.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, Hover, SemanticTokens, SymbolInformation } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startClient, type TestClient } from './lspClient';

const ONE =
  'Belarus Leader Seeks Help\n\nMINSK — President Aleksandr G. Lukashenko of Belarus appealed to the Kremlin on Saturday. Mr. Lukashenko spoke to President Vladimir V. Putin by phone, the Kremlin said.\n\n“We will not give up,” Mr. Lukashenko said.\n';
const TWO = 'Protests Grow in Minsk\n\nMINSK — Alexander Lukashenka, the president of Belarus, said on Sunday that the protests would fail. Mr. Lukashenka later called President Vladimir Putin.\n';
const THREE = 'Merkel Visits\n\nBERLIN — Chancellor Angela Merkel met President Emmanuel Macron on Friday.\n';
const DELETED = 3;

function position(text: string, needle: string, delta = 0) {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not in text`);
  return TextDocument.create('x', 'article', 1, text).positionAt(at + delta);
}

/** The hover's Markdown without its escapes (`G\\.` → `G.`). */
function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  return (typeof c === 'string' ? c : 'value' in c ? c.value : '').replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a file deleted while it is open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'article-lens-life-'));
  const onePath = join(dir, 'desk', 'one.article.txt');
  const oneUri = pathToFileURL(onePath).href;
  const twoUri = pathToFileURL(join(dir, 'desk', 'two.article.txt')).href;
  const goneDir = join(dir, 'gone');
  const threeUri = pathToFileURL(join(goneDir, 'three.article.txt')).href;
  let client: TestClient;
  let text = ONE;
  let version = 1;

  const request = <T>(method: string, params: unknown) => client.connection.sendRequest<T>(method, params);
  const hover = (uri: string, t: string, needle: string, delta = 0) => request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: position(t, needle, delta) });
  const symbolUris = async (query: string) => (await request<SymbolInformation[]>('workspace/symbol', { query })).map((s) => s.location.uri);
  const index = () => client.connection.sendRequest<{ state: string; files: number }>('articleLens/workspaceIndex');
  /** Replace `find` with `replace` in the open article, as an incremental change; wait for its analysis. */
  async function edit(find: string, replace: string): Promise<void> {
    const doc = TextDocument.create(oneUri, 'article', version, text);
    const at = text.indexOf(find);
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + find.length) };
    text = text.slice(0, at) + replace + text.slice(at + find.length);
    version++;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: oneUri, version }, contentChanges: [{ range, text: replace }] });
    await client.waitForAnalysis(oneUri, version);
  }

  beforeAll(async () => {
    mkdirSync(join(dir, 'desk'));
    mkdirSync(goneDir);
    writeFileSync(onePath, ONE);
    writeFileSync(join(dir, 'desk', 'two.article.txt'), TWO);
    writeFileSync(join(goneDir, 'three.article.txt'), THREE);
    client = await startClient({ rootUri: pathToFileURL(dir).href });
    await until('the index', index, (s) => s.state === 'ready' && s.files === 3);
    await client.open(oneUri, ONE, version);
    await client.waitForAnalysis(oneUri, version);
  });

  afterAll(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('before the deletion: hover, diagnostics and the index know the article', async () => {
    expect(hoverText(await hover(oneUri, text, 'Vladimir V. Putin', 12))).toContain('Also in 1 other article');
    expect(await symbolUris('lukash')).toEqual(expect.arrayContaining([oneUri, twoUri]));
    // the curly quote is attributed; nothing unbalanced
    expect((await client.waitForDiagnostics(oneUri)).filter((d) => /quote/.test(String(d.code)))).toEqual([]);
  });

  it('after the file is deleted on disk, the open buffer is still served', async () => {
    rmSync(onePath);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: oneUri, type: DELETED }] });
    // the index drops the file from disk (after its 200 ms batching), but the open document stands in for it
    await new Promise((r) => setTimeout(r, 400));
    expect(await index()).toMatchObject({ state: 'ready', files: 3 });
    expect(await symbolUris('lukash')).toEqual(expect.arrayContaining([oneUri, twoUri]));
    const card = hoverText(await hover(oneUri, text, 'Mr. Lukashenko', 6));
    expect(card).toContain('Aleksandr G. Lukashenko');
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: oneUri } });
    expect(symbols.map((s) => s.name)).toContain('Belarus Leader Seeks Help');
    const tokens = await request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: oneUri } });
    expect(tokens.data.length).toBeGreaterThan(0);
    expect(client.process.exitCode).toBeNull();
  });

  it('keeps analysing edits to the deleted file: new names, new diagnostics, hovers on the new text', async () => {
    await edit('“We will not give up,” Mr. Lukashenko said.', 'Angela Merkel, the German chancellor, called him. “We are watching.\n\nThe end.');
    const card = hoverText(await hover(oneUri, text, 'Angela Merkel', 7));
    expect(card).toContain('Angela Merkel');
    expect(card).toContain('the German chancellor');
    // the unclosed quote is reported on the new version
    const open = await client.waitForDiagnostics(oneUri, (d, v) => v === version && d.some((x) => x.code === 'unclosed-quote'));
    expect(open.find((x) => x.code === 'unclosed-quote')!.range.start).toEqual(position(text, '“We are'));
    // the workspace index sees the edited buffer
    await until('Merkel in the workspace symbols', () => symbolUris('merkel'), (u) => u.includes(oneUri));
    // a position past the end of the (shorter) text and on the new last line
    expect(await hover(oneUri, text, 'The end.', 3)).toBeNull();
    expect(await request('textDocument/hover', { textDocument: { uri: oneUri }, position: { line: 999, character: 0 } })).toBeNull();
  });

  it('on close: diagnostics cleared, and the deleted article leaves the index', async () => {
    const before = client.diagnostics.length;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: oneUri } });
    const cleared = await client.waitForDiagnostics(oneUri, (d) => d.length === 0 && client.diagnostics.length > before);
    expect(cleared).toEqual([]);
    expect(await until('the closed, deleted article to leave the workspace symbols', () => symbolUris('lukash'), (u) => !u.includes(oneUri))).toEqual([twoUri]);
    expect(await index()).toMatchObject({ state: 'ready', files: 2 });
    expect(await symbolUris('merkel')).toEqual([threeUri]);
    // requests for the closed document: empty answers, no error
    expect(await hover(oneUri, text, 'Angela Merkel', 7)).toBeNull();
    expect(await request('textDocument/documentSymbol', { textDocument: { uri: oneUri } })).toEqual([]);
    // the other article no longer says the entity is also in the deleted one
    await client.open(twoUri, TWO);
    await client.waitForAnalysis(twoUri, 1);
    expect(hoverText(await hover(twoUri, TWO, 'Vladimir Putin', 10))).not.toContain('one.article.txt');
    expect(existsSync(onePath)).toBe(false);
    expect(client.process.exitCode).toBeNull();
  });

  it('a deleted folder takes its articles out of the index; re-opening a deleted file works', async () => {
    rmSync(goneDir, { recursive: true });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(goneDir).href, type: DELETED }] });
    await until('the folder to leave the index', () => symbolUris('merkel'), (u) => u.length === 0);
    expect(await index()).toMatchObject({ files: 1 });
    // an editor can still open (and analyse) a buffer whose file is gone, e.g. restored from a backup
    await client.open(threeUri, THREE, 1);
    await client.waitForAnalysis(threeUri, 1);
    expect(hoverText(await hover(threeUri, THREE, 'Angela Merkel', 7))).toContain('Angela Merkel');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: threeUri } });
    await client.waitForDiagnostics(threeUri, (d) => d.length === 0);
    expect(client.stderr.join('')).not.toMatch(/Error|ENOENT|could not analyse/);
    expect(client.process.exitCode).toBeNull();
  });
});
