import { describe, expect, it } from 'vitest';
import { articleLensSpans, emptyTally, formatTally, goldSpans, prf, readDocuments, scoreDocument, type Labelled } from '../../test/eval/entities';

// A tiny fixture of our own (not from any evaluation data).
const TEXT = 'Marta Kowal met officials of Northwind Bank in Port Elsby on Tuesday.';
const GOLD: Labelled[] = [
  { start: 0, end: 11, type: 'PER' }, // Marta Kowal
  { start: 29, end: 43, type: 'ORG' }, // Northwind Bank
  { start: 47, end: 57, type: 'LOC' }, // Port Elsby
];

describe('scoreDocument', () => {
  it('fixture spans are where the comments say', () => {
    expect(GOLD.map((g) => TEXT.slice(g.start, g.end))).toEqual(['Marta Kowal', 'Northwind Bank', 'Port Elsby']);
  });

  const cases: [string, Labelled[], Record<'PER' | 'LOC' | 'ORG' | 'ALL', [number, number, number]>, Record<'ALL', [number, number, number]>][] = [
    ['perfect', GOLD, { PER: [1, 0, 0], LOC: [1, 0, 0], ORG: [1, 0, 0], ALL: [3, 0, 0] }, { ALL: [3, 0, 0] }],
    ['nothing predicted', [], { PER: [0, 0, 1], LOC: [0, 0, 1], ORG: [0, 0, 1], ALL: [0, 0, 3] }, { ALL: [0, 0, 3] }],
    [
      'wrong type on an exact span: a false positive of one type and a false negative of the other',
      [{ start: 29, end: 43, type: 'LOC' }],
      { PER: [0, 0, 1], LOC: [0, 1, 1], ORG: [0, 0, 1], ALL: [0, 1, 3] },
      { ALL: [0, 1, 3] },
    ],
    [
      'a partial span counts for overlap only',
      [{ start: 6, end: 11, type: 'PER' }, { start: 47, end: 51, type: 'LOC' }],
      { PER: [0, 1, 1], LOC: [0, 1, 1], ORG: [0, 0, 1], ALL: [0, 2, 3] },
      { ALL: [2, 0, 1] },
    ],
    [
      'one gold span matches one prediction only (overlap is one to one)',
      [{ start: 0, end: 5, type: 'PER' }, { start: 6, end: 11, type: 'PER' }],
      { PER: [0, 2, 1], LOC: [0, 0, 1], ORG: [0, 0, 1], ALL: [0, 2, 3] },
      { ALL: [1, 1, 2] },
    ],
    [
      'the same span predicted twice counts once',
      [GOLD[0], { ...GOLD[0] }],
      { PER: [1, 0, 0], LOC: [0, 0, 1], ORG: [0, 0, 1], ALL: [1, 0, 2] },
      { ALL: [1, 0, 2] },
    ],
  ];
  it.each(cases)('%s', (_name, predicted, exact, overlap) => {
    const e = emptyTally();
    const o = emptyTally();
    scoreDocument(GOLD, predicted, e, o);
    for (const [t, [tp, fp, fn]] of Object.entries(exact)) expect(e[t as keyof typeof e]).toEqual({ tp, fp, fn });
    expect(o.ALL).toEqual({ tp: overlap.ALL[0], fp: overlap.ALL[1], fn: overlap.ALL[2] });
  });

  it('returns the exact-mode errors', () => {
    const { falsePositives, falseNegatives } = scoreDocument(GOLD, [{ start: 0, end: 5, type: 'PER' }, GOLD[2]], emptyTally(), emptyTally());
    expect(falsePositives).toEqual([{ start: 0, end: 5, type: 'PER' }]);
    expect(falseNegatives.map((g) => g.type).sort()).toEqual(['ORG', 'PER']);
  });

  it('computes precision, recall and F1', () => {
    expect(prf({ tp: 3, fp: 1, fn: 3 })).toEqual({ precision: 0.75, recall: 0.5, f1: 0.6 });
    expect(prf({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('formats a table with every type and the micro average', () => {
    const e = emptyTally();
    const o = emptyTally();
    scoreDocument(GOLD, GOLD, e, o);
    const table = formatTally('test', e, o);
    expect(table).toContain('| micro | 100.0 | 100.0 | 100.0 | 100.0 | 100.0 | 100.0 | 3 |');
    expect(table.split('\n').length).toBe(6);
  });
});

describe('reading documents', () => {
  it('reads JSONL, drops MISC gold and skips malformed lines', () => {
    const jsonl = [
      JSON.stringify({ id: 'a', text: TEXT, entities: [...GOLD, { start: 0, end: 5, type: 'MISC' }] }),
      '{not json',
      JSON.stringify({ id: 'b', text: 7, entities: [] }),
      '',
    ].join('\n');
    const docs = readDocuments(jsonl);
    expect(docs.map((d) => d.id)).toEqual(['a']);
    expect(goldSpans(docs[0])).toEqual(GOLD);
  });

  it('scores the Article Lens pipeline on the fixture', () => {
    const e = emptyTally();
    const o = emptyTally();
    const predicted = articleLensSpans(TEXT);
    for (const p of predicted) expect(p.end).toBeGreaterThan(p.start);
    scoreDocument(GOLD, predicted, e, o);
    expect(e.PER.tp).toBe(1);
    expect(e.ALL.tp + e.ALL.fn).toBe(3);
  });
});
