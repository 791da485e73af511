import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { changedRegion, MAX_SLICE, resplitParagraphs, splitParagraphs, splitParagraphsSteps, unmoveParagraphs } from '../../server/src/analysis/paragraphs';
import { replaceRange } from '../../server/src/analysis/lists';

describe('splitParagraphs', () => {
  const cases: [string, string, string[]][] = [
    ['empty text', '', []],
    ['blank lines only', '\n \n\t\n', []],
    ['blank-line separated', 'One.\n\nTwo.', ['One.', 'Two.']],
    ['each line a paragraph', 'Headline\nFirst line.\nSecond line.', ['Headline', 'First line.', 'Second line.']],
    ['hard-wrapped prose is joined', 'The council voted on the\nplan on Tuesday.\n\nNext.', ['The council voted on the\nplan on Tuesday.', 'Next.']],
    ['CRLF', 'One.\r\n\r\nTwo.\r\n', ['One.', 'Two.']],
    ['lone CR', 'One.\r\rTwo.', ['One.', 'Two.']],
    ['surrounding spaces trimmed', '   Indented.  \n\n\u00a0Two.\u200b', ['Indented.', 'Two.']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const slices = splitParagraphs(text);
    expect(slices.map((s) => s.text)).toEqual(expected);
    for (const s of slices) expect(text.slice(s.start, s.end)).toBe(s.text);
    slices.forEach((s, i) => expect(s.index).toBe(i));
  });

  it('bounds very long blocks, cutting at sentence ends and never inside a surrogate pair', () => {
    const sentence = 'Officials in 😀 Minsk said the talks would resume. ';
    const text = sentence.repeat(2000);
    const slices = splitParagraphs(text);
    expect(slices.length).toBeGreaterThan(1);
    for (const s of slices) {
      expect(s.text.length).toBeLessThanOrEqual(MAX_SLICE);
      expect(s.text.endsWith('.')).toBe(true);
    }
    const noSpaces = '😀'.repeat(MAX_SLICE);
    for (const s of splitParagraphs(noSpaces)) {
      const first = s.text.charCodeAt(0);
      expect(first >= 0xdc00 && first <= 0xdfff).toBe(false);
    }
  });
});

