import type { EntityType } from './types';

/**
 * Team corrections shared in a workspace's `.article-lens.json`:
 * names forced to a type, and names that are not entities.
 */
export interface Dictionary {
  /** normalised name → forced type */
  types: Map<string, EntityType>;
  /** normalised names that are never entities */
  notEntities: Set<string>;
}

export function emptyDictionary(): Dictionary {
  return { types: new Map(), notEntities: new Set() };
}

/** The key a name is looked up by: case-folded, curly apostrophes straightened, spaces collapsed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Something wrong in a dictionary file, with the span (UTF-16 offsets into the file text) it concerns. */
export interface DictionaryProblem {
  message: string;
  start: number;
  end: number;
}

/** Files larger than this are not read (a dictionary of names is a few KB). */
export const MAX_DICTIONARY_CHARS = 4_000_000;
/** Longest name taken from a dictionary. */
const MAX_NAME = 300;
/** Most problems reported for one file. */
const MAX_PROBLEMS = 200;
const MAX_DEPTH = 64;
const TYPES: readonly string[] = ['person', 'place', 'organization'];

// ---------------------------------------------------------------------------
// A small JSON reader that keeps the position of every value (for problems)
// and never builds JavaScript objects from keys (no prototype pollution).
// ---------------------------------------------------------------------------

type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: { key: string; keyStart: number; keyEnd: number; value: JsonNode }[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number' | 'boolean' | 'null'; start: number; end: number };

class JsonError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

function readJson(text: string): JsonNode {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++;
      else break;
    }
  };
  const fail = (message: string, at = i, len = 1): never => {
    throw new JsonError(message, Math.min(at, n), Math.min(at + len, n));
  };
  const str = (): { value: string; start: number; end: number } => {
    const start = i;
    i++; // opening quote
    let out = '';
    let from = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(from, i);
        i++;
        return { value: out, start, end: i };
      }
      if (c === 92) {
        out += text.slice(from, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('Invalid escape in a string.', i, 2);
        from = i;
        continue;
      }
      if (c < 32) fail('Control character in a string: close the string with ".', i);
      i++;
    }
    return fail('Unterminated string.', start, n - start);
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail('Nested too deeply.');
    ws();
    if (i >= n) fail('Unexpected end of file: a value is missing.', Math.max(0, n - 1));
    const c = text[i];
    const start = i;
    if (c === '{') {
      i++;
      const entries: { key: string; keyStart: number; keyEnd: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', start, end: i, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expected a property name in double quotes.');
        const k = str();
        ws();
        if (text[i] !== ':') fail('Expected a colon after the property name.');
        i++;
        const v = value(depth + 1);
        entries.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: v });
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('Trailing comma.', i - 1);
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', start, end: i, entries };
        }
        fail('Expected a comma or a closing brace.');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('Trailing comma.', i - 1);
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', start, end: i, items };
        }
        fail('Expected a comma or a closing bracket.');
      }
    }
    if (c === '"') {
      const s = str();
      return { kind: 'string', start: s.start, end: s.end, value: s.value };
    }
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (lit) {
      i += lit[0].length;
      const kind = lit[0] === 'null' ? 'null' : lit[0] === 'true' || lit[0] === 'false' ? 'boolean' : 'number';
      return { kind, start, end: i };
    }
    return fail(`Unexpected character ${JSON.stringify(text[i])}.`);
  };
  const root = value(0);
  ws();
  if (i < n) fail('Unexpected text after the end of the JSON value.', i, Math.min(40, n - i));
  return root;
}

const KIND_NAME: Record<JsonNode['kind'], string> = { object: 'an object', array: 'an array', string: 'a string', number: 'a number', boolean: 'a boolean', null: 'null' };

/**
 * Read the text of a `.article-lens.json` file. Never throws: whatever is wrong
 * (invalid JSON, wrong types, unknown types, empty or huge names) becomes a
 * problem with the span it concerns, and everything valid is still used.
 */
