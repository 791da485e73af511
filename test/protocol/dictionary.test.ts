import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, SemanticTokens } from 'vscode-languageserver-protocol';
import { applyCorrection, DictionaryFiles } from '../../server/src/dictionaryFiles';
import { decodeTokens, startClient, type TestClient } from './lspClient';

const TEXT = 'Zorblat Visits Quenford\n\nZorblat Industries opened a plant in Quenford on Monday, officials said.\n';
const CLI = resolve(__dirname, '../../server/out/cli.js');

describe('team dictionary (.article-lens.json)', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'article-lens-dict-'));
    writeFileSync(join(dir, 'story.article.txt'), TEXT);
    uri = pathToFileURL(join(dir, 'story.article.txt')).href;
    client = await startClient({ rootUri: pathToFileURL(dir).href });
    await client.open(uri, TEXT);
    await client.waitForAnalysis(uri, 1);
  });

  afterAll(async () => {
    await client?.stop();
  });

  const tokensAt = async (needle: string) => {
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const lines = TEXT.split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    const char = lines[line].indexOf(needle);
    return decodeTokens(tokens.data, ['person', 'place', 'organization']).find((t) => t.line === line && t.char === char);
  };

  it('offers corrections on a selection and writes them to the workspace file, updating the article at once', async () => {
    const line = 2;
    expect(await tokensAt('Quenford on Monday')).toBeUndefined();
    const char = TEXT.split('\n')[line].indexOf('Quenford');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: char }, end: { line, character: char + 'Quenford'.length } },
      context: { diagnostics: [] },
    });
    const mark = actions.find((a) => a.title.includes('“Quenford”') && a.title.includes('a place'));
    expect(mark?.command?.command).toBe('articleLens.addToDictionary');
    await client.connection.sendRequest('workspace/executeCommand', { command: mark!.command!.command, arguments: mark!.command!.arguments });
    const file = join(dir, '.article-lens.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ entities: { Quenford: 'place' } });
    // every mention, the headline's too
    expect((await tokensAt('Quenford on Monday'))?.type).toBe('place');
    expect((await tokensAt('Quenford'))?.type).toBe('place');
  });

  it('marks a mention as not an entity', async () => {
    expect((await tokensAt('Zorblat Industries'))?.type).toBe('organization');
    const line = 2;
    const char = TEXT.split('\n')[line].indexOf('Zorblat Industries');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: char + 1 }, end: { line, character: char + 1 } },
      context: { diagnostics: [] },
    });
    expect(actions.map((a) => a.title)).toContain('Mark “Zorblat Industries” as a person (team dictionary)');
    const not = actions.find((a) => a.title.startsWith('“Zorblat Industries” is not an entity'));
    expect(not).toBeDefined();
    await client.connection.sendRequest('workspace/executeCommand', { command: not!.command!.command, arguments: not!.command!.arguments });
    expect(await tokensAt('Zorblat Industries')).toBeUndefined();
  });

  it('reports a malformed dictionary on the file itself and keeps working', async () => {
    const file = join(dir, '.article-lens.json');
    writeFileSync(file, '{"entities": {"__proto__": "person", "Zorblat Industries": 42}, "notEntities": "oops"');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 2 }] });
    const problems = await client.waitForDiagnostics(pathToFileURL(file).href, (d) => d.length > 0);
    expect(problems[0].source).toBe('Article Lens');
    expect(client.process.exitCode).toBeNull();
    expect(({} as Record<string, unknown>).person).toBeUndefined();
  });

  it('is read by the CLI from the nearest file upward, or from --dictionary', () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'article-lens-cli-'));
    writeFileSync(join(cliDir, 'a.txt'), TEXT);
    writeFileSync(join(cliDir, '.article-lens.json'), JSON.stringify({ entities: { Zorblat: 'person' } }));
    const run = (args: string[]) => JSON.parse(spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { encoding: 'utf8' }).stdout);
    const nearest = run([join(cliDir, 'a.txt')]);
    expect(nearest.entities.find((e: { name: string }) => e.name === 'Zorblat')?.type).toBe('person');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ notEntities: ['Zorblat', 'Quenford', 'Zorblat Industries'] }));
    const given = run(['--dictionary', other, join(cliDir, 'a.txt')]);
    expect(given.entities.map((e: { name: string }) => e.name)).not.toContain('Quenford');
    const missing = spawnSync(process.execPath, [CLI, '--dictionary', join(dir, 'nope.json'), join(cliDir, 'a.txt')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(existsSync(join(dir, 'nope.json'))).toBe(false);
  });

  it.each([
    ['adds to an empty file', undefined, 'Kremlin', 'organization', { entities: { Kremlin: 'organization' }, notEntities: [] }],
    ['replaces an earlier correction of the same name', '{"entities":{"kremlin":"place"},"notEntities":["Kremlin"]}', 'Kremlin', 'organization', { entities: { Kremlin: 'organization' }, notEntities: [] }],
    ['keeps unrelated entries', '{"entities":{"Minsk":"place"},"notEntities":["Source"]}', 'Belarusian', 'not-entity', { entities: { Minsk: 'place' }, notEntities: ['Source', 'Belarusian'] }],
  ] as const)('applyCorrection %s', (_name, existing, name, correction, expected) => {
    const next = applyCorrection(existing, name, correction);
    expect(typeof next).toBe('string');
    expect(JSON.parse(next as string)).toEqual(expected);
  });

  it('refuses to rewrite a file that is not a JSON object', () => {
    expect(applyCorrection('[1,2]', 'X', 'person')).toEqual({ error: expect.stringMatching(/not a JSON object/) });
    expect(applyCorrection('{oops', 'X', 'person')).toEqual({ error: expect.stringMatching(/not valid JSON/) });
  });

  it('never writes through a symbolic link (it could point outside the workspace)', () => {
    const root = mkdtempSync(join(tmpdir(), 'article-lens-link-'));
    const outside = join(root, 'outside.json');
    writeFileSync(outside, '{}\n');
    const link = join(root, '.article-lens.json');
    symlinkSync(outside, link);
    const error = new DictionaryFiles().write(link, 'Maria Delgado', 'not-entity');
    expect(error).toMatch(/symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('{}\n');
    // a dangling link is refused too, rather than creating its target
    const dangling = join(mkdtempSync(join(tmpdir(), 'article-lens-link-')), '.article-lens.json');
    symlinkSync(join(root, 'missing.json'), dangling);
    expect(new DictionaryFiles().write(dangling, 'X', 'person')).toMatch(/symbolic link/);
    expect(existsSync(join(root, 'missing.json'))).toBe(false);
  });
});
