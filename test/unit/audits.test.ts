import { describe, expect, it } from 'vitest';
import { analyzeArticle } from '../../server/src/analysis/article';
import { auditFindings, auditSteps } from '../../server/src/features/audits';
import { defaultSettings } from '../../server/src/protocol';
import {
  auditArticle,
  auditBoilerplate,
  auditNameSpelling,
  auditSurnameBeforeFullName,
  auditWorkspaceSpelling,
  compatibleGivenNames,
  editDistance,
  removalSpan,
  similarSurnames,
  surnameOf,
} from '../../server/src/analysis/audits';
import type { Article, BoilerplateBlock, Entity, EntityType, Mention, TextEdit } from '../../server/src/analysis/types';

/** Mentions of `needle` in `text` (all occurrences), with a context. */
function find(text: string, needle: string, context: Mention['context'] = 'body', prefix?: string): Mention[] {
  const out: Mention[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    const paragraph = text.slice(0, at).split('\n\n').length - 1;
    const m: Mention = { start: at, end: at + needle.length, text: needle, paragraph, context };
    if (prefix && text.slice(at - prefix.length - 1, at) === `${prefix} `) m.prefix = { start: at - prefix.length - 1, end: at - 1, text: prefix };
    out.push(m);
  }
  return out;
}

function entity(type: EntityType, name: string, mentions: Mention[], declaration = 0): Entity {
  mentions.sort((a, b) => a.start - b.start);
  return {
    id: `${type}:${name}`,
    type,
    name,
    aliases: [name],
    mentions,
    declaration,
    titles: [],
    descriptions: [],
    affiliations: [],
    quotes: [],
  };
}

function article(text: string, entities: Entity[], boilerplate: BoilerplateBlock[] = []): Article {
  return {
    text,
    structure: { sections: [], paragraphs: [], boilerplate },
    entities,
    quotes: [],
    findings: [],
    stats: { people: 0, places: 0, organizations: 0, quotes: 0, unattributedQuotes: 0, paragraphs: 0, cachedParagraphs: 0, millis: 0 },
  };
}

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('surname comparison', () => {
  it.each([
    ['Lukashenko', 'Lukashenka', true],
    ['Zelensky', 'Zelenskyy', true],
    ['Tsikhanouskaya', 'Tsikhanovskaya', true],
    ['Lukašenka', 'Lukasenka', true],
    ['Kim', 'Kin', false], // too short to judge
    ['Putin', 'Puton', true],
    ['Ivanov', 'Ivanova', false], // a different (female) person
    ['Clinton', 'Clintons', false], // a family
    ['Johnson', 'Johnston', true],
    ['Smith', 'Smyth', true],
    ['Navalny', 'Navalnaya', false],
    ['Baker', 'Parker', false], // first letter differs
    ['Merkel', 'Merkel', false], // same spelling is not a variant
    ['Schmidt', 'Schmitz', false], // two edits on a 7-letter name
  ])('%s / %s → %s', (a, b, expected) => {
    expect(similarSurnames(a, b)).toBe(expected);
  });

  it('computes bounded edit distances with transpositions', () => {
    expect(editDistance('lukashenko', 'lukashenka')).toBe(1);
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('', '')).toBe(0);
  });

  it('reads surnames and compares given names', () => {
    expect(surnameOf('Aleksandr G. Lukashenko')).toBe('Lukashenko');
    expect(surnameOf('Martin Luther King Jr.')).toBe('King');
    expect(surnameOf('the president')).toBeUndefined();
    expect(compatibleGivenNames('Aleksandr', 'Alexander')).toBe(true);
    expect(compatibleGivenNames('A.', 'Alexander')).toBe(true);
    expect(compatibleGivenNames('Mark', 'Jane')).toBe(false);
    expect(compatibleGivenNames(undefined, 'Jane')).toBe(true);
  });
});

