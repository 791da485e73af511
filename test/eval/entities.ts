/**
 * npm run eval:entities -- [file.jsonl] [--errors out.txt] [--limit n]
 *
 * Measures people / places / organizations against gold annotations in the JSONL
 * format of ../shared/data/conll2003-dev.jsonl ({id, text, entities:[{start,end,type}]}),
 * for Article Lens (the whole per-article pipeline) and for plain compromise (a
 * separate copy without Article Lens's plugins) in the same run: precision, recall
 * and F1 per type (PER, LOC, ORG; MISC gold is dropped), micro-averaged, with exact
 * span match and with overlap match, and the time per document of each system.
 * The data is read where it lies; nothing from it is stored.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import type { EntityType } from '../../server/src/analysis/types';

export type GoldType = 'PER' | 'LOC' | 'ORG';
export const TYPES: GoldType[] = ['PER', 'LOC', 'ORG'];

export interface Labelled {
  start: number;
  end: number;
  type: GoldType;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Counts per type and micro total, for one matching mode. */
export type Tally = Record<GoldType | 'ALL', Counts>;

export function emptyTally(): Tally {
  return { PER: { tp: 0, fp: 0, fn: 0 }, LOC: { tp: 0, fp: 0, fn: 0 }, ORG: { tp: 0, fp: 0, fn: 0 }, ALL: { tp: 0, fp: 0, fn: 0 } };
}

