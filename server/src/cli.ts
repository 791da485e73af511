#!/usr/bin/env node
/**
 * article-lens [--format text|json] [--strict] <file…>
 * Prints the analysis of each article: outline, entities and diagnostics (text),
 * or one JSON object per file per line (json). No file or `-` reads stdin.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findDictionaryFile, loadDictionaryFile, type LoadedDictionary } from './dictionaryFiles';
import { auditArticle } from './analysis/audits';
import { BRAT_CONF, exportFiles, toBrat } from './analysis/export';
import { analyzeArticle } from './analysis/article';
import { toReport, type Report, type ReportOutline } from './analysis/report';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Buffer;
  readStdin: () => Buffer;
  color: boolean;
  /** write a file (for --export), creating its directory */
  writeFile?: (path: string, data: string) => void;
}

const USAGE =
  'usage: article-lens [--format text|json|brat] [--export <dir>] [--strict] [file…]   (no file or - reads stdin)\n' +
  '  --format brat    print brat standoff (.ann) annotations\n' +
  '  --dictionary <f> team corrections (default: the nearest .article-lens.json above each file)\n' +
  '  --export <dir>   write <name>.json (this JSON schema, audits included), <name>.ann, <name>.txt and annotation.conf into <dir>';

/** Decode a file's bytes as UTF-8 text, refusing binary data. */
export function decodeArticle(bytes: Buffer): { text: string } | { error: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: 'not valid UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // NUL bytes or a high share of control characters mean binary data
  let control = 0;
  for (let i = 0; i < Math.min(text.length, 65536); i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return { error: 'binary file (contains NUL bytes)' };
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (control > 0 && control / Math.min(text.length, 65536) > 0.05) return { error: 'binary file (control characters)' };
  return { text };
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function lineCol(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${line}:${offset - lineStart + 1}`;
}

function formatText(report: Report, text: string, color: boolean): string {
  const bold = paint(color, '1');
  const dim = paint(color, '2');
  const kindColor: Record<string, (s: string) => string> = {
    person: paint(color, '36'),
    place: paint(color, '32'),
    organization: paint(color, '35'),
  };
  const sev: Record<string, (s: string) => string> = {
    error: paint(color, '31'),
    warning: paint(color, '33'),
    information: paint(color, '34'),
    hint: dim,
  };
  const out: string[] = [bold(report.file), ''];
  out.push(bold('Outline'));
  const walk = (nodes: ReportOutline[], depth: number) => {
    for (const n of nodes) {
      if (n.kind === 'person' || n.kind === 'place' || n.kind === 'organization') continue;
      out.push(`${'  '.repeat(depth + 1)}${n.name}${n.detail ? dim(`  ${n.detail}`) : ''}`);
      if (n.kind !== 'group' || n.name === 'Quotes' || n.name === 'Boilerplate') walk(n.children, depth + 1);
    }
  };
  walk(report.outline, 0);
  out.push('', bold(`Entities (${report.entities.length})`));
  for (const e of report.entities) {
    const about = [...e.titles, ...(e.age !== undefined ? [`age ${e.age}`] : []), ...e.descriptions].join('; ');
    out.push(`  ${kindColor[e.type](e.type.padEnd(12))} ${e.name}${dim(` ×${e.mentions.length}`)}${about ? dim(` — ${about}`) : ''}`);
  }
  out.push('', bold(`Diagnostics (${report.diagnostics.length})`));
  for (const d of report.diagnostics) {
    out.push(`  ${report.file}:${lineCol(text, d.start)} ${sev[d.severity](d.severity)} ${d.message} ${dim(`[${d.code}]`)}`);
  }
  return `${out.join('\n')}\n`;
}

function defaultWriteFile(path: string, data: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data, 'utf8');
}

/** Run the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIO): number {
  let format: 'text' | 'json' | 'brat' = 'text';
  let formatGiven = false;
  let exportDir: string | undefined;
  let dictionaryPath: string | undefined;
  let strict = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'text' && value !== 'json' && value !== 'brat') {
        io.stderr(`article-lens: --format must be text, json or brat\n${USAGE}\n`);
        return 2;
      }
      format = value;
      formatGiven = true;
    } else if (a === '--export' || a.startsWith('--export=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!value) {
        io.stderr(`article-lens: --export needs a directory\n${USAGE}\n`);
        return 2;
      }
      exportDir = value;
    } else if (a === '--dictionary' || a.startsWith('--dictionary=')) {
      dictionaryPath = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!dictionaryPath) {
        io.stderr(`article-lens: --dictionary needs a file\n${USAGE}\n`);
        return 2;
      }
    } else if (a === '--json') format = 'json';
    else if (a === '--strict') strict = true;
    else if (a === '--help' || a === '-h') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (a === '--') files.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`article-lens: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
  if (!files.length) files.push('-');

  let failed = false;
  let errors = false;
  let wroteConf = false;
  const dictionaries = new Map<string, LoadedDictionary>();
  /** The dictionary for a file: the one given, else the nearest above it; problems are reported once. */
  const dictionaryFor = (file: string): LoadedDictionary | undefined => {
    const path = dictionaryPath ?? findDictionaryFile(file === '-' ? process.cwd() : dirname(file));
    if (!path) return undefined;
    let loaded = dictionaries.get(path);
    if (!loaded) {
      loaded = loadDictionaryFile(path);
      dictionaries.set(path, loaded);
      for (const p of loaded.problems) io.stderr(`article-lens: ${path}: ${p.message}\n`);
    }
    return loaded;
  };
  if (dictionaryPath && dictionaryFor('-')?.problems.some((p) => /cannot read/.test(p.message))) return 2;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = file === '-' ? io.readStdin() : io.readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
      io.stderr(`article-lens: ${file}: ${why}\n`);
      failed = true;
      continue;
    }
    const decoded = decodeArticle(bytes);
    if ('error' in decoded) {
      io.stderr(`article-lens: ${file}: ${decoded.error}\n`);
      failed = true;
      continue;
    }
    const name = file === '-' ? '<stdin>' : file;
    const article = analyzeArticle(decoded.text, { dictionary: dictionaryFor(file)?.dictionary });
    const report = toReport(name, article);
    if (report.diagnostics.some((d) => d.severity === 'error')) errors = true;
    if (exportDir !== undefined) {
      try {
        const write = io.writeFile ?? defaultWriteFile;
        const files = exportFiles(file === '-' ? 'stdin' : file, article, { extraFindings: auditArticle(article), standalone: true, reportName: name });
        if (!wroteConf) files.push({ name: 'annotation.conf', content: BRAT_CONF });
        wroteConf = true;
        for (const f of files) {
          const path = join(exportDir, f.name);
          write(path, f.content);
          if (!formatGiven) io.stdout(`${path}\n`);
        }
      } catch (e) {
        io.stderr(`article-lens: ${exportDir}: cannot write the export (${(e as Error).message})\n`);
        failed = true;
        continue;
      }
      if (!formatGiven) continue;
    }
    io.stdout(format === 'json' ? `${JSON.stringify(report)}\n` : format === 'brat' ? toBrat(article) : formatText(report, decoded.text, io.color));
  }
  if (failed) return 2;
  return strict && errors ? 1 : 0;
}

if (require.main === module) {
  const code = runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFileSync(p),
    readStdin: () => readFileSync(0),
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
  });
  process.exitCode = code;
}
