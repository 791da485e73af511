import { describe, expect, it } from 'vitest';
import { MAX_SLICE, splitParagraphs } from '../../server/src/analysis/paragraphs';

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
