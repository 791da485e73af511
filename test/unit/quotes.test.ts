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
    ['passive "been called": an epithet nobody here said', 'Mr. Lukashenko, who has often been called “Europe’s last dictator,” danced.', [{ kind: 'scare', text: 'Europe’s last dictator,' }]],
    ['called it: a partial quote', 'The senator called the plan “a reckless gamble with our future.”', [{ kind: 'partial', text: 'a reckless gamble with our future.' }]],
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
    const text = '“We are ready,” Jane Doe said. She smiled at the crowd.\n\n“We have been ready for years.”';
    const a = analyze(text);
    expect(a.quotes.map((q) => q.speaker?.text)).toEqual(['Jane Doe', 'Jane Doe']);
    expect(a.quotes[1].speaker?.via).toBe('previous-sentence');
    expect(a.findings).toEqual([]);
  });

  it('a paragraph that only continues the attributed speech is part of the same quotation', () => {
    const text = '“We are ready,” Jane Doe said.\n\n“We have been ready for years.”';
    const a = analyze(text);
    expect(a.quotes.map((q) => [q.speaker?.text, q.parts.length, q.paragraphs])).toEqual([['Jane Doe', 2, [0, 1]]]);
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

  it('mixed-quote-styles: one finding per article, on the first minority mark, with the others related', () => {
    const text = '“We won,” Jane Doe said.\n\n“It’s ours,” she added.\n\n"It\'s theirs," he said.\n\n“We stay,” she said.\n\n"We go," he said.';
    const a = analyze(text);
    const mixed = a.findings.filter((f) => f.code === 'mixed-quote-styles');
    expect(mixed).toHaveLength(1);
    expect(mixed[0].start).toBe(text.indexOf('"'));
    expect(mixed[0].severity).toBe('information');
    expect(mixed[0].related?.map((r) => text.slice(r.span.start, r.span.end))).toEqual(['"', '"', '"']);
    const fix = mixed[0].fixes![0];
    expect(fix.title).toBe('Convert straight quotes to curly quotes in the whole article');
    expect(fix.preferred).toBe(true);
    const fixed = apply(text, fix.edits);
    expect(fixed).toBe('“We won,” Jane Doe said.\n\n“It’s ours,” she added.\n\n“It’s theirs,” he said.\n\n“We stay,” she said.\n\n“We go,” he said.');
    expect(analyze(fixed).findings).toEqual([]);
    // the other direction is offered too
    const back = apply(text, mixed[0].fixes![1].edits);
    expect(back).not.toMatch(/[“”’]/);
  });

  it('the article-wide conversion leaves boilerplate alone', () => {
    const text = ['“We won,” Jane Doe said.', '“It’s ours,” she added.', '"It\'s theirs," he said.', 'Source link', 'Check Also', 'Don\'t Miss: "Our Best Stories"'].join('\n\n');
    const a = analyze(text);
    const mixed = a.findings.find((f) => f.code === 'mixed-quote-styles');
    expect(mixed).toBeDefined();
    const fixed = apply(text, mixed!.fixes![0].edits);
    if (a.structure.boilerplate.some((b) => b.text.includes('Our Best Stories'))) expect(fixed.endsWith('Don\'t Miss: "Our Best Stories"')).toBe(true);
    expect(fixed).toContain('“It’s theirs,” he said.');
  });

  it('unattributed direct speech is flagged, but not in a headline or boilerplate-free narrative', () => {
    const a = analyze('The rally ended at noon.\n\nThe crowd dispersed quietly afterwards.\n\n“We will be back next year with more people.”');
    expect(codes(a.findings)).toEqual(['unattributed-quote']);
  });

  it('scare-quote hints only when asked for', () => {
    const text = 'Foes were spreading “fake” stories about him.';
    expect(codes(analyze(text).findings)).toEqual([]);
    const hints = analyze(text, true).findings;
    expect(codes(hints)).toEqual(['scare-quote']);
    expect(hints[0].severity).toBe('hint');
    expect(apply(text, hints[0].fixes![0].edits)).toBe('Foes were spreading fake stories about him.');
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
    const run = (n: number) => {
      const input = handInput(Array.from({ length: n }, () => para).join('\n\n'));
      const t0 = performance.now();
      const result = analyzeQuotes(input, []);
      return { ...result, ms: performance.now() - t0 };
    };
    run(200); // warm up
    const quarter = run(1250);
    const { quotes, findings, ms } = run(5000);
    expect(quotes.length).toBe(10000);
    expect(findings).toEqual([]);
    // 4× the text: linear is ×4, quadratic ×16; a ratio in the same process, not a wall-clock bound
    expect(ms).toBeLessThan(quarter.ms * 8 + 50);
  });
});

