/**
 * Article-level entity building: turns the per-paragraph name candidates into one
 * entity per referent:
 *  - headline-style lines and boilerplate are read with the body's knowledge,
 *  - a name recognised once is recognised at every occurrence (a word scan),
 *  - "President Aleksandr G. Lukashenko", "Mr. Lukashenko’s" and "Lukashenko" are one person,
 *  - the type is a vote over all mentions.
 *
 * Everything that depends on one paragraph only (candidate keys, words, votes, descriptors,
 * the words a known name may start at) is computed once per paragraph analysis and memoised
 * by that object. The article's knowledge (what the body says each name is) is made from
 * every paragraph's votes; what a paragraph contributes once it is applied (known names found
 * in it, the candidates a headline keeps, the cluster of each mention) depends on the
 * paragraph and on that knowledge only.
 *
 * That is what makes an edit cheap (`spliceEntities`): when the edited paragraphs leave the
 * knowledge as it was, only their own mentions are listed again, only the clusters those
 * mentions belong to are typed and filled again, and every other entity is moved.
 * `buildEntitiesSteps` is the whole pass, as a generator that pauses every few thousand
 * units of work, so a very long article can be analysed in slices.
 */
import { replaceRange } from './lists';
import type { ArticleInput } from './article';
import { normalizeName as normalizeNameUncached, type Dictionary } from './dictionary';
import { lookupPlace } from './gazetteer';
import type { DescriptorCandidate, Descriptor, Entity, EntityType, Mention, NameCandidate, ParagraphAnalysis, ParagraphKind, ParagraphSlice } from './types';
import { paragraphKinds } from './structure';

type Context = Mention['context'];

/** A shared empty list (never written to). */
const EMPTY: readonly never[] = Object.freeze([]);

/** normalizeName, memoised (names repeat a lot in an article and across edits); equal names share one key string. */
let normCache = new Map<string, string>();
function normalizeName(s: string): string {
  let v = normCache.get(s);
  if (v === undefined) {
    v = normalizeNameUncached(s);
    if (normCache.size > 200_000) normCache = new Map();
    normCache.set(s, v);
  }
  return v;
}

/** The words of a name, shared between equal names (read only). */
let wordsCache = new Map<string, readonly string[]>();
function wordsOf(name: string): readonly string[] {
  let v = wordsCache.get(name);
  if (v === undefined) {
    v = words(name);
    if (!v.length) v = EMPTY;
    if (wordsCache.size > 100_000) wordsCache = new Map();
    wordsCache.set(name, v);
  }
  return v;
}

/** Work units (paragraphs, mentions, scanned words) between two pauses of `buildEntitiesSteps`. */
const SLICE = 2000;

// ---------------------------------------------------------------------------
// Per-paragraph data (depends on the paragraph text alone; memoised)
// ---------------------------------------------------------------------------

/** A mention in the making (offsets relative to its paragraph; never changed once made). */
interface Raw {
  start: number;
  end: number;
  text: string;
  /** the name without a possessive */
  name: string;
  /** lookup key of `name` */
  key: string;
  words: readonly string[];
  /** key of the name without middle initials */
  core: string;
  /** the name is written in capitals */
  caps: boolean;
  type: EntityType | undefined;
  confidence: number;
  possessive: boolean;
  /** the paragraph's candidate, or undefined for a mention found by the known-name scan */
  c: Cand | undefined;
}

/**
 * A name candidate prepared for the article pass (offsets relative to the paragraph).
 * It is its own raw mention (`c` is itself) unless the team dictionary retypes it.
 */
interface Cand extends Raw {
  nc: NameCandidate;
  /** key of "Mr. Lukashenko" when the prefix is a courtesy honorific ("Mr.") */
  aliasKey: string | undefined;
  /** this candidate's descriptors */
  descs: readonly PreparedDescriptor[];
}

interface PreparedDescriptor {
  kind: DescriptorCandidate['kind'];
  text: string;
  start: number;
  end: number;
  key: string;
}

interface ParaData {
  cands: readonly Cand[];
  caps: boolean;
  titleCase: boolean;
  /**
   * Capitalised words (any word in an all-caps paragraph) where a known name may start:
   * their offsets, or -1 - offset for a word inside a candidate (only weak paragraphs look there)
   */
  scanAt: readonly number[];
  /** key of each word without a trailing period or possessive */
  scanKey: readonly string[];
  /** key of each word as written where it differs (undefined: none differs) */
  scanAlt: readonly (string | undefined)[] | undefined;
  /** the candidates with the team dictionary applied, for that dictionary */
  dictRaws?: { dict: Dictionary; list: readonly Raw[] };
  /** the candidates' votes (see votesOf), for a reading and a dictionary */
  votes?: { weak: boolean; dict: Dictionary | undefined; list: readonly unknown[] };
  /** every string the article pass may look up in the knowledge for this paragraph's candidates and words (see readsChanges) */
  reads?: readonly string[];
}

/** What a paragraph contributes to an article pass once the article's knowledge is applied. */
interface ArticleMemo {
  /** the raw mentions kept (weak paragraphs keep only what the body knows) */
  own: readonly Raw[];
  /** known names found by the scan */
  found: Raw[] | undefined;
  /** the anyWeakScanned flag `list` was made with (undefined: not made) */
  aws: boolean | undefined;
  /** the mentions in text order */
  list: readonly Raw[];
  /** the cluster key of each mention (undefined: each mention's own key) */
  cks: readonly string[] | undefined;
}

const memo = new WeakMap<ParagraphAnalysis, ParaData>();

function stripPossessive(text: string): string {
  return text.replace(/[’']s?$/u, '');
}

function words(name: string): string[] {
  return name.split(/\s+/).filter(Boolean);
}

function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && text === text.toUpperCase();
}

const SCAN_CAPS = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu;
const SCAN_CAPITALISED = /\p{Lu}[\p{L}\p{N}'’.&-]*/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function prepare(analysis: ParagraphAnalysis, text: string): ParaData {
  const nlp = analysis.nlp;
  const caps = isAllCaps(text);
  const names = nlp?.names ?? EMPTY;
  const cands: Cand[] = [];
  const byIndex: (Cand | undefined)[] = names.length > 1 ? new Array(names.length) : [];
  for (let ci = 0; ci < names.length; ci++) {
    const c = names[ci];
    if (c.start < 0 || c.end > text.length || c.end <= c.start) continue;
    // the candidate's own text when it is the paragraph's (it always is from nlp.ts): no new string
    const t = typeof c.text === 'string' && c.text.length === c.end - c.start && text.startsWith(c.text, c.start) ? c.text : text.slice(c.start, c.end);
    const name = stripPossessive(t);
    const ws = wordsOf(name);
    const cand = {
      start: c.start,
      end: c.end,
      text: t,
      name,
      key: normalizeName(name),
      words: ws,
      core: coreKey(ws),
      caps: isAllCaps(name),
      type: c.type,
      confidence: c.confidence,
      possessive: !!c.possessive,
      c: undefined,
      nc: c,
      aliasKey: c.prefix && COURTESY.test(c.prefix.text) ? normalizeName(`${c.prefix.text} ${name}`) : undefined,
      descs: EMPTY,
    } as Cand;
    cand.c = cand;
    cands.push(cand);
    byIndex[ci] = cand;
  }
  for (const d of nlp?.descriptors ?? EMPTY) {
    const cand = byIndex[d.name];
    if (!cand) continue;
    const key = normalizeName(d.kind === 'title' || d.kind === 'role' ? d.text.replace(/\.$/, '') : d.text);
    const prepared: PreparedDescriptor = { kind: d.kind, text: d.text, start: d.start, end: d.end, key };
    if (cand.descs === EMPTY) cand.descs = [prepared];
    else (cand.descs as PreparedDescriptor[]).push(prepared);
  }
  const scanAt: number[] = [];
  const scanKey: string[] = [];
  let scanAlt: (string | undefined)[] | undefined;
  const re = caps ? SCAN_CAPS : SCAN_CAPITALISED;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    if (at > 0 && LETTER_OR_DIGIT.test(text[at - 1])) continue;
    const w = m[0];
    const key = normalizeName(stripPossessive(w.replace(/\.$/, '')));
    const full = normalizeName(w);
    let inside = false;
    for (const c of cands) {
      if (c.start <= at && at < c.end) {
        inside = true;
        break;
      }
    }
    if (full !== key) {
      scanAlt ??= [];
      scanAlt[scanKey.length] = full;
    }
    scanAt.push(inside ? -1 - at : at);
    scanKey.push(key);
  }
  if (scanAlt && scanAlt.length < scanKey.length) scanAlt.length = scanKey.length;
  return {
    cands: cands.length ? cands.slice() : EMPTY,
    caps,
    titleCase: !!nlp?.titleCase,
    scanAt: scanAt.length ? scanAt.slice() : EMPTY,
    scanKey: scanKey.length ? scanKey.slice() : EMPTY,
    scanAlt: scanAlt?.slice(),
  };
}