export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** The same span predicted twice (with any type) counts once: the first prediction wins. */
function dedupe(spans: Labelled[]): Labelled[] {
  const seen = new Set<string>();
  const out: Labelled[] = [];
  for (const s of spans) {
    const k = `${s.start}:${s.end}`;
    if (seen.has(k) || s.end <= s.start) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

/**
 * Score one document's predictions against its gold, adding to `exact` and `overlap`.
 * Exact: same start, end and type. Overlap: a prediction and a gold span of the same
 * type that share at least one character, matched one to one (in text order).
 * Returns the predictions and gold spans left unmatched by the exact mode.
 */
export function scoreDocument(gold: Labelled[], predicted: Labelled[], exact: Tally, overlap: Tally): { falsePositives: Labelled[]; falseNegatives: Labelled[] } {
  const g = dedupe(gold).sort((a, b) => a.start - b.start || a.end - b.end);
  const p = dedupe(predicted).sort((a, b) => a.start - b.start || a.end - b.end);
  const add = (t: Tally, type: GoldType, key: keyof Counts) => {
    t[type][key]++;
    t.ALL[key]++;
  };
  // exact
  const goldKeys = new Map(g.map((s) => [`${s.start}:${s.end}:${s.type}`, s]));
  const matched = new Set<Labelled>();
  const falsePositives: Labelled[] = [];
  for (const s of p) {
    const hit = goldKeys.get(`${s.start}:${s.end}:${s.type}`);
    if (hit && !matched.has(hit)) {
      matched.add(hit);
      add(exact, s.type, 'tp');
    } else {
      add(exact, s.type, 'fp');
      falsePositives.push(s);
    }
  }
  const falseNegatives = g.filter((s) => !matched.has(s));
  for (const s of falseNegatives) add(exact, s.type, 'fn');
  // overlap, one to one, in text order
  const used = new Set<Labelled>();
  let from = 0;
  for (const s of p) {
    while (from < g.length && g[from].end <= s.start) from++;
    let hit: Labelled | undefined;
    for (let i = from; i < g.length && g[i].start < s.end; i++) {
      const c = g[i];
      if (c.type === s.type && !used.has(c) && c.end > s.start) {
        hit = c;
        break;
      }
    }
    if (hit) {
      used.add(hit);
      add(overlap, s.type, 'tp');
    } else add(overlap, s.type, 'fp');
  }
  for (const s of g) if (!used.has(s)) add(overlap, s.type, 'fn');
  return { falsePositives, falseNegatives };
}

/** A table of P/R/F1 per type and micro-averaged. */
export function formatTally(name: string, exact: Tally, overlap: Tally): string {
  const f = (x: number) => (x * 100).toFixed(1);
  const lines = [`| ${name} | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 | gold |`, '|---|---|---|---|---|---|---|---|'];
  for (const t of [...TYPES, 'ALL'] as const) {
    const e = prf(exact[t]);
    const o = prf(overlap[t]);
    lines.push(`| ${t === 'ALL' ? 'micro' : t} | ${f(e.precision)} | ${f(e.recall)} | ${f(e.f1)} | ${f(o.precision)} | ${f(o.recall)} | ${f(o.f1)} | ${exact[t].tp + exact[t].fn} |`);
  }
  return lines.join('\n');
}

export interface GoldDocument {
  id: string;
  text: string;
  entities: { start: number; end: number; type: string; text?: string }[];
}

/** Parse JSONL documents; malformed lines are skipped. */
export function readDocuments(jsonl: string): GoldDocument[] {
  const out: GoldDocument[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    try {
      const d = JSON.parse(line) as GoldDocument;
      if (typeof d.text === 'string' && Array.isArray(d.entities)) out.push(d);
    } catch {
      // skip
    }
  }
  return out;
}

export function goldSpans(d: GoldDocument): Labelled[] {
  return d.entities.filter((e): e is Labelled => e.type === 'PER' || e.type === 'LOC' || e.type === 'ORG').map((e) => ({ start: e.start, end: e.end, type: e.type }));
}

const TYPE_OF: Record<EntityType, GoldType> = { person: 'PER', place: 'LOC', organization: 'ORG' };

/** Article Lens: the whole per-article pipeline, every mention of every entity. */
export function articleLensSpans(text: string, cache = new ParagraphCache()): Labelled[] {
  const article = analyzeArticle(text, {}, cache);
  const out: Labelled[] = [];
  for (const e of article.entities) for (const m of e.mentions) out.push({ start: m.start, end: m.end, type: TYPE_OF[e.type] });
  return out;
}

interface PlainTerm {
  text: string;
  offset: { start: number; length: number };
}
type Plain = (text: string) => {
  people(): { json(o: object): { terms: PlainTerm[] }[] };
  places(): { json(o: object): { terms: PlainTerm[] }[] };
  organizations(): { json(o: object): { terms: PlainTerm[] }[] };
};

/** Plain compromise used the efficient way: per paragraph, people/places/organizations with term offsets. */
export function compromiseSpans(plain: Plain, text: string): Labelled[] {
  const out: Labelled[] = [];
  const re = /\n\s*\n/g;
  let from = 0;
  const paragraphs: [number, string][] = [];
  for (let m = re.exec(text); ; m = re.exec(text)) {
    const end = m ? m.index : text.length;
    paragraphs.push([from, text.slice(from, end)]);
    if (!m) break;
    from = m.index + m[0].length;
  }
  for (const [at, paragraph] of paragraphs) {
    if (!paragraph.trim()) continue;
    const doc = plain(paragraph);
    const views: [ReturnType<Plain>['people'], GoldType][] = [
      [() => doc.people(), 'PER'],
      [() => doc.places(), 'LOC'],
      [() => doc.organizations(), 'ORG'],
    ];
    for (const [view, type] of views) {
      for (const m of view().json({ offset: true, terms: { offset: true } })) {
        const terms = m.terms;
        if (!terms?.length) continue;
        const last = terms[terms.length - 1];
        const start = at + terms[0].offset.start;
        const end = at + last.offset.start + last.offset.length;
        if (end > start) out.push({ start, end, type });
      }
    }
  }
  return out;
}

interface SystemResult {
  name: string;
  exact: Tally;
  overlap: Tally;
  millis: number;
  errors: string[];
}

function runSystem(name: string, docs: GoldDocument[], spans: (text: string) => Labelled[], withErrors: boolean): SystemResult {
  const exact = emptyTally();
  const overlap = emptyTally();
  const errors: string[] = [];
  for (const d of docs.slice(0, 3)) spans(d.text); // warm up
  let millis = 0;
  for (const d of docs) {
    const t0 = performance.now();
    const predicted = spans(d.text);
    millis += performance.now() - t0;
    const { falsePositives, falseNegatives } = scoreDocument(goldSpans(d), predicted, exact, overlap);
    if (!withErrors) continue;
    const ctx = (s: Labelled) => d.text.slice(Math.max(0, s.start - 50), s.end + 30).replace(/\n/g, '⏎');
    const goldAt = new Map(goldSpans(d).map((g) => [`${g.start}:${g.end}`, g.type]));
    for (const s of falsePositives) errors.push(`FP ${s.type} ${JSON.stringify(d.text.slice(s.start, s.end))} gold=${goldAt.get(`${s.start}:${s.end}`) ?? '-'} ${d.id} | ${ctx(s)}`);
    const predAt = new Map(predicted.map((g) => [`${g.start}:${g.end}`, g.type]));
    for (const s of falseNegatives) errors.push(`FN ${s.type} ${JSON.stringify(d.text.slice(s.start, s.end))} pred=${predAt.get(`${s.start}:${s.end}`) ?? '-'} ${d.id} | ${ctx(s)}`);
  }
  return { name, exact, overlap, millis, errors };
}

function main(argv: string[]): void {
  let file = resolve(process.cwd(), '../shared/data/conll2003-dev.jsonl');
  let errorsOut: string | undefined;
  let limit = Infinity;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--errors') errorsOut = argv[++i];
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (a === '--only') only = argv[++i];
    else file = resolve(process.cwd(), a);
  }
  const docs = readDocuments(readFileSync(file, 'utf8')).slice(0, limit);
  const plain = createRequire(resolve(process.cwd(), 'package.json'))('compromise') as Plain;
  console.log(`# Entities against gold: ${file}`);
  console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.text.length, 0)} characters, ${docs.reduce((n, d) => n + goldSpans(d).length, 0)} PER/LOC/ORG gold spans (MISC dropped)\n`);
  const results: SystemResult[] = [];
  if (only !== 'compromise') results.push(runSystem('Article Lens', docs, (t) => articleLensSpans(t), !!errorsOut));
  if (only !== 'ours') results.push(runSystem('plain compromise', docs, (t) => compromiseSpans(plain, t), false));
  for (const r of results) {
    console.log(formatTally(r.name, r.exact, r.overlap));
    console.log(`\n${r.name}: ${(r.millis / docs.length).toFixed(2)} ms per document\n`);
  }
  if (results.length === 2) {
    const [a, b] = results;
    console.log(`exact micro-F1: Article Lens ${(prf(a.exact.ALL).f1 * 100).toFixed(1)} vs plain compromise ${(prf(b.exact.ALL).f1 * 100).toFixed(1)}; time per document ratio ${(a.millis / b.millis).toFixed(2)}×`);
  }
  if (errorsOut) {
    writeFileSync(errorsOut, results[0].errors.join('\n') + '\n');
    console.log(`errors of ${results[0].name} written to ${errorsOut}`);
  }
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) main(process.argv.slice(2));