describe('name spelt two ways', () => {
  const text =
    'President Alexander Lukashenka spoke. Mr. Lukashenka’s aides agreed.\n\nLater Mr. Lukashenko, 66, spoke again. Lukashenka smiled.\n';

  it('flags the rarer spelling, points at the usual one, and fixes one or all', () => {
    const luka = entity('person', 'Alexander Lukashenka', [...find(text, 'Alexander Lukashenka'), ...find(text, 'Lukashenka’s').map((m) => ({ ...m, end: m.end - 2, text: 'Lukashenka' })), ...find(text, 'Lukashenka smiled').map((m) => ({ ...m, end: m.start + 10, text: 'Lukashenka' }))]);
    const other = entity('person', 'Lukashenko', find(text, 'Lukashenko'));
    const findings = auditNameSpelling(article(text, [luka, other]));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.code).toBe('name-spelling-variant');
    expect(text.slice(f.start, f.end)).toBe('Lukashenko');
    expect(f.message).toContain('Lukashenka');
    expect(text.slice(f.related![0].span.start, f.related![0].span.end)).toBe('Lukashenka');
    const fixed = apply(text, f.fixes![0].edits);
    expect(fixed).toContain('Later Mr. Lukashenka, 66');
    // the other way round: every usual spelling becomes the rare one, possessive intact
    const reverse = apply(text, f.fixes!.find((x) => x.title.startsWith('Spell all 3'))!.edits);
    expect(reverse).toContain('Mr. Lukashenko’s aides');
    expect(reverse).not.toContain('Lukashenka');
  });

  it('does not flag short names, inflected names or clearly different people', () => {
    const t = 'Kim Jong met Kin Lee. Ivan Ivanov and Maria Ivanova came. Mark Johnson and Jane Johnston left.';
    const people = ['Kim Jong', 'Kin Lee', 'Ivan Ivanov', 'Maria Ivanova', 'Mark Johnson', 'Jane Johnston'].map((n) => entity('person', n, find(t, n)));
    expect(auditNameSpelling(article(t, people))).toEqual([]);
  });

  it('ignores places and organizations and never throws on empty articles', () => {
    const t = 'Minsk and Minks.';
    expect(auditNameSpelling(article(t, [entity('place', 'Minsk', find(t, 'Minsk')), entity('place', 'Minks', find(t, 'Minks'))]))).toEqual([]);
    expect(auditArticle(article('', []))).toEqual([]);
  });

  it('finds a spelling used by another article of the workspace', () => {
    const t = 'President Alexander Lukashenka spoke. Mr. Lukashenka left.';
    const luka = entity('person', 'Alexander Lukashenka', [...find(t, 'Alexander Lukashenka'), ...find(t, 'Lukashenka left').map((m) => ({ ...m, end: m.start + 10, text: 'Lukashenka' }))]);
    const elsewhere = [
      { file: 'belarus/day1.article.txt', name: 'Aleksandr G. Lukashenko' },
      { file: 'other.article.txt', name: 'Igor Lukashenko' }, // another given name: another person
    ];
    const findings = auditWorkspaceSpelling(article(t, [luka]), () => elsewhere);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('“Lukashenka” is spelt “Lukashenko” in belarus/day1.article.txt.');
    expect(t.slice(findings[0].start, findings[0].end)).toBe('Lukashenka');
    expect(apply(t, findings[0].fixes![0].edits)).toBe('President Alexander Lukashenko spoke. Mr. Lukashenko left.');
  });
});

describe('surname before the full name', () => {
  it('flags the first bare surname in the body and offers to introduce the full name there', () => {
    const t = 'Mayor Quits\n\nMr. Smith was angry about the vote on Monday night.\n\nJohn Smith, the mayor, said so. Later Mr. Smith left.';
    const smith = entity('person', 'John Smith', [...find(t, 'Smith', 'body', 'Mr.').filter((m) => t.slice(m.start - 5, m.start) !== 'John '), ...find(t, 'John Smith')], 1);
    expect(smith.mentions[smith.declaration].text).toBe('John Smith');
    const findings = auditSurnameBeforeFullName(article(t, [smith]));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.code).toBe('surname-before-full-name');
    expect([f.start, f.end]).toEqual([17, 22]);
    expect(f.related?.[0].message).toContain('John Smith');
    expect(apply(t, f.fixes![0].edits)).toBe('Mayor Quits\n\nJohn Smith was angry about the vote on Monday night.\n\nJohn Smith, the mayor, said so. Later Mr. Smith left.');
    expect(apply(t, f.fixes![1].edits)).toBe('Mayor Quits\n\nJohn Smith was angry about the vote on Monday night.\n\nSmith, the mayor, said so. Later Mr. Smith left.');
  });

  it.each([
    ['a first paragraph (a headline the structure missed)', 'Smith to quit as mayor of the city on Monday, aides say\n\nJohn Smith, the mayor, said so.', 'John Smith'],
    ['a line in capitals', 'News\n\nSOCCER - SMITH SIGNS FOR UNITED AFTER LONG TALKS ON FRIDAY\n\nJohn Smith signed.', 'John Smith'],
    ['a short line', 'News\n\nSmith signs for United\n\nJohn Smith signed on Friday.', 'John Smith'],
    ['a scorecard initial', 'Scores\n\nM. Waugh c and b Smith 50 , M. Slater run out 9 and more\n\nJ. Smith took two wickets.', 'J. Smith'],
  ])('does not flag %s', (_what, t, full) => {
    const early = find(t, 'Smith').filter((m) => !t.slice(0, m.end).endsWith(full))[0];
    const person = entity('person', full, [early, ...find(t, full)], 1);
    expect(auditSurnameBeforeFullName(article(t, [person]))).toEqual([]);
  });

  it('accepts a headline surname, keeps titles, and ignores people never introduced in full', () => {
    const t = 'Smith Wins\n\nPresident Smith spoke to the council about the budget on Monday.\n\nPresident John Smith smiled.';
    const headline = { ...find(t, 'Smith', 'headline')[0] };
    const body = find(t, 'Smith').slice(1);
    const smith = entity('person', 'John Smith', [headline, body[0], ...find(t, 'John Smith')], 2);
    smith.mentions[1].prefix = { start: t.indexOf('President'), end: t.indexOf('President') + 9, text: 'President' };
    const [f] = auditSurnameBeforeFullName(article(t, [smith]));
    expect(t.slice(f.start, f.end)).toBe('Smith');
    expect(f.start).toBe(t.indexOf('President Smith') + 10);
    expect(f.fixes).toHaveLength(2);
    expect(apply(t, f.fixes![0].edits)).toContain('President John Smith spoke');
    const onlyHeadline = entity('person', 'John Smith', [headline, ...find(t, 'John Smith')], 1);
    expect(auditSurnameBeforeFullName(article(t, [onlyHeadline]))).toEqual([]);
    const never = entity('person', 'Smith', body);
    expect(auditSurnameBeforeFullName(article(t, [never]))).toEqual([]);
  });
});

