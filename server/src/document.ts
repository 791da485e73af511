import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Rope } from './analysis/text';

/**
 * An open document whose text is a Rope: an edit replaces a few pieces and shifts the line
 * index, and nothing reads the whole text unless a feature asks for it (getText). Positions
 * behave exactly as in vscode-languageserver-textdocument (UTF-16 offsets; \r\n, \r and \n end
 * lines; a position inside a line break is moved before it).
 */
export class ArticleDocument implements TextDocument {
  private lineOffsets: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private ver: number,
    private rope: Rope,
  ) {}

  static create(uri: string, languageId: string, version: number, content: string): ArticleDocument {
    return new ArticleDocument(uri, languageId, version, Rope.of(content));
  }

  static update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    if (!(document instanceof ArticleDocument)) throw new Error('ArticleDocument.update: not an ArticleDocument');
    document.apply(changes, version);
    return document;
  }

  get version(): number {
    return this.ver;
  }

  /** The text as the analysis reads it (a new Rope after every edit). */
  get source(): Rope {
    return this.rope;
  }

  get lineCount(): number {
    return this.offsets().length;
  }

  getText(range?: Range): string {
    if (!range) return this.rope.toString();
    const a = this.offsetAt(range.start);
    const b = this.offsetAt(range.end);
    // (like String.prototype.substring, a range given backwards reads forwards)
    return this.rope.slice(Math.min(a, b), Math.max(a, b));
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.rope.length), 0);
    const lineOffsets = this.offsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.beforeEol(offset, lineOffsets[line]);
    return { line, character: offset - lineOffsets[line] };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.offsets();
    if (position.line >= lineOffsets.length) return this.rope.length;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line];
    if (position.character <= 0) return lineOffset;
    const next = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this.rope.length;
    return this.beforeEol(Math.min(lineOffset + position.character, next), lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.offsets();
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.rope.length - lineOffsets[last] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lineOffsets[line];
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.rope.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeEol(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.offsets();
    if (line >= lineOffsets.length || line < 0) return '';
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.rope.length;
    return this.rope.slice(this.beforeEol(next, lineOffsets[line]), next);
  }

  private beforeEol(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEol(this.rope.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  private offsets(): number[] {
    if (!this.lineOffsets) this.lineOffsets = lineStarts(this.rope.toString(), true, 0);
    return this.lineOffsets;
  }

  private apply(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        const range = wellFormed(change.range);
        const startOffset = this.offsetAt(range.start);
        const endOffset = this.offsetAt(range.end);
        this.rope = this.rope.edit(startOffset, endOffset, change.text);
        const insertedEnd = startOffset + change.text.length;
        const r = this.rope;
        // an edit that joins or splits a \r\n: the line index is made again
        if ((r.charCodeAt(startOffset - 1) === 13 && r.charCodeAt(startOffset) === 10) || (r.charCodeAt(insertedEnd - 1) === 13 && r.charCodeAt(insertedEnd) === 10)) {
          this.lineOffsets = undefined;
          continue;
        }
        const lineOffsets = this.lineOffsets;
        if (!lineOffsets) continue;
        const startLine = Math.max(range.start.line, 0);
        const endLine = Math.max(range.end.line, 0);
        const added = lineStarts(change.text, false, startOffset);
        if (endLine - startLine === added.length) {
          for (let i = 0; i < added.length; i++) lineOffsets[i + startLine + 1] = added[i];
        } else if (added.length < 10_000) {
          lineOffsets.splice(startLine + 1, endLine - startLine, ...added);
        } else {
          this.lineOffsets = lineOffsets.slice(0, startLine + 1).concat(added, lineOffsets.slice(endLine + 1));
        }
        const diff = change.text.length - (endOffset - startOffset);
        if (diff !== 0) {
          const offsets = this.lineOffsets as number[];
          for (let i = startLine + 1 + added.length; i < offsets.length; i++) offsets[i] += diff;
        }
      } else {
        this.rope = Rope.of(change.text);
        this.lineOffsets = undefined;
      }
    }
    this.ver = version;
  }
}

function isEol(c: number): boolean {
  return c === 13 || c === 10;
}

function lineStarts(text: string, atLineStart: boolean, offset: number): number[] {
  const out = atLineStart ? [offset] : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isEol(c)) {
      if (c === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      out.push(offset + i + 1);
    }
  }
  return out;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