function paraData(analysis: ParagraphAnalysis | undefined, text: string): ParaData {
  if (!analysis) return { cands: EMPTY, caps: false, titleCase: false, scanAt: EMPTY, scanKey: EMPTY, scanAlt: undefined };
  let d = memo.get(analysis);
  if (!d) {
    d = prepare(analysis, text);
    memo.set(analysis, d);
  }
  return d;
}

/** Do a paragraph's share of the entity work ahead of the article pass (the sliced analysis calls it per paragraph). */
export function prepareEntityParagraph(analysis: ParagraphAnalysis, text: string): void {
  paraData(analysis, text);
}

/** The candidates of a paragraph with the team dictionary applied (dropped names out, forced types in). */
function dictRaws(d: ParaData, dict: Dictionary): readonly Raw[] {
  const cached = d.dictRaws;
  if (cached && cached.dict === dict) return cached.list;
  const list: Raw[] = [];
  for (const c of d.cands) {
    if (dict.notEntities.has(c.key)) continue;
    const forced = dict.types.get(c.key);
    if (!forced) {
      list.push(c);
      continue;
    }
    list.push({
      start: c.start,
      end: c.end,
      text: c.text,
      name: c.name,
      key: c.key,
      words: c.words,
      core: c.core,
      caps: c.caps,
      type: forced,
      confidence: 1,
      possessive: c.possessive,
      c,
    });
  }
  const out = list.length === d.cands.length && list.every((r, i) => r === d.cands[i]) ? d.cands : list.length ? list : EMPTY;
  d.dictRaws = { dict, list: out };
  return out;
}

// ---------------------------------------------------------------------------
// Article pass
// ---------------------------------------------------------------------------

const CONTEXT: Record<ParagraphKind, Context> = {
  headline: 'headline',
  subhead: 'headline',
  dateline: 'dateline',
  byline: 'byline',
  body: 'body',
  boilerplate: 'boilerplate',
};

/** "vladimir v. putin" → "vladimir putin" (initials dropped) for matching full names. */
function coreKey(ws: readonly string[]): string {
  const core = ws.filter((w, i) => i === 0 || i === ws.length - 1 || !/^\p{L}\.?$/u.test(w));
  return normalizeName(core.join(' '));
}

function slug(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'entity';
}

function acronymOf(ws: readonly string[]): string {
  const sig = ws.filter((w) => !/^(of|the|and|for|de|&)$/i.test(w));
  return sig.length >= 2 ? sig.map((w) => w[0]).join('').toLowerCase() : '';
}

const VOTED: EntityType[] = ['person', 'place', 'organization'];

/** Legal forms that end company names. */
const CORPORATE = /^(?:inc|corp|co|ltd|plc|llc|sa|s\.a|ag|nv|n\.v|bv|spa|s\.p\.a|gmbh|ab|asa|oyj|as|a\/s|kk|bhd|pty|limited|corporation|incorporated|company|group|holdings?)\.?,?$/i;

/** Generic second heads of company names, dropped after the legal form ("Mercantile Bancorp Inc."). */
const GENERIC_CORP = /^(?:bancorp|bancshares|group|holdings?|financial|industries|corp\.?|co\.?|inc\.?|enterprises|international|resources|systems|technologies)$/i;

/** Courtesy honorifics: with a surname they make a name form ("Mr. Lukashenko"), unlike titles. */
const COURTESY = /^(?:mr|mrs|ms|miss|mx|mme|mlle|messrs|mmes)\.?$/i;

/** A place name used as a sports team anywhere in an article names the team throughout it. */
const TEAM_WEIGHT = 3;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

interface Form {
  text: string;
  lower: string;
  key: string;
  words: readonly string[];
  core: string;
  caps: boolean;
  /** the form contains an apostrophe (compared after straightening) */
  apostrophe: boolean;
  /** matched in any case (a dictionary name) */
  anyCase: boolean;
}

/** The votes for one key: types in the order they were first voted for, and their weights. */
interface Votes {
  types: EntityType[];
  weights: number[];
}



