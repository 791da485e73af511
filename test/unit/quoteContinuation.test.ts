import { describe, expect, it } from 'vitest';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';

function analyze(text: string) {
  return analyzeArticle(text, {}, new ParagraphCache());
}

function top(text: string) {
  const a = analyze(text);
  return a.quotes
    .filter((q) => q.depth === 0)
    .map((q) => ({ text: q.text, kind: q.kind, parts: q.parts.length, speaker: q.speaker?.text ?? null, entity: q.speaker?.entity ? a.entities.find((e) => e.id === q.speaker!.entity)?.name : undefined }));
}

describe('a speech continued in the next paragraphs', () => {
  const cases: [string, string, { text: string; kind: string; parts: number; speaker?: string | null }[]][] = [
    [
      'attributed after its first part, continued by a paragraph that is wholly a quotation',
      '“We will not back down,” said Maria Lopez, a nurse.\n\n“Every shift is short-staffed. Nobody listens to us.”',
      [{ text: 'We will not back down, … Every shift is short-staffed. Nobody listens to us.', kind: 'direct', parts: 2, speaker: 'Maria Lopez' }],
    ],
    [
      'three paragraphs',
      '“The plan is dead,” Mr. Okafor said.\n\n“Nobody will vote for it.”\n\n“Not this year, not next year.”',
      [{ text: 'The plan is dead, … Nobody will vote for it. … Not this year, not next year.', kind: 'direct', parts: 3, speaker: 'Okafor' }],
    ],
    [
      'an aside after the speaker in the same paragraph does not stop it',
      '“The rent doubled,” Mr. Okafor said, referring to the shops on Main Street.\n\n“Nobody can pay that.”',
      [{ text: 'The rent doubled, … Nobody can pay that.', kind: 'direct', parts: 2, speaker: 'Okafor' }],
    ],
    [
      'not when the next paragraph has its own attribution',
      '“The plan is dead,” Mr. Okafor said.\n\n“It is alive and well,” Ms. Ward said.',
      [
        { text: 'The plan is dead,', kind: 'direct', parts: 1, speaker: 'Okafor' },
        { text: 'It is alive and well,', kind: 'direct', parts: 1, speaker: 'Ward' },
      ],
    ],
    [
      'not when the writer says more after the attribution',
      '“The plan is dead,” Mr. Okafor said. The council voted on Monday.\n\n“Nobody will vote for it.”',
      [
        { text: 'The plan is dead,', kind: 'direct', parts: 1, speaker: 'Okafor' },
        { text: 'Nobody will vote for it.', kind: 'direct', parts: 1 },
      ],
    ],
    [
      'not when the next paragraph only starts with a quotation',
      '“The plan is dead,” Mr. Okafor said.\n\n“Dead” is a strong word for a plan that passed on Monday.',
      [
        { text: 'The plan is dead,', kind: 'direct', parts: 1, speaker: 'Okafor' },
        { text: 'Dead', kind: 'scare', parts: 1, speaker: null },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const got = top(text);
    expect(got.length).toBe(expected.length);
    expected.forEach((e, i) => {
      expect(got[i].text).toBe(e.text);
      expect(got[i].kind).toBe(e.kind);
      expect(got[i].parts).toBe(e.parts);
      if (e.speaker !== undefined) expect(got[i].speaker).toBe(e.speaker);
    });
  });

  it('does not continue past a signed statement (“…” ― Name)', () => {
    const got = top('“Vote early.” ― Ana Ruiz\n\n“Vote often.” ― Tom Okafor');
    expect(got.map((q) => q.parts)).toEqual([1, 1]);
  });
});

describe('forms of direct speech', () => {
  const cases: [string, string, { text: string; kind: string; parts?: number; speaker?: string | null }][] = [
    [
      'a naming verb in the aside does not block an interrupted quotation',
      '“They are spending millions against me,” Ms. Ward said, referring to a group called Future45. “So they think I will win.”',
      { text: 'They are spending millions against me, … So they think I will win.', kind: 'direct', parts: 2, speaker: 'Ward' },
    ],
    [
      'a whole sentence after the writer’s comma ends the writer’s sentence',
      'Ms. Ward wrote on Twitter on Monday, in reference to her first child, “Next summer, our daughter is going to be a big sister!”',
      { text: 'Next summer, our daughter is going to be a big sister!', kind: 'direct' },
    ],
    ['a verb of criticism before the whole statement', 'In a speech, Mr. Hale attacked “the hateful ideology of the extremists and everyone who funds them.”', { text: 'the hateful ideology of the extremists and everyone who funds them.', kind: 'direct', speaker: 'Hale' }],
    ['mocks as a speech verb', 'Mr. Hale is blunt. “The market has not failed the workers,” he mocks. “The workers have failed the market.”', { text: 'The market has not failed the workers, … The workers have failed the market.', kind: 'direct', parts: 2, speaker: 'he' }],
  ];
  it.each(cases)('%s', (_name, text, e) => {
    const got = top(text).find((q) => q.text === e.text);
    expect(got, JSON.stringify(top(text))).toBeDefined();
    expect(got!.kind).toBe(e.kind);
    if (e.parts !== undefined) expect(got!.parts).toBe(e.parts);
    if (e.speaker !== undefined) expect(got!.speaker).toBe(e.speaker);
  });

  it('a short capitalised phrase after a comma is not made a direct quotation', () => {
    const got = top('The crowd chanted, “Lock Her Up” until midnight.');
    expect(got.every((q) => q.kind !== 'direct' || q.parts === 1)).toBe(true);
    expect(top('He held a sign, “Vote.”')[0].kind).not.toBe('direct');
  });
});

describe('he and she resolved to the person meant', () => {
  const cases: [string, string, string, string][] = [
    [
      'the last speaker, when the paragraph between names someone compatible only in passing',
      '“Make yourself heard,” Loretta Lynch said.\n\nShe has faced criticism over her meeting with Bill Clinton while the department was investigating his wife, Hillary Clinton.\n\n“People tend not to say those things to me,” she said.',
      'People tend not to say those things to me,',
      'Loretta Lynch',
    ],
    [
      'the subject of a sentence before a person named in passing',
      'Mr. Schultz worked for MSNBC for years and said he did not support Mr. Trump in the election.\n\n“I am a news anchor now,” he said.',
      'I am a news anchor now,',
      'Schultz',
    ],
    [
      'a person named inside a quotation is not the referent',
      'Senator Anna Berg spoke first.\n\n“John Miller lied to us,” said a voter. “I will never trust him.”\n\nLater, Ms. Berg answered. “We will check the facts,” she said.',
      'We will check the facts,',
      'Berg',
    ],
  ];
  it.each(cases)('%s', (_name, text, quote, name) => {
    const a = analyze(text);
    const q = a.quotes.find((x) => x.text === quote);
    expect(q, JSON.stringify(a.quotes.map((x) => x.text))).toBeDefined();
    expect(/^(he|she)$/i.test(q!.speaker?.text ?? '')).toBe(true);
    const e = a.entities.find((x) => x.id === q!.speaker?.entity);
    expect(e?.name ?? '').toContain(name);
  });
});
