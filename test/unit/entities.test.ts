import { describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../server/src/analysis/article';
import { emptyDictionary, normalizeName } from '../../server/src/analysis/dictionary';
import { buildEntities } from '../../server/src/analysis/entities';
import { analyzeParagraphNlp } from '../../server/src/analysis/nlp';
import { splitParagraphs } from '../../server/src/analysis/paragraphs';
import type { Entity, ParagraphKind, Structure } from '../../server/src/analysis/types';

/** An ArticleInput from our own analyses; `kinds` marks paragraphs by index (default body). */
function input(text: string, kinds: Record<number, ParagraphKind> = {}, options: ArticleInput['options'] = {}): ArticleInput {
  const paragraphs = splitParagraphs(text);
  const analyses = paragraphs.map((p) => ({ nlp: analyzeParagraphNlp(p.text), marks: [] }));
  const structure: Structure = {
    sections: [],
    boilerplate: [],
    paragraphs: paragraphs.map((p) => ({ index: p.index, start: p.start, end: p.end, kind: kinds[p.index] ?? 'body', sentences: [] })),
  };
  return { text, paragraphs, analyses, structure, options };
}

function summary(entities: Entity[]): string[] {
  return entities.map((e) => `${e.type}:${e.name}×${e.mentions.length}`);
}

function check(text: string, entities: Entity[]): void {
  const ids = new Set<string>();
  for (const e of entities) {
    expect(ids.has(e.id)).toBe(false);
    ids.add(e.id);
    expect(e.aliases[0]).toBe(e.name);
    expect(e.declaration).toBeGreaterThanOrEqual(0);
    expect(e.declaration).toBeLessThan(e.mentions.length);
    for (const m of e.mentions) {
      expect(text.slice(m.start, m.end)).toBe(m.text);
      if (m.prefix) expect(text.slice(m.prefix.start, m.prefix.end)).toBe(m.prefix.text);
    }
    for (let i = 1; i < e.mentions.length; i++) expect(e.mentions[i].start).toBeGreaterThan(e.mentions[i - 1].start);
  }
}

const LEDE =
  'MOSCOW — President Aleksandr G. Lukashenko of Belarus appealed to the Kremlin on Saturday.\n\n' +
  'Mr. Lukashenko, the Kremlin said in a statement, had talked with President Vladimir V. Putin.\n\n' +
  'The European Union, outraged by Mr. Lukashenko’s crackdown, said it was preparing sanctions.';

describe('buildEntities', () => {
  const cases: [string, string, Record<number, ParagraphKind>, string[]][] = [
    [
      'clustering: full name, honorific, possessive and bare headline surname are one person',
      'Under Siege in Belarus, Lukashenko Turns to Putin\n\n' + LEDE,
      { 0: 'headline' },
      [
        'place:Belarus×2',
        'person:Aleksandr G. Lukashenko×4',
        'person:Vladimir V. Putin×2',
        'place:MOSCOW×1',
        'organization:Kremlin×2',
        'organization:European Union×1',
      ],
    ],
    [
      'all-caps headline read with the body’s knowledge',
      'PUTIN WARNS LUKASHENKO OVER MINSK PROTESTS\n\nMr. Putin spoke to Aleksandr Lukashenko about Minsk.',
      { 0: 'headline' },
      ['person:Putin×2', 'person:Aleksandr Lukashenko×2', 'place:Minsk×2'],
    ],
    [
      'an unknown headline word is not an entity',
      'Strong Words From Zorblax As Talks Stall\n\nThe talks stalled in Geneva on Monday.',
      { 0: 'headline' },
      ['place:Geneva×1'],
    ],
    [
      'a name recognised once is recognised everywhere',
      'Talks with Andrew Higgins went on.\n\nHiggins said nothing. Later Higgins left for Moscow.',
      {},
      ['person:Andrew Higgins×3', 'place:Moscow×1'],
    ],
    [
      'acronym joins its expansion',
      'The European Union imposed sanctions. An EU official said more would follow.',
      {},
      ['organization:European Union×2'],
    ],
    [
      'boilerplate keeps only what the body knows',
      'Mr. Putin spoke in Minsk.\n\nSource link\n\nCheck Also\n\nPutin Military Fires Envoy Who Spoke Against Coup',
      { 1: 'boilerplate', 2: 'boilerplate', 3: 'boilerplate' },
      ['person:Putin×2', 'place:Minsk×1'],
    ],
    ['empty text', '', {}, []],
    ['CRLF text', 'Mr. Putin met Angela Merkel.\r\n\r\nMs. Merkel left Berlin.', {}, ['person:Putin×1', 'person:Angela Merkel×2', 'place:Berlin×1']],
    ['emoji before a name', '🎉🎉 Angela Merkel arrived. 😀 Ms. Merkel smiled in Berlin.', {}, ['person:Angela Merkel×2', 'place:Berlin×1']],
  ];
  it.each(cases)('%s', (_name, text, kinds, expected) => {
    const entities = buildEntities(input(text, kinds));
    expect(summary(entities).sort()).toEqual([...expected].sort());
    check(text, entities);
  });

  it('fills mentions, aliases, titles, declaration and place facts', () => {
    const text = 'Under Siege in Belarus, Lukashenko Turns to Putin\n\n' + LEDE;
    const entities = buildEntities(input(text, { 0: 'headline' }));
    const luka = entities.find((e) => e.name === 'Aleksandr G. Lukashenko') as Entity;
    expect(luka.id).toBe('person:aleksandr-g-lukashenko');
    expect(luka.mentions.map((m) => m.context)).toEqual(['headline', 'body', 'body', 'body']);
    expect(luka.mentions[0].text).toBe('Lukashenko');
    expect(luka.mentions[2].prefix?.text).toBe('Mr.');
    expect(luka.mentions[3].possessive).toBe(true);
    expect(luka.mentions[3].text).toBe('Lukashenko');
    expect(luka.declaration).toBe(1);
    expect(luka.aliases).toContain('Mr. Lukashenko');
    expect(luka.titles).toEqual(['President of Belarus']);
    expect(luka.quotes).toEqual([]);
    const belarus = entities.find((e) => e.name === 'Belarus') as Entity;
    expect(belarus.place).toMatchObject({ kind: 'country', countryCode: 'BY', capital: 'Minsk', continent: 'Europe' });
  });

  it('collects age, appositives and relative clauses', () => {
    const text =
      '“He gave an order,” said Vitaly A. Karazhan, 33, referring to Mr. Lukashenko.\n\n' +
      'Mr. Karazhan, who works as a medical equipment engineer, said he feared more violence.\n\n' +
      'In Minsk, the Belarusian capital, thousands gathered at the Pushkinskaya metro station.';
    const entities = buildEntities(input(text));
    const k = entities.find((e) => e.name === 'Vitaly A. Karazhan') as Entity;
    expect(k.age).toBe(33);
    expect(k.mentions.length).toBe(2);
    expect(k.descriptions.map((d) => `${d.kind}:${d.text}`)).toEqual(['relative:who works as a medical equipment engineer']);
    for (const d of k.descriptions) expect(text.slice(d.start, d.end)).toBe(d.text);
    const minsk = entities.find((e) => e.name === 'Minsk') as Entity;
    expect(minsk.descriptions.map((d) => d.text)).toEqual(['the Belarusian capital']);
    expect(entities.some((e) => e.name === 'Pushkinskaya metro station' && e.type === 'place')).toBe(true);
    expect(entities.some((e) => /Belarusian/.test(e.name))).toBe(false);
  });

  it('respects the dictionary: forced types and not-entities', () => {
    const dictionary = emptyDictionary();
    dictionary.notEntities.add(normalizeName('Kremlin'));
    dictionary.types.set(normalizeName('Grace Road'), 'organization');
    const text = 'The Kremlin said Leicestershire played at Grace Road.';
    const entities = buildEntities(input(text, {}, { dictionary }));
    expect(entities.some((e) => e.name === 'Kremlin')).toBe(false);
    expect(entities.find((e) => e.name === 'Grace Road')?.type).toBe('organization');
  });

  it('gives unique ids when two entities share a slug', () => {
    const dictionary = emptyDictionary();
    const text = 'Georgia voted. GEORGIA VOTES\n\nThe state of Georgia and Georgia Tech.';
    const entities = buildEntities(input(text, {}, { dictionary }));
    const ids = entities.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays fast and linear on a long article', () => {
    const para = 'Mr. Lukashenko met President Vladimir V. Putin in Minsk on Friday, the Kremlin said. ';
    const text = Array.from({ length: 400 }, (_, i) => para + `Officials from Ministry ${i % 7} attended.`).join('\n\n');
    const inp = input(text);
    const t0 = performance.now();
    const entities = buildEntities(inp);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(entities.find((e) => e.type === 'person' && e.name === 'Vladimir V. Putin')?.mentions.length).toBe(400);
    check(text, entities);
  });
});
