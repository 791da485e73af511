/**
 * npm run eval:quotes -- [file.jsonl] [--split dev|train|all] [--show missed,fp,speaker,pronoun,findings,scare] [--limit n]
 *
 * Measures Article Lens's quote analysis against PolNeAR-style gold annotations
 * (../shared/data/polnear-train-dev.jsonl by default, split dev): direct-quote
 * recall and precision, speaker accuracy, pronoun speakers resolved to a named
 * entity, partial (mixed) quotes found, the scare-quote class against the
 * unannotated quoted spans, and the quote diagnostics raised per 100 articles.
 * The data is read where it lies; nothing from it is stored.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeArticle, ParagraphCache } from '../../server/src/analysis/article';
import type { Article, Quote, Span } from '../../server/src/analysis/types';

export interface GoldSpan extends Span {
  text: string;
}

export interface GoldQuote extends Span {
  id?: string;
  text: string;
  type: 'direct' | 'mixed' | 'indirect';
  parts?: [number, number][];
  inner?: [number, number][] | [number, number];
  speaker: GoldSpan | null;
  cue?: string;
}

export interface GoldArticle {
  id: string;
  split?: string;
  text: string;
  quotes: GoldQuote[];
  unannotated_quoted_spans?: GoldSpan[];
}

/** Third-person and first-person pronouns a gold speaker can be. */
const PRONOUN = /^(he|she|they|i|we|him|her|them)$/i;
const HONORIFIC = /^(mr|mrs|ms|dr|sen|rep|gov|gen|president|senator|the|a|an)\.?$/i;

export interface Report {
  articles: number;
  gold: { direct: number; mixed: number; unannotated: number };
  direct: {
    predicted: number;
    matched: number;
    /** matched with the strict rule (≥ 90 % of the longer span) */
    strictMatched: number;
    exact: number;
    recall: number;
    precision: number;
    /** gold direct quotes found by some quotation of another kind (partial, scare, title) */
    foundAsOtherKind: number;
    /** predicted direct quotes that are not gold direct: inside a gold mixed quote / on an unannotated span / elsewhere */
    falsePositives: { inMixed: number; unannotated: number; other: number };
  };
  speaker: { withGold: number; right: number; accuracy: number; none: number };
  pronoun: {
    /** found direct quotes whose gold speaker is a pronoun and whose reported mention overlaps it */
    total: number;
    /** … resolved to an entity */
    resolved: number;
    /** … with a named gold source earlier in the article */
    checkable: number;
    /** … whose entity agrees with the nearest earlier named gold source */
    agree: number;
  };
  mixed: { found: number; foundAnyKind: number; share: number; speakerWithGold: number; speakerRight: number };
  scare: { unannotatedCovered: number; unannotatedNonSpeech: number; agreement: number; predictedScare: number; scareOnUnannotated: number; scareInsideAttribution: number };
  findings: Record<string, number>;
  findingsPer100: Record<string, number>;
  millisPerArticle: number;
  samples: Record<string, string[]>;
}

function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/**
 * A found quotation matches a gold span when the spans are equal or the found one
 * overlaps ≥ 90 % of the gold span (the issue's rule); `strict` also asks ≥ 90 % of
 * the found span, so a quotation swallowing its neighbour does not count.
 */
export function spanMatches(pred: Span, gold: Span, strict = false): boolean {
  if (pred.start === gold.start && pred.end === gold.end) return true;
  const base = strict ? Math.max(pred.end - pred.start, gold.end - gold.start) : gold.end - gold.start;
  return base > 0 && overlap(pred, gold) >= 0.9 * base;
}

/** One-to-one matching of gold spans to predictions (best overlap first, in gold order). */
function matchAll(golds: GoldQuote[], predicted: Quote[], strict: boolean): Map<GoldQuote, Quote> {
  const used = new Set<Quote>();
  const out = new Map<GoldQuote, Quote>();
  for (const g of golds) {
    let best: Quote | undefined;
    let bestOv = -1;
    for (const q of predicted) {
      if (used.has(q) || !spanMatches(q, g, strict)) continue;
      const ov = overlap(q, g);
      if (ov > bestOv) {
        best = q;
        bestOv = ov;
      }
    }
    if (best) {
      used.add(best);
      out.set(g, best);
    }
  }
  return out;
}

