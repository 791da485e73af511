import { describe, expect, it } from 'vitest';
import { scanQuoteMarks } from '../../server/src/analysis/quoteMarks';

/** marks as compact strings: mark + role initial (o/c/a) + weight initial (s/d) */
function marks(text: string): string[] {
  return scanQuoteMarks(text).map((m) => `${m.mark}${m.role[0]}${m.weight[0]}@${m.offset}`);
}

describe('scanQuoteMarks', () => {
  const cases: [string, string, string[]][] = [
    ['curly double', '“Hi,” she said.', ['“od@0', '”cd@4']],
    ['straight double', 'He said "no" twice.', ['"od@8', '"cd@11']],
    ['low-high', '„Ja“, sagte er.', ['„od@0', '“cd@3']],
    ['guillemets with spaces', '« Oui » dit-il.', ['«od@0', '»cd@6']],
    ['single curly', 'He said ‘maybe’ then left.', ['‘os@8', '’cs@14']],
    ['single angle', '‹Nein›, sagte sie.', ['‹os@0', '›cs@5']],
    ['low single', '‚Ja‘ sagte er.', ['‚os@0', '‘cs@3']],
    ['reversed double', '‟Odd”', ['‟od@0', '”cd@4']],
    ['double apostrophes', "''We won,'' he said.", ["''od@0", "''cd@9"]],
    ['backticks', "``We won,'' he said.", ['``od@0', "''cd@9"]],
    ['nested single inside double', '"It feels like, \'Meh, later,\'" he said.', ['"od@0', "'os@16", "'cs@28", '"cd@29']],
    ['three apostrophes close single then double', "''the 'wrong track.'''", ["''od@0", "'os@6", "'cs@19", "''cd@20"]],
    ['dash before opening', 'act—“My plan!”—is', ['“od@4', '”cd@13']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(marks(text)).toEqual(expected);
  });

  const apostrophes: [string, string][] = [
    ['contraction', 'don’t and it\'s'],
    ['name', 'O’Brien and D\'Angelo'],
    ['decade', 'the ’90s and the \'80s'],
    ['year', 'class of ’16 met'],
    ['rock and roll', 'rock ’n’ roll and rock \'n\' roll'],
    ['elided word', 'give ’em hell ’til dawn'],
    ['feet and inches', 'he is 6\'2" tall'],
  ];
  it.each(apostrophes)('apostrophes are not quote marks: %s', (_name, text) => {
    expect(scanQuoteMarks(text)).toEqual([]);
  });

  it('reports a possessive after s as a closing single mark (pairing decides)', () => {
    expect(marks('the Joneses’ house')).toEqual(['’cs@11']);
  });

  it('uses UTF-16 offsets after emoji', () => {
    const text = '😀 “Yes,” 👍 she said.';
    const got = scanQuoteMarks(text);
    expect(got.map((m) => text.slice(m.offset, m.offset + m.mark.length))).toEqual(['“', '”']);
    expect(got[0].offset).toBe(3);
  });

  it('treats a closing glyph opening a paragraph as an opening mark', () => {
    expect(marks('” … what I learned,” he said.')[0]).toBe('”od@0');
  });

  it('is linear on 200 KB of quote marks and never throws', () => {
    const junk = '"\'“”‘’«»„'.repeat(22000) + ' " a " \' '.repeat(2000);
    const t0 = performance.now();
    const got = scanQuoteMarks(junk);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(got.length).toBeGreaterThan(100000);
    expect(scanQuoteMarks('')).toEqual([]);
    expect(() => scanQuoteMarks('\u0000\uD800"\uDC00\'')).not.toThrow();
  });
});
