/**
 * The workspace index: every article file of the workspace folders, analysed
 * lazily in the background (with `window/workDoneProgress`), kept up to date
 * from `workspace/didChangeWatchedFiles`. Only a compact summary per file is
 * kept (entity names, types, aliases, mention counts, first mention), never
 * whole Articles.
 */
import { promises as fs } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  FileChangeType,
  SymbolKind,
  type FileEvent,
  type Hover,
  type MarkupContent,
  type Range,
  type SymbolInformation,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeArticleAsync, ParagraphCache } from './analysis/article';
import { compatibleGivenNames, foldName, givenNameOf, surnameOf, type OtherPerson } from './analysis/audits';
import type { Article, Entity, EntityType } from './analysis/types';
import { mentionAt } from './features/lookup';
import type { ArticleLensSettings, WorkspaceIndexState } from './protocol';

/** Extensions that always make a file an article. */
export const ARTICLE_EXTENSIONS = ['.article', '.article.txt', '.article.md'];
/** What the server asks the client to watch; the include globs filter further. */
export const WATCH_GLOB = '**/*.{article,txt,md}';

const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', '__pycache__']);
const MAX_FILES = 5000;
const MAX_ENTRIES = 100_000;
const MAX_BYTES = 4 * 1024 * 1024;

export interface EntitySummary {
  name: string;
  type: EntityType;
  aliases: string[];
  mentions: number;
  /** the first full mention (declaration): UTF-16 offsets and its range */
  first: { start: number; end: number };
  range: Range;
  /** folded name and aliases, for matching */
  keys: string[];
}

export interface FileSummary {
  uri: string;
  /** path relative to its workspace folder (or the URI for documents outside) */
  label: string;
  entities: EntitySummary[];
}

// ---------------------------------------------------------------------------
// Globs
// ---------------------------------------------------------------------------

/** A glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) as an anchored regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches zero or more directories; a trailing "**" anything
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, (x) => `\\${x}`);
  }
  while (braces-- > 0) re += ')';
  try {
    return new RegExp(`^${re}$`, 'i');
  } catch {
    return /$^/;
  }
}

/** Whether a file is an article: by extension, or by an include glob (relative to its folder, `**` anywhere). */
export function isArticlePath(absolute: string, folder: string | undefined, include: readonly string[]): boolean {
  const lower = absolute.toLowerCase();
  if (ARTICLE_EXTENSIONS.some((e) => lower.endsWith(e))) return true;
  if (!/\.(txt|md)$/i.test(lower)) return false;
  const abs = absolute.split(sep).join('/');
  const rel = folder ? relative(folder, absolute).split(sep).join('/') : undefined;
  for (const glob of include) {
    if (!glob.trim()) continue;
    const re = globToRegExp(glob);
    if (glob.startsWith('**') || glob.startsWith('/')) {
      if (re.test(abs) || (rel !== undefined && re.test(rel))) return true;
    } else if (rel !== undefined && !rel.startsWith('..') && re.test(rel)) return true;
  }
  return false;
}

/**
 * UTF-8 text of an article file without a byte-order mark, or undefined for
 * binary data. (Not imported from the CLI: bundled into the server, the CLI's
 * main-module check would fire.)
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.slice(0, 65536).includes('\u0000') ? undefined : text;
}

// ---------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------

export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

/** The compact summary of an analysed article. */
export function summarize(uri: string, label: string, article: Article, positions?: Pick<TextDocument, 'positionAt'>): FileSummary {
  // (an open document knows its lines; a file read from disk is indexed once)
  const doc = positions ?? TextDocument.create(uri, 'article', 0, article.text);
  return {
    uri,
    label,
    entities: article.entities
      .filter((e) => e.mentions.length)
      .map((e) => {
        const d = e.mentions[e.declaration] ?? e.mentions[0];
        return {
          name: e.name,
          type: e.type,
          aliases: e.aliases.slice(0, 12),
          mentions: e.mentions.length,
          first: { start: d.start, end: d.end },
          range: { start: doc.positionAt(d.start), end: doc.positionAt(d.end) },
          keys: [...new Set([e.name, ...e.aliases.slice(0, 12)].map(foldName))],
        };
      }),
  };
}