describe('forms of attribution', () => {
  const cases: [string, string, { text: string; kind: string; speaker?: string | null; parts?: number }[]][] = [
    [
      'interrupted, clause after the speaker',
      '“I think the moderator will be fair,” Mr. Hale said during a rally in Dover, “but many people will be watching.”',
      [{ text: 'I think the moderator will be fair, … but many people will be watching.', kind: 'direct', speaker: 'Hale', parts: 2 }],
    ],
    [
      'interrupted across a sentence end',
      '“We are ready,” said Ana Ruiz, a lawyer in Lisbon. “We have been ready for years.”',
      [{ text: 'We are ready, … We have been ready for years.', kind: 'direct', speaker: 'Ana Ruiz', parts: 2 }],
    ],
    [
      'interrupted by a speaker described with a relative clause that has its own verb of saying',
      '“The rent doubled in a year,” said Tom Okafor, 41, a baker who said he would close in May. “Nobody can pay that.”',
      [{ text: 'The rent doubled in a year, … Nobody can pay that.', kind: 'direct', speaker: 'Tom Okafor', parts: 2 }],
    ],
    [
      'interrupted, the second part a sentence of its own followed by a dash',
      '“I like the bakery,” she said. “I will never go back” – and she kept her word.',
      [{ text: 'I like the bakery, … I will never go back', kind: 'direct', speaker: 'she', parts: 2 }],
    ],
    [
      'not merged when the writer adds another speech act',
      '“Keep your hands in sight,” Ms. Blake sings to the crowd before asking them, “Where do we go from here?”',
      [
        { text: 'Keep your hands in sight,', kind: 'direct', speaker: 'Blake', parts: 1 },
        { text: 'Where do we go from here?', kind: 'direct', parts: 1 },
      ],
    ],
    [
      'not merged when the second quotation continues the writer’s sentence',
      '“This just isn’t right,” Ms. Ward said. “You squeezed employees to the breaking point” to drive up the price, she said.',
      [
        { text: 'This just isn’t right,', kind: 'direct', speaker: 'Ward', parts: 1 },
        { text: 'You squeezed employees to the breaking point', kind: 'partial', parts: 1 },
      ],
    ],
    [
      '“He added:” introduces the next quotation',
      '“Let me be clear,” he wrote. “Nothing has changed.” He added: “This is beyond hilarious.”',
      [
        { text: 'Let me be clear, … Nothing has changed.', kind: 'direct', speaker: 'he', parts: 2 },
        { text: 'This is beyond hilarious.', kind: 'direct', speaker: 'He', parts: 1 },
      ],
    ],
    [
      'according to',
      'The talks will resume, according to a spokesman for the ministry: “We expect progress next week.”',
      [{ text: 'We expect progress next week.', kind: 'direct', speaker: 'a spokesman' }],
    ],
    [
      'an interposed attribution covers the sentence',
      'Mr. Vance, the Kremlin said in a statement, had agreed on the need “to strengthen allied relations” and to stop “destructive forces.”',
      [
        { text: 'to strengthen allied relations', kind: 'partial', speaker: 'Kremlin' },
        { text: 'destructive forces.', kind: 'partial', speaker: 'Kremlin' },
      ],
    ],
    [
      'short quotation inside reported speech is the speaker’s, outside it a scare quote',
      'Mr. Reyes warned that his government would not be “lulled to sleep” by protests.\n\nThe so-called “reform” stalled.',
      [
        { text: 'lulled to sleep', kind: 'partial', speaker: 'Reyes' },
        { text: 'reform', kind: 'scare', speaker: null },
      ],
    ],
    [
      'called on urges',
      'The leaders of Estonia, Latvia and Lithuania called on the country to hold new “free and fair” elections.',
      [{ text: 'free and fair', kind: 'partial', speaker: 'The leaders of Estonia, Latvia and Lithuania' }],
    ],
    [
      'a sentence set off by dashes',
      "Critics included Mitt Romney -- ''It is disqualifying to refuse to release tax returns'' -- and others.",
      [{ text: 'It is disqualifying to refuse to release tax returns', kind: 'direct', speaker: 'Mitt Romney' }],
    ],
    [
      'participle after a name',
      'The ad uses footage of Hillary Clinton asking, “Why aren’t I fifty points ahead?”',
      [{ text: 'Why aren’t I fifty points ahead?', kind: 'direct', speaker: 'Hillary Clinton' }],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const a = analyze(text);
    const got = a.quotes.filter((q) => q.depth === 0);
    expect(got.map((q) => q.text)).toEqual(expected.map((e) => e.text));
    expected.forEach((e, i) => {
      expect(got[i].kind, e.text).toBe(e.kind);
      if (e.speaker !== undefined) expect(got[i].speaker?.text ?? null, e.text).toBe(e.speaker);
      if (e.parts !== undefined) expect(got[i].parts).toHaveLength(e.parts);
    });
    expect(codes(a.findings).filter((c) => c !== 'scare-quote')).toEqual([]);
  });

  it('a pronoun in the next paragraph resolves to the person named before it', () => {
    const text = [
      'Mr. Lukas Brenner, signaling a tilt toward Moscow, told his officials in Minsk that he needed to speak with Mr. Ivan Sorel.',
      'He accused protesters of following a playbook, and alleged that “elements of external interference have already appeared.”',
    ].join('\n\n');
    const a = analyze(text);
    const q = a.quotes[0];
    expect(q.speaker?.text).toBe('He');
    const entity = a.entities.find((e) => e.id === q.speaker?.entity);
    expect(entity?.name).toContain('Brenner');
  });

  it('a quotation continued in the next paragraph must reopen with the same kind of mark', () => {
    const text = '"Melanie thought the whole thing was outrageous.\n\n“It never crossed my mind,” she said.';
    const a = analyze(text);
    const q = a.quotes.find((x) => x.text.startsWith('It never'));
    expect(q?.parts).toHaveLength(1);
    expect(q?.kind).toBe('direct');
    expect(codes(a.findings).filter((c) => c !== 'mixed-quote-styles')).toEqual(['unclosed-quote']);
  });

  it('nested double quotes: same family is flagged, curly inside straight is a deliberate nesting', () => {
    expect(codes(analyze('“He said “no” to us,” Mr. Smith said.').findings)).toContain('nested-double-quote');
    expect(codes(analyze('"He said “no” to us," Mr. Smith said.').findings)).not.toContain('nested-double-quote');
  });

  it('a quotation in a headline is a quotation, and is not reported as unattributed', () => {
    const a = analyze('Mayor Speaks ‘Directly To White Voters’ After Latest Shooting\n\nThe mayor spoke on Tuesday in Dover.');
    expect(a.quotes[0].kind).not.toBe('title');
    expect(codes(a.findings)).toEqual([]);
  });

  it('apostrophes stay out of quotations in every style', () => {
    const text = 'In the ’90s the Joneses’ house, Mr. O’Neil said, "wasn\'t ours," and ‘rock ’n’ roll’ didn’t help.';
    const a = analyze(text);
    expect(a.quotes.map((q) => q.text)).toEqual(["wasn't ours,", 'rock ’n’ roll']);
  });
});

