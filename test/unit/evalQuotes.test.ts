import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateQuotes, formatReport, readGold, spanMatches, type GoldArticle, type GoldQuote } from '../eval/quotes';

/** A gold quote over the first occurrence of `quoted` (marks included), with its speaker. */
function gold(text: string, quoted: string, type: GoldQuote['type'], speaker: string | null): GoldQuote {
  const start = text.indexOf(quoted);
  let s = speaker ? text.indexOf(speaker, start + quoted.length) : -1;
  if (speaker && s < 0) s = text.lastIndexOf(speaker, start);
  return {
    start,
    end: start + quoted.length,
    text: quoted,
    type,
    speaker: speaker ? { start: s, end: s + speaker.length, text: speaker } : null,
  };
}

// Invented articles in the fixture's format (not taken from any corpus).
const A =
  'Mayor Vance Opens the Bridge\n\n' +
  '“We built it on time,” said Mayor Ada Vance, 51. “We built it on budget.”\n\n' +
  'Mr. Ortiz, a council member, spoke next.\n\n' +
  '“It is a good day,” he said.\n\n' +
  'The so-called “vanity bridge” opened in May.\n\n' +
  'The mayor said the city would “keep every promise” it made.';
const B = 'Ms. Okafor arrived late.\n\n“Sorry,” she said. “The traffic was terrible.”\n\nThe meeting went on.';

const rows: GoldArticle[] = [
  {
    id: 'fixture/a',
    split: 'dev',
    text: A,
    quotes: [
      { ...gold(A, '“We built it on time,” said Mayor Ada Vance, 51. “We built it on budget.”', 'direct', 'Ada Vance') },
      gold(A, '“It is a good day,”', 'direct', 'he'),
      gold(A, 'the city would “keep every promise” it made', 'mixed', 'The mayor'),
    ],
    unannotated_quoted_spans: [{ start: A.indexOf('“vanity'), end: A.indexOf('bridge”') + 7, text: '“vanity bridge”' }],
  },
  {
    id: 'fixture/b',
    split: 'train',
    text: B,
    quotes: [gold(B, '“Sorry,” she said. “The traffic was terrible.”', 'direct', 'she'), gold(B, '“Nowhere”', 'direct', null)],
  },
];
// the speaker of the interrupted quote in A sits between its parts
rows[0].quotes[0].speaker = { start: A.indexOf('Ada Vance'), end: A.indexOf('Ada Vance') + 9, text: 'Ada Vance' };
// B's second gold quote does not exist in the text: a guaranteed miss
rows[1].quotes[1] = { start: B.length - 5, end: B.length, text: 'went on', type: 'direct', speaker: null };
rows[1].quotes[0].speaker = { start: B.indexOf('she'), end: B.indexOf('she') + 3, text: 'she' };

describe('eval:quotes', () => {
  it('matches spans exactly or by ≥ 90 % of the gold span (strict: of the longer span)', () => {
    expect(spanMatches({ start: 0, end: 100 }, { start: 0, end: 100 })).toBe(true);
    expect(spanMatches({ start: 0, end: 95 }, { start: 0, end: 100 })).toBe(true);
    expect(spanMatches({ start: 0, end: 85 }, { start: 0, end: 100 })).toBe(false);
    expect(spanMatches({ start: 0, end: 200 }, { start: 0, end: 100 })).toBe(true);
    expect(spanMatches({ start: 0, end: 200 }, { start: 0, end: 100 }, true)).toBe(false);
  });

  it('computes recall, precision, speakers, pronouns, partial quotes, scare quotes and findings', () => {
    const r = evaluateQuotes(rows);
    expect(r.articles).toBe(2);
    expect(r.gold).toEqual({ direct: 4, mixed: 1, unannotated: 1 });
    // three of the four gold direct quotes exist and are found as one quotation each
    expect(r.direct.matched).toBe(3);
    expect(r.direct.recall).toBeCloseTo(0.75);
    expect(r.direct.predicted).toBe(3);
    expect(r.direct.precision).toBe(1);
    expect(r.speaker).toMatchObject({ withGold: 3, right: 3 });
    // "he" and "she" are found; "he" follows Mr. Ortiz, the nearest named source is the mayor: a fair disagreement
    expect(r.pronoun.total).toBe(2);
    expect(r.pronoun.resolved).toBe(2);
    // the automatic check compares with the nearest earlier named gold source (the mayor), so it counts a disagreement
    expect(r.pronoun).toMatchObject({ checkable: 1, agree: 0 });
    expect(r.samples.pronoun[0]).toMatch(/^DIFFER fixture\/a he -> .*Ortiz/);
    expect(r.mixed.found).toBe(1);
    expect(r.mixed.speakerRight).toBe(1);
    expect(r.scare.unannotatedCovered).toBe(1);
    expect(r.scare.unannotatedNonSpeech).toBe(1);
    // the eval runs with scare-quote hints on: the one scare quote is the only finding
    expect(r.findings).toEqual({ 'scare-quote': 1 });
    expect(r.samples.missed).toHaveLength(1);
    const text = formatReport(r, 'fixture');
    expect(text).toContain('recall     0.750');
    expect(text).toContain('speaker accuracy on found direct quotes  1.000');
    expect(text).toContain('diagnostics per 100 articles');
  });

  it('reads a JSONL file and selects a split', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-quotes-'));
    const file = join(dir, 'gold.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(readGold(file, 'dev').map((r) => r.id)).toEqual(['fixture/a']);
    expect(readGold(file, 'all')).toHaveLength(2);
  });
});