const SYMBOL_KIND: Record<EntityType, SymbolKind> = {
  person: SymbolKind.Class,
  place: SymbolKind.Struct,
  organization: SymbolKind.Interface,
};

/** Fuzzy score of a folded query (no spaces) against a folded name: -1 when the letters do not appear in order. */
export function fuzzyScore(q: string, n: string): number {
  if (!q) return 0;
  if (n.startsWith(q)) return 100 - n.length / 100;
  const word = n.split(/[\s.-]+/).some((w) => w.startsWith(q));
  if (word) return 80 - n.length / 100;
  if (n.includes(q)) return 60 - n.length / 100;
  let j = 0;
  for (let i = 0; i < n.length && j < q.length; i++) if (n[i] === q[j]) j++;
  return j === q.length ? 20 - n.length / 100 : -1;
}

/** Whether an entity of one article and a summary of another name the same thing. */
export function sameEntity(a: { name: string; type: EntityType; aliases: string[] }, b: { name: string; type: EntityType; aliases: string[] }): boolean {
  if (a.type !== b.type) return false;
  if (foldName(a.name) === foldName(b.name)) return true;
  if (a.type === 'person') {
    const sa = surnameOf(a.name);
    const sb = surnameOf(b.name);
    return !!sa && !!sb && foldName(sa) === foldName(sb) && compatibleGivenNames(givenNameOf(a.name), givenNameOf(b.name));
  }
  const names = new Set(a.aliases.filter((x) => x.length > 2).map(foldName));
  return b.aliases.some((x) => names.has(foldName(x)));
}

// ---------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------

export interface IndexHooks {
  settings(): ArticleLensSettings;
  /** a progress reporter (a no-op one when the client does not support server-initiated progress) */
  progress(): Promise<WorkDoneProgressServerReporter>;
  log(message: string): void;
  /** the index changed in a way that other articles' diagnostics may depend on */
  changed(): void;
}

export class WorkspaceIndex {
  private folders: string[] = [];
  private readonly disk = new Map<string, FileSummary>();
  private readonly open = new Map<string, FileSummary>();
  private readonly cache = new ParagraphCache(4_000_000);
  private state: WorkspaceIndexState['state'] = 'waiting';
  private millis = 0;
  private generation = 0;
  private scanning: Promise<void> | undefined;
  private pending = new Map<string, FileChangeType>();
  private flushTimer: NodeJS.Timeout | undefined;
  private version = 0;
  private surnameIndex: { version: number; byFirst: Map<string, { surname: string; person: OtherPerson & { uri: string } }[]> } | undefined;

  constructor(private readonly hooks: IndexHooks) {}

  /** Workspace folders as file URIs (from `initialize`). */
  setFolders(uris: string[]): void {
    this.folders = uris.flatMap((u) => {
      try {
        return u.startsWith('file:') ? [fileURLToPath(u)] : [];
      } catch {
        return [];
      }
    });
  }

  /** Start (or restart) the background scan after `delayMs`. */
  start(delayMs = 300): void {
    const generation = ++this.generation;
    if (!this.hooks.settings().workspace.index || !this.folders.length) {
      this.state = this.hooks.settings().workspace.index ? 'ready' : 'off';
      if (!this.hooks.settings().workspace.index) this.disk.clear();
      return;
    }
    this.state = 'waiting';
    const timer = setTimeout(() => {
      if (generation === this.generation) this.scanning = this.scan(generation).catch((e) => this.hooks.log(`Article Lens: indexing failed: ${String(e)}`));
    }, delayMs);
    timer.unref?.();
  }

  status(): WorkspaceIndexState {
    return { state: this.state, files: this.all().length, entities: this.all().reduce((n, f) => n + f.entities.length, 0), millis: Math.round(this.millis) };
  }

  private folderOf(path: string): string | undefined {
    return this.folders.filter((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep)).sort((a, b) => b.length - a.length)[0];
  }