describe('incremental analysis', () => {
  it('an edit sequence on one cache gives exactly the fresh analysis of each version', async () => {
    const { generateArticle } = await import('../bench/generate');
    let text =
      generateArticle(20_000, 3) +
      '\n\n“We came early. We stayed late.\n\n“Then the police arrived,” he said.\n\nHe said “no” twice and "yes" once; the Joneses’ ’90s house.\n\n“Unclosed here.\n\nDone.';
    const cache = new ParagraphCache();
    const strip = (a: ReturnType<typeof analyze>) => ({ quotes: a.quotes, findings: JSON.parse(JSON.stringify(a.findings)), entities: a.entities.length });
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const inserts = ['“', '”', '"', "'", '’', '\n\n', ' said Ana Ruiz. ', '“Yes,” he said. ', 'x'];
    for (let step = 0; step < 40; step++) {
      const pos = Math.floor(rnd() * text.length);
      const r = rnd();
      if (r < 0.4) text = text.slice(0, pos) + inserts[Math.floor(rnd() * inserts.length)] + text.slice(pos);
      else if (r < 0.7) text = text.slice(0, pos) + text.slice(pos + 1 + Math.floor(rnd() * 3));
      else text = text.slice(0, pos) + (text[pos] === 'a' ? 'e' : 'a') + text.slice(pos + 1);
      const warm = analyzeArticle(text, {}, cache);
      const fresh = analyzeArticle(text, {}, new ParagraphCache());
      expect(strip(warm), `step ${step}`).toEqual(strip(fresh));
    }
  });

  it('a warm one-character edit of a 500 KB article re-runs the quote pass in a few milliseconds', async () => {
    const { generateArticle } = await import('../bench/generate');
    const { detectStructure } = await import('../../server/src/analysis/structure');
    const { buildEntities } = await import('../../server/src/analysis/entities');
    let text = generateArticle(500_000, 7);
    const cache = new ParagraphCache();
    analyzeArticle(text, {}, cache);
    const times: number[] = [];
    for (let k = 0; k < 9; k++) {
      const pos = Math.floor(text.length / 2) + k * 41;
      text = text.slice(0, pos) + (text[pos] === 'a' ? 'e' : 'a') + text.slice(pos + 1);
      analyzeArticle(text, {}, cache);
      const paragraphs = splitParagraphs(text);
      const analyses = paragraphs.map((p) => cache.get(p.text)!);
      const structure = detectStructure(text, paragraphs, analyses);
      const input: ArticleInput = { text, paragraphs, analyses, structure, options: {} };
      const entities = buildEntities(input);
      const t0 = performance.now();
      analyzeQuotes(input, entities);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    // against the same pass without the per-paragraph memo (fresh analysis objects), in the same process
    const paragraphs = splitParagraphs(text);
    const cold: number[] = [];
    for (let k = 0; k < 3; k++) {
      const analyses = paragraphs.map((p) => ({ ...cache.get(p.text)! }));
      const structure = detectStructure(text, paragraphs, analyses);
      const input: ArticleInput = { text, paragraphs, analyses, structure, options: {} };
      const entities = buildEntities(input);
      const t0 = performance.now();
      analyzeQuotes(input, entities);
      cold.push(performance.now() - t0);
    }
    expect(times[4]).toBeLessThan(Math.min(...cold) * 0.6);
  });

  it('hostile marks stay fast', () => {
    for (const [unit, count] of [['“a ', 70_000], ['"\'“”‘’«»„ ', 20_000]] as const) {
      const timed = (n: number) => {
        const input = handInput(unit.repeat(n));
        analyzeQuotes(input, []);
        const t0 = performance.now();
        const { findings } = analyzeQuotes(input, []);
        return { ms: performance.now() - t0, findings };
      };
      const quarter = timed(count / 4);
      const full = timed(count);
      // linear in the number of marks (quadratic would be ×16), measured in the same process
      expect(full.ms).toBeLessThan(quarter.ms * 8 + 50);
      expect(full.findings.length).toBeLessThan(2000);
    }
  });
});

describe('where the fix for an unclosed quote closes it', () => {
  const cases: [string, string][] = [
    ['“We need more time to read the report, said Maria Delgado, the council president.', '“We need more time to read the report,” said Maria Delgado, the council president.'],
    ['“It is over, she said, and left.', '“It is over,” she said, and left.'],
    ['“We will win, the mayor said on Tuesday.', '“We will win,” the mayor said on Tuesday.'],
    ['“Prices rose, wages fell, and nobody knows why.', '“Prices rose, wages fell, and nobody knows why.”'],
  ];
  it.each(cases)('%s', (paragraph, expected) => {
    const text = `A Headline Here\n\n${paragraph}`;
    const finding = analyzeArticle(text).findings.find((f) => f.code === 'unclosed-quote');
    const edit = finding?.fixes?.[0].edits[0];
    expect(edit).toBeDefined();
    const fixed = text.slice(0, edit!.start) + edit!.newText + text.slice(edit!.end);
    expect(fixed.split('\n\n')[1]).toBe(expected);
    expect(analyzeArticle(fixed).findings.filter((f) => f.code === 'unclosed-quote')).toEqual([]);
  });
});

describe('block-quote convention: a straight " opening each paragraph of an excerpt quoted with curly marks', () => {
  const curlyIntro = '“We will keep the line open,” the minister said on Monday.\n\nThe report describes the night:\n\n';
  const cases: [string, string, string[]][] = [
    [
      'excerpt paragraphs with curly quotes inside, closed by a straight mark after a curly paragraph',
      curlyIntro +
        '"The crowd grew as the evening went on, and a man in a red coat kept shouting “open the gates” at the guards.\n\n' +
        '"Nobody answered him.\n\n' +
        '“We waited for hours,” one of the guards said later, and the gates stayed shut until morning."\n\n' +
        'The ministry has not commented.',
      [],
    ],
    [
      'a lone excerpt paragraph whose quotations are curly',
      curlyIntro + '"The mayor walked onto the stage, chanting “Home! Home!”\n\n“It was a long night,” she said afterwards.',
      [],
    ],
    [
      'a multi-paragraph quotation in straight marks is the ordinary convention, even in a curly article',
      curlyIntro + '"First we lost the power.\n\n"Then we lost the water.\n\n"Then we lost hope," a resident said.\n\n“We are still here,” another said.',
      ['mixed-quote-styles'],
    ],
    // real errors stay reported
    [
      'a straight opener closed by a curly mark is a mismatch, not an excerpt marker',
      curlyIntro + '"But the bridge held,” Ms. Varga said.\n\n“It was close,” she added.',
      ['mismatched-quote', 'mixed-quote-styles'],
    ],
    [
      'an unclosed straight quotation in an article that quotes with straight marks',
      '"We will keep the line open," the minister said.\n\n"Nobody answered the call, the mayor said on Tuesday.\n\nThe ministry has not commented.',
      ['unclosed-quote'],
    ],
    [
      'one lone straight opener without curly quotes inside is not a convention',
      curlyIntro + '"Nobody answered him.\n\n“We waited,” a guard said.',
      ['mixed-quote-styles', 'unclosed-quote'],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const a = analyze(text);
    expect(codes(a.findings).sort()).toEqual(expected);
  });

  it('the curly quotations inside the excerpt are quotations of their own', () => {
    const text = curlyIntro + '"The mayor walked onto the stage, chanting “Home! Home!”\n\n“It was a long night,” she said afterwards.';
    const a = analyze(text);
    const top = a.quotes.filter((q) => q.depth === 0).map((q) => q.text);
    expect(top).toContain('Home! Home!');
    expect(top).toContain('It was a long night,');
    expect(top.some((t) => t.startsWith('The mayor walked'))).toBe(false);
  });
});