/** Build the article's entities from the paragraph analyses. Never throws on well-formed input. */
export function buildEntities(input: ArticleInput): Entity[] {
  const steps = buildEntitiesSteps(input);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/**
 * `buildEntities` as a generator: it yields every few thousand units of work (paragraphs,
 * mentions, scanned words; a few milliseconds at most) and returns the entities. Run it to
 * the end on the same input; abandoning it part-way is harmless.
 */
export function* buildEntitiesSteps(input: ArticleInput): Generator<void, Entity[], void> {
  const { paragraphs, analyses, structure } = input;
  const dict = input.options.dictionary;
  const n = paragraphs.length;
  const kindOf = paragraphKinds(structure, structure?.paragraphs.length ?? 0);
  const kinds: (ParagraphKind | undefined)[] = new Array(n);
  for (let pi = 0; pi < n; pi++) kinds[pi] = kindOf[paragraphs[pi].index];
  let work = 0;

  // 1. per-paragraph data → raw mentions (offsets relative to the paragraph); 2. what the body knows
  const datas: ParaData[] = new Array(n);
  const weakPara: boolean[] = new Array(n);
  const contexts: Context[] = new Array(n);
  const voteLists: (readonly unknown[])[] = new Array(n);
  for (let pi = 0; pi < n; pi++) {
    const kind = kinds[pi] ?? 'body';
    contexts[pi] = CONTEXT[kind] ?? 'body';
    const d = paraData(analyses[pi], paragraphs[pi].text);
    datas[pi] = d;
    // a subhead in sentence case (a results line, a short label) is read like the body
    const weak = kind === 'headline' || kind === 'boilerplate' || d.titleCase;
    weakPara[pi] = weak;
    voteLists[pi] = votesOf(d, weak, dict);
    work += 1 + (voteLists[pi].length >> 2);
    if (work >= SLICE) {
      work = 0;
      yield;
    }
  }
  const knowledge = makeKnowledge(voteLists, dict);
  yield;

  // 3. keep weak-paragraph candidates only when the body knows them (or the evidence is very strong)
  // 4. document-level consistency: find known names wherever they occur
  const arts: ArticleMemo[] = new Array(n);
  const weakFound = new Uint8Array(n);
  let weakFoundCount = 0;
  for (let pi = 0; pi < n; pi++) {
    const d = datas[pi];
    const a = scanParagraph(knowledge, paragraphs[pi].text, d, dict ? dictRaws(d, dict) : d.cands, weakPara[pi]);
    arts[pi] = a;
    if (weakPara[pi] && a.found !== undefined) {
      weakFound[pi] = 1;
      weakFoundCount++;
    }
    if ((work += 1 + d.scanAt.length) >= SLICE) {
      work = 0;
      yield;
    }
  }
  const anyWeakScanned = weakFoundCount > 0;

  // 5. each paragraph's mentions in text order (see listMentions); 6. the mentions of each cluster key, in text order
  const lists: (readonly Raw[])[] = new Array(n);
  const cks: (readonly string[] | undefined)[] = new Array(n);
  const clusters = new Map<string, Cluster>();
  let last: Cluster | undefined;
  for (let pi = 0; pi < n; pi++) {
    const a = arts[pi];
    const weak = weakPara[pi];
    listMentions(knowledge, a, weak, anyWeakScanned);
    const list = a.list;
    const ck = a.cks;
    lists[pi] = list;
    cks[pi] = ck;
    for (let j = 0; j < list.length; j++) {
      const r = list[j];
      const key = ck ? ck[j] : r.key;
      let c = last !== undefined && last.key === key ? last : clusters.get(key);
      if (!c) clusters.set(key, (c = { key, raws: [], pis: [], firstJ: j, votes: [0, 0, 0], team: false, entities: EMPTY, bases: EMPTY }));
      last = c;
      c.raws.push(r);
      c.pis.push(pi);
      if (r.type === undefined) continue;
      const team = r.c !== undefined && r.c.nc.source === 'team';
      if (team) c.team = true;
      c.votes[r.type === 'person' ? 0 : r.type === 'place' ? 1 : 2] += r.confidence * (weak ? 0.5 : 1) * (team ? TEAM_WEIGHT : 1);
    }
    if ((work += 1 + list.length) >= SLICE) {
      work = 0;
      yield;
    }
  }

  // 7. type by vote, then fill the entities
  // a sports report (several place names acting as teams): a one-word place that only
  // the tagger calls a place is a team too ("Derbyshire", "Essex")
  let teams = 0;
  for (const c of clusters.values()) if (teamVote(c)) teams++;
  const where: Where = { paragraphs, weakPara, contexts };
  const order: Cluster[] = [];
  for (const c of clusters.values()) {
    makeEntities(c, knowledge, teams, where);
    order.push(c);
    // one cluster at a time (a few thousand mentions at most take a few milliseconds)
    if ((work += 1 + c.raws.length) >= SLICE) {
      work = 0;
      yield;
    }
  }
  const entities = finishEntities(order);
  states.set(entities, { knowledge, voteLists, aws: anyWeakScanned, weakFoundCount, weakFound, kinds, weakPara, contexts, datas, lists, cks, order, teams });
  return entities;
}

// ---------------------------------------------------------------------------
// Pieces shared by the article pass and the splice
// ---------------------------------------------------------------------------

/** The article's knowledge: what the body says each name is, and the name forms it knows. */
interface Knowledge {
  dict: Dictionary | undefined;
  /** the knowledge as a list of keys, types and words (see makeKnowledge): equal lists, equal knowledge */
  state: readonly unknown[];
  votes: Map<string, Votes>;
  typeOf(key: string): EntityType | undefined;
  known: Map<string, readonly string[]>;
  surname: Map<string, string>;
  fullByCore: Map<string, string>;
  orgStem: Map<string, string>;
  orgStemWords: Map<string, readonly string[]>;
  droppedAny: boolean;
  /** made when a paragraph needs them */
  forms?: Map<string, Form[]>;
  acronyms?: Map<string, string>;
}

function formsOf(k: Knowledge): Map<string, Form[]> {
  return (k.forms ??= knownForms(k.known, k.surname, k.orgStemWords, k.dict));
}

function acronymsOf(k: Knowledge): Map<string, string> {
  if (k.acronyms) return k.acronyms;
  const out = new Map<string, string>();
  for (const [key, ws] of k.known) {
    if (k.typeOf(key) === 'organization') {
      const a = acronymOf(ws);
      if (a && !out.has(a)) out.set(a, key);
    }
  }
  return (k.acronyms = out);
}

/** A paragraph's kept candidates and the known names the scan finds in it. */
function scanParagraph(k: Knowledge, text: string, d: ParaData, base: readonly Raw[], weak: boolean): ArticleMemo {
  const own = weak && base.length ? base.filter((r) => k.votes.has(r.key) || k.surname.has(r.key) || (r.confidence >= 0.8 && !!r.type)) : base;
  let found: Raw[] | undefined;
  if (d.scanAt.length) {
    const fs = formsOf(k);
    if (fs.size) found = scanKnown(text, d, weak, k.droppedAny, own, fs, k.typeOf, k.surname, k.orgStem);
  }
  return { own, found, aws: undefined, list: EMPTY, cks: undefined };
}

/**
 * A paragraph's mentions in text order (a scanned known name beats a weak headline candidate
 * it overlaps) and their cluster keys: person surnames and honorific forms join the full name,
 * acronyms join their expansion.
 */
function listMentions(k: Knowledge, a: ArticleMemo, weak: boolean, anyWeakScanned: boolean): void {
  if (a.aws === anyWeakScanned) return;
  let list = a.own;
  const found = a.found;
  if (found) {
    if (anyWeakScanned && weak) list = list.filter((r) => r.confidence >= 0.9 || !found.some((s) => s.start < r.end && s.end > r.start));
    list = list.concat(found).sort((x, y) => x.start - y.start || y.end - x.end);
  }
  let cks: string[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const ck = clusterKey(k, r);
    if (ck !== r.key && !cks) cks = list.slice(0, i).map((x) => x.key);
    if (cks) cks.push(ck);
  }
  a.list = list;
  a.cks = cks;
  a.aws = anyWeakScanned;
}

function clusterKey(k: Knowledge, r: Raw): string {
  const key = r.key;
  const stemOf = k.orgStem.size ? k.orgStem.get(key) : undefined;
  if (stemOf) return stemOf;
  if (r.words.length === 1) {
    const full = k.surname.get(key);
    if (full && !(r.type && r.type !== 'person' && r.confidence >= 0.9 && !r.c?.nc.prefix)) return full;
    const acronyms = acronymsOf(k);
    if (acronyms.size) {
      const ac = acronyms.get(key.replace(/\./g, ''));
      if (ac && r.caps && /^\p{Lu}/u.test(r.text)) return ac;
    }
  } else if (r.words.length >= 2 && k.fullByCore.size) {
    const full = k.fullByCore.get(r.core);
    if (full) return full;
  }
  return key;
}

/**
 * The votes of a paragraph's candidates for what their names are (what the article's
 * knowledge is made of), as key, type, weight and words, four entries per vote; memoised.
 */
function votesOf(d: ParaData, weak: boolean, dict: Dictionary | undefined): readonly unknown[] {
  const memo = d.votes;
  if (memo && memo.weak === weak && memo.dict === dict) return memo.list;
  const list = dict ? dictRaws(d, dict) : d.cands;
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!r.type) continue;
    if (weak ? r.confidence < 0.9 : r.confidence < 0.45) continue;
    out.push(r.key, r.type, r.confidence * (r.c?.nc.source === 'team' ? TEAM_WEIGHT : 1), r.words);
  }
  const frozen = out.length ? out : EMPTY;
  d.votes = { weak, dict, list: frozen };
  return frozen;
}

/** Two vote lists say the same (words compared by content). */
function sameVotes(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) return false;
    const x = a[i + 3] as readonly string[];
    const y = b[i + 3] as readonly string[];
    if (x !== y && (x.length !== y.length || x.some((w, k) => w !== y[k]))) return false;
  }
  return true;
}