  private labelOf(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      const path = fileURLToPath(uri);
      const folder = this.folderOf(path);
      return folder ? relative(folder, path).split(sep).join('/') : basename(path);
    } catch {
      return uri;
    }
  }

  private async listArticles(): Promise<string[]> {
    const include = this.hooks.settings().include;
    const found: string[] = [];
    let entries = 0;
    const queue = [...this.folders];
    while (queue.length && found.length < MAX_FILES && entries < MAX_ENTRIES) {
      const dir = queue.shift()!;
      let list;
      try {
        list = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const d of list) {
        entries++;
        const path = join(dir, d.name);
        if (d.isDirectory()) {
          if (!d.name.startsWith('.') && !SKIP_DIRS.has(d.name)) queue.push(path);
        } else if (d.isFile() && isArticlePath(path, this.folderOf(path), include)) {
          found.push(path);
          if (found.length >= MAX_FILES) break;
        }
      }
    }
    return found.sort();
  }

  private async analyzeFile(path: string): Promise<FileSummary | undefined> {
    try {
      const stat = await fs.stat(path);
      if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
      const text = decodeText(await fs.readFile(path));
      if (text === undefined) return undefined;
      const article = await analyzeArticleAsync(text, {}, this.cache, { sliceMillis: 8 });
      if (!article) return undefined;
      const uri = pathToFileURL(path).href;
      return summarize(uri, this.labelOf(uri), article);
    } catch (error) {
      this.hooks.log(`Article Lens: could not index ${path}: ${String(error)}`);
      return undefined;
    }
  }

  private async scan(generation: number): Promise<void> {
    const started = performance.now();
    this.state = 'indexing';
    let progress: WorkDoneProgressServerReporter | undefined;
    try {
      progress = await this.hooks.progress();
    } catch {
      progress = undefined;
    }
    progress?.begin('Article Lens: indexing articles', 0, 'finding articles…', true);
    const paths = await this.listArticles();
    const seen = new Set<string>();
    for (const [i, path] of paths.entries()) {
      if (generation !== this.generation || progress?.token.isCancellationRequested) break;
      progress?.report(Math.round((i / Math.max(1, paths.length)) * 100), `${i + 1}/${paths.length} ${basename(path)}`);
      const summary = await this.analyzeFile(path);
      if (generation !== this.generation) break;
      if (summary) {
        this.disk.set(summary.uri, summary);
        seen.add(summary.uri);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    progress?.done();
    if (generation !== this.generation) return;
    for (const uri of [...this.disk.keys()]) if (!seen.has(uri)) this.disk.delete(uri);
    this.millis = performance.now() - started;
    this.state = 'ready';
    this.version++;
    this.hooks.log(`Article Lens: indexed ${this.disk.size} articles in ${Math.round(this.millis)} ms`);
    this.hooks.changed();
  }

  /** Wait for the current scan (tests). */
  async idle(): Promise<void> {
    await this.scanning;
  }

  /** `workspace/didChangeWatchedFiles`: re-read changed articles, drop deleted ones (debounced). */
  filesChanged(changes: FileEvent[]): void {
    if (!this.hooks.settings().workspace.index) return;
    for (const c of changes) this.pending.set(normalizeUri(c.uri), c.type);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flush(), 200);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const changes = [...this.pending];
    this.pending.clear();
    const include = this.hooks.settings().include;
    let changed = false;
    for (const [uri, type] of changes) {
      if (type === FileChangeType.Deleted) {
        // a file, or a folder with articles under it
        for (const key of [...this.disk.keys()]) {
          if (key === uri || key.startsWith(uri.endsWith('/') ? uri : `${uri}/`)) changed = this.disk.delete(key) || changed;
        }
        continue;
      }
      let path: string;
      try {
        path = fileURLToPath(uri);
      } catch {
        continue;
      }
      if (!isArticlePath(path, this.folderOf(path), include)) continue;
      const summary = await this.analyzeFile(path);
      if (summary) {
        this.disk.set(summary.uri, summary);
        changed = true;
      } else changed = this.disk.delete(uri) || changed;
    }
    if (changed) {
      this.version++;
      this.hooks.changed();
    }
  }

  /** An open document of the workspace was analysed: its summary stands in for the file on disk. */
  noteOpen(uri: string, article: Article, positions?: Pick<TextDocument, 'positionAt'>): void {
    const key = normalizeUri(uri);
    if (!this.inWorkspace(key)) return; // untitled editors and files elsewhere are not workspace articles
    this.open.set(key, summarize(uri, this.labelOf(key), article, positions));
  }

  private inWorkspace(uri: string): boolean {
    if (!uri.startsWith('file:') || this.state === 'off') return false;
    try {
      const path = fileURLToPath(uri);
      return !!this.folderOf(path) && isArticlePath(path, this.folderOf(path), this.hooks.settings().include);
    } catch {
      return false;
    }
  }

  noteClosed(uri: string): void {
    this.open.delete(normalizeUri(uri));
  }

  /** Every known article: open documents first, then files on disk not open. */
  all(): FileSummary[] {
    const out = [...this.open.values()];
    for (const [uri, s] of this.disk) if (!this.open.has(uri)) out.push(s);
    return out;
  }

  /** Workspace symbols: people, places and organizations across all articles matching the query. */
  symbols(query: string, limit = 500): SymbolInformation[] {
    const q = foldName(query).replace(/\s+/g, '');
    const scored: { score: number; file: FileSummary; e: EntitySummary }[] = [];
    for (const file of this.all()) {
      for (const e of file.entities) {
        let score = -1;
        for (let i = 0; i < e.keys.length; i++) score = Math.max(score, fuzzyScore(q, e.keys[i]) - (i ? 1 : 0));
        if (score >= 0) scored.push({ score, file, e });
      }
    }
    scored.sort((a, b) => b.score - a.score || b.e.mentions - a.e.mentions || (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0));
    return scored.slice(0, limit).map(({ file, e }) => ({
      name: e.name,
      kind: SYMBOL_KIND[e.type],
      location: { uri: file.uri, range: e.range },
      containerName: `${file.label} · ${e.mentions} mention${e.mentions === 1 ? '' : 's'}`,
    }));
  }

  /** Other articles that name the same entity. */
  occurrences(entity: Pick<Entity, 'name' | 'type' | 'aliases'>, uri: string): { file: FileSummary; entity: EntitySummary }[] {
    const self = normalizeUri(uri);
    const out: { file: FileSummary; entity: EntitySummary }[] = [];
    for (const file of this.all()) {
      if (normalizeUri(file.uri) === self) continue;
      const hit = file.entities.find((e) => sameEntity(entity, e));
      if (hit) out.push({ file, entity: hit });
    }
    return out;
  }

  /** People named in other articles whose surname may be a variant of `surname` (for the spelling audit). */
  personsLike(surname: string, uri: string): OtherPerson[] {
    if (!this.surnameIndex || this.surnameIndex.version !== this.version) {
      const byFirst = new Map<string, { surname: string; person: OtherPerson & { uri: string } }[]>();
      for (const [u, file] of this.disk) {
        for (const e of file.entities) {
          if (e.type !== 'person') continue;
          const s = surnameOf(e.name);
          if (!s || !givenNameOf(e.name)) continue;
          const key = foldName(s)[0];
          const list = byFirst.get(key) ?? [];
          list.push({ surname: s, person: { file: file.label, name: e.name, uri: u } });
          byFirst.set(key, list);
        }
      }
      this.surnameIndex = { version: this.version, byFirst };
    }
    const self = normalizeUri(uri);
    const folded = foldName(surname);
    return (this.surnameIndex.byFirst.get(folded[0]) ?? [])
      .filter((c) => c.person.uri !== self && Math.abs(c.surname.length - surname.length) <= 2)
      .map((c) => c.person);
  }

  /** Append "also in …" to an entity hover. */
  decorateHover(hover: Hover | null, article: Article, offset: number, uri: string): Hover | null {
    if (!hover) return hover;
    const mention = mentionAt(article, offset);
    if (!mention) return hover;
    const others = this.occurrences(mention.entity, uri);
    if (!others.length) return hover;
    const contents = hover.contents as MarkupContent;
    if (typeof contents !== 'object' || !('value' in contents)) return hover;
    const shown = others.slice(0, 5).map(({ file, entity }) => {
      const link = file.uri.startsWith('file:') ? `${file.uri}#L${entity.range.start.line + 1}` : file.uri;
      return `[${escapeLink(file.label)}](${link}) (${entity.mentions})`;
    });
    const more = others.length > 5 ? ` and ${others.length - 5} more` : '';
    const line = `Also in ${others.length} other article${others.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
    return { ...hover, contents: { kind: contents.kind, value: `${contents.value}\n\n${line}` } };
  }
}

function escapeLink(s: string): string {
  return s.replace(/[\\[\]()*_`]/g, (c) => `\\${c}`);
}
