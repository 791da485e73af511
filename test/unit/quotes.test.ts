import { describe, expect, it } from 'vitest';
import { analyzeArticle, ParagraphCache, type ArticleInput } from '../../server/src/analysis/article';
import { splitParagraphs } from '../../server/src/analysis/paragraphs';
import { scanQuoteMarks } from '../../server/src/analysis/quoteMarks';
import { analyzeQuotes } from '../../server/src/analysis/quotes';
import type { Entity, Finding, Mention, TextEdit } from '../../server/src/analysis/types';

function analyze(text: string, scareQuoteHints = false) {
  return analyzeArticle(text, { scareQuoteHints }, new ParagraphCache());
}

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** An ArticleInput built by hand: this module's marks, minimal language data, every paragraph a body paragraph. */
function handInput(text: string, options = {}): ArticleInput {
  const paragraphs = splitParagraphs(text);
  return {
    text,
    paragraphs,
    analyses: paragraphs.map((p) => ({
      nlp: { sentences: [{ start: 0, end: p.text.length }], names: [], pronouns: [], descriptors: [], titleCase: false },
      marks: scanQuoteMarks(p.text),
    })),
    structure: {
      sections: [],
      boilerplate: [],
      paragraphs: paragraphs.map((p) => ({ index: p.index, start: p.start, end: p.end, kind: 'body' as const, sentences: [] })),
    },
    options,
  };
}

/** A person entity with one mention per listed surface form occurrence (in text order). */
function person(text: string, id: string, name: string, forms: { text: string; prefix?: string }[]): Entity {
  const mentions: Mention[] = [];
  for (const f of forms) {
    let from = 0;
    for (let i = text.indexOf(f.text, from); i >= 0; i = text.indexOf(f.text, from)) {
      from = i + f.text.length;
      const before = f.prefix ? text.slice(i - f.prefix.length - 1, i - 1) : '';
      mentions.push({
        start: i,
        end: i + f.text.length,
        text: f.text,
        paragraph: 0,
        context: 'body',
        prefix: f.prefix && before === f.prefix ? { start: i - f.prefix.length - 1, end: i - 1, text: f.prefix } : undefined,
      });
    }
  }
  mentions.sort((a, b) => a.start - b.start);
  return { id, type: 'person', name, aliases: [name], mentions, declaration: 0, titles: [], descriptions: [], affiliations: [], quotes: [] };
}