/** The article's knowledge from every paragraph's votes, in text order, and the team's dictionary. */
function makeKnowledge(voteLists: readonly (readonly unknown[])[], dict: Dictionary | undefined): Knowledge {
  const votes = new Map<string, Votes>();
  const vote = (key: string, type: EntityType, w: number) => {
    let m = votes.get(key);
    if (!m) votes.set(key, (m = { types: [], weights: [] }));
    const i = m.types.indexOf(type);
    if (i < 0) {
      m.types.push(type);
      m.weights.push(0 + w);
    } else m.weights[i] += w;
  };
  const known = new Map<string, readonly string[]>(); // key → words (display form)
  for (const list of voteLists) {
    for (let i = 0; i < list.length; i += 4) {
      const key = list[i] as string;
      vote(key, list[i + 1] as EntityType, list[i + 2] as number);
      if (!known.has(key)) known.set(key, list[i + 3] as readonly string[]);
    }
  }
  if (dict) for (const [k, t] of dict.types) if (!known.has(k)) vote(k, t, 1);
  const typeOf = (key: string): EntityType | undefined => {
    const m = votes.get(key);
    if (!m) return undefined;
    let best: EntityType | undefined;
    let bw = 0;
    const { types, weights } = m;
    for (let i = 0; i < types.length; i++) if (weights[i] > bw) (best = types[i]), (bw = weights[i]);
    return best;
  };

  // surnames of multi-word people → their full-name key
  const surname = new Map<string, string>();
  const fullByCore = new Map<string, string>();
  for (const [key, ws] of known) {
    if (ws.length < 2 || typeOf(key) !== 'person') continue;
    const last = normalizeName(ws[ws.length - 1]);
    const prevKey = surname.get(last);
    if (prevKey === undefined || (known.get(prevKey)?.length ?? 0) < ws.length) surname.set(last, key);
    const core = coreKey(ws);
    const had = fullByCore.get(core);
    if (!had || (known.get(had)?.length ?? 0) < ws.length) fullByCore.set(core, key);
  }
  for (const s of surname.keys()) if (!votes.has(s)) vote(s, 'person', 0.5);

  // "Cofinec S.A." → "Cofinec", "Magna International Inc" → "Magna International": the name without its legal form
  // ("Mercantile Bancorp Inc." → "Mercantile Bancorp" → "Mercantile": each shorter form names the company)
  const orgStem = new Map<string, string>();
  const orgStemWords = new Map<string, readonly string[]>();
  for (const [key, ws] of known) {
    if (ws.length < 2 || !CORPORATE.test(ws[ws.length - 1]) || typeOf(key) !== 'organization') continue;
    let stemWords = ws.slice(0, -1).map((w, i, a) => (i === a.length - 1 ? w.replace(/,$/, '') : w));
    for (let depth = 0; depth < 2 && stemWords.length; depth++) {
      const stem = normalizeName(stemWords.join(' '));
      if (!stem || surname.has(stem) || orgStem.has(stem) || (votes.has(stem) && typeOf(stem) !== 'organization')) break;
      if (depth > 0 && (stemWords.length > 1 ? false : !/^\p{Lu}/u.test(stemWords[0]) || stemWords[0].length < 4)) break;
      orgStem.set(stem, key);
      orgStemWords.set(stem, stemWords);
      if (!votes.has(stem)) vote(stem, 'organization', 0.5);
      const last = stemWords[stemWords.length - 1];
      if (stemWords.length < 2 || !GENERIC_CORP.test(last)) break;
      stemWords = stemWords.slice(0, -1);
    }
  }

  // the knowledge, summarised: equal summaries, equal knowledge (the paragraphs' memos hold)
  const state: unknown[] = [];
  for (const key of votes.keys()) state.push(key, typeOf(key));
  state.push(known.size);
  for (const [key, ws] of known) {
    state.push(key, ws.length);
    for (const w of ws) state.push(w);
  }
  return {
    dict,
    state,
    votes,
    typeOf,
    known,
    surname,
    fullByCore,
    orgStem,
    orgStemWords,
    droppedAny: !!dict?.notEntities.size,
  };
}

/** One cluster of mentions (one cluster key) and the entities made of it. */
interface Cluster {
  key: string;
  /** the mentions in text order, and the paragraph of each */
  raws: Raw[];
  pis: number[];
  /** the first mention's place among its paragraph's mentions (clusters are ordered by their first mention) */
  firstJ: number;
  /** votes in the order of VOTED */
  votes: [number, number, number];
  /** a mention is a sports team */
  team: boolean;
  /** what the cluster made (none, one, or a place and an organization), and the id base of each */
  entities: readonly Entity[];
  bases: readonly string[];
}

/** Where the mentions are: the paragraphs, which are read with the body's knowledge, and their contexts. */
interface Where {
  paragraphs: ArticleInput['paragraphs'];
  weakPara: readonly boolean[];
  contexts: readonly Context[];
}

/** A cluster whose organization votes beat its place votes and that names a team. */
function teamVote(c: Cluster): boolean {
  return c.votes[2] > c.votes[1] && c.team;
}

/** A cluster's votes and team flag from its mentions. */
function countVotes(c: Cluster, weakPara: readonly boolean[]): void {
  const votes: [number, number, number] = [0, 0, 0];
  let team = false;
  for (let i = 0; i < c.raws.length; i++) {
    const r = c.raws[i];
    if (r.type === undefined) continue;
    const isTeam = r.c !== undefined && r.c.nc.source === 'team';
    if (isTeam) team = true;
    votes[r.type === 'person' ? 0 : r.type === 'place' ? 1 : 2] += r.confidence * (weakPara[c.pis[i]] ? 0.5 : 1) * (isTeam ? TEAM_WEIGHT : 1);
  }
  c.votes = votes;
  c.team = team;
}

/** Type a cluster by its votes and fill its entities (none when nothing types it or only headlines name it). */
function makeEntities(c: Cluster, k: Knowledge, teams: number, where: Where): void {
  const { raws, pis } = c;
  const { weakPara } = where;
  c.entities = EMPTY;
  c.bases = EMPTY;
  let type: EntityType | undefined;
  let bw = 0;
  for (let i = 0; i < 3; i++) if (c.votes[i] > bw) (type = VOTED[i]), (bw = c.votes[i]);
  if (teams >= 2 && type !== 'organization' && type !== undefined && raws[0].words.length === 1 && teamLike(type, raws)) type = 'organization';
  else if (type === 'place' && c.votes[2] > 0 && raws.some(company)) {
    // "Magna was up 1/8" beside "Magna's traditional strength": a company named like a small town
    const first = raws[0];
    const facts = lookupPlace(first.name);
    if (facts && smallTown(facts, first.name)) type = 'organization';
  }
  const forced = k.dict?.types.get(c.key);
  if (forced) type = forced;
  if (!type) type = fallbackType(raws, pis, weakPara);
  if (!type) return;
  if (!k.votes.has(c.key) && pis.every((pi) => weakPara[pi]) && !raws.some((r) => r.confidence >= 0.9)) return;
  if (type === 'organization' && !forced && raws.some(placeHere)) {
    // "NEW YORK 1996-08-22", "In Tirana:", "... AT HOUSTON": the city itself, beside the team named after it
    const here: Raw[] = [];
    const herePis: number[] = [];
    const rest: Raw[] = [];
    const restPis: number[] = [];
    raws.forEach((r, i) => {
      if (placeHere(r)) here.push(r), herePis.push(pis[i]);
      else rest.push(r), restPis.push(pis[i]);
    });
    const made = [fill('place', here, herePis, where)];
    if (rest.length) made.push(fill(type, rest, restPis, where));
    c.entities = made.map((m) => m.entity);
    c.bases = made.map((m) => m.base);
  } else {
    const made = fill(type, raws, pis, where);
    c.entities = [made.entity];
    c.bases = [made.base];
  }
}

