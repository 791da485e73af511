/**
 * Invariants every Article (and every LSP answer built from it) must satisfy,
 * whatever the text. Each check returns human-readable violations instead of
 * throwing, so a property test can print all of them for a shrunk input.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentSymbol, Range } from 'vscode-languageserver';
import { buildOutline, type OutlineNode } from '../../server/src/analysis/outline';
import type { Article, Span, TextEdit } from '../../server/src/analysis/types';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { provideHover } from '../../server/src/features/hover';
import { SemanticTokensProvider } from '../../server/src/features/semanticTokens';
import { provideDocumentSymbols, provideFoldingRanges } from '../../server/src/features/symbols';
import { defaultSettings } from '../../server/src/protocol';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when `offset` falls between the two halves of a surrogate pair. */
export function splitsSurrogate(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

/**
 * KNOWN BUGS (reported to the lead): violations that are counted and printed but do not fail
 * the properties, so the default run stays green until they are fixed. Each has a minimal
 * reproduction as an `it.fails` test in test/fuzz/known-bugs.test.ts; remove the entry here
 * when that test starts failing (= the bug is fixed).
 */
export const KNOWN_VIOLATIONS: [RegExp, string][] = [];

/** Split violations into new ones and known bugs (with counts per known bug). */
export function triage(violations: string[], known: Map<string, number>): string[] {
  return violations.filter((v) => {
    const k = KNOWN_VIOLATIONS.find(([re]) => re.test(v));
    if (!k) return true;
    known.set(k[1], (known.get(k[1]) ?? 0) + 1);
    return false;
  });
}

const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Check one span; `withText` also compares its `text` with the slice. */
function checkSpan(out: string[], text: string, where: string, span: Span | undefined, withText: 'exact' | 'none' = 'none', nonEmpty = false): void {
  if (!span) return;
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    out.push(`${where}: non-integer span ${start}..${end}`);
    return;
  }
  if (start < 0 || end > text.length || start > end) out.push(`${where}: span ${start}..${end} outside 0..${text.length} or reversed`);
  if (nonEmpty && start === end) out.push(`${where}: empty span at ${start}`);
  if (splitsSurrogate(text, start)) out.push(`${where}: start ${start} splits a surrogate pair`);
  if (splitsSurrogate(text, end)) out.push(`${where}: end ${end} splits a surrogate pair`);
  if (withText === 'exact' && 'text' in span) {
    const t = (span as Span & { text: string }).text;
    if (t !== text.slice(start, end)) out.push(`${where}: text ${show(t)} != slice ${show(text.slice(start, end))}`);
  }
}

/** Apply non-overlapping edits; returns undefined (and a violation) when they overlap or leave the text. */
export function applyEdits(out: string[], text: string, where: string, edits: TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) {
      out.push(`${where}: overlapping edits at ${e.start}`);
      return undefined;
    }
    if (typeof e.newText !== 'string') {
      out.push(`${where}: edit without newText`);
      return undefined;
    }
    result += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return result + text.slice(at);
}

