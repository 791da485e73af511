import { describe, expect, it } from 'vitest';
import { analyzeArticle, analyzeParagraph, ParagraphCache, type ArticleInput } from '../../server/src/analysis/article';
import { emptyDictionary, normalizeName, parseDictionary } from '../../server/src/analysis/dictionary';
import { detectStructure } from '../../server/src/analysis/structure';
import { generateArticle } from '../bench/generate';
import { buildEntities, buildEntitiesSteps } from '../../server/src/analysis/entities';
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
    [
      'a sports report: a town that only the gazetteer calls a place is a team',
      'Brandholm 4 Wexley 2\n\nOrvale 1 Tamsford 0\n\nLancaster made up for lost time on Friday. By stumps Lancaster had reached 108 for three.',
      {},
      ['organization:Brandholm×1', 'organization:Wexley×1', 'organization:Orvale×1', 'organization:Tamsford×1', 'organization:Lancaster×2'],
    ],
    [
      'a company named like a small town is a company throughout',
      'The Kettering plant closed.\n\nKettering was up 1/8 at 48 on Friday.\n\nThe deal will give Kettering more reach.',
      {},
      ['organization:Kettering×3'],
    ],
    [
      'the same town outside business and sports stays a place',
      'Workers in Kettering protested on Friday.\n\nThe mayor of Kettering spoke to them.',
      {},
      ['place:Kettering×2'],
    ],
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
    // aliases are name forms only: the title goes to titles
    expect(luka.aliases.some((a) => /President/.test(a))).toBe(false);
    expect(luka.aliases).toEqual(['Aleksandr G. Lukashenko', 'Lukashenko', 'Mr. Lukashenko']);
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

