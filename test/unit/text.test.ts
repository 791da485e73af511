import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { changedRegion } from '../../server/src/analysis/paragraphs';
import { compose, Rope, ropeChange } from '../../server/src/analysis/text';
import { ArticleDocument } from '../../server/src/document';
import { random } from '../bench/generate';

const PIECES = ['x', ' ', '\n', '\r\n', '\r', '\n\n', '“', '”', '😀', 'Mr. Lukashenko', 'a'.repeat(5000), 'said. ', '\u2028'];

function insertText(rnd: () => number): string {
  let s = '';
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

describe('Rope', () => {
  it('reads like the string it stands for after every edit', () => {
    const rnd = random(5);
    let model = 'Headline\n\nMINSK — Thousands marched on Saturday.\r\n\r\n“We will stay,” she said.\n'.repeat(200);
    let rope = Rope.of(model);
    for (let i = 0; i < 400; i++) {
      const start = Math.floor(rnd() * (model.length + 1));
      const end = Math.min(model.length, start + Math.floor(rnd() * (rnd() < 0.1 ? 20_000 : 12)));
      const text = rnd() < 0.3 ? '' : insertText(rnd);
      model = model.slice(0, start) + text + model.slice(end);
      rope = rope.edit(start, end, text);
      expect(rope.length).toBe(model.length);
      for (let k = 0; k < 20; k++) {
        const a = Math.floor(rnd() * (model.length + 1));
        const b = a + Math.floor(rnd() * 9000);
        expect(rope.slice(a, b)).toBe(model.slice(a, b));
        expect(rope.charCodeAt(a)).toEqual(model.charCodeAt(a));
      }
      expect(rope.slice(-5)).toBe(model.slice(-5));
    }
    expect(rope.toString()).toBe(model);
  });

  it('knows the change between two of its versions, composed over the edits in between', () => {
    const rnd = random(9);
    const first = Rope.of('The quick brown fox jumps over the lazy dog.\n'.repeat(50));
    let rope = first;
    for (let i = 0; i < 40; i++) {
      const start = Math.floor(rnd() * (rope.length + 1));
      rope = rope.edit(start, Math.min(rope.length, start + Math.floor(rnd() * 30)), rnd() < 0.5 ? '' : insertText(rnd));
      const change = ropeChange(first, rope);
      const before = first.toString();
      const after = rope.toString();
      if (before === after) continue;
      expect(change).toBeTruthy();
      const c = change!;
      // outside the change the texts agree, and the change is no wider than the edits made it
      expect(after.slice(0, c.start)).toBe(before.slice(0, c.start));
      expect(after.slice(c.newEnd)).toBe(before.slice(c.oldEnd));
      expect(c.oldEnd - c.newEnd).toBe(before.length - after.length);
      const exact = changedRegion(before, after)!;
      expect(c.start).toBeLessThanOrEqual(exact.start);
      expect(c.oldEnd).toBeGreaterThanOrEqual(exact.oldEnd);
    }
    expect(ropeChange(rope, rope)).toBeUndefined();
    expect(ropeChange(Rope.of('unrelated'), rope)).toBeNull();
  });

  it('composes two changes into the one that covers both', () => {
    // "abcdef": replace "cd" by "XYZ" → "abXYZef"; then delete "Ze" → "abXYf"
    expect(compose({ start: 2, oldEnd: 4, newEnd: 5 }, { start: 4, oldEnd: 6, newEnd: 4 })).toEqual({ start: 2, oldEnd: 5, newEnd: 4 });
    // a change after another one, apart from it
    expect(compose({ start: 0, oldEnd: 1, newEnd: 3 }, { start: 10, oldEnd: 12, newEnd: 10 })).toEqual({ start: 0, oldEnd: 10, newEnd: 10 });
  });

  it('forgets versions more than 64 edits back, so a long editing session keeps no old texts', () => {
    const first = Rope.of('text '.repeat(100));
    let rope = first;
    for (let i = 0; i < 100; i++) rope = rope.edit(i, i, 'x');
    expect(ropeChange(first, rope)).toBeNull();
    let steps = 0;
    for (let r: Rope | undefined = rope; r; r = r.base) steps++;
    expect(steps).toBeLessThanOrEqual(65);
  });
});

describe('ArticleDocument', () => {
  it('answers positions, offsets and text like the protocol library after random incremental edits', () => {
    const rnd = random(17);
    const initial = 'Headline\r\n\r\nMINSK — “Quote,” he said.\n😀 emoji line\rold mac line\n\n'.repeat(30);
    const ours = ArticleDocument.create('file:///a.article', 'article', 1, initial);
    const theirs = TextDocument.create('file:///a.article', 'article', 1, initial);
    for (let v = 2; v < 300; v++) {
      const text = theirs.getText();
      const lines = theirs.lineCount;
      const pos = () => ({ line: Math.floor(rnd() * (lines + 1)) - (rnd() < 0.02 ? 2 : 0), character: Math.floor(rnd() * 60) });
      const a = pos();
      const b = rnd() < 0.6 ? a : pos();
      const change = rnd() < 0.03 ? { text: text.slice(0, 50) + insertText(rnd) } : { range: { start: a, end: b }, text: rnd() < 0.3 ? '' : insertText(rnd) };
      ArticleDocument.update(ours, [change], v);
      TextDocument.update(theirs, [change], v);
      expect(ours.version).toBe(v);
      expect(ours.lineCount).toBe(theirs.lineCount);
      for (let k = 0; k < 15; k++) {
        const offset = Math.floor(rnd() * (theirs.getText().length + 3)) - 1;
        expect(ours.positionAt(offset)).toEqual(theirs.positionAt(offset));
        const p = pos();
        expect(ours.offsetAt(p)).toBe(theirs.offsetAt(p));
        const r = { start: pos(), end: pos() };
        expect(ours.getText(r)).toBe(theirs.getText(r));
        const line = Math.floor(rnd() * (theirs.lineCount + 1));
        expect(ours.getLineRange(line)).toEqual(theirs.getLineRange(line));
        expect(ours.getEOLCharacters(line)).toBe(theirs.getEOLCharacters(line));
      }
    }
    expect(ours.getText()).toBe(theirs.getText());
  });
});