describe('quote pairing and kinds', () => {
  const kinds: [string, string, { kind: string; text: string; style?: string }[]][] = [
    ['curly direct', '“We will win,” Mr. Smith said.', [{ kind: 'direct', text: 'We will win,', style: 'curly' }]],
    ['straight direct', '"We will win," Mr. Smith said.', [{ kind: 'direct', text: 'We will win,', style: 'straight' }]],
    ["double apostrophes", "''We will win,'' Mr. Smith said.", [{ kind: 'direct', text: 'We will win,', style: 'double-apostrophe' }]],
    ['guillemets', '«We will win,» Mr. Smith said.', [{ kind: 'direct', text: 'We will win,', style: 'guillemet' }]],
    ['low-high', '„We will win,“ Mr. Smith said.', [{ kind: 'direct', text: 'We will win,', style: 'low-high' }]],
    ['partial', 'He agreed on the need “to strengthen allied relations” with Moscow.', [{ kind: 'partial', text: 'to strengthen allied relations' }]],
    ['scare', 'Foes were spreading “fake” stories about him.', [{ kind: 'scare', text: 'fake' }]],
    ['called is a partial', 'Mr. Lukashenko, who has often been called “Europe’s last dictator,” danced.', [{ kind: 'partial', text: 'Europe’s last dictator,' }]],
    ['title', 'He hosted “Saturday Night Live” last week.', [{ kind: 'title', text: 'Saturday Night Live' }]],
  ];
  it.each(kinds)('%s', (_name, text, expected) => {
    const a = analyze(text);
    expect(a.quotes.map((q) => ({ kind: q.kind, text: q.text, ...(expected[0].style ? { style: q.style } : {}) }))).toEqual(expected);
    expect(a.findings).toEqual([]);
  });

  it('keeps apostrophes and possessives out of quotes', () => {
    const text = '“The Joneses’ house isn’t O’Brien’s,” she said of the ’90s, when rock ’n’ roll ruled.';
    const a = analyze(text);
    expect(a.quotes.map((q) => q.text)).toEqual(['The Joneses’ house isn’t O’Brien’s,']);
    expect(a.findings).toEqual([]);
  });

  it('a ’ after s can still close a single-quoted passage', () => {
    const a = analyze('He said, “They called it ‘the bosses’ and left.”');
    const inner = a.quotes.find((q) => q.depth === 1);
    expect(inner?.text).toBe('the bosses');
    expect(a.findings).toEqual([]);
  });

  it('nested single quotes inside double quotes are depth 1', () => {
    const text = '“It feels like, ‘Meh, we can put this off,’” he said.';
    const a = analyze(text);
    expect(a.quotes.map((q) => [q.depth, q.text])).toEqual([
      [0, 'It feels like, ‘Meh, we can put this off,’'],
      [1, 'Meh, we can put this off,'],
    ]);
    expect(a.findings).toEqual([]);
  });

  it('multi-paragraph quote: one quote, several parts, no findings', () => {
    const text = [
      'Mr. Smith described the day.',
      '“We came early. We stayed late.',
      '“Then the police arrived.',
      '“Nobody left,” he said.',
      'The police declined to comment.',
    ].join('\n\n');
    const a = analyze(text);
    const direct = a.quotes.filter((q) => q.kind === 'direct');
    expect(direct).toHaveLength(1);
    expect(direct[0].parts).toHaveLength(3);
    expect(direct[0].paragraphs).toEqual([1, 2, 3]);
    expect(direct[0].speaker?.text).toBe('he');
    expect(a.findings).toEqual([]);
  });

  it('interrupted quote is one quote with two parts', () => {
    const text = '“That,” she added, “promises to make life harder for our children.”';
    const a = analyze(text);
    expect(a.quotes).toHaveLength(1);
    expect(a.quotes[0].parts).toEqual([
      { start: 0, end: 7 },
      { start: 19, end: text.length },
    ]);
    expect(a.quotes[0].text).toBe('That, … promises to make life harder for our children.');
    expect(a.quotes[0].cue?.text).toBe('added');
  });

  it('an unclosed quote never swallows the next paragraphs', () => {
    const text = '“We came early, he said.\n\nThe police left.\n\nMore text “here” later.';
    const a = analyze(text);
    expect(a.quotes[0].end).toBe(text.indexOf('\n'));
    expect(codes(a.findings)).toEqual(['unclosed-quote']);
  });

  it('CRLF line endings and emoji keep UTF-16 offsets', () => {
    const text = '😀 Intro.\r\n\r\n“We won,” 🎉 said Jane Doe.\r\n';
    const a = analyze(text);
    const q = a.quotes[0];
    expect(text.slice(q.start, q.end)).toBe('“We won,”');
    expect(a.findings).toEqual([]);
  });
});