describe('buildEntities: incremental analysis equals a fresh one', () => {
  const base = generateArticle(12_000, 5);
  const mid = base.indexOf('\n\n', base.length >> 1);
  const edits: [string, (t: string) => string][] = [
    ['type one character', (t) => t.slice(0, mid - 5) + 'x' + t.slice(mid - 5)],
    ['delete one character', (t) => t.slice(0, mid - 5) + t.slice(mid - 4)],
    ['insert a paragraph naming a new person', (t) => t.slice(0, mid) + '\n\nMr. Zorblax Quint met Anna Petrova in Riga.' + t.slice(mid)],
    ['split a paragraph', (t) => t.slice(0, mid - 40) + '\n\n' + t.slice(mid - 40)],
    ['change the headline', (t) => 'LUKASHENKO WARNS WARSAW\n\n' + t],
    ['remove the first half', (t) => t.slice(t.indexOf('\n\n', t.length >> 1) + 2)],
  ];
  it('after each edit of a sequence, with and without a dictionary', () => {
    const dictionary = parseDictionary('{"entities": {"Quint": "organization", "Petrova": "place"}, "notEntities": ["Riga"]}').dictionary;
    for (const options of [{}, { dictionary }]) {
      const cache = new ParagraphCache();
      let text = base;
      analyzeArticle(text, options, cache);
      for (const [, edit] of edits) {
        text = edit(text);
        const warm = analyzeArticle(text, options, cache);
        const fresh = analyzeArticle(text, options, new ParagraphCache());
        expect(warm.stats.cachedParagraphs).toBeGreaterThan(0);
        expect(JSON.stringify(warm.entities)).toBe(JSON.stringify(fresh.entities));
      }
    }
  });

  it('a warm edit of a long article costs a few milliseconds', () => {
    const text = generateArticle(200_000, 7);
    const cache = new ParagraphCache();
    analyzeArticle(text, {}, cache);
    const times: number[] = [];
    let cur = text;
    for (let k = 0; k < 9; k++) {
      const at = (cur.length >> 1) + k * 17;
      cur = cur.slice(0, at) + (cur[at] === 'a' ? 'e' : 'a') + cur.slice(at + 1);
      const paragraphs = splitParagraphs(cur);
      const analyses = paragraphs.map((p) => {
        let a = cache.get(p.text);
        if (!a) cache.set(p.text, (a = analyzeParagraph(p.text)));
        return a;
      });
      const structure = detectStructure(cur, paragraphs, analyses);
      const t0 = performance.now();
      buildEntities({ text: cur, paragraphs, analyses, structure, options: {} });
      times.push(performance.now() - t0);
    }
    // the same pass without the per-paragraph memo (new analysis objects): what the memo saves
    const paragraphs = splitParagraphs(cur);
    const cold: number[] = [];
    for (let k = 0; k < 3; k++) {
      const analyses = paragraphs.map((p) => ({ ...(cache.get(p.text) as ReturnType<typeof analyzeParagraph>) }));
      const structure = detectStructure(cur, paragraphs, analyses);
      const t0 = performance.now();
      buildEntities({ text: cur, paragraphs, analyses, structure, options: {} });
      cold.push(performance.now() - t0);
    }
    // a ratio against the same pass without the memo, in the same process (no wall-clock bound)
    expect(Math.min(...times)).toBeLessThan(Math.min(...cold) * 0.6);
  });

  it('passes over two documents in turn, or interleaved in slices, equal fresh ones', () => {
    const a = generateArticle(20_000, 3);
    const b = generateArticle(20_000, 4);
    const inputOf = (text: string, cache: ParagraphCache): ArticleInput => {
      const paragraphs = splitParagraphs(text);
      const analyses = paragraphs.map((p) => {
        let x = cache.get(p.text);
        if (!x) cache.set(p.text, (x = analyzeParagraph(p.text)));
        return x;
      });
      return { text, paragraphs, analyses, structure: detectStructure(text, paragraphs, analyses), options: {} };
    };
    const cache = new ParagraphCache();
    const fresh = (text: string) => JSON.stringify(buildEntities(inputOf(text, new ParagraphCache())));
    let ta = a;
    let tb = b;
    for (let k = 0; k < 4; k++) {
      ta = ta.slice(0, 5000 + k) + 'Mr. Quint' + ta.slice(5000 + k);
      tb = tb.slice(0, 9000 - k) + '\n\nIn Tirana, Olga Varga spoke.' + tb.slice(9000 - k);
      // two generators advanced in turn, a slice at a time
      const ga = buildEntitiesSteps(inputOf(ta, cache));
      const gb = buildEntitiesSteps(inputOf(tb, cache));
      let ra = ga.next();
      let rb = gb.next();
      while (!ra.done || !rb.done) {
        if (!ra.done) ra = ga.next();
        if (!rb.done) rb = gb.next();
      }
      expect(JSON.stringify(ra.value)).toBe(fresh(ta));
      expect(JSON.stringify(rb.value)).toBe(fresh(tb));
      expect(JSON.stringify(buildEntities(inputOf(ta, cache)))).toBe(fresh(ta));
    }
  });

  it('the generator pauses on a long article and returns what buildEntities does', () => {
    const text = generateArticle(150_000, 2);
    const cache = new ParagraphCache();
    analyzeArticle(text, {}, cache);
    const paragraphs = splitParagraphs(text);
    const analyses = paragraphs.map((p) => cache.get(p.text) ?? analyzeParagraph(p.text));
    const inp: ArticleInput = { text, paragraphs, analyses, structure: detectStructure(text, paragraphs, analyses), options: {} };
    const steps = buildEntitiesSteps(inp);
    let pauses = 0;
    let r = steps.next();
    while (!r.done) {
      pauses++;
      r = steps.next();
    }
    expect(pauses).toBeGreaterThan(3);
    expect(JSON.stringify(r.value)).toBe(JSON.stringify(buildEntities(inp)));
  });
});

describe('the team dictionary', () => {
  it('a forced name is an entity wherever it occurs, even when nothing else detects it', () => {
    const { dictionary } = parseDictionary('{ "entities": { "zorblax": "organization" } }');
    const text = 'Officials of Zorblax met. Later Zorblax said no, and ZORBLAX agreed.';
    const entities = buildEntities(input(text, {}, { dictionary }));
    const z = entities.find((e) => e.type === 'organization' && /zorblax/i.test(e.name)) as Entity;
    expect(z.mentions.map((m) => m.text)).toEqual(['Zorblax', 'Zorblax', 'ZORBLAX']);
    check(text, entities);
  });

  it('forced types win over local evidence, and not-entities are dropped everywhere', () => {
    const { dictionary } = parseDictionary('{ "entities": { "Minsk": "organization" }, "notEntities": ["Angela Merkel", "Merkel"] }');
    const text = 'Angela Merkel visited Minsk. Ms. Merkel left Minsk on Friday.';
    const entities = buildEntities(input(text, {}, { dictionary }));
    expect(summary(entities)).toEqual(['organization:Minsk×2']);
  });
});