/**
 * The entities of clusters in the order of their first mentions: ids (the second entity of
 * a name gets "#2") in that order, then sorted by first mention.
 */
function finishEntities(order: readonly Cluster[]): Entity[] {
  const ids = new Map<string, number>();
  const entities: Entity[] = [];
  for (const c of order) {
    for (let i = 0; i < c.entities.length; i++) {
      const base = c.bases[i];
      const k = ids.get(base) ?? 0;
      ids.set(base, k + 1);
      const e = c.entities[i];
      e.id = k ? `${base}#${k + 1}` : base;
      entities.push(e);
    }
  }
  entities.sort((a, b) => a.mentions[0].start - b.mentions[0].start);
  return entities;
}

/** The forms of the known names, by the key of their first word, longest first. */
function knownForms(known: Map<string, readonly string[]>, surname: Map<string, string>, orgStemWords: Map<string, readonly string[]>, dict: Dictionary | undefined): Map<string, Form[]> {
  const byFirst = new Map<string, (readonly string[])[]>();
  const addForm = (ws: readonly string[]) => {
    if (!ws.length) return;
    const k = normalizeName(ws[0]);
    let list = byFirst.get(k);
    if (!list) byFirst.set(k, (list = []));
    const key = normalizeName(ws.join(' '));
    if (!list.some((l) => l.length === ws.length && normalizeName(l.join(' ')) === key)) list.push(ws);
  };
  for (const [key, ws] of known) {
    if (key.length < 2 || dict?.notEntities.has(key)) continue;
    addForm(ws);
  }
  for (const full of surname.values()) {
    const ws = known.get(full);
    if (ws) addForm([ws[ws.length - 1]]);
  }
  for (const ws of orgStemWords.values()) addForm(ws);
  // names the team forced to a type are entities wherever they occur, in any case
  const anyCase = new Set<string>();
  if (dict) {
    for (const key of dict.types.keys()) {
      if (known.has(key) || dict.notEntities.has(key)) continue;
      const ws = words(key);
      if (!ws.length) continue;
      anyCase.add(normalizeName(ws.join(' ')));
      addForm(ws);
    }
  }
  const forms = new Map<string, Form[]>();
  for (const [k, list] of byFirst) {
    list.sort((a, b) => b.length - a.length);
    forms.set(
      k,
      list.map((ws): Form => {
        const t = ws.join(' ').replace(/’/g, "'");
        const name = stripPossessive(ws.join(' '));
        const key = normalizeName(name);
        return { text: t, lower: t.toLowerCase(), key, words: ws, core: coreKey(ws), caps: isAllCaps(name), apostrophe: t.includes("'"), anyCase: anyCase.has(key) };
      }),
    );
  }
  return forms;
}

