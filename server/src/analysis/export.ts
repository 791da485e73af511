/**
 * Export of an analysis for annotation tools and fact-checking pipelines:
 * the CLI's JSON report and brat standoff (`.ann`).
 *
 * brat counts offsets in characters of the text as Python reads it: Unicode
 * code points of the UTF-8 file (no newline translation; a byte-order mark,
 * if the file has one, is a character too). The analysis counts UTF-16 code
 * units, so every offset is converted; a surrogate pair is one character.
 * Spans crossing a line break become discontinuous brat fragments
 * (`start end;start end`), since one annotation must stay on one line.
 */
import { toReport, type Report } from './report';
import type { Article, EntityType, Finding } from './types';

export const BRAT_TYPE: Record<EntityType, string> = { person: 'PER', place: 'LOC', organization: 'ORG' };

/** The brat `annotation.conf` declaring the exported entity types. */
export const BRAT_CONF = '[entities]\nPER\nLOC\nORG\n\n[relations]\n\n[events]\n\n[attributes]\n';

/**
 * A function mapping UTF-16 offsets of `text` to code-point offsets (the
 * number of code points before the offset). An offset between the halves of
 * a surrogate pair counts the pair as before it. Lone surrogates count as one.
 */
export function codePointMapper(text: string): (utf16: number) => number {
  let table: Uint32Array | undefined; // table[i] = low surrogates completing a pair in text[0, i)
  return (utf16: number) => {
    const at = Math.max(0, Math.min(Math.trunc(utf16) || 0, text.length));
    if (!table) {
      table = new Uint32Array(text.length + 1);
      let pairs = 0;
      for (let i = 0; i < text.length; i++) {
        table[i] = pairs;
        const c = text.charCodeAt(i);
        if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
          const p = text.charCodeAt(i - 1);
          if (p >= 0xd800 && p <= 0xdbff) pairs++;
        }
      }
      table[text.length] = pairs;
    }
    return at - table[at];
  };
}

/** Line breaks that end a line of the `.ann` file (and of Python's line iteration). */
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/g;

/** The non-empty pieces of [start, end) between line breaks (UTF-16 offsets). */
function fragments(text: string, start: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const piece = text.slice(start, end);
  let from = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(piece); m; m = LINE_BREAK.exec(piece)) {
    if (m.index > from) out.push({ start: start + from, end: start + m.index });
    from = m.index + m[0].length;
  }
  if (from < piece.length) out.push({ start: start + from, end });
  // trim spaces at fragment edges: brat refuses none, but annotators expect tight spans
  return out
    .map((f) => {
      let s = f.start;
      let e = f.end;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      return { start: s, end: e };
    })
    .filter((f) => f.end > f.start);
}

export interface BratOptions {
  /** the file on disk starts with a byte-order mark that the analysed text no longer has */
  bom?: boolean;
  /** add an AnnotatorNotes line per mention naming its entity (default true) */
  notes?: boolean;
}

/** The `.ann` content: one T line per entity mention (PER/LOC/ORG), with AnnotatorNotes naming the entity. */
export function toBrat(article: Article, options: BratOptions = {}): string {
  const text = article.text;
  const toCp = codePointMapper(text);
  const shift = options.bom ? 1 : 0;
  const rows: { start: number; end: number; type: string; entity: string; id: string }[] = [];
  for (const e of article.entities) {
    for (const m of e.mentions) {
      const start = Math.max(0, Math.min(m.start, text.length));
      const end = Math.max(start, Math.min(m.end, text.length));
      if (end > start) rows.push({ start, end, type: BRAT_TYPE[e.type], entity: e.name, id: e.id });
    }
  }
  rows.sort((a, b) => a.start - b.start || b.end - a.end || a.type.localeCompare(b.type));
  const lines: string[] = [];
  const seen = new Set<string>();
  let t = 0;
  let note = 0;
  for (const r of rows) {
    const key = `${r.start}:${r.end}:${r.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const frags = fragments(text, r.start, r.end);
    if (!frags.length) continue;
    const offsets = frags.map((f) => `${toCp(f.start) + shift} ${toCp(f.end) + shift}`).join(';');
    const covered = frags.map((f) => text.slice(f.start, f.end).replace(/\t/g, ' ')).join(' ');
    t++;
    lines.push(`T${t}\t${r.type} ${offsets}\t${covered}`);
    if (options.notes !== false) lines.push(`#${++note}\tAnnotatorNotes T${t}\t${oneLine(r.entity)} [${oneLine(r.id)}]`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function oneLine(s: string): string {
  return s.replace(LINE_BREAK, ' ').replace(/\t/g, ' ');
}

/** The JSON report (CLI schema) of an article, with extra findings (audits) among its diagnostics. */
export function toJsonReport(file: string, article: Article, extraFindings: Finding[] = []): Report {
  const findings = [...article.findings, ...extraFindings].sort((a, b) => a.start - b.start || a.end - b.end);
  return toReport(file, { ...article, findings });
}

export interface ExportNames {
  /** `<stem>.ann` */
  ann: string;
  /** `<stem>.json` */
  json: string;
  /** `<stem>.txt`: the text brat pairs with the `.ann` */
  txt: string;
  /** true when `txt` is the article file itself (no copy needed beside it) */
  txtIsSource: boolean;
}

/**
 * File names for an article's export. brat pairs `X.ann` with `X.txt`, so a
 * `.txt` article keeps its stem (`story.article.txt` → `story.article.ann`);
 * any other file gets its full name as the stem and a `.txt` copy of its text
 * (`story.md` → `story.md.ann` + `story.md.txt`).
 */
export function exportNames(fileName: string): ExportNames {
  const base = fileName.replace(/^.*[\\/]/, '') || 'article';
  if (/\.txt$/i.test(base)) {
    const stem = base.slice(0, -4);
    return { ann: `${stem}.ann`, json: `${stem}.json`, txt: base, txtIsSource: true };
  }
  return { ann: `${base}.ann`, json: `${base}.json`, txt: `${base}.txt`, txtIsSource: false };
}

export interface ExportFile {
  name: string;
  content: string;
}

/**
 * Everything to write for one article: `.json`, `.ann`, and, when needed,
 * the `.txt` that brat reads (always when `standalone`, e.g. into an export directory).
 */
export function exportFiles(
  fileName: string,
  article: Article,
  options: { extraFindings?: Finding[]; standalone?: boolean; bom?: boolean; reportName?: string } = {},
): ExportFile[] {
  const names = exportNames(fileName);
  const copyText = options.standalone || !names.txtIsSource;
  const files: ExportFile[] = [
    { name: names.json, content: `${JSON.stringify(toJsonReport(options.reportName ?? fileName, article, options.extraFindings), null, 2)}\n` },
    // a copy of the text has no byte-order mark; the file beside the .ann may have one
    { name: names.ann, content: toBrat(article, { bom: !copyText && options.bom }) },
  ];
  if (copyText) files.push({ name: names.txt, content: article.text });
  return files;
}