describe('parseDictionary', () => {
  const cases: [string, string, string[], string[], string[]][] = [
    ['valid', '{"$schema": "x", "entities": {"Lukashenko": "person", "Tass": "organization"}, "notEntities": ["Source Link"]}', ['lukashenko=person', 'tass=organization'], ['source link'], []],
    ['empty file', '  ', [], [], []],
    ['invalid JSON', '{"entities": {"A": "person",}}', [], [], ['Invalid JSON']],
    ['unterminated', '{"entities": {"A": "person"', [], [], ['Invalid JSON']],
    ['not an object', '["person"]', [], [], ['must be an object']],
    ['wrong type value', '{"entities": {"A": "city", "B": 3, "C": "place"}}', ['c=place'], [], ['not "city"', 'not a number']],
    ['wrong container types', '{"entities": [], "notEntities": {"a": 1}}', [], [], ['"entities" must be an object', '"notEntities" must be an array']],
    ['non-string not-entity and empty name', '{"notEntities": [1, "", "  ", "Ok"]}', [], ['ok'], ['not a number', 'empty name', 'empty name']],
    ['unknown property', '{"people": {}}', [], [], ['Unknown property']],
    ['__proto__ and constructor keys stay data', '{"entities": {"__proto__": "person", "constructor": "place"}, "__proto__": {}}', ['__proto__=person', 'constructor=place'], [], ['Unknown property']],
    ['both forced and not an entity', '{"entities": {"Kremlin": "organization"}, "notEntities": ["kremlin"]}', [], ['kremlin'], ['both forced']],
    ['curly apostrophes and spaces are normalised', '{"entities": {"O’Brien  Smith": "person"}}', ["o'brien smith=person"], [], []],
    ['escapes', '{"entities": {"Caf\\u00e9 \\"Roma\\"": "place"}}', ['café "roma"=place'], [], []],
    ['byte order mark', '\ufeff{"notEntities": ["X"]}', [], ['x'], []],
    ['deep nesting', '{"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}', [], [], ['Invalid JSON: Nested too deeply']],
  ];
  it.each(cases)('%s', (_name, json, types, nots, problems) => {
    const r = parseDictionary(json);
    expect([...r.dictionary.types].map(([k, v]) => `${k}=${v}`)).toEqual(types);
    expect([...r.dictionary.notEntities]).toEqual(nots);
    expect(r.problems.length).toBe(problems.length);
    problems.forEach((p, i) => expect(r.problems[i].message).toContain(p));
    for (const p of r.problems) {
      expect(p.start).toBeGreaterThanOrEqual(0);
      expect(p.end).toBeGreaterThanOrEqual(p.start);
      expect(p.end).toBeLessThanOrEqual(json.length);
    }
    expect(Object.prototype.hasOwnProperty.call({}, 'person')).toBe(false);
  });

  it('points at the offending value', () => {
    const json = '{"entities": {"Minsk": "city"}}';
    const p = parseDictionary(json).problems[0];
    expect(json.slice(p.start, p.end)).toBe('"city"');
    const bad = '{"entities": {"Minsk": place}}';
    const q = parseDictionary(bad).problems[0];
    expect(q.start).toBe(bad.indexOf('place'));
  });

  it('never throws on hostile input', () => {
    const inputs: unknown[] = [undefined, null, 42, {}, 'x'.repeat(5_000_000), '{'.repeat(100_000), '"'.repeat(1000), '\ud800{"a"', '{"entities": {"' + 'a'.repeat(400) + '": "person"}}', '{"entities":{"a":"person"}} trailing'];
    for (const i of inputs) {
      const t0 = performance.now();
      const r = parseDictionary(i);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(r.dictionary.types.size).toBe(0);
      if (i !== '' && i !== undefined) expect(r.problems.length).toBeGreaterThan(0);
    }
  });
});