function context(text: string, s: Span, pad = 90): string {
  return JSON.stringify(text.slice(Math.max(0, s.start - pad), Math.min(text.length, s.end + pad)));
}

function nameTokens(s: string): string[] {
  return s
    .split(/[^\p{L}\p{N}'’.-]+/u)
    .map((w) => w.replace(/[’']s$/, '').replace(/\.$/, ''))
    .filter((w) => w.length >= 3 && /^\p{Lu}/u.test(w) && !HONORIFIC.test(w));
}

/** Evaluate the quote analysis on gold articles. `analyze` is replaceable for tests. */
export function evaluateQuotes(rows: GoldArticle[], analyze: (text: string) => Article = defaultAnalyze, sampleLimit = 40): Report {
  const r: Report = {
    articles: rows.length,
    gold: { direct: 0, mixed: 0, unannotated: 0 },
    direct: { predicted: 0, matched: 0, strictMatched: 0, exact: 0, recall: 0, precision: 0, foundAsOtherKind: 0, falsePositives: { inMixed: 0, unannotated: 0, other: 0 } },
    speaker: { withGold: 0, right: 0, accuracy: 0, none: 0 },
    pronoun: { total: 0, resolved: 0, checkable: 0, agree: 0 },
    mixed: { found: 0, foundAnyKind: 0, share: 0, speakerWithGold: 0, speakerRight: 0 },
    scare: { unannotatedCovered: 0, unannotatedNonSpeech: 0, agreement: 0, predictedScare: 0, scareOnUnannotated: 0, scareInsideAttribution: 0 },
    findings: {},
    findingsPer100: {},
    millisPerArticle: 0,
    samples: { missed: [], fp: [], speaker: [], pronoun: [], findings: [], scare: [] },
  };
  const sample = (kind: string, line: string) => {
    if (r.samples[kind].length < sampleLimit) r.samples[kind].push(line);
  };
  let millis = 0;
  for (const row of rows) {
    const t0 = performance.now();
    const a = analyze(row.text);
    millis += performance.now() - t0;
    const text = row.text;
    const top = a.quotes.filter((q) => q.depth === 0);
    const predicted = top.filter((q) => q.kind === 'direct');
    const golds = row.quotes.filter((g) => g.type === 'direct');
    const mixed = row.quotes.filter((g) => g.type === 'mixed');
    const unannotated = row.unannotated_quoted_spans ?? [];
    r.gold.direct += golds.length;
    r.gold.mixed += mixed.length;
    r.gold.unannotated += unannotated.length;
    r.direct.predicted += predicted.length;
    const entityById = new Map(a.entities.map((e) => [e.id, e]));
    const namedSources = row.quotes
      .filter((g) => g.speaker && !PRONOUN.test(g.speaker.text.trim()) && nameTokens(g.speaker.text).length > 0)
      .sort((x, y) => x.speaker!.start - y.speaker!.start);

    // direct quotes: one-to-one, best overlap first
    const matches = matchAll(golds, predicted, false);
    r.direct.strictMatched += matchAll(golds, predicted, true).size;
    const used = new Set<Quote>(matches.values());
    for (const g of golds) {
      const best = matches.get(g);
      if (!best) {
        const other = top.find((q) => q.kind !== 'direct' && spanMatches(q, g));
        if (other) r.direct.foundAsOtherKind++;
        sample('missed', `${row.id} [${other ? other.kind : top.some((q) => overlap(q, g) > 0) ? 'overlap-only' : 'none'}] ${context(text, g, 60)}`);
        continue;
      }
      r.direct.matched++;
      if (best.start === g.start && best.end === g.end) r.direct.exact++;
      if (!g.speaker) continue;
      r.speaker.withGold++;
      const sp = best.speaker;
      if (!sp) r.speaker.none++;
      if (sp && overlap(sp, g.speaker) > 0) {
        r.speaker.right++;
        if (PRONOUN.test(g.speaker.text.trim())) {
          r.pronoun.total++;
          const entity = sp.entity ? entityById.get(sp.entity) : undefined;
          if (entity) r.pronoun.resolved++;
          // the nearest named gold source before the pronoun: a fair stand-in for its referent
          const before = namedSources.filter((s) => s.speaker!.end <= g.speaker!.start);
          const ref = before[before.length - 1];
          if (ref) {
            r.pronoun.checkable++;
            const refTokens = nameTokens(ref.speaker!.text);
            const entTokens = entity ? nameTokens([entity.name, ...entity.aliases].join(' ')) : [];
            const agree = entTokens.some((t) => refTokens.includes(t));
            if (agree) r.pronoun.agree++;
            sample(
              'pronoun',
              `${agree ? 'AGREE' : 'DIFFER'} ${row.id} ${g.speaker.text} -> ${entity ? entity.name : '(no entity)'} | nearest named source: ${ref.speaker!.text} | ${context(text, { start: Math.min(g.start, g.speaker.start), end: Math.max(g.speaker.end, Math.min(g.end, g.start + 80)) }, 160)}`,
            );
          }
        }
      } else {
        sample('speaker', `${row.id} gold=${JSON.stringify(g.speaker.text)} ours=${sp ? `${JSON.stringify(sp.text)} (${sp.via})` : 'none'} ${context(text, { start: Math.min(g.start, g.speaker.start), end: Math.max(g.end, g.speaker.end) }, 40)}`);
      }
    }
    for (const q of predicted) {
      if (used.has(q)) continue;
      if (mixed.some((g) => overlap(g, q) > 0)) r.direct.falsePositives.inMixed++;
      else if (unannotated.some((u) => overlap(u, q) > 0)) r.direct.falsePositives.unannotated++;
      else r.direct.falsePositives.other++;
      sample('fp', `${row.id} speaker=${q.speaker?.text ?? 'none'} ${context(text, q, 60)}`);
    }

    // partial quotes inside paraphrase
    for (const g of mixed) {
      const inside = top.filter((q) => overlap(q, g) > 0);
      if (inside.length) r.mixed.foundAnyKind++;
      const speech = inside.find((q) => q.kind === 'partial' || q.kind === 'direct');
      if (!speech) continue;
      r.mixed.found++;
      if (g.speaker) {
        r.mixed.speakerWithGold++;
        if (speech.speaker && overlap(speech.speaker, g.speaker) > 0) r.mixed.speakerRight++;
      }
    }

    // scare quotes against the quoted stretches nobody is credited with
    for (const u of unannotated) {
      const q = top.find((x) => overlap(x, u) > 0);
      if (!q) continue;
      r.scare.unannotatedCovered++;
      if (q.kind === 'scare' || q.kind === 'title') r.scare.unannotatedNonSpeech++;
      else sample('scare', `SPEECH-ON-UNANNOTATED ${row.id} ${q.kind} speaker=${q.speaker?.text ?? 'none'} ${context(text, u, 60)}`);
    }
    for (const q of top) {
      if (q.kind !== 'scare') continue;
      r.scare.predictedScare++;
      if (unannotated.some((u) => overlap(u, q) > 0)) r.scare.scareOnUnannotated++;
      else if (row.quotes.some((g) => g.type !== 'indirect' && overlap(g, q) > 0)) {
        r.scare.scareInsideAttribution++;
        sample('scare', `SCARE-IN-ATTRIBUTION ${row.id} ${context(text, q, 60)}`);
      }
    }

    for (const f of a.findings) {
      r.findings[f.code] = (r.findings[f.code] ?? 0) + 1;
      sample('findings', `${f.code} ${row.id} ${context(text, f, 100)}`);
    }
  }
  r.direct.recall = r.gold.direct ? r.direct.matched / r.gold.direct : 0;
  r.direct.precision = r.direct.predicted ? r.direct.matched / r.direct.predicted : 0;
  r.speaker.accuracy = r.speaker.withGold ? r.speaker.right / r.speaker.withGold : 0;
  r.mixed.share = r.gold.mixed ? r.mixed.found / r.gold.mixed : 0;
  r.scare.agreement = r.scare.unannotatedCovered ? r.scare.unannotatedNonSpeech / r.scare.unannotatedCovered : 0;
  for (const [k, v] of Object.entries(r.findings)) r.findingsPer100[k] = rows.length ? (v * 100) / rows.length : 0;
  r.millisPerArticle = rows.length ? millis / rows.length : 0;
  return r;
}

const cache = new ParagraphCache();
function defaultAnalyze(text: string): Article {
  // scare-quote hints on, so their rate is measured too (they are off by default in the editor)
  return analyzeArticle(text, { scareQuoteHints: true }, cache);
}

const pct = (x: number) => (100 * x).toFixed(1) + ' %';
const f3 = (x: number) => x.toFixed(3);

export function formatReport(r: Report, label = ''): string {
  const lines: string[] = [];
  lines.push(`# Quote evaluation${label ? ` — ${label}` : ''}: ${r.articles} articles`);
  lines.push(`gold: ${r.gold.direct} direct, ${r.gold.mixed} mixed, ${r.gold.unannotated} unannotated quoted spans`);
  lines.push('');
  lines.push(`direct quotes (span equal, or overlapping ≥ 90 % of the gold span; marks included; one-to-one)`);
  lines.push(
    `  recall     ${f3(r.direct.recall)}  (${r.direct.matched}/${r.gold.direct}; exact spans ${r.direct.exact}; ` +
      `strict, ≥ 90 % of the longer span: ${f3(r.gold.direct ? r.direct.strictMatched / r.gold.direct : 0)}; found as another kind ${r.direct.foundAsOtherKind})`,
  );
  lines.push(
    `  precision  ${f3(r.direct.precision)}  (${r.direct.matched}/${r.direct.predicted}; unmatched: ${r.direct.falsePositives.inMixed} inside a gold mixed quote, ` +
      `${r.direct.falsePositives.unannotated} on an unannotated span, ${r.direct.falsePositives.other} elsewhere)`,
  );
  lines.push(`speaker accuracy on found direct quotes  ${f3(r.speaker.accuracy)}  (${r.speaker.right}/${r.speaker.withGold} overlap the gold source; no speaker ${r.speaker.none})`);
  lines.push(
    `pronoun speakers  ${r.pronoun.total} found; resolved to an entity ${r.pronoun.resolved}; ` +
      `agree with the nearest earlier named gold source ${r.pronoun.agree}/${r.pronoun.checkable} (${pct(r.pronoun.checkable ? r.pronoun.agree / r.pronoun.checkable : 0)})`,
  );
  lines.push(
    `mixed (partial) quotes found  ${f3(r.mixed.share)}  (${r.mixed.found}/${r.gold.mixed} as partial or direct; any quotation ${r.mixed.foundAnyKind}; ` +
      `speaker right ${r.mixed.speakerRight}/${r.mixed.speakerWithGold})`,
  );
  lines.push(
    `scare-quote class vs unannotated spans  agreement ${f3(r.scare.agreement)}  (${r.scare.unannotatedNonSpeech}/${r.scare.unannotatedCovered} called scare or title); ` +
      `our scare quotes ${r.scare.predictedScare}: ${r.scare.scareOnUnannotated} on unannotated spans, ${r.scare.scareInsideAttribution} inside a gold attribution`,
  );
  lines.push('');
  lines.push(`diagnostics per 100 articles (scare-quote is a hint, off by default):`);
  const codes = Object.keys(r.findings).sort();
  if (codes.length === 0) lines.push('  none');
  for (const c of codes) lines.push(`  ${c.padEnd(22)} ${r.findingsPer100[c].toFixed(1).padStart(6)}  (${r.findings[c]})`);
  lines.push('');
  lines.push(`time: ${r.millisPerArticle.toFixed(1)} ms per article (whole analysis)`);
  return lines.join('\n');
}

export function readGold(file: string, split: string): GoldArticle[] {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as GoldArticle);
  return split === 'all' ? rows : rows.filter((row) => row.split === split);
}

function main(argv: string[]): void {
  let file = resolve(process.cwd(), '../shared/data/polnear-train-dev.jsonl');
  let split = 'dev';
  let show: string[] = [];
  let limit = 40;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--split') split = argv[++i];
    else if (a.startsWith('--split=')) split = a.slice(8);
    else if (a === '--show') show = (argv[++i] ?? '').split(',');
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (!a.startsWith('--')) file = resolve(process.cwd(), a);
  }
  const rows = readGold(file, split);
  const report = evaluateQuotes(rows, defaultAnalyze, limit);
  console.log(formatReport(report, `${file.split('/').pop()} [${split}]`));
  for (const kind of show) {
    const list = report.samples[kind];
    if (!list) continue;
    console.log(`\n## ${kind} (${list.length} shown)`);
    for (const l of list) console.log(l);
  }
}

// run only as the bundled script (npm run eval:quotes), not when imported by tests or other bundles
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module && /eval-quotes\.js$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2));
}