describe('changedRegion and resplitParagraphs', () => {
  // pieces that exercise every rule of the split: blank lines, hard wraps, CRLF and lone CR,
  // indentation, lower- and upper-case line starts, sentence ends, astral characters
  const piece = fc.constantFrom(
    'The talks resumed.',
    'the plan was',
    'approved on Monday',
    'Minsk',
    '“We will see,” he said.',
    '  indented line',
    '😀 emoji',
    '\n',
    '\n',
    '\n\n',
    '\r\n',
    '\r\n\r\n',
    '\r',
    ' \t\n',
    ' ',
    'a',
    '.',
  );
  const doc = fc.array(piece, { maxLength: 60 }).map((xs) => xs.join(''));
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.array(piece, { maxLength: 3 }).map((xs) => xs.join('')));

  function apply(text: string, [at, length, insert]: [number, number, string]): string {
    const start = at % (text.length + 1);
    return text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
  }

  it('finds the region two texts differ in, never inside a surrogate pair', () => {
    fc.assert(
      fc.property(doc, edit, (before, e) => {
        const after = apply(before, e);
        const change = changedRegion(before, after);
        if (before === after) {
          expect(change).toBeUndefined();
          return;
        }
        expect(change).toBeDefined();
        const { start, oldEnd, newEnd } = change!;
        expect(before.slice(0, start) + after.slice(start, newEnd) + before.slice(oldEnd)).toBe(after);
        expect(after.slice(0, start)).toBe(before.slice(0, start));
        for (const [t, i] of [[before, start], [before, oldEnd], [after, newEnd]] as const) {
          const low = t.charCodeAt(i);
          expect(i > 0 && low >= 0xdc00 && low <= 0xdfff && t.charCodeAt(i - 1) >= 0xd800 && t.charCodeAt(i - 1) <= 0xdbff).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('re-splits only around the change and equals a fresh split', () => {
    fc.assert(
      fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 4 }), (initial, edits) => {
        let text = initial;
        let paragraphs = splitParagraphs(text);
        for (const e of edits) {
          const after = apply(text, e);
          const change = changedRegion(text, after);
          if (!change) continue;
          const { paragraphs: next, reused } = resplitParagraphs(text, paragraphs, after, change);
          expect(next).toEqual(splitParagraphs(after));
          reused.forEach((from, i) => {
            if (from >= 0) expect(next[i].text).toBe(paragraphs[from].text);
          });
          text = after;
          paragraphs = next;
        }
      }),
      { numRuns: 800 },
    );
  });

  it('in place, moves the old paragraphs after the change and equals a fresh split; unmoving puts them back', () => {
    fc.assert(
      fc.property(doc, edit, (text, e) => {
        const after = apply(text, e);
        const change = changedRegion(text, after);
        if (!change) return;
        const paragraphs = splitParagraphs(text);
        const objects = [...paragraphs];
        const { paragraphs: next, moved } = resplitParagraphs(text, paragraphs, after, change, true);
        expect(next).toEqual(splitParagraphs(after));
        // the moved ones are the old objects
        for (let i = moved; i < paragraphs.length; i++) expect(next.includes(paragraphs[i])).toBe(true);
        unmoveParagraphs(paragraphs, moved, change);
        expect(paragraphs).toEqual(splitParagraphs(text));
        expect(paragraphs.every((p, i) => p === objects[i])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the paragraphs away from the change', () => {
    const text = 'First paragraph.\n\nSecond one here.\n\nThird.\n\nFourth, last.';
    const after = text.replace('Third.', 'Third, edited.');
    const { paragraphs, reused } = resplitParagraphs(text, splitParagraphs(text), after, changedRegion(text, after)!);
    expect(paragraphs.map((p) => p.text)).toEqual(['First paragraph.', 'Second one here.', 'Third, edited.', 'Fourth, last.']);
    expect(reused).toEqual([0, 1, -1, 3]);
  });

  it('re-splits cut blocks of very long text consistently', () => {
    const sentence = 'Officials in Minsk said the talks would resume. ';
    const text = `Head.\n\n${sentence.repeat(500)}\n\nTail.`;
    const after = text.slice(0, 9000) + 'x' + text.slice(9000);
    const { paragraphs } = resplitParagraphs(text, splitParagraphs(text), after, changedRegion(text, after)!);
    expect(paragraphs).toEqual(splitParagraphs(after));
  });
});

describe('splitParagraphsSteps', () => {
  it('pauses on long texts, and two splits run interleaved give the same as splitting each at once', () => {
    const a = 'First line.\nthe wrapped rest.\n\nNext.\r\n'.repeat(6000);
    const b = 'Headline\n\n“Quote,” he said.\n'.repeat(7000);
    const ga = splitParagraphsSteps(a);
    const gb = splitParagraphsSteps(b);
    let pauses = 0;
    let ra = ga.next();
    let rb = gb.next();
    while (!ra.done || !rb.done) {
      if (!ra.done) ra = ga.next();
      if (!rb.done) rb = gb.next();
      pauses++;
    }
    expect(pauses).toBeGreaterThan(2);
    expect(ra.value).toEqual(splitParagraphs(a));
    expect(rb.value).toEqual(splitParagraphs(b));
  });
});

describe('replaceRange', () => {
  it.each([
    [[1, 2, 3, 4, 5], 1, 2, [9], [1, 9, 4, 5]],
    [[1, 2, 3], 1, 0, [7, 8], [1, 7, 8, 2, 3]],
    [[1, 2, 3], 0, 3, [], []],
    [[1, 2, 3], 3, 0, [4], [1, 2, 3, 4]],
    [[], 0, 0, [1, 2], [1, 2]],
    [[1, 2, 3, 4], 2, 2, [5, 6], [1, 2, 5, 6]],
  ])('replaces %j at %i (%i items) with %j: %j, in place, like Array.prototype.splice', (list, at, remove, items, expected) => {
    const copy = [...list];
    copy.splice(at, remove, ...items);
    const same = replaceRange(list, at, remove, items);
    expect(same).toBe(list);
    expect(list).toEqual(expected);
    expect(list).toEqual(copy);
  });
});
