/**
 * The team's `.article-lens.json` files: found upward from an article, parsed
 * safely, cached until they change, and edited by the "Mark as …" quick fixes.
 */
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { emptyDictionary, MAX_DICTIONARY_CHARS, normalizeName, parseDictionary, type Dictionary, type DictionaryProblem } from './analysis/dictionary';
import type { EntityType } from './analysis/types';

export const DICTIONARY_FILE = '.article-lens.json';

export interface LoadedDictionary {
  path: string;
  text: string;
  dictionary: Dictionary;
  problems: DictionaryProblem[];
}

/** Nearest `.article-lens.json` at or above `dir`, not above `stop` when given. */
export function findDictionaryFile(dir: string, stop?: string): string | undefined {
  let current = resolve(dir);
  const limit = stop ? resolve(stop) : undefined;
  for (;;) {
    const candidate = join(current, DICTIONARY_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(current);
    if (parent === current || current === limit) return undefined;
    current = parent;
  }
}

/** Read and parse one dictionary file; never throws. */
export function loadDictionaryFile(path: string): LoadedDictionary {
  try {
    if (statSync(path).size > MAX_DICTIONARY_CHARS * 4) {
      return { path, text: '', dictionary: emptyDictionary(), problems: [{ message: `${DICTIONARY_FILE} is too large to read`, start: 0, end: 0 }] };
    }
    const text = readFileSync(path, 'utf8');
    const { dictionary, problems } = parseDictionary(text);
    return { path, text, dictionary, problems };
  } catch (error) {
    return { path, text: '', dictionary: emptyDictionary(), problems: [{ message: `cannot read ${DICTIONARY_FILE}: ${(error as Error).message}`, start: 0, end: 0 }] };
  }
}

export type Correction = EntityType | 'not-entity';

/**
 * The new text of a dictionary file after adding a correction for `name`.
 * Returns an error message instead when the existing file is not a JSON object.
 */
export function applyCorrection(existing: string | undefined, name: string, correction: Correction): string | { error: string } {
  let data: { entities?: Record<string, string>; notEntities?: string[]; [key: string]: unknown } = {};
  if (existing?.trim()) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: `${DICTIONARY_FILE} is not a JSON object: fix it first` };
      data = parsed as typeof data;
    } catch {
      return { error: `${DICTIONARY_FILE} is not valid JSON: fix it first` };
    }
  }
  const key = normalizeName(name);
  const entities: Record<string, string> = {};
  if (data.entities && typeof data.entities === 'object' && !Array.isArray(data.entities)) {
    for (const [k, v] of Object.entries(data.entities)) if (normalizeName(k) !== key) entities[k] = v;
  }
  const notEntities = Array.isArray(data.notEntities) ? data.notEntities.filter((n) => typeof n !== 'string' || normalizeName(n) !== key) : [];
  if (correction === 'not-entity') notEntities.push(name);
  else entities[name] = correction;
  const out: Record<string, unknown> = { ...data, entities, notEntities };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Dictionaries by file, and which file governs each folder; cleared when files change. */
export class DictionaryFiles {
  private readonly files = new Map<string, LoadedDictionary>();
  private readonly folders = new Map<string, string | undefined>();

  /** The dictionary that applies to an article at `path` (stopping at `root` when given). */
  forFile(path: string, root?: string): LoadedDictionary | undefined {
    const dir = dirname(path);
    let file = this.folders.get(dir);
    if (!this.folders.has(dir)) {
      file = findDictionaryFile(dir, root);
      this.folders.set(dir, file);
    }
    if (!file) return undefined;
    let loaded = this.files.get(file);
    if (!loaded) {
      loaded = loadDictionaryFile(file);
      this.files.set(file, loaded);
    }
    return loaded;
  }

  /** Forget everything (a dictionary file was created, changed or deleted). */
  clear(): void {
    this.files.clear();
    this.folders.clear();
  }

  /** Add a correction to the file at `path` (created when missing); returns an error message on failure. */
  write(path: string, name: string, correction: Correction): string | undefined {
    let existing: string | undefined;
    try {
      // a link could point anywhere (outside the workspace): corrections are written to plain files only
      if (isLink(path)) return `${path} is a symbolic link; Article Lens writes corrections only to a plain file`;
      existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    } catch (error) {
      return `cannot read ${path}: ${(error as Error).message}`;
    }
    const next = applyCorrection(existing, name, correction);
    if (typeof next !== 'string') return next.error;
    try {
      writeFileSync(path, next);
    } catch (error) {
      return `cannot write ${path}: ${(error as Error).message}`;
    }
    this.clear();
    return undefined;
  }

  loaded(): LoadedDictionary[] {
    return [...this.files.values()];
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false; // missing: a new plain file is created
  }
}