export function parseDictionary(jsonText: unknown): { dictionary: Dictionary; problems: DictionaryProblem[] } {
  const dictionary = emptyDictionary();
  const problems: DictionaryProblem[] = [];
  const problem = (message: string, start: number, end: number) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ message, start, end: Math.max(start, end) });
  };
  if (typeof jsonText !== 'string') {
    problem('The dictionary is not text.', 0, 0);
    return { dictionary, problems };
  }
  if (jsonText.length > MAX_DICTIONARY_CHARS) {
    problem(`The file is too large to be a dictionary (${jsonText.length} characters; at most ${MAX_DICTIONARY_CHARS}).`, 0, Math.min(jsonText.length, 1));
    return { dictionary, problems };
  }
  if (!jsonText.trim()) return { dictionary, problems };
  let root: JsonNode;
  try {
    root = readJson(jsonText);
  } catch (e) {
    if (e instanceof JsonError) problem(`Invalid JSON: ${e.message}`, e.start, e.end);
    else problem('Invalid JSON.', 0, Math.min(jsonText.length, 1));
    return { dictionary, problems };
  }
  if (root.kind !== 'object') {
    problem(`The dictionary must be an object with "entities" and "notEntities", not ${KIND_NAME[root.kind]}.`, root.start, root.end);
    return { dictionary, problems };
  }
  const nameOf = (raw: string, start: number, end: number): string | undefined => {
    const key = normalizeName(raw);
    if (!key) {
      problem('An empty name is ignored.', start, end);
      return undefined;
    }
    if (key.length > MAX_NAME) {
      problem(`A name longer than ${MAX_NAME} characters is ignored.`, start, end);
      return undefined;
    }
    return key;
  };
  const forcedAt = new Map<string, [number, number]>();
  const notAt = new Map<string, [number, number]>();
  for (const prop of root.entries) {
    const v = prop.value;
    if (prop.key === '$schema') {
      if (v.kind !== 'string') problem('"$schema" must be a string.', v.start, v.end);
    } else if (prop.key === 'entities') {
      if (v.kind !== 'object') {
        problem(`"entities" must be an object of name → "person" | "place" | "organization", not ${KIND_NAME[v.kind]}.`, v.start, v.end);
        continue;
      }
      for (const entry of v.entries) {
        const t = entry.value;
        if (t.kind !== 'string' || !TYPES.includes(t.value)) {
          const got = t.kind === 'string' ? JSON.stringify(t.value.slice(0, 40)) : KIND_NAME[t.kind];
          problem(`The type of ${JSON.stringify(entry.key.slice(0, 60))} must be "person", "place" or "organization", not ${got}.`, t.start, t.end);
          continue;
        }
        const key = nameOf(entry.key, entry.keyStart, entry.keyEnd);
        if (key === undefined) continue;
        const had = dictionary.types.get(key);
        if (had && had !== t.value) problem(`${JSON.stringify(entry.key.slice(0, 60))} is listed again with another type; the last one counts.`, entry.keyStart, entry.keyEnd);
        dictionary.types.set(key, t.value as EntityType);
        forcedAt.set(key, [entry.keyStart, entry.keyEnd]);
      }
    } else if (prop.key === 'notEntities') {
      if (v.kind !== 'array') {
        problem(`"notEntities" must be an array of names, not ${KIND_NAME[v.kind]}.`, v.start, v.end);
        continue;
      }
      for (const item of v.items) {
        if (item.kind !== 'string') {
          problem(`Each entry of "notEntities" must be a name in double quotes, not ${KIND_NAME[item.kind]}.`, item.start, item.end);
          continue;
        }
        const key = nameOf(item.value, item.start, item.end);
        if (key === undefined) continue;
        dictionary.notEntities.add(key);
        notAt.set(key, [item.start, item.end]);
      }
    } else {
      problem(`Unknown property ${JSON.stringify(prop.key.slice(0, 60))}: only "entities" and "notEntities" are read.`, prop.keyStart, prop.keyEnd);
    }
  }
  for (const [key, at] of notAt) {
    if (dictionary.types.has(key)) {
      const [s, e] = forcedAt.get(key) ?? at;
      problem(`${JSON.stringify(key)} is both forced to a type and listed as not an entity; it is treated as not an entity.`, s, e);
      dictionary.types.delete(key);
    }
  }
  return { dictionary, problems };
}
