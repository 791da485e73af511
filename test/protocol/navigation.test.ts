/**
 * Navigation, rename, code lens, audits, export and the workspace index,
 * through the protocol against the built server (server/out/server.js).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type DocumentHighlight,
  type Hover,
  type Location,
  type Range,
  type SymbolInformation,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startClient, type TestClient } from './lspClient';

const SAMPLE = readFileSync(resolve(__dirname, '../../seeds/000_d9a995616103b19f.txt'), 'utf8');
const SAMPLE_URI = 'file:///nav/sample.article.txt';

function positionOf(text: string, needle: string, nth = 0, delta = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  return TextDocument.create('x', 'article', 1, text).positionAt(at + delta);
}

function textAt(text: string, range: Range): string {
  const doc = TextDocument.create('x', 'article', 1, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

function applyEdit(text: string, uri: string, edit: WorkspaceEdit): string {
  const edits = edit.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'article', 1, text), edits);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  return typeof c === 'string' ? c : 'value' in c ? c.value : '';
}

describe('navigation and rename over stdio', () => {
  let client: TestClient;
  const at = (needle: string, nth = 0, delta = 0) => ({ textDocument: { uri: SAMPLE_URI }, position: positionOf(SAMPLE, needle, nth, delta) });

  beforeAll(async () => {
    client = await startClient();
    await client.open(SAMPLE_URI, SAMPLE);
  });

  afterAll(async () => {
    await client?.stop();
  });

  it('declares the navigation features', () => {
    const caps = client.initializeResult.capabilities;
    expect(caps.definitionProvider).toBeTruthy();
    expect(caps.referencesProvider).toBeTruthy();
    expect(caps.documentHighlightProvider).toBeTruthy();
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.codeLensProvider).toBeTruthy();
    expect(caps.workspaceSymbolProvider).toBeTruthy();
  });

  it('goes from a bare surname (and from the headline) to the first full mention', async () => {
    const declaration = positionOf(SAMPLE, 'Aleksandr G. Lukashenko');
    for (const from of [at('Mr. Lukashenko’s', 0, 5), at('Lukashenko', 0, 2)]) {
      const def = await client.connection.sendRequest<Location | null>('textDocument/definition', from);
      expect(def?.uri).toBe(SAMPLE_URI);
      expect(def?.range.start).toEqual(declaration);
      expect(textAt(SAMPLE, def!.range)).toBe('Aleksandr G. Lukashenko');
    }
    expect(await client.connection.sendRequest('textDocument/definition', at('protests and strikes', 0, 2))).toBeNull();
  });

  it('finds every mention as references, with or without the declaration', async () => {
    const report = await client.connection.sendRequest<{ entities: { name: string; mentions: unknown[] }[] }>('articleLens/analysis', { uri: SAMPLE_URI });
    const luka = report.entities.find((e) => e.name === 'Aleksandr G. Lukashenko')!;
    const all = await client.connection.sendRequest<Location[]>('textDocument/references', { ...at('Mr. Lukashenko', 0, 6), context: { includeDeclaration: true } });
    expect(all).toHaveLength(luka.mentions.length);
    expect(all.length).toBeGreaterThan(15);
    for (const l of all) expect(textAt(SAMPLE, l.range)).toMatch(/^(Aleksandr G\. )?Lukashenko$/);
    // possessives stay outside the mention
    expect(all.some((l) => SAMPLE.slice(TextDocument.create('x', 'a', 1, SAMPLE).offsetAt(l.range.end)).startsWith('’s security'))).toBe(true);
    const without = await client.connection.sendRequest<Location[]>('textDocument/references', { ...at('Mr. Lukashenko', 0, 6), context: { includeDeclaration: false } });
    expect(without).toHaveLength(all.length - 1);
    expect(without.some((l) => textAt(SAMPLE, l.range) === 'Aleksandr G. Lukashenko')).toBe(false);
    expect(await client.connection.sendRequest('textDocument/references', { ...at('protests and strikes'), context: { includeDeclaration: true } })).toEqual([]);
  });

  it('highlights all mentions of the entity under the cursor, the declaration as a write', async () => {
    const highlights = await client.connection.sendRequest<DocumentHighlight[]>('textDocument/documentHighlight', at('Mr. Putin', 0, 5));
    expect(highlights.length).toBeGreaterThan(5);
    const writes = highlights.filter((h) => h.kind === 3);
    expect(writes).toHaveLength(1);
    expect(textAt(SAMPLE, writes[0].range)).toBe('Vladimir V. Putin');
    expect(highlights.filter((h) => h.kind === 1).length).toBe(highlights.length - 1);
    for (const h of highlights) expect(textAt(SAMPLE, h.range)).toMatch(/Putin$/);
    expect(await client.connection.sendRequest('textDocument/documentHighlight', at('protests and strikes'))).toEqual([]);
  });

  it('refuses to rename where the cursor is not on a name, with a clear message', async () => {
    for (const where of [at('protests and strikes', 0, 3), at('Mr. Lukashenko', 0, 1)]) {
      await expect(client.connection.sendRequest('textDocument/prepareRename', where)).rejects.toThrow(/person, place or organization/);
    }
    const ok = await client.connection.sendRequest<{ range: Range; placeholder: string }>('textDocument/prepareRename', at('Mr. Lukashenko', 0, 6));
    expect(ok.placeholder).toBe('Lukashenko');
    expect(textAt(SAMPLE, ok.range)).toBe('Lukashenko');
    await expect(client.connection.sendRequest('textDocument/rename', { ...at('Mr. Lukashenko', 0, 6), newName: '  ' })).rejects.toThrow(/empty/);
  });

  it('renames a full name everywhere, updating bare surnames and keeping honorifics and possessives', async () => {
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { ...at('Aleksandr G. Lukashenko', 0, 3), newName: 'Alexander Lukashenka' });
    const renamed = applyEdit(SAMPLE, SAMPLE_URI, edit);
    expect(count(renamed, 'Lukashenko')).toBe(0);
    expect(renamed).toContain('President Alexander Lukashenka of Belarus');
    expect(count(renamed, 'Mr. Lukashenka')).toBe(count(SAMPLE, 'Mr. Lukashenko'));
    expect(count(renamed, 'Mr. Lukashenka’s')).toBe(count(SAMPLE, 'Mr. Lukashenko’s'));
    expect(renamed).toContain('Under Siege in Belarus, Lukashenka Turns to Putin');
    // nothing else moved
    expect(renamed.replace(/Alexander Lukashenka/g, 'Aleksandr G. Lukashenko').replace(/Lukashenka/g, 'Lukashenko')).toBe(SAMPLE);
  });

  it('renames a surname inside full and bare mentions', async () => {
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { ...at('Mr. Putin', 0, 5), newName: 'Poutine' });
    const renamed = applyEdit(SAMPLE, SAMPLE_URI, edit);
    expect(renamed).toContain('President Vladimir V. Poutine');
    expect(renamed).toContain('Mr. Poutine and Mr. Lukashenko');
    expect(count(renamed, 'Putin')).toBe(0);
  });

  it('keeps a dateline in capitals when renaming a place', async () => {
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { ...at('accusing Moscow', 0, 10), newName: 'Moskva' });
    const renamed = applyEdit(SAMPLE, SAMPLE_URI, edit);
    expect(renamed).toContain('MOSKVA — After claiming');
    expect(renamed).toContain('accusing Moskva of engineering');
    expect(count(renamed, 'Moscow') + count(renamed, 'MOSCOW')).toBe(0);
  });

  it('shows the counts lens on the first line, wired to the outline', async () => {
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: SAMPLE_URI } });
    expect(lenses).toHaveLength(1);
    expect(lenses[0].range.start).toEqual({ line: 0, character: 0 });
    expect(lenses[0].command?.command).toBe('articleLens.showOutline');
    expect(lenses[0].command?.title).toMatch(/^\d+ people · \d+ places · \d+ organizations · \d+ quotes? · \d+ unattributed$/);
  });

  it('reports scraped boilerplate with a fix that removes it all', async () => {
    const diagnostics = await client.waitForDiagnostics(SAMPLE_URI, (d) => d.some((x) => x.code === 'scraped-boilerplate'));
    const boiler = diagnostics.filter((d) => d.code === 'scraped-boilerplate');
    expect(boiler).toHaveLength(3);
    expect(boiler.every((d) => d.source === 'Article Lens' && d.severity === 2)).toBe(true);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: SAMPLE_URI },
      range: boiler[1].range,
      context: { diagnostics: [boiler[1]] },
    });
    const all = actions.find((a) => a.title.startsWith('Remove all scraped boilerplate'));
    expect(all).toBeDefined();
    const cleaned = applyEdit(SAMPLE, SAMPLE_URI, all!.edit!);
    expect(cleaned).not.toContain('Source link');
    expect(cleaned).not.toContain('Check Also');
    expect(count(cleaned, 'Under Siege in Belarus')).toBe(1);
    expect(cleaned.trimEnd().endsWith('Ivan Nechepurenko from Minsk, Belarus.')).toBe(true);
  });

  it('flags a surname spelt two ways and fixes it through a code action', async () => {
    const uri = 'file:///nav/spelling.article.txt';
    const text =
      'Belarus Votes\n\nMINSK — President Alexander Lukashenka said on Monday that he would win. Mr. Lukashenka’s aides agreed.\n\nLater Mr. Lukashenko, 66, spoke again. Lukashenka smiled.\n';
    await client.open(uri, text);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'name-spelling-variant'));
    const variant = diagnostics.find((d) => d.code === 'name-spelling-variant')!;
    expect(textAt(text, variant.range)).toBe('Lukashenko');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: variant.range, context: { diagnostics: [variant] } });
    const fix = actions.find((a) => a.isPreferred && a.diagnostics?.[0]?.code === 'name-spelling-variant')!;
    expect(applyEdit(text, uri, fix.edit!)).toContain('Later Mr. Lukashenka, 66');
  });

  it('exports the open article as JSON and brat through a request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'article-lens-nav-'));
    const result = await client.connection.sendRequest<{ files: { path: string; content: string }[] }>('articleLens/export', { uri: SAMPLE_URI, directory: dir });
    const names = result.files.map((f) => f.path.slice(dir.length + 1)).sort();
    expect(names).toEqual(['annotation.conf', 'sample.article.ann', 'sample.article.json', 'sample.article.txt']);
    const ann = readFileSync(join(dir, 'sample.article.ann'), 'utf8');
    expect(ann).toMatch(/^T1\t(PER|LOC|ORG) \d+ \d+\t/);
    const json = JSON.parse(readFileSync(join(dir, 'sample.article.json'), 'utf8'));
    expect(json.entities.length).toBeGreaterThan(5);
    await expect(client.connection.sendRequest('articleLens/export', { uri: 'file:///nav/not-open.txt', dryRun: true })).rejects.toThrow(/open/);
  });
});

// ---------------------------------------------------------------------------
// The workspace index, with a client that has workspace folders and progress.
// ---------------------------------------------------------------------------

/** A client with the workspace folder and, optionally, settings. */
function startWorkspaceClient(folder: string, settings: unknown = null): Promise<TestClient> {
  return startClient({ rootUri: pathToFileURL(folder).href, settings });
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('workspace index over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'article-lens-ws-'));
  const ONE = 'Belarus Leader Seeks Help\n\nMINSK — President Aleksandr G. Lukashenko of Belarus appealed to the Kremlin on Saturday. Mr. Lukashenko spoke to President Vladimir V. Putin by phone, the Kremlin said.\n';
  const TWO = 'Protests Grow in Minsk\n\nMINSK — Alexander Lukashenka, the president of Belarus, said on Sunday that the protests would fail. Mr. Lukashenka later called President Vladimir Putin.\n';
  const oneUri = pathToFileURL(join(dir, 'desk', 'one.article.txt')).href;
  const twoUri = pathToFileURL(join(dir, 'articles', 'two.txt')).href;
  let ws: TestClient;

  beforeAll(async () => {
    mkdirSync(join(dir, 'desk'));
    mkdirSync(join(dir, 'articles'));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'desk', 'one.article.txt'), ONE);
    writeFileSync(join(dir, 'articles', 'two.txt'), TWO);
    // not articles: a plain note outside the include globs, and anything under node_modules
    writeFileSync(join(dir, 'notes.txt'), 'Angela Merkel called Emmanuel Macron.\n');
    writeFileSync(join(dir, 'node_modules', 'x.article'), 'Angela Merkel called Emmanuel Macron.\n');
    ws = await startWorkspaceClient(dir);
    await until(
      () => ws.connection.sendRequest<{ state: string }>('articleLens/workspaceIndex'),
      (s) => s.state === 'ready',
    );
  });

  afterAll(async () => {
    await ws?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the article files in the background with progress, and asks to watch them', async () => {
    const state = await ws.connection.sendRequest<{ files: number; entities: number }>('articleLens/workspaceIndex');
    expect(state.files).toBe(2);
    expect(state.entities).toBeGreaterThan(4);
    expect(ws.progress.map((p) => p.value.kind)).toEqual(expect.arrayContaining(['begin', 'end']));
    expect(ws.progress[0].value.title).toMatch(/indexing/i);
    expect(ws.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions).toEqual({
      watchers: [{ globPattern: '**/*.{article,txt,md}' }, { globPattern: '**/.article-lens.json' }],
    });
  });

  it('finds people across all articles as workspace symbols', async () => {
    const symbols = await ws.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: 'lukash' });
    expect(symbols.map((s) => s.location.uri).sort()).toEqual([twoUri, oneUri].sort());
    const one = symbols.find((s) => s.location.uri === oneUri)!;
    expect(one.name).toBe('Aleksandr G. Lukashenko');
    expect(textAt(ONE, one.location.range)).toBe('Aleksandr G. Lukashenko');
    expect(one.containerName).toMatch(/desk\/one\.article\.txt/);
    expect(await ws.connection.sendRequest('workspace/symbol', { query: 'merkel' })).toEqual([]);
  });

  it('says in the hover which other articles name the entity', async () => {
    await ws.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: oneUri, languageId: 'article', version: 1, text: ONE } });
    const hover = await ws.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: oneUri }, position: positionOf(ONE, 'Vladimir V. Putin', 0, 13) });
    const text = hoverText(hover);
    expect(text).toContain('Also in 1 other article');
    expect(text).toContain(`](${twoUri}#L3)`);
  });

  it('reports a surname another article spells differently', async () => {
    const d = await until(
      async () => [...ws.diagnostics].reverse().find((p) => p.uri === oneUri)?.diagnostics ?? ([] as Diagnostic[]),
      (list) => list.some((x) => x.code === 'name-spelling-variant'),
    );
    const variant = d.find((x) => x.code === 'name-spelling-variant')!;
    expect(variant.message).toBe('“Lukashenko” is spelt “Lukashenka” in articles/two.txt.');
    expect(textAt(ONE, variant.range)).toBe('Lukashenko');
  });

  it('updates on watched-file changes: created, then deleted', async () => {
    const three = join(dir, 'articles', 'three.md');
    writeFileSync(three, 'Merkel Visits\n\nBERLIN — Chancellor Angela Merkel met President Emmanuel Macron on Friday.\n');
    const threeUri = pathToFileURL(three).href;
    await ws.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: threeUri, type: 1 }] });
    const found = await until(
      () => ws.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: 'merkel' }),
      (s) => s.length > 0,
    );
    expect(found[0].location.uri).toBe(threeUri);
    rmSync(three);
    await ws.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: threeUri, type: 3 }] });
    await until(
      () => ws.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: 'merkel' }),
      (s) => s.length === 0,
    );
  });

  it('turns audits and the lens off by setting', async () => {
    const off = await startWorkspaceClient(dir, { audits: { boilerplate: false, nameSpelling: false }, codeLens: { enabled: false }, workspace: { index: false } });
    try {
      const uri = 'file:///ws/boiler.article.txt';
      const text = 'A Story\n\nA Story\n\nBody text here, said John Smith.\n\nSource link\n';
      await off.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
      // settings arrive by workspace/configuration after `initialized`: wait for them to apply
      const lenses = await until(
        () => off.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }),
        (l) => l.length === 0,
        5000,
      );
      expect(lenses).toEqual([]);
      // the latest diagnostics (settings are pulled after initialized) have no boilerplate
      const latest = await until(
        async () => [...off.diagnostics].reverse().find((p) => p.uri === uri),
        (p) => !!p && !p.diagnostics.some((d) => d.code === 'scraped-boilerplate'),
      );
      expect(latest?.diagnostics.filter((d) => d.code === 'scraped-boilerplate')).toEqual([]);
      const state = await off.connection.sendRequest<{ state: string; files: number }>('articleLens/workspaceIndex');
      expect(state.state).toBe('off');
    } finally {
      await off.stop();
    }
  });
});
