import { describe, expect, it } from 'vitest';
import { splitParagraphs } from '../../server/src/analysis/paragraphs';
import { detectStructure } from '../../server/src/analysis/structure';
import type { ParagraphAnalysis } from '../../server/src/analysis/types';

function structure(text: string) {
  const slices = splitParagraphs(text);
  const analyses: ParagraphAnalysis[] = slices.map(() => ({ nlp: { sentences: [], names: [], pronouns: [], descriptors: [], titleCase: false }, marks: [] }));
  return detectStructure(text, slices, analyses);
}

describe('detectStructure', () => {
  it('finds the headline and marks the scraper’s copies as boilerplate', () => {
    const s = structure('Storm Hits Coast\n\nStorm Hits Coast\n\nMIAMI — A storm hit the coast on Monday.\n\nSource link\n\nCheck Also\n\nOther Story Title\n\nAnother Title …');
    expect(s.headline?.text).toBe('Storm Hits Coast');
    expect(s.boilerplate.map((b) => b.kind)).toEqual(['repeated-headline', 'source-link', 'related']);
    expect(s.boilerplate[2].paragraphs).toHaveLength(3);
    expect(s.dateline?.text).toBe('MIAMI —');
    expect(s.dateline?.place?.text).toBe('MIAMI');
  });

  const datelines: [string, string | undefined, string | undefined][] = [
    ['WASHINGTON (Reuters) - The Senate voted on Friday.', 'WASHINGTON (Reuters) -', 'WASHINGTON'],
    ['SAN FRANCISCO, Calif. — Tech shares fell.', 'SAN FRANCISCO, Calif. —', 'SAN FRANCISCO, Calif.'],
    ['NEW YORK -- Stocks rose.', 'NEW YORK --', 'NEW YORK'],
    ['LONDON 1996-08-30', 'LONDON 1996-08-30', 'LONDON'],
    ['The council met — again — on Tuesday.', undefined, undefined],
    ['I — for one — agree.', undefined, undefined],
  ];
  it.each(datelines)('dateline in %j', (first, dateline, place) => {
    const s = structure(`A Headline Here\n\n${first}\n\nMore text follows here.`);
    expect(s.dateline?.text).toBe(dateline);
    expect(s.dateline?.place?.text).toBe(place);
  });

  it('finds a By line and a closing credit line', () => {
    const by = structure('Markets Rally\n\nBy Jane Doe and John Roe\n\nStocks rose on Monday.');
    expect(by.byline?.text).toBe('By Jane Doe and John Roe');
    expect(by.byline?.authors.map((a) => a.text)).toEqual(['Jane Doe', 'John Roe']);
    expect(by.paragraphs[1].kind).toBe('byline');
    const credit = structure('Markets Rally\n\nStocks rose on Monday.\n\nAndrew Higgins reported from Moscow and Ivan Nechepurenko from Minsk, Belarus.');
    expect(credit.byline?.authors.map((a) => a.text)).toEqual(['Andrew Higgins', 'Ivan Nechepurenko']);
  });

  it('does not take prose starting with "By" for a byline', () => {
    expect(structure('Markets Rally\n\nBy the way, stocks rose.\n\nMore.').byline).toBeUndefined();
    expect(structure('Markets Rally\n\nBy Jane Doe | Reuters\n\nStocks rose.').byline?.authors.map((a) => a.text)).toEqual(['Jane Doe']);
  });

  it('reads pathological lines without backtracking (these took seconds to forever before)', () => {
    const lines = ['M-'.repeat(40) + '1 The talks failed.', 'By A' + ' and B'.repeat(40) + '1', 'A' + ' B'.repeat(3000) + ' —'];
    for (const line of lines) {
      const started = performance.now();
      const s = structure(`Headline\n\n${line}\n\nMore text.`);
      expect(s.paragraphs).toHaveLength(3);
      // generous: a backtracking regex takes seconds or never returns here
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('marks furniture and verbatim repeated lines', () => {
    const s = structure('Title Line\n\nFirst paragraph of the story is here.\n\nAdvertisement\n\nSecond paragraph of the story is here.\n\nShare this:\n\nFirst paragraph of the story is here.');
    expect(s.boilerplate.map((b) => b.kind)).toEqual(['advertisement', 'share', 'repeated-line']);
  });

  it('finds subheads between body paragraphs and markdown headings', () => {
    const s = structure('# The Title\n\nBody one is a sentence.\n\nWhat Happens Next\n\nBody two is a sentence.\n\n## Background\n\nBody three.');
    expect(s.headline?.text).toBe('The Title');
    expect(s.sections.map((x) => x.text)).toEqual(['What Happens Next', 'Background']);
  });

  it('has no headline when the article starts with prose', () => {
    const s = structure('The council voted on Tuesday to delay the plan, officials said.\n\nMore.');
    expect(s.headline).toBeUndefined();
  });
});
