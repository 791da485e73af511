import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../analysis/types';

/** What the features need of a document to turn UTF-16 offsets into LSP positions. */
export interface OffsetDocument {
  readonly uri: string;
  readonly version: number;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  getText(): string;
}

/**
 * The one place where analysis offsets become protocol ranges. LSP positions
 * count UTF-16 code units, exactly like the analysis offsets, so only lines
 * have to be found (TextDocument keeps a line index).
 */
export function toRange(doc: OffsetDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function toSpan(doc: OffsetDocument, range: Range): Span {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

/** Binary search: index of the first item whose end is after `offset`. */
export function firstEndingAfter<T extends Span>(items: readonly T[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