describe('speakers and cues', () => {
  const speakers: [string, string, string, string][] = [
    ['“…,” said X', '“It is over,” said Jane Doe, a spokeswoman.', 'Jane Doe', 'said'],
    ['“…,” X said', '“It is over,” Jane Doe said on Monday.', 'Jane Doe', 'said'],
    ['X said, “…”', 'Jane Doe said, “It is over.”', 'Jane Doe', 'said'],
    ['X said: “…”', 'Jane Doe told reporters: “It is over.”', 'Jane Doe', 'told'],
    ['appositive', '“It is over,” Lael Brainard, a Fed governor, said in a speech.', 'Lael Brainard', 'said'],
    ['party label', '“It is over,” Rep. Jim Jordan (R-Ohio) said Friday.', 'Jim Jordan', 'said'],
    ['according to', '“It is over,” according to a spokesman for the agency.', 'a spokesman', 'according to'],
    ['noun phrase', '“It is over,” a spokesman said.', 'a spokesman', 'said'],
    ['colon after subject', 'Trump: ‘I Am the Worst Thing That Ever Happened to Them.’', 'Trump', ':'],
    ['dash attribution', '“Maybe we can build a wall around him.” ― Steve Quinlan', 'Steve Quinlan', '―'],
    ['participle', 'During a speech, Trump attacked Clinton, saying, “She is unstable.”', 'Trump', 'saying'],
    ['relative clause', 'Guests included Stevie Wonder, who joked, “I have not seen it yet.”', 'Stevie Wonder', 'joked'],
    ['pronoun', 'Jane Doe arrived late. “It is over,” she said.', 'she', 'said'],
  ];
  it.each(speakers)('%s', (_name, text, speaker, cue) => {
    const a = analyze(text);
    const q = a.quotes.find((x) => x.depth === 0)!;
    expect(q.speaker?.text).toBe(speaker);
    expect(text.slice(q.speaker!.start, q.speaker!.end)).toBe(speaker);
    expect(q.cue?.text).toBe(cue);
    expect(codes(a.findings)).not.toContain('unattributed-quote');
  });

  it('speaker from the previous paragraph ending with a colon', () => {
    const text = 'As Joel Pollak of Breitbart California observed:\n\n“The clear winner of the debate was the network.”';
    const q = analyze(text).quotes[0];
    expect(q.kind).toBe('direct');
    expect(q.speaker?.text).toBe('Joel Pollak');
    expect(q.speaker?.via).toBe('previous-sentence');
  });

  it('speaker continuing from the previous paragraph', () => {
    const text = '“We are ready,” Jane Doe said.\n\n“We have been ready for years.”';
    const a = analyze(text);
    expect(a.quotes.map((q) => q.speaker?.text)).toEqual(['Jane Doe', 'Jane Doe']);
    expect(a.quotes[1].speaker?.via).toBe('previous-sentence');
    expect(a.findings).toEqual([]);
  });

  it('resolves he/she with honorifics to the right person (hand-built input)', () => {
    const text = 'Mr. Karazhan met Ms. Ivanova and Mr. Petrov. “We will stay,” she said. “We will go,” he said.';
    const entities = [
      person(text, 'person:karazhan', 'Vitaly Karazhan', [{ text: 'Karazhan', prefix: 'Mr.' }]),
      person(text, 'person:ivanova', 'Olga Ivanova', [{ text: 'Ivanova', prefix: 'Ms.' }]),
      person(text, 'person:petrov', 'Ivan Petrov', [{ text: 'Petrov', prefix: 'Mr.' }]),
    ];
    const { quotes, findings } = analyzeQuotes(handInput(text), entities);
    expect(quotes.map((q) => [q.speaker?.text, q.speaker?.entity, q.speaker?.via])).toEqual([
      ['she', 'person:ivanova', 'pronoun'],
      ['he', 'person:karazhan', 'pronoun'],
    ]);
    expect(findings).toEqual([]);
  });

  it('names the entity when the speaker is a known mention (hand-built input)', () => {
    const text = '“It is over,” said Vitaly A. Karazhan, 33.';
    const entities = [person(text, 'person:vitaly-a-karazhan', 'Vitaly A. Karazhan', [{ text: 'Vitaly A. Karazhan' }])];
    const { quotes } = analyzeQuotes(handInput(text), entities);
    expect(quotes[0].speaker).toMatchObject({ entity: 'person:vitaly-a-karazhan', name: 'Vitaly A. Karazhan', via: 'name' });
  });
});

