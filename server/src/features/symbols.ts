import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import { sourceOf } from '../analysis/article';
import { buildOutline, type OutlineKind, type OutlineNode } from '../analysis/outline';
import type { Article, Span } from '../analysis/types';
import { toRange, type OffsetDocument } from './ranges';

const KIND: Record<OutlineKind, SymbolKind> = {
  headline: SymbolKind.File,
  dateline: SymbolKind.Event,
  byline: SymbolKind.Property,
  section: SymbolKind.Namespace,
  group: SymbolKind.Package,
  person: SymbolKind.Class,
  place: SymbolKind.Struct,
  organization: SymbolKind.Interface,
  speaker: SymbolKind.Key,
  quote: SymbolKind.String,
  boilerplate: SymbolKind.Null,
};

function toSymbol(doc: OffsetDocument, n: OutlineNode): DocumentSymbol {
  return {
    name: n.name,
    detail: n.detail,
    kind: KIND[n.kind],
    range: toRange(doc, n),
    selectionRange: toRange(doc, n.selection),
    children: n.children.length ? n.children.map((c) => toSymbol(doc, c)) : undefined,
  };
}

/**
 * The outline of one analysis, made once: the editor asks for it again and again (Outline
 * view, breadcrumbs, sticky scroll, Go to Symbol) while the text stays the same, and the
 * article of a version is only ever paired with that version's document.
 */
const outlines = new WeakMap<Article, DocumentSymbol[]>();

export function provideDocumentSymbols(doc: OffsetDocument, article: Article): DocumentSymbol[] {
  let symbols = outlines.get(article);
  if (!symbols) {
    symbols = buildOutline(article).map((n) => toSymbol(doc, n));
    outlines.set(article, symbols);
  }
  return symbols;
}

/** Folding: boilerplate blocks, sections, multi-paragraph quotes and paragraphs that span lines. */
export function provideFoldingRanges(doc: OffsetDocument, article: Article): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (span: Span, kind?: string) => {
    const start = doc.positionAt(span.start).line;
    const end = doc.positionAt(span.end).line;
    if (end > start) out.push({ startLine: start, endLine: end, kind });
  };
  for (const p of article.structure.paragraphs) if (p.kind !== 'boilerplate') add(p);
  for (const b of article.structure.boilerplate) add(b, FoldingRangeKind.Region);
  const sections = article.structure.sections;
  sections.forEach((section, i) => {
    const next = sections[i + 1]?.start ?? sourceOf(article).length;
    add({ start: section.start, end: Math.max(section.start, next - 1) }, FoldingRangeKind.Region);
  });
  for (const q of article.quotes) if (q.paragraphs.length > 1) add(q);
  return out;
}
