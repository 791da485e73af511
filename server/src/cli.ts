#!/usr/bin/env node
/**
 * article-lens [--format text|json] [--strict] <file…>
 * Prints the analysis of each article: outline, entities and diagnostics (text),
 * or one JSON object per file per line (json). No file or `-` reads stdin.
 */
import { readFileSync } from 'node:fs';
import { analyzeArticle } from './analysis/article';
import { toReport, type Report, type ReportOutline } from './analysis/report';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Buffer;
  readStdin: () => Buffer;
  color: boolean;
}

const USAGE = 'usage: article-lens [--format text|json] [--strict] [file…]   (no file or - reads stdin)';

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

/** Run the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIO): number {
  let format: 'text' | 'json' = 'text';
  let strict = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'text' && value !== 'json') {
        io.stderr(`article-lens: --format must be text or json\n${USAGE}\n`);
        return 2;
      }
      format = value;
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
    const report = toReport(name, analyzeArticle(decoded.text));
    if (report.diagnostics.some((d) => d.severity === 'error')) errors = true;
    io.stdout(format === 'json' ? `${JSON.stringify(report)}\n` : formatText(report, decoded.text, io.color));
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