describe('findings and fixes', () => {
  const broken: [string, string, string][] = [
    ['unclosed-quote', 'Mr. Smith said: “We will win.', '”'],
    ['unclosed-quote', 'Mr. Smith said: "We will win.', '"'],
    ['unclosed-quote', '“We will win,” he said. “We will stay.\n\nThe police left.', '”'],
    ['unopened-quote', 'We will win,” Mr. Smith said.', '“'],
    ['mismatched-quote', '“We will win," Mr. Smith said.', '”'],
    ['nested-double-quote', '“He said “no” to us,” Mr. Smith said.', '‘'],
  ];
  it.each(broken)('%s: %s', (code, text, newText) => {
    const a = analyze(text);
    const f = a.findings.find((x) => x.code === code);
    expect(f, JSON.stringify(a.findings)).toBeDefined();
    const fix = f!.fixes![0];
    expect(fix.edits[0].newText).toBe(newText);
    const fixed = apply(text, fix.edits);
    const again = analyze(fixed);
    expect(codes(again.findings).filter((c) => c !== 'mixed-quote-styles')).toEqual([]);
  });

  it('unclosed-quote has severity error and points at the opening mark', () => {
    const a = analyze('Intro.\n\n“We will win, he said.');
    expect(a.findings).toHaveLength(1);
    expect(a.findings[0]).toMatchObject({ code: 'unclosed-quote', severity: 'error', start: 8, end: 9 });
  });

  it('mismatched-quote relates to the partner mark', () => {
    const text = '“We will win," Mr. Smith said.';
    const f = analyze(text).findings.find((x) => x.code === 'mismatched-quote')!;
    expect(f.start).toBe(13);
    expect(f.related?.[0].span).toEqual({ start: 0, end: 1 });
  });

  it('mixed-quote-styles flags the minority marks and converts the whole article', () => {
    const text = '“We won,” Jane Doe said.\n\n“It’s ours,” she added.\n\n"It\'s theirs," he said.';
    const a = analyze(text);
    const mixed = a.findings.filter((f) => f.code === 'mixed-quote-styles');
    expect(mixed.map((f) => text.slice(f.start, f.end))).toEqual(['"', '"']);
    const fix = mixed[0].fixes![0];
    expect(fix.title).toBe('Convert straight quotes to curly quotes in the whole article');
    const fixed = apply(text, fix.edits);
    expect(fixed).toBe('“We won,” Jane Doe said.\n\n“It’s ours,” she added.\n\n“It’s theirs,” he said.');
    expect(analyze(fixed).findings).toEqual([]);
  });

  it('unattributed direct speech is flagged, but not in a headline or boilerplate-free narrative', () => {
    const a = analyze('The rally ended at noon.\n\nThe crowd dispersed quietly afterwards.\n\n“We will be back next year with more people.”');
    expect(codes(a.findings)).toEqual(['unattributed-quote']);
  });

  it('scare-quote hints only when asked for', () => {
    const text = 'Foes were spreading “fake” stories about him.';
    expect(codes(analyze(text).findings)).toEqual([]);
    expect(codes(analyze(text, true).findings)).toEqual(['scare-quote']);
  });

  it('a correct article raises no findings', () => {
    const text = [
      'Under Siege, Mayor Turns to Council',
      'SPRINGFIELD — The mayor appealed to the council on Saturday.',
      'Mr. Quimby, the council said in a statement, had agreed on the need “to strengthen relations” and to stop “destructive forces.”',
      '“He gave an order to allow us to get out,” said Vitaly A. Karazhan, 33, referring to Mr. Quimby. “At one point, he will have the police out again.”',
      'A poster at a station read: “We can sort this out without him.”',
      '“The defense of the city today is no less than the defense of our entire space,” Mr. Quimby said.',
    ].join('\n\n');
    const a = analyze(text);
    expect(a.findings).toEqual([]);
    expect(a.quotes.filter((q) => q.kind === 'direct').every((q) => q.speaker)).toBe(true);
  });
});

describe('robustness', () => {
  it('never throws and stays fast on pathological input', () => {
    const inputs = [
      '',
      '"'.repeat(5000),
      '“'.repeat(5000),
      ('“a ' + '‘b ').repeat(20000),
      ('"x" '.repeat(10) + '\n\n').repeat(3000),
      '\uD83D"\uDE00\'\u0000«»',
    ];
    for (const t of inputs) {
      const t0 = performance.now();
      expect(() => analyze(t)).not.toThrow();
      expect(performance.now() - t0).toBeLessThan(8000);
    }
  });

  it('the article-level quote pass is linear (hand-built input, 500 KB)', () => {
    const para = '“We came early, and we stayed late,” said Jane Doe, a teacher. She said the “so-called” plan failed.';
    const text = Array.from({ length: 5000 }, () => para).join('\n\n');
    const input = handInput(text);
    const t0 = performance.now();
    const { quotes, findings } = analyzeQuotes(input, []);
    const ms = performance.now() - t0;
    expect(quotes.length).toBe(10000);
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(1500);
  });
});