/** Every offset in the Article: inside the text, ordered, on UTF-16 boundaries; texts equal their slices. */
export function checkArticle(text: string, article: Article): string[] {
  const out: string[] = [];
  if (article.text !== text) out.push('article.text differs from the input');
  const s = article.structure;
  checkSpan(out, text, 'headline', s.headline, 'exact', true);
  checkSpan(out, text, 'dateline', s.dateline, 'exact', true);
  checkSpan(out, text, 'dateline.place', s.dateline?.place, 'exact', true);
  checkSpan(out, text, 'byline', s.byline, 'exact', true);
  s.byline?.authors.forEach((a, i) => checkSpan(out, text, `byline.authors[${i}]`, a, 'exact', true));
  s.sections.forEach((x, i) => checkSpan(out, text, `sections[${i}]`, x, 'exact', true));
  s.boilerplate.forEach((b, i) => {
    checkSpan(out, text, `boilerplate[${i}]`, b, 'exact', true);
    for (const p of b.paragraphs) if (!s.paragraphs[p]) out.push(`boilerplate[${i}]: unknown paragraph ${p}`);
  });
  let previousEnd = 0;
  s.paragraphs.forEach((p, i) => {
    checkSpan(out, text, `paragraphs[${i}]`, p, 'none', true);
    if (p.index !== i) out.push(`paragraphs[${i}]: index ${p.index}`);
    if (p.start < previousEnd) out.push(`paragraphs[${i}]: starts at ${p.start} before the previous end ${previousEnd}`);
    previousEnd = p.end;
    p.sentences.forEach((x, j) => {
      checkSpan(out, text, `paragraphs[${i}].sentences[${j}]`, x);
      if (x.start < p.start || x.end > p.end) out.push(`paragraphs[${i}].sentences[${j}]: ${x.start}..${x.end} outside its paragraph ${p.start}..${p.end}`);
    });
  });
  const ids = new Set<string>();
  article.entities.forEach((e, i) => {
    const where = `entities[${i}] ${e.id}`;
    if (ids.has(e.id)) out.push(`${where}: duplicate id`);
    ids.add(e.id);
    if (!e.mentions.length) out.push(`${where}: no mentions`);
    if (e.mentions.length && !e.mentions[e.declaration]) out.push(`${where}: declaration ${e.declaration} out of range`);
    let last = -1;
    e.mentions.forEach((m, j) => {
      checkSpan(out, text, `${where}.mentions[${j}]`, m, 'exact', true);
      checkSpan(out, text, `${where}.mentions[${j}].prefix`, m.prefix, 'exact', true);
      if (m.start < last) out.push(`${where}.mentions[${j}]: not in text order`);
      last = m.start;
      if (!s.paragraphs[m.paragraph] && s.paragraphs.length) out.push(`${where}.mentions[${j}]: unknown paragraph ${m.paragraph}`);
    });
    e.descriptions.forEach((d, j) => checkSpan(out, text, `${where}.descriptions[${j}]`, d, 'exact'));
    for (const q of e.quotes) if (!article.quotes[q]) out.push(`${where}: unknown quote ${q}`);
  });
  article.quotes.forEach((q, i) => {
    const where = `quotes[${i}]`;
    checkSpan(out, text, where, q);
    if (q.inner.length !== q.parts.length) out.push(`${where}: ${q.parts.length} parts but ${q.inner.length} inner spans`);
    q.parts.forEach((p, j) => {
      checkSpan(out, text, `${where}.parts[${j}]`, p);
      if (p.start < q.start || p.end > q.end) out.push(`${where}.parts[${j}]: outside the quote`);
      const inner = q.inner[j];
      checkSpan(out, text, `${where}.inner[${j}]`, inner);
      if (inner && (inner.start < p.start || inner.end > p.end)) out.push(`${where}.inner[${j}]: outside its part`);
    });
    checkSpan(out, text, `${where}.cue`, q.cue, 'exact');
    checkSpan(out, text, `${where}.speaker`, q.speaker ?? undefined, 'exact', true);
    if (q.speaker?.entity && !ids.has(q.speaker.entity)) out.push(`${where}.speaker: unknown entity ${q.speaker.entity}`);
    for (const p of q.paragraphs) if (!s.paragraphs[p]) out.push(`${where}: unknown paragraph ${p}`);
  });
  article.findings.forEach((f, i) => {
    const where = `findings[${i}] ${f.code}`;
    checkSpan(out, text, where, f);
    f.related?.forEach((r, j) => checkSpan(out, text, `${where}.related[${j}]`, r.span));
    f.fixes?.forEach((fix, j) => {
      if (!fix.edits.length) out.push(`${where}.fixes[${j}]: no edits`);
      fix.edits.forEach((e, k) => checkSpan(out, text, `${where}.fixes[${j}].edits[${k}]`, e));
      const fixed = applyEdits(out, text, `${where}.fixes[${j}]`, fix.edits);
      if (fixed !== undefined) {
        // a fix must not create a broken surrogate pair that was not there
        for (const e of fix.edits) {
          if (/^[\udc00-\udfff]/.test(e.newText) || /[\ud800-\udbff]$/.test(e.newText)) out.push(`${where}.fixes[${j}]: newText starts/ends with half a surrogate pair`);
        }
      }
    });
  });
  checkOutline(out, text, buildOutline(article), 'outline');
  return out;
}

