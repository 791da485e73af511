import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../server/src/protocol';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const contributes = pkg.contributes;
const properties: Record<string, { default?: unknown; enum?: string[]; properties?: Record<string, { default?: unknown; enum?: string[] }> }> =
  contributes.configuration.properties;

/** All client sources, so a handler may live in a helper module. */
const clientSource = readdirSync(join(root, 'client', 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => read(join('client', 'src', f)))
  .join('\n');

/** String members of an exported union type in a TypeScript source. */
function unionMembers(source: string, name: string): string[] {
  const body = new RegExp(`export type ${name} =([^;]+);`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/** `a.b.c` paths of the leaves of a settings object; records like `severity` are leaves. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const findingCodes = unionMembers(read('server/src/analysis/types.ts'), 'FindingCode');
const entityTypes = unionMembers(read('server/src/analysis/types.ts'), 'EntityType');

describe('package.json manifest', () => {
  it('registers a handler for every contributed command', () => {
    const ids: string[] = contributes.commands.map((c: { command: string }) => c.command);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(clientSource, id).toContain(`registerCommand('${id}'`);
  });

  it('gives every command the Article Lens category and a title', () => {
    for (const c of contributes.commands) {
      expect(c.category).toBe('Article Lens');
      expect(c.title).toBeTruthy();
    }
  });

  it('only references contributed commands in menus', () => {
    const ids = new Set(contributes.commands.map((c: { command: string }) => c.command));
    for (const items of Object.values(contributes.menus) as { command: string }[][]) {
      for (const item of items) expect(ids.has(item.command), item.command).toBe(true);
    }
  });

  it.each(leaves(defaultSettings))('documents the setting articleLens.%s with the server default', (path, value) => {
    const entry = properties[`articleLens.${path}`];
    expect(entry, path).toBeDefined();
    expect(entry.default).toEqual(value);
    expect((entry as { markdownDescription?: string }).markdownDescription, path).toBeTruthy();
  });

  it('contributes no setting the server does not know, except the trace', () => {
    const known = new Set(leaves(defaultSettings).map(([p]) => `articleLens.${p}`));
    known.add('articleLens.trace.server');
    expect(Object.keys(properties).filter((k) => !known.has(k))).toEqual([]);
    expect(properties['articleLens.trace.server'].enum).toEqual(['off', 'messages', 'verbose']);
  });

  it('has a severity setting for every finding code, and no other', () => {
    expect(findingCodes.length).toBeGreaterThanOrEqual(7);
    const severity = properties['articleLens.diagnostics.severity'].properties!;
    expect(Object.keys(severity).sort()).toEqual([...findingCodes].sort());
    for (const code of findingCodes) {
      expect(severity[code].enum).toEqual(['error', 'warning', 'information', 'hint', 'off']);
      expect(severity[code].enum).toContain(severity[code].default);
    }
  });

  it('declares a semantic token type with theme scopes for every entity type', () => {
    const types = contributes.semanticTokenTypes.map((t: { id: string }) => t.id);
    const scopes = contributes.semanticTokenScopes.find((s: { language: string }) => s.language === 'article').scopes;
    for (const type of entityTypes) {
      expect(types).toContain(type);
      expect(scopes[type]?.length, type).toBeGreaterThan(0);
    }
    // three entity types, three different super types (three colours in plain themes)
    const supers = contributes.semanticTokenTypes.map((t: { superType: string }) => t.superType);
    expect(new Set(supers).size).toBe(supers.length);
  });

  it('points at files that exist and parse', () => {
    const language = contributes.languages.find((l: { id: string }) => l.id === 'article');
    expect(language.extensions).toEqual(expect.arrayContaining(['.article', '.article.txt', '.article.md']));
    const grammar = contributes.grammars.find((g: { language: string }) => g.language === 'article');
    expect(JSON.parse(read(grammar.path)).scopeName).toBe(grammar.scopeName);
    const config = JSON.parse(read(language.configuration));
    expect(() => new RegExp(config.wordPattern, 'g')).not.toThrow();
    for (const v of contributes.jsonValidation) expect(JSON.parse(read(v.url)).type).toBe('object');
    expect(existsSync(join(root, 'client', 'src', 'extension.ts'))).toBe(true);
  });

  it('activates on articles and on the files the include globs can turn into articles', () => {
    expect(pkg.activationEvents).toEqual(expect.arrayContaining(['onLanguage:article', 'onLanguage:plaintext', 'onLanguage:markdown']));
  });
});

describe('.article-lens.json schema', () => {
  const schema = JSON.parse(read('syntaxes/article-lens.schema.json'));
  it('allows only entities and notEntities', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['entities', 'notEntities']));
    expect(schema.properties.entities.additionalProperties.enum).toEqual(entityTypes);
    expect(schema.properties.notEntities.items.type).toBe('string');
  });
});