describe('scraped boilerplate', () => {
  const text = 'Big News Today\n\nBig News Today\n\nThe body of the story.\n\nSource link\n\nCheck Also\n\nOther Story\n';
  const block = (needle: string, kind: BoilerplateBlock['kind'], nth = 0): BoilerplateBlock => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
    return { start: at, end: at + needle.length, text: needle, kind, paragraphs: [] };
  };
  const blocks = [block('Big News Today', 'repeated-headline', 1), block('Source link', 'source-link'), block('Check Also\n\nOther Story', 'related')];

  it('reports each block with a fix that removes it and the blank lines after it', () => {
    const findings = auditBoilerplate(article(text, [], blocks));
    expect(findings.map((f) => f.code)).toEqual(['scraped-boilerplate', 'scraped-boilerplate', 'scraped-boilerplate']);
    expect(apply(text, findings[0].fixes![0].edits)).toBe('Big News Today\n\nThe body of the story.\n\nSource link\n\nCheck Also\n\nOther Story\n');
    expect(apply(text, findings[1].fixes![0].edits)).toBe('Big News Today\n\nBig News Today\n\nThe body of the story.\n\nCheck Also\n\nOther Story\n');
    // the last block eats the blank lines before it and keeps the final newline
    expect(apply(text, findings[2].fixes![0].edits)).toBe('Big News Today\n\nBig News Today\n\nThe body of the story.\n\nSource link\n');
  });

  it('removes all blocks at once without overlapping edits', () => {
    const [first] = auditBoilerplate(article(text, [], blocks));
    const all = first.fixes!.find((f) => f.title.startsWith('Remove all'))!;
    const sorted = [...all.edits].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
    expect(apply(text, all.edits)).toBe('Big News Today\n\nThe body of the story.\n');
  });

  it('handles CRLF and out-of-range spans', () => {
    const t = 'Story.\r\n\r\nSource link\r\n';
    expect(removalSpan(t, { start: 10, end: 21 })).toEqual({ start: 6, end: 21 });
    const out = removalSpan(t, { start: 50, end: 80 });
    expect(apply(t, [{ ...out, newText: '' }])).toBe(t);
  });
});

describe('audits on analysed articles', () => {
  it('finds the scraped blocks and no name problems in a clean scraped story', () => {
    const text = [
      'Mayor Quits in Springfield',
      'Mayor Quits in Springfield',
      'SPRINGFIELD — Mayor Jane Doe resigned on Monday, her office said.',
      '“It was time,” Ms. Doe said in a statement.',
      'Source link',
    ].join('\n\n');
    const a = analyzeArticle(text);
    const findings = auditArticle(a);
    expect(findings.filter((f) => f.code !== 'scraped-boilerplate')).toEqual([]);
    for (const f of findings) expect(f.end).toBeLessThanOrEqual(text.length);
  });

  it('respects the toggles', () => {
    const text = 'A Story\n\nA Story\n\nBody text here.\n\nSource link\n';
    const a = analyzeArticle(text);
    expect(auditArticle(a, { boilerplate: false }).filter((f) => f.code === 'scraped-boilerplate')).toEqual([]);
  });

  it('gives the same findings one audit per step as all at once (how a very long article is published)', () => {
    const text = [
      'Mayor Quits in Springfield',
      'Mayor Quits in Springfield',
      'SPRINGFIELD — Doe resigned on Monday. Mayor Jane Doe said it was time.',
      'Jane Dough, 52, said: “It was time.” Ms. Doe left.',
      'Source link',
    ].join('\n\n');
    const a = analyzeArticle(text);
    let steps = 0;
    for (const _ of auditSteps(a)) steps++;
    expect(steps).toBe(3);
    const all = auditArticle(a);
    expect(new Set(all.map((f) => f.code)).size).toBeGreaterThan(1);
    expect(auditFindings(a, defaultSettings, 'file:///x.txt')).toEqual(all);
    expect([...auditSteps(a)]).toEqual([]); // done once per analysis
  });

  it('never throws on hostile text', () => {
    for (const t of ['', '\u0000\u0001', '“'.repeat(5000), 'Mr. '.repeat(3000), '😀 Kim Kin '.repeat(500), 'A\r\n'.repeat(2000)]) {
      expect(() => auditArticle(analyzeArticle(t))).not.toThrow();
    }
  });
});