function checkOutline(out: string[], text: string, nodes: OutlineNode[], where: string, parent?: OutlineNode): void {
  nodes.forEach((n, i) => {
    const w = `${where}[${i}] ${n.kind} ${show(n.name)}`;
    checkSpan(out, text, w, n);
    checkSpan(out, text, `${w}.selection`, n.selection);
    if (n.selection.start < n.start || n.selection.end > n.end) out.push(`${w}: selection ${n.selection.start}..${n.selection.end} not inside ${n.start}..${n.end}`);
    if (parent && (n.start < parent.start || n.end > parent.end)) out.push(`${w}: outside its parent`);
    checkOutline(out, text, n.children, `${w}.children`, n);
  });
}

const inRange = (outer: Range, inner: Range) => {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
};

/** What a client would receive: tokens, symbols, diagnostics, folding, hovers, code actions. None may throw or be malformed. */
export function checkFeatures(text: string, article: Article, probes = 4): string[] {
  const out: string[] = [];
  const doc = TextDocument.create('file:///fuzz.article.txt', 'article', 1, text);
  const lineLengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
  const tokens = new SemanticTokensProvider().full(doc, article).data;
  let line = 0;
  let char = 0;
  let lastEnd = -1;
  let lastLine = -1;
  for (let i = 0; i < tokens.length; i += 5) {
    const [dl, dc, len] = tokens.slice(i, i + 3);
    if (dl < 0 || (dl === 0 && dc < 0) || len <= 0) out.push(`token ${i / 5}: bad delta ${dl}/${dc}/${len}`);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    if (line !== lastLine) lastEnd = -1;
    if (char < lastEnd) out.push(`token ${i / 5}: overlaps the previous one`);
    if (line >= lineLengths.length || char + len > lineLengths[line]) out.push(`token ${i / 5}: ${line}:${char}+${len} beyond its line`);
    lastEnd = char + len;
    lastLine = line;
  }
  const checkSymbols = (symbols: DocumentSymbol[] | undefined, where: string, parent?: DocumentSymbol) =>
    symbols?.forEach((sym, i) => {
      const w = `${where}[${i}] ${show(sym.name)}`;
      // VS Code rejects a symbol whose selectionRange is not inside its range, and empty names
      if (!inRange(sym.range, sym.selectionRange)) out.push(`${w}: selectionRange not inside range`);
      if (!sym.name.trim()) out.push(`${w}: empty name`);
      if (parent && !inRange(parent.range, sym.range)) out.push(`${w}: outside its parent`);
      checkSymbols(sym.children, `${w}.children`, sym);
    });
  checkSymbols(provideDocumentSymbols(doc, article), 'symbols');
  const settings = { ...defaultSettings, diagnostics: { ...defaultSettings.diagnostics, scareQuotes: true } };
  const diagnostics = provideDiagnostics(doc, article, settings);
  for (const d of diagnostics) if (!d.message) out.push(`diagnostic ${d.code}: empty message`);
  for (const f of provideFoldingRanges(doc, article)) if (f.endLine < f.startLine) out.push('folding range reversed');
  const offsets = [0, text.length, ...article.entities.slice(0, probes).map((e) => e.mentions[0]?.start ?? 0), ...article.quotes.slice(0, probes).map((q) => q.start + 1)];
  for (const o of offsets) {
    const hover = provideHover(doc, article, Math.min(o, text.length));
    if (hover && hover.range) checkSpan(out, text, 'hover.range', { start: doc.offsetAt(hover.range.start), end: doc.offsetAt(hover.range.end) });
  }
  // as an editor asks: for a range, with the diagnostics overlapping it (all of them is quadratic, see the hostile tests)
  for (const [start, end] of [[0, Math.min(text.length, 200)], [text.length >> 1, text.length]]) {
    const from = doc.positionAt(start).line;
    const to = doc.positionAt(end).line;
    const near = diagnostics.filter((d) => d.range.end.line >= from && d.range.start.line <= to).slice(0, 50);
    for (const action of provideCodeActions(doc, article, start, end, near)) {
      const edits = action.edit?.changes?.[doc.uri] ?? [];
      if (!edits.length) out.push(`code action ${show(action.title)}: no edits`);
      try {
        TextDocument.applyEdits(doc, edits);
      } catch (e) {
        out.push(`code action ${show(action.title)}: edits do not apply: ${e}`);
      }
    }
  }
  return out;
}