/** The known names that occur in a paragraph outside its kept candidates. */
function scanKnown(
  pt: string,
  d: ParaData,
  weak: boolean,
  droppedAny: boolean,
  own: readonly Raw[],
  forms: Map<string, Form[]>,
  typeOf: (key: string) => EntityType | undefined,
  surname: Map<string, string>,
  orgStem: Map<string, string>,
): Raw[] | undefined {
  // where every candidate is kept, a name starting inside one could never be free
  const all = weak || droppedAny;
  const { scanAt, scanKey, scanAlt } = d;
  let skipUntil = -1;
  let found: Raw[] | undefined;
  for (let wi = 0; wi < scanAt.length; wi++) {
    let at = scanAt[wi];
    if (at < 0) {
      if (!all) continue;
      at = -1 - at;
    }
    if (at < skipUntil) continue;
    const alt = scanAlt?.[wi];
    const list = forms.get(scanKey[wi]) ?? (alt !== undefined ? forms.get(alt) : undefined);
    if (!list) continue;
    for (const form of list) {
      if (d.caps || form.apostrophe || form.anyCase) {
        const slice = pt.slice(at, at + form.text.length).replace(/’/g, "'");
        if (d.caps || form.anyCase ? slice.toLowerCase() !== form.lower : slice !== form.text) continue;
      } else if (!pt.startsWith(form.text, at)) continue;
      const e = at + form.text.length;
      let possessive = false;
      if (e < pt.length) {
        const after = pt.slice(e, e + 3);
        if (/^['’]s(?![\p{L}\p{N}])/u.test(after)) possessive = true;
        else if (LETTER_OR_DIGIT.test(after[0]) || (isHighSurrogate(after.charCodeAt(0)) && /^[\p{L}\p{N}]/u.test(after))) continue;
      }
      skipUntil = e;
      // free: no kept candidate of this paragraph (body, or very sure) overlaps it
      let free = true;
      for (const r of own) {
        if ((!weak || r.confidence >= 0.9) && r.start < e && r.end > at) {
          free = false;
          break;
        }
      }
      if (!free) break;
      const t = pt.slice(at, e);
      (found ??= []).push({
        start: at,
        end: e,
        text: t,
        name: form.apostrophe || d.caps || form.anyCase ? stripPossessive(t) : t,
        key: form.key,
        words: form.words,
        core: form.core,
        caps: d.caps || form.anyCase ? isAllCaps(t) : form.caps,
        type: typeOf(form.key) ?? (surname.has(form.key) ? 'person' : orgStem.has(form.key) ? 'organization' : undefined),
        confidence: 0.6,
        possessive,
        c: undefined,
      });
      break;
    }
  }
  return found;
}

/**
 * In a sports report, a one-word name that only the tagger or the town gazetteer reads as a place
 * or a person ("Essex", "Surrey", "Kent") is a team like the others.
 */
function teamLike(type: EntityType, raws: readonly Raw[]): boolean {
  if (type === 'place') {
    let facts: ReturnType<typeof lookupPlace> | null = null;
    for (const r of raws) {
      const c = r.c;
      if (!c || c.type !== 'place' || c.nc.source === 'tags-place') continue;
      if (c.nc.source !== 'gazetteer') return false;
      facts ??= lookupPlace(r.name) ?? null;
      if (!facts || !smallTown(facts, r.name)) return false;
    }
    return true;
  }
  // a person: never named in full or with a title, only by a word that is also a place
  if (!lookupPlace(raws[0].name)) return false;
  return raws.every((r) => !r.c || (!r.c.nc.prefix && (r.c.type !== 'person' || /^(?:tags-person|tags-person-weak|role)$/.test(r.c.nc.source) && r.c.confidence < 0.8)));
}

/** A town of the big gazetteer, not a capital or a city of a million: its name is as often a club's or a company's. */
function smallTown(facts: NonNullable<ReturnType<typeof lookupPlace>>, name: string): boolean {
  if (facts.kind !== 'city' || facts.population === undefined || facts.population >= 1_000_000) return false;
  const capital = facts.country ? lookupPlace(facts.country)?.capital : undefined;
  return !capital || capital.toLowerCase() !== name.toLowerCase();
}

/** A mention in a company's context ("shares of X", "X said on Friday it"). */
function company(r: Raw): boolean {
  return r.c?.nc.source === 'company';
}

/** A mention that is a place by where it stands (a dateline, a venue), whatever the name means elsewhere. */
function placeHere(r: Raw): boolean {
  const src = r.c?.nc.source;
  return r.c?.type === 'place' && (src === 'dateline' || src === 'venue');
}

/** A cluster no mention could type: a two- or three-word capitalised name is most often a person. */
function fallbackType(raws: readonly Raw[], pis: readonly number[], weakPara: readonly boolean[]): EntityType | undefined {
  const i = pis.findIndex((pi) => !weakPara[pi]);
  if (i < 0) return undefined;
  const r = raws[i];
  if (r.c && r.c.nc.source !== 'capitalised') return undefined;
  if (r.words.length >= 2 && r.words.length <= 3 && r.words.every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return 'person';
  return undefined;
}

function fill(type: EntityType, raws: readonly Raw[], pis: readonly number[], where: Where): { entity: Entity; base: string } {
  const { paragraphs, weakPara, contexts } = where;
  // canonical: the fullest body form (most words, then longest), else the fullest anywhere
  let best = -1;
  for (let round = 0; round < 2 && best < 0; round++) {
    for (let i = 0; i < raws.length; i++) {
      if (round === 0 && weakPara[pis[i]]) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const r = raws[i];
      const b = raws[best];
      const w = r.words.length;
      const bwords = b.words.length;
      if (w > bwords || (w === bwords && r.name.length > b.name.length && !r.caps)) best = i;
      if (w === raws[best].words.length && raws[best].caps && !r.caps) best = i;
    }
  }
  const name = raws[best].name.trim();
  const nameKey = normalizeName(name);
  const aliases: string[] = [name];
  const seen = new Set([nameKey]);
  const mentions: Mention[] = [];
  const titles: string[] = [];
  const titleKeys = new Set<string>();
  const descriptions: Descriptor[] = [];
  const descriptionKeys = new Set<string>();
  const affiliations: string[] = [];
  let age: number | undefined;
  let declaration = -1;
  let lastKey: string | undefined;
  for (let i = 0; i < raws.length; i++) {
    const r = raws[i];
    const pi = pis[i];
    const ps = paragraphs[pi].start;
    const m: Mention = { start: ps + r.start, end: ps + r.end, text: r.text, paragraph: pi, context: contexts[pi] ?? 'body' };
    const key = r.key;
    const c = r.c;
    const prefix = c?.nc.prefix;
    if (prefix) {
      m.prefix = { start: ps + prefix.start, end: ps + prefix.end, text: prefix.text };
      // "Mr. Lukashenko" is a way to name him; "President Lukashenko" is a title on a name (see titles)
      const alias = c!.aliasKey;
      if (alias !== undefined && !seen.has(alias)) {
        seen.add(alias);
        aliases.push(`${prefix.text} ${c!.name}`);
      }
    }
    if (r.possessive) m.possessive = true;
    if (key !== lastKey && !seen.has(key)) {
      seen.add(key);
      aliases.push(r.name);
    }
    lastKey = key;
    if (declaration < 0 && !weakPara[pi] && key === nameKey) declaration = mentions.length;
    mentions.push(m);
    if (!c || !c.descs.length) continue;
    for (const d of c.descs) {
      const dk = d.key;
      if (d.kind === 'title' || d.kind === 'role') {
        if (!titleKeys.has(dk)) {
          titleKeys.add(dk);
          titles.push(d.text.replace(/\.$/, ''));
        }
      } else if (d.kind === 'age') {
        if (age === undefined) {
          const num = Number(d.text);
          if (Number.isFinite(num)) age = num;
        }
      } else if (d.kind === 'affiliation') {
        if (!affiliations.includes(d.text)) affiliations.push(d.text);
      } else if (!descriptionKeys.has(dk)) {
        descriptionKeys.add(dk);
        descriptions.push({ start: ps + d.start, end: ps + d.end, text: d.text, kind: d.kind });
      }
    }
  }
  // the bare title ("President") after its fuller form ("President of Belarus") is redundant
  const titlesOut = titles.filter((t) => !titles.some((u) => u !== t && u.startsWith(t + ' ')));
  if (declaration < 0) declaration = 0;
  const base = `${type}:${slug(name)}`;
  const entity: Entity = {
    id: base,
    type,
    name,
    aliases,
    mentions,
    declaration,
    titles: titlesOut,
    descriptions,
    affiliations,
    quotes: [],
  };
  if (age !== undefined) entity.age = age;
  if (type === 'place') {
    const facts = lookupPlace(name);
    if (facts) entity.place = facts;
  }
  return { entity, base };
}

// ---------------------------------------------------------------------------
// Splicing: the entities of an edited article from those of the version before
// ---------------------------------------------------------------------------

/** What an entity pass keeps to splice the next version of the same document. */
interface EntityState {
  knowledge: Knowledge;
  /** each paragraph's votes (see votesOf) */
  voteLists: readonly (readonly unknown[])[];
  aws: boolean;
  weakFoundCount: number;
  weakFound: Uint8Array;
  kinds: readonly (ParagraphKind | undefined)[];
  weakPara: readonly boolean[];
  contexts: readonly Context[];
  /** each paragraph's prepared data */
  datas: readonly ParaData[];
  /** each paragraph's mentions in text order, and their cluster keys (undefined: each mention's own key) */
  lists: readonly (readonly Raw[])[];
  cks: readonly (readonly string[] | undefined)[];
  /** the clusters in the order of their first mentions */
  order: readonly Cluster[];
  teams: number;
  /** how many paragraphs may read each string (see ReadIndex); made at the first edit that changes the knowledge */
  reads?: ReadIndex;
}

/**
 * For each string a paragraph's pass may look up in the knowledge (readsOf, and the keys of the
 * mentions its scan found), how many paragraphs may: an edit that changes the knowledge of
 * strings no paragraph outside the window reads is spliced without visiting those paragraphs.
 * Versions are immutable but this count is not: it is updated in place by the splice of the
 * version that owns it and passed on to the new version; a splice from any other version
 * (a stale one) counts again.
 */
interface ReadIndex {
  owner: Entity[] | undefined;
  counts: Map<string, number>;
}

/** The strings one paragraph's pass may read: its data's and those of the mentions its scan found. */
function paragraphReads(d: ParaData, list: readonly Raw[]): ReadonlySet<string> {
  const out = new Set(d.reads ??= readsOf(d));
  for (const r of list) if (r.c === undefined) addReads(out, r);
  return out;
}

/** What the knowledge is asked of a mention: its key, its core, and its key without dots (an acronym). */
function rawReads(r: Raw): string[] {
  return r.key.includes('.') ? [r.key, r.core, r.key.replace(/\./g, '')] : [r.key, r.core];
}

function addReads(out: Set<string>, r: Raw): void {
  for (const s of rawReads(r)) out.add(s);
}

function countReads(counts: Map<string, number>, reads: ReadonlySet<string>, by: number): void {
  for (const s of reads) {
    const v = (counts.get(s) ?? 0) + by;
    if (v === 0) counts.delete(s);
    else counts.set(s, v);
  }
}

/** The state of the pass that made an entity list, by that list. */
const states = new WeakMap<Entity[], EntityState>();

/** Where an edit changed the paragraphs: [from, oldEnd) of the old version became [from, newEnd) of the new one. */
export interface EditWindow {
  from: number;
  oldEnd: number;
  newEnd: number;
  /** how far the text after the edit moved */
  shift: number;
  /** how many paragraphs the old version had */
  oldCount: number;
  /** where old paragraph i started in the old text */
  oldStart(i: number): number;
}

/**
 * What changed between two knowledges, as a paragraph's pass reads it: the keys (and cores and
 * acronyms) whose lookups answer differently, and the first words whose known forms differ.
 */
interface KnowledgeChanges {
  keys: Set<string>;
  firsts: Set<string>;
}

function knowledgeChanges(a: Knowledge, b: Knowledge): KnowledgeChanges {
  const keys = new Set<string>();
  for (const key of a.votes.keys()) if (!b.votes.has(key) || a.typeOf(key) !== b.typeOf(key)) keys.add(key);
  for (const key of b.votes.keys()) if (!a.votes.has(key)) keys.add(key);
  const diff = (x: ReadonlyMap<string, string>, y: ReadonlyMap<string, string>) => {
    for (const [key, v] of x) if (y.get(key) !== v) keys.add(key);
    for (const key of y.keys()) if (!x.has(key)) keys.add(key);
  };
  diff(a.surname, b.surname);
  diff(a.fullByCore, b.fullByCore);
  diff(a.orgStem, b.orgStem);
  diff(acronymsOf(a), acronymsOf(b));
  const firsts = new Set<string>();
  const fa = formsOf(a);
  const fb = formsOf(b);
  for (const [first, list] of fa) {
    const other = fb.get(first);
    if (!other || other.length !== list.length || list.some((f, i) => !sameForm(f, other[i]))) firsts.add(first);
  }
  for (const first of fb.keys()) if (!fa.has(first)) firsts.add(first);
  return { keys, firsts };
}

function sameForm(a: Form, b: Form): boolean {
  return (
    a.text === b.text &&
    a.key === b.key &&
    a.core === b.core &&
    a.caps === b.caps &&
    a.apostrophe === b.apostrophe &&
    a.anyCase === b.anyCase &&
    a.words.length === b.words.length &&
    a.words.every((w, i) => w === b.words[i])
  );
}

/** Whether two lists of a paragraph's mentions and their cluster keys are the same. */
function sameMentions(a: readonly Raw[], aks: readonly string[] | undefined, b: readonly Raw[], bks: readonly string[] | undefined): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if ((aks ? aks[i] : x.key) !== (bks ? bks[i] : y.key)) return false;
    if (x === y) continue;
    if (
      x.start !== y.start ||
      x.end !== y.end ||
      x.text !== y.text ||
      x.name !== y.name ||
      x.key !== y.key ||
      x.core !== y.core ||
      x.caps !== y.caps ||
      x.type !== y.type ||
      x.confidence !== y.confidence ||
      x.possessive !== y.possessive ||
      x.c !== y.c ||
      x.words.length !== y.words.length ||
      x.words.some((w, j) => w !== y.words[j])
    )
      return false;
  }
  return true;
}

/**
 * Whether a paragraph's pass (scanParagraph, listMentions) could read a changed part of the
 * knowledge: a lookup of one of its candidates (their keys, cores and acronym forms are the
 * same with any dictionary) or of a mention the scan found, or a known form at one of its words.
 */
function readsChanges(c: KnowledgeChanges, d: ParaData, list: readonly Raw[]): boolean {
  const reads = (d.reads ??= readsOf(d));
  for (let i = 0; i < reads.length; i++) if (c.keys.has(reads[i]) || c.firsts.has(reads[i])) return true;
  for (const r of list) if (r.c === undefined && rawReads(r).some((s) => c.keys.has(s))) return true;
  return false;
}

function readsOf(d: ParaData): readonly string[] {
  const out = new Set<string>();
  for (const r of d.cands) addReads(out, r);
  for (const k of d.scanKey) out.add(k);
  if (d.scanAlt) for (const k of d.scanAlt) if (k !== undefined) out.add(k);
  return [...out];
}

/**
 * The entities of an edited article from the entities of the version before (`prev`, as
 * buildEntities or this function made them), looking only at the edited paragraphs and at
 * the clusters their mentions belong to; the others are moved. Equals buildEntities on the
 * new input; undefined when the edit changes what the article knows of a name that a
 * paragraph outside the window reads (a name gains or loses its type, a known form appears
 * where the body names it), or the sports-report rule, and the caller runs the whole pass.
 */
export function spliceEntities(prevEntities: Entity[], input: ArticleInput, w: EditWindow): Entity[] | undefined {
  const prev = states.get(prevEntities);
  if (!prev) return undefined;
  const { paragraphs, analyses, structure } = input;
  const dict = input.options.dictionary;
  const k = prev.knowledge;
  const n = paragraphs.length;
  const oldN = prev.lists.length;
  const dp = w.newEnd - w.oldEnd;
  if (k.dict !== dict || n !== oldN + dp || w.oldCount !== oldN) return undefined;
  const kindOf = paragraphKinds(structure, n);
  // the window grows to take in paragraphs whose kind changed (a subhead next to the edit)
  let from = w.from;
  let oldEnd = w.oldEnd;
  let newEnd = w.newEnd;
  for (let pi = 0; pi < from; pi++) {
    if (kindOf[pi] !== prev.kinds[pi]) {
      from = pi;
      break;
    }
  }
  for (let pi = n - 1; pi >= newEnd; pi--) {
    if (kindOf[pi] !== prev.kinds[pi - dp]) {
      newEnd = pi + 1;
      oldEnd = newEnd - dp;
      break;
    }
  }

  // the window's paragraphs, as the pass reads them
  const winKinds: (ParagraphKind | undefined)[] = [];
  const winWeak: boolean[] = [];
  const winContexts: Context[] = [];
  const winDatas: ParaData[] = [];
  for (let pi = from; pi < newEnd; pi++) {
    const kind = kindOf[pi] ?? 'body';
    const d = paraData(analyses[pi], paragraphs[pi].text);
    winKinds.push(kindOf[pi]);
    winWeak.push(kind === 'headline' || kind === 'boilerplate' || d.titleCase);
    winContexts.push(CONTEXT[kind] ?? 'body');
    winDatas.push(d);
  }
  // the knowledge holds when the window votes as it did, or when the votes of the whole
  // article still say the same (a vote fewer for a name that has others)
  const winVotes = winDatas.map((d, i) => votesOf(d, winWeak[i], dict));
  let same = oldEnd - from === winVotes.length;
  for (let i = 0; same && i < winVotes.length; i++) same = sameVotes(prev.voteLists[from + i], winVotes[i]);
  // (the lists of the state before are changed in place: the splice consumes the version
  // before, see analyzeArticle; each is changed once nothing reads it as it was any more)
  const voteLists = replaceRange(prev.voteLists as (readonly unknown[])[], from, oldEnd - from, winVotes);
  // when it changes (a name typed, or broken by a typed character), the splice holds if no
  // paragraph outside the window reads what changed: the window and the clusters of the changed
  // names are made again with the new knowledge
  let know = k;
  let changedKeys: ReadonlySet<string> | undefined;
  let index = prev.reads && prev.reads.owner === prevEntities ? prev.reads : undefined;
  if (!same) {
    const k2 = makeKnowledge(voteLists, dict);
    if (k2.state.length !== k.state.length || k2.state.some((x, i) => x !== k.state[i])) {
      const changes = knowledgeChanges(k, k2);
      // the paragraphs outside the window that may read a changed string: none, by the count,
      // or those the loop finds
      if (!index) {
        const counts = new Map<string, number>();
        for (let pi = 0; pi < oldN; pi++) countReads(counts, paragraphReads(prev.datas[pi], prev.lists[pi]), 1);
        index = { owner: undefined, counts };
      }
      const outside = new Map<string, number>();
      for (const set of [changes.keys, changes.firsts]) for (const s of set) outside.set(s, index.counts.get(s) ?? 0);
      for (let pi = from; pi < oldEnd; pi++) countReads(outside, paragraphReads(prev.datas[pi], prev.lists[pi]), -1);
      let read = false;
      for (const v of outside.values()) if (v > 0) read = true;
      for (let pi = 0; read && pi < oldN; pi++) {
        if (pi === from) pi = oldEnd;
        if (pi >= oldN) break;
        const d = prev.datas[pi];
        if (!readsChanges(changes, d, prev.lists[pi])) continue;
        // it may: read it again, and it must still give the same mentions
        const np = pi < from ? pi : pi + dp;
        const base = dict ? dictRaws(d, dict) : d.cands;
        const weak = prev.weakPara[pi];
        const again = scanParagraph(k2, paragraphs[np].text, d, base, weak);
        if (weak && (again.found !== undefined) !== !!prev.weakFound[pi]) return undefined;
        listMentions(k2, again, weak, prev.aws);
        if (!sameMentions(again.list, again.cks, prev.lists[pi], prev.cks[pi])) return undefined;
      }
      know = k2;
      changedKeys = changes.keys;
    }
  }

  // the window's mentions
  let weakFoundCount = prev.weakFoundCount;
  for (let pi = from; pi < oldEnd; pi++) if (prev.weakFound[pi]) weakFoundCount--;
  const memos: ArticleMemo[] = [];
  for (let i = 0; i < winDatas.length; i++) {
    const d = winDatas[i];
    const a = scanParagraph(know, paragraphs[from + i].text, d, dict ? dictRaws(d, dict) : d.cands, winWeak[i]);
    if (winWeak[i] && a.found !== undefined) weakFoundCount++;
    memos.push(a);
  }
  if (weakFoundCount > 0 !== prev.aws) return undefined;
  const winLists: (readonly Raw[])[] = [];
  const winCks: (readonly string[] | undefined)[] = [];
  for (let i = 0; i < memos.length; i++) {
    listMentions(know, memos[i], winWeak[i], prev.aws);
    winLists.push(memos[i].list);
    winCks.push(memos[i].cks);
  }
  const oldLists = prev.lists.slice(from, oldEnd);
  const oldCks = prev.cks.slice(from, oldEnd);
  const oldDatas = prev.datas.slice(from, oldEnd);
  const weakPara = replaceRange(prev.weakPara as boolean[], from, oldEnd - from, winWeak);
  const contexts = replaceRange(prev.contexts as Context[], from, oldEnd - from, winContexts);
  const lists = replaceRange(prev.lists as (readonly Raw[])[], from, oldEnd - from, winLists);
  const cks = replaceRange(prev.cks as (readonly string[] | undefined)[], from, oldEnd - from, winCks);
  const where: Where = { paragraphs, weakPara, contexts };

  // the clusters the window's mentions belong to (before and after the edit) are made again
  const touched = new Set<string>();
  const addKeys = (list: readonly Raw[], ck: readonly string[] | undefined) => {
    for (let j = 0; j < list.length; j++) touched.add(ck ? ck[j] : list[j].key);
  };
  for (let i = 0; i < oldLists.length; i++) addKeys(oldLists[i], oldCks[i]);
  for (let i = 0; i < winLists.length; i++) addKeys(winLists[i], winCks[i]);
  // a cluster is typed with what the knowledge says of its key
  if (changedKeys) for (const c of prev.order) if (changedKeys.has(c.key)) touched.add(c.key);
  const byKey = new Map<string, Cluster>();
  for (const c of prev.order) if (touched.has(c.key)) byKey.set(c.key, c);
  let teams = prev.teams;
  const order: Cluster[] = [];
  const remade: Cluster[] = [];
  for (const key of touched) {
    const old = byKey.get(key);
    if (old && teamVote(old)) teams--;
    const c: Cluster = { key, raws: [], pis: [], firstJ: -1, votes: [0, 0, 0], team: false, entities: EMPTY, bases: EMPTY };
    let i = 0;
    if (old) {
      for (; i < old.raws.length && old.pis[i] < from; i++) {
        c.raws.push(old.raws[i]);
        c.pis.push(old.pis[i]);
      }
      if (i > 0) c.firstJ = old.firstJ;
    }
    for (let wi = 0; wi < winLists.length; wi++) {
      const list = winLists[wi];
      const ck = winCks[wi];
      for (let j = 0; j < list.length; j++) {
        if ((ck ? ck[j] : list[j].key) !== key) continue;
        if (c.firstJ < 0) c.firstJ = j;
        c.raws.push(list[j]);
        c.pis.push(from + wi);
      }
    }
    if (old) {
      while (i < old.raws.length && old.pis[i] < oldEnd) i++;
      for (; i < old.raws.length; i++) {
        const pi = old.pis[i] + dp;
        if (c.firstJ < 0) c.firstJ = lists[pi].indexOf(old.raws[i]);
        c.raws.push(old.raws[i]);
        c.pis.push(pi);
      }
    }
    if (!c.raws.length) continue;
    countVotes(c, weakPara);
    if (teamVote(c)) teams++;
    remade.push(c);
  }
  // the sports-report rule types every cluster: it must not change
  if (teams >= 2 !== prev.teams >= 2) return undefined;
  for (const c of remade) makeEntities(c, know, teams, where);

  // the other clusters are moved
  const oldAfter = oldEnd < oldN ? w.oldStart(oldEnd) : Infinity;
  for (const old of prev.order) {
    if (touched.has(old.key)) continue;
    const moves = (dp !== 0 || w.shift !== 0) && old.pis[old.pis.length - 1] >= oldEnd;
    if (moves && dp !== 0) moveParagraphs(old.pis, oldEnd, dp);
    const c: Cluster = {
      key: old.key,
      raws: old.raws,
      pis: old.pis,
      firstJ: old.firstJ,
      votes: old.votes,
      team: old.team,
      entities: old.entities.map((e) => (moves ? movedEntity(e, oldEnd, oldAfter, dp, w.shift) : { ...e, quotes: [] })),
      bases: old.bases,
    };
    order.push(c);
  }
  for (const c of remade) order.push(c);
  order.sort((a, b) => a.pis[0] - b.pis[0] || a.firstJ - b.firstJ);
  const entities = finishEntities(order);
  const weakFound = new Uint8Array(n);
  weakFound.set(prev.weakFound.subarray(0, from), 0);
  for (let i = 0; i < memos.length; i++) weakFound[from + i] = winWeak[i] && memos[i].found !== undefined ? 1 : 0;
  weakFound.set(prev.weakFound.subarray(oldEnd), newEnd);
  const kinds = replaceRange(prev.kinds as (ParagraphKind | undefined)[], from, oldEnd - from, winKinds);
  const datas = replaceRange(prev.datas as ParaData[], from, oldEnd - from, winDatas);
  if (index) {
    for (let i = 0; i < oldDatas.length; i++) countReads(index.counts, paragraphReads(oldDatas[i], oldLists[i]), -1);
    for (let i = 0; i < winDatas.length; i++) countReads(index.counts, paragraphReads(winDatas[i], winLists[i]), 1);
    index.owner = entities;
  }
  states.set(entities, { knowledge: know, voteLists, aws: prev.aws, weakFoundCount, weakFound, kinds, weakPara, contexts, datas, lists, cks, order, teams, reads: index });
  return entities;
}

/** The first index of a list in text order whose paragraph is at or after p. */
function firstFrom<T>(list: readonly T[], p: number, paragraphOf: (x: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphOf(list[mid]) < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An entity whose mentions from paragraph `oldEnd` on moved by `shift` characters and `dp`
 * paragraphs: they and its descriptions after the edit are moved in place (an entity's
 * mentions and descriptions are its own; the splice consumes the version before).
 */
function movedEntity(e: Entity, oldEnd: number, oldAfter: number, dp: number, shift: number): Entity {
  const ms = e.mentions;
  for (let i = firstFrom(ms, oldEnd, (m) => m.paragraph); i < ms.length; i++) {
    const m = ms[i];
    m.start += shift;
    m.end += shift;
    m.paragraph += dp;
    const prefix = m.prefix;
    if (prefix) {
      prefix.start += shift;
      prefix.end += shift;
    }
  }
  for (const d of e.descriptions) {
    if (d.start < oldAfter) continue;
    d.start += shift;
    d.end += shift;
  }
  return { ...e, quotes: [] };
}

/** Paragraph indices in order: those from `oldEnd` on move by `dp`, in place. */
function moveParagraphs(pis: number[], oldEnd: number, dp: number): void {
  for (let i = firstFrom(pis, oldEnd, (p) => p); i < pis.length; i++) pis[i] += dp;
}
