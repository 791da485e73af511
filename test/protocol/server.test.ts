import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, DocumentSymbol, Hover, SemanticTokens, SemanticTokensDelta } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { decodeTokens, startClient, type TestClient } from './lspClient';
import { generateArticle, random } from '../bench/generate';

const SAMPLE = readFileSync(resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt'), 'utf8');
const BROKEN = readFileSync(resolve(__dirname, '../fixtures/broken-quote.article.txt'), 'utf8');

/** Line and UTF-16 character of the n-th occurrence of `needle` (plus `delta` characters). */
function positionOf(text: string, needle: string, nth = 0, delta = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  const doc = TextDocument.create('x', 'article', 1, text);
  return doc.positionAt(at + delta);
}

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  return typeof c === 'string' ? c : 'value' in c ? c.value : c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
}

describe('language server over stdio', () => {
  let client: TestClient;
  let legend: string[];

  beforeAll(async () => {
    client = await startClient();
    legend = client.initializeResult.capabilities.semanticTokensProvider?.legend.tokenTypes ?? [];
  });

  afterAll(async () => {
    await client?.stop();
  });

  it('declares the entity token types and the features', async () => {
    const caps = client.initializeResult.capabilities;
    expect(legend).toEqual(['person', 'place', 'organization']);
    expect(caps.hoverProvider).toBeTruthy();
    expect(caps.documentSymbolProvider).toBeTruthy();
    expect(caps.codeActionProvider).toBeTruthy();
    expect(caps.semanticTokensProvider).toMatchObject({ full: { delta: true }, range: true });
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///nowhere.article' } });
    expect(symbols).toEqual([]);
  });

  it('colours people, places and organizations in the sample article', async () => {
    const uri = 'file:///sample.article.txt';
    await client.open(uri, SAMPLE);
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const decoded = decodeTokens(tokens.data, legend);
    const at = (needle: string, nth = 0) => {
      const p = positionOf(SAMPLE, needle, nth);
      return decoded.find((t) => t.line === p.line && t.char === p.character);
    };
    expect(at('Lukashenko')?.type).toBe('person');
    expect(at('Aleksandr G. Lukashenko')?.length).toBe('Aleksandr G. Lukashenko'.length);
    expect(at('Minsk')?.type).toBe('place');
    expect(at('Kremlin')?.type).toBe('organization');
    expect(at('European Union')?.type).toBe('organization');
    // "Mr." is not part of the name
    expect(at('Mr. Putin')).toBeUndefined();
    // tokens never overlap and stay on their line
    const lines = SAMPLE.split('\n');
    for (const t of decoded) expect(t.char + t.length).toBeLessThanOrEqual(lines[t.line].length);
  });

  it('shows a hover card with the full name and role on a bare surname', async () => {
    const uri = 'file:///sample.article.txt';
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(SAMPLE, 'Lukashenko', 0, 3),
    });
    const text = hoverText(hover);
    expect(text).toContain('Aleksandr G\\. Lukashenko');
    expect(text).toMatch(/President/);
    expect(text).toMatch(/mentions/);
    const nothing = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(SAMPLE, 'protests and strikes', 0, 2),
    });
    expect(nothing).toBeNull();
  });

  it('outlines headline, people and quotes', async () => {
    const uri = 'file:///sample.article.txt';
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols[0].name).toBe('Under Siege in Belarus, Lukashenko Turns to Putin');
    const people = symbols.find((s) => s.name === 'People');
    expect(people?.children?.map((c) => c.name)).toEqual(expect.arrayContaining(['Aleksandr G. Lukashenko', 'Vladimir V. Putin', 'Vitaly A. Karazhan']));
    expect(symbols.find((s) => s.name === 'Quotes')?.children?.length).toBeGreaterThan(0);
    expect(symbols.find((s) => s.name === 'Boilerplate')).toBeDefined();
  });

  it('reports a correct article without quote errors', async () => {
    const diagnostics = await client.waitForDiagnostics('file:///sample.article.txt');
    expect(diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it('flags the broken quote, offers a fix, and clears after the fix is applied', async () => {
    const uri = 'file:///broken.article.txt';
    await client.open(uri, BROKEN);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'unclosed-quote'));
    const unclosed = diagnostics.find((d) => d.code === 'unclosed-quote')!;
    expect(unclosed.source).toBe('Article Lens');
    expect(unclosed.range.start).toEqual(positionOf(BROKEN, '“We need'));
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: unclosed.range,
      context: { diagnostics: [unclosed] },
    });
    const fix = actions.find((a) => a.diagnostics?.[0]?.code === 'unclosed-quote' && a.edit);
    expect(fix).toBeDefined();
    const edits = fix!.edit!.changes![uri];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'article', 1, BROKEN), edits);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const after = await client.waitForDiagnostics(uri, (_d, version) => version === 2);
    expect(after.filter((d) => d.code === 'unclosed-quote')).toEqual([]);
  });

  it('gives the same answers after incremental edits as for a freshly opened document', async () => {
    const uri = 'file:///edited.article.txt';
    let doc = TextDocument.create(uri, 'article', 1, SAMPLE);
    await client.open(uri, SAMPLE);
    const edits = [
      { needle: 'Saturday', text: 'Sunday' },
      { needle: 'MOSCOW — ', text: 'MOSCOW — 👍 ' },
      { needle: 'Mr. Karazhan said', text: 'Mr. Karazhan said\n\nMeanwhile, Angela Merkel said nothing.\n\n' },
      { needle: 'chant a bit,”', text: 'chant a bit,' },
    ];
    for (const [i, e] of edits.entries()) {
      const text = doc.getText();
      const at = text.indexOf(e.needle);
      const range = { start: doc.positionAt(at), end: doc.positionAt(at + e.needle.length) };
      doc = TextDocument.update(doc, [{ range, text: e.text }], i + 2);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: i + 2 },
        contentChanges: [{ range, text: e.text }],
      });
    }
    const freshUri = 'file:///fresh.article.txt';
    await client.open(freshUri, doc.getText());
    const ask = async (u: string) => ({
      tokens: (await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: u } })).data,
      symbols: await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } }),
      hover: hoverText(
        await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: positionOf(doc.getText(), 'Merkel') }),
      ),
    });
    const edited = await ask(uri);
    const fresh = await ask(freshUri);
    expect(edited).toEqual(fresh);
    expect(edited.hover).toContain('Angela Merkel');
    await client.waitForAnalysis(uri, edits.length + 1);
    await client.waitForAnalysis(freshUri, 1);
    expect(client.latestDiagnostics(uri)).toEqual(client.latestDiagnostics(freshUri));
    // the last edit broke a quote: diagnostics were pushed for it
    expect(client.latestDiagnostics(uri).map((d) => d.code)).toContain('unclosed-quote');
  });

  it('answers semantic-token deltas that rebuild the full tokens of every version', async () => {
    const uri = 'file:///delta.article.txt';
    let doc = TextDocument.create(uri, 'article', 1, SAMPLE);
    await client.open(uri, SAMPLE);
    let result = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    let data = result.data;
    expect(data.length).toBeGreaterThan(100);
    const edits = [
      { needle: 'Mr. Karazhan said', text: 'Mr. Karazhan said\n\nMeanwhile, Angela Merkel said nothing.\n\n' },
      { needle: 'Saturday', text: 'Saturday' }, // same text: nothing changes
      { needle: 'Lukashenko', text: 'Lukashenka' },
      { needle: 'Meanwhile, Angela Merkel said nothing.\n\n', text: '' },
    ];
    const sizes: number[] = [];
    for (const [i, e] of edits.entries()) {
      const at = doc.getText().indexOf(e.needle);
      const range = { start: doc.positionAt(at), end: doc.positionAt(at + e.needle.length) };
      doc = TextDocument.update(doc, [{ range, text: e.text }], i + 2);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range, text: e.text }] });
      const delta = await client.connection.sendRequest<SemanticTokensDelta>('textDocument/semanticTokens/full/delta', {
        textDocument: { uri },
        previousResultId: result.resultId,
      });
      expect(delta.resultId).not.toBe(result.resultId);
      for (const edit of [...delta.edits].sort((a, b) => b.start - a.start)) data = [...data.slice(0, edit.start), ...(edit.data ?? []), ...data.slice(edit.start + edit.deleteCount)];
      sizes.push(delta.edits.reduce((n, edit) => n + edit.deleteCount + (edit.data?.length ?? 0), 0));
      result = { resultId: delta.resultId, data };
      const fresh = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
      expect(data).toEqual(fresh.data);
      result = fresh;
      data = fresh.data;
    }
    // a delta carries only what changed: nothing for the no-op edit, far less than the whole for the others
    expect(sizes[1]).toBe(0);
    for (const s of [sizes[0], sizes[2], sizes[3]]) expect(s).toBeLessThan(data.length / 2);
    // an unknown previous result gets the full tokens
    const unknown = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: 'nope' });
    expect(unknown.data).toEqual(data);
  });

  it('after many edits of a long article sent at once (each analysis spliced from, and consuming, the one before), answers as for the same text opened fresh', async () => {
    const uri = 'file:///typed.article.txt';
    // (long enough that the server rehearses its splices on it first: see rehearseSplices)
    const start = generateArticle(220_000, 21);
    let doc = TextDocument.create(uri, 'article', 1, start);
    await client.open(uri, start);
    await client.waitForAnalysis(uri, 1);
    const rnd = random(5);
    const typed = ['“', 'x', ' Anna', '”', '\n\n', 'Minsk ', '"'];
    for (let i = 0; i < 40; i++) {
      const text = doc.getText();
      const at = Math.floor(text.length * (0.3 + 0.4 * rnd()));
      const change =
        i % 3 === 2
          ? { range: { start: doc.positionAt(at), end: doc.positionAt(at + 3) }, text: '' }
          : { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: typed[i % typed.length] };
      doc = TextDocument.update(doc, [change], i + 2);
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
      // now and then a request in between, as an editor asks while the user types
      if (i % 7 === 0) void client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: doc.positionAt(at) });
    }
    const freshUri = 'file:///typed-fresh.article.txt';
    await client.open(freshUri, doc.getText());
    const ask = async (u: string) => ({
      tokens: (await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: u } })).data,
      symbols: await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } }),
    });
    const edited = await ask(uri);
    const fresh = await ask(freshUri);
    expect(edited.tokens.length).toBeGreaterThan(1000);
    expect(edited).toEqual(fresh);
    await client.waitForAnalysis(uri, 41);
    await client.waitForAnalysis(freshUri, 1);
    // (related information names its document)
    const diagnostics = JSON.stringify(client.latestDiagnostics(uri)).replaceAll(uri, freshUri);
    expect(client.latestDiagnostics(freshUri).length).toBeGreaterThan(5);
    expect(JSON.parse(diagnostics)).toEqual(client.latestDiagnostics(freshUri));
  }, 120_000);

  it('counts UTF-16 code units after emoji', async () => {
    const uri = 'file:///emoji.article.txt';
    const text = 'Storm Hits Coast\n\n🌊🌊 Governor Gavin Newsom visited Sacramento on Monday, aides said.\n';
    await client.open(uri, text);
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const decoded = decodeTokens(tokens.data, ['person', 'place', 'organization']);
    const p = positionOf(text, 'Gavin Newsom');
    expect(p.character).toBe(14); // two surrogate pairs + space + "Governor "
    expect(decoded).toContainEqual(expect.objectContaining({ line: p.line, char: p.character, length: 12, type: 'person' }));
  });

  it('answers requests for unknown documents and bad positions without dying', async () => {
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///unknown.article' },
      position: { line: 0, character: 0 },
    });
    expect(hover).toBeNull();
    const far = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///sample.article.txt' },
      position: { line: 9999, character: 9999 },
    });
    expect(far === null || typeof far === 'object').toBe(true);
    expect(client.process.exitCode).toBeNull();
  });
});
