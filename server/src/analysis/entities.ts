/**
 * Article-level entity building: turns the per-paragraph name candidates into one
 * entity per referent. It runs on every keystroke, so everything that depends on
 * one paragraph only (candidate keys, words, descriptors, the words a known name
 * may start at) is computed once per paragraph analysis and memoised by that
 * object; the article pass only merges compact per-paragraph data:
 *  - headline-style lines and boilerplate are read with the body's knowledge,
 *  - a name recognised once is recognised at every occurrence (a word scan),
 *  - "President Aleksandr G. Lukashenko", "Mr. Lukashenko’s" and "Lukashenko" are one person,
 *  - the type is a vote over all mentions.
 */
import type { ArticleInput } from './article';
import { normalizeName as normalizeNameUncached, type Dictionary } from './dictionary';
import { lookupPlace } from './gazetteer';
import type { DescriptorCandidate, Descriptor, Entity, EntityType, Mention, ParagraphAnalysis, ParagraphKind, TextSpan } from './types';

type Context = Mention['context'];

/** normalizeName, memoised (names repeat a lot in an article and across edits). */
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

// ---------------------------------------------------------------------------
// Per-paragraph data (depends on the paragraph text alone; memoised)
// ---------------------------------------------------------------------------

/** A name candidate prepared for the article pass (offsets relative to the paragraph). */
interface Cand {
  start: number;
  end: number;
  text: string;
  /** the name without a possessive */
  name: string;
  /** lookup key of `name` */
  key: string;
  words: string[];
  /** key of the name without middle initials */
  core: string;
  /** the name is written in capitals */
  caps: boolean;
  type?: EntityType;
  confidence: number;
  source: string;
  prefix?: TextSpan;
  /** "Mr. Lukashenko" and its key */
  prefixAlias?: string;
  prefixAliasKey?: string;
  possessive?: boolean;
  /** the prefix is a courtesy honorific ("Mr.") */
  courtesy: boolean;
  /** this candidate's descriptors */
  descriptors: PreparedDescriptor[];
}

interface PreparedDescriptor extends DescriptorCandidate {
  key: string;
}

/** A capitalised word (any word in an all-caps paragraph) where a known name may start. */
interface ScanWord {
  at: number;
  /** key without a trailing period or possessive */
  key: string;
  /** key of the word as written, when it differs */
  alt?: string;
}

interface ParaData {
  cands: Cand[];
  caps: boolean;
  titleCase: boolean;
  scan: ScanWord[];
  /** the scan words outside every candidate (enough where all candidates are kept) */
  scanOutside: ScanWord[];
  /** the raw mentions of the last article pass, reused while index, weakness and dictionary stay */
  raws?: { paragraph: number; weak: boolean; dict: Dictionary | undefined; list: Raw[] };
}

const memo = new WeakMap<ParagraphAnalysis, ParaData>();

function stripPossessive(text: string): string {
  return text.replace(/[’']s?$/u, '');
}

function keyOf(text: string): string {
  return normalizeName(stripPossessive(text));
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
  const cands: Cand[] = [];
  const byIndex: (Cand | undefined)[] = [];
  nlp?.names.forEach((c, ci) => {
    if (c.start < 0 || c.end > text.length || c.end <= c.start) return;
    const t = text.slice(c.start, c.end);
    const name = stripPossessive(t);
    const ws = words(name);
    const cand: Cand = {
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
      source: c.source,
      courtesy: !!c.prefix && COURTESY.test(c.prefix.text),
      descriptors: [],
    };
    if (c.prefix) {
      cand.prefix = { start: c.prefix.start, end: c.prefix.end, text: c.prefix.text };
      cand.prefixAlias = `${c.prefix.text} ${name}`;
      cand.prefixAliasKey = normalizeName(cand.prefixAlias);
    }
    if (c.possessive) cand.possessive = true;
    cands.push(cand);
    byIndex[ci] = cand;
  });
  for (const d of nlp?.descriptors ?? []) {
    const cand = byIndex[d.name];
    if (cand) cand.descriptors.push({ ...d, key: normalizeName(d.kind === 'title' || d.kind === 'role' ? d.text.replace(/\.$/, '') : d.text) });
  }
  const scan: ScanWord[] = [];
  const re = caps ? SCAN_CAPS : SCAN_CAPITALISED;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    if (at > 0 && LETTER_OR_DIGIT.test(text[at - 1])) continue;
    const w = m[0];
    const key = normalizeName(stripPossessive(w.replace(/\.$/, '')));
    const full = normalizeName(w);
    scan.push(full === key ? { at, key } : { at, key, alt: full });
  }
  const scanOutside = scan.filter((w) => !cands.some((c) => c.start <= w.at && w.at < c.end));
  return { cands, caps, titleCase: !!nlp?.titleCase, scan, scanOutside };
}

function paraData(analysis: ParagraphAnalysis | undefined, text: string): ParaData {
  if (!analysis) return { cands: [], caps: false, titleCase: false, scan: [], scanOutside: [] };
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

// ---------------------------------------------------------------------------
// Article pass
// ---------------------------------------------------------------------------

/** A mention in the making (offsets relative to its paragraph; never changed once made). */
interface Raw extends Pick<Cand, 'start' | 'end' | 'text' | 'name' | 'key' | 'words' | 'core' | 'caps' | 'confidence'> {
  /** the paragraph's candidate, or undefined for a mention found by the known-name scan */
  c: Cand | undefined;
  type: EntityType | undefined;
  paragraph: number;
  /** headline-style or boilerplate paragraph: only known names count */
  weak: boolean;
  possessive: boolean;
}

const CONTEXT: Record<ParagraphKind, Context> = {
  headline: 'headline',
  subhead: 'headline',
  dateline: 'dateline',
  byline: 'byline',
  body: 'body',
  boilerplate: 'boilerplate',
};

/** "vladimir v. putin" → "vladimir putin" (initials dropped) for matching full names. */
function coreKey(ws: string[]): string {
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

function acronymOf(ws: string[]): string {
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
  words: string[];
  core: string;
  caps: boolean;
  /** the form contains an apostrophe (compared after straightening) */
  apostrophe: boolean;
  /** matched in any case (a dictionary name) */
  anyCase: boolean;
}

/** Build the article's entities from the paragraph analyses. Never throws on well-formed input. */
export function buildEntities(input: ArticleInput): Entity[] {
  const { paragraphs, analyses, structure } = input;
  const dict = input.options.dictionary;
  const kinds: ParagraphKind[] = [];
  for (const p of structure?.paragraphs ?? []) kinds[p.index] = p.kind;

  // 1. per-paragraph data → raw mentions with absolute offsets
  const datas: ParaData[] = [];
  const weakPara: boolean[] = [];
  const contexts: Context[] = [];
  const perPara: Raw[][] = [];
  for (let pi = 0; pi < paragraphs.length; pi++) {
    const p = paragraphs[pi];
    const d = paraData(analyses[pi], p.text);
    datas[pi] = d;
    const kind = kinds[p.index] ?? 'body';
    // a subhead in sentence case (a results line, a short label) is read like the body
    const weak = kind === 'headline' || kind === 'boilerplate' || d.titleCase;
    weakPara[pi] = weak;
    contexts[pi] = CONTEXT[kind] ?? 'body';
    const cached = d.raws;
    if (cached && cached.paragraph === pi && cached.weak === weak && cached.dict === dict) {
      perPara[pi] = cached.list;
      continue;
    }
    const list: Raw[] = [];
    for (const c of d.cands) {
      if (dict && dict.notEntities.has(c.key)) continue;
      const raw: Raw = {
        start: c.start,
        end: c.end,
        c,
        text: c.text,
        name: c.name,
        key: c.key,
        words: c.words,
        core: c.core,
        caps: c.caps,
        type: c.type,
        confidence: c.confidence,
        paragraph: pi,
        weak,
        possessive: !!c.possessive,
      };
      if (dict) {
        const forced = dict.types.get(c.key);
        if (forced) {
          raw.type = forced;
          raw.confidence = 1;
        }
      }
      list.push(raw);
    }
    perPara[pi] = list;
    d.raws = { paragraph: pi, weak, dict, list };
  }

  // 2. what the body knows: typed names with decent evidence
  const votes = new Map<string, Map<EntityType, number>>();
  const vote = (key: string, type: EntityType, w: number) => {
    let m = votes.get(key);
    if (!m) votes.set(key, (m = new Map()));
    m.set(type, (m.get(type) ?? 0) + w);
  };
  const known = new Map<string, string[]>(); // key → words (display form)
  for (const list of perPara) {
    for (const r of list) {
      if (!r.type) continue;
      if (r.weak ? r.confidence < 0.9 : r.confidence < 0.45) continue;
      vote(r.key, r.type, r.confidence * (r.c?.source === 'team' ? TEAM_WEIGHT : 1));
      if (!known.has(r.key)) known.set(r.key, r.words);
    }
  }
  if (dict) for (const [k, t] of dict.types) if (!known.has(k)) vote(k, t, 1);
  const typeOf = (key: string): EntityType | undefined => {
    const m = votes.get(key);
    if (!m) return undefined;
    let best: EntityType | undefined;
    let bw = 0;
    for (const [t, w] of m) if (w > bw) (best = t), (bw = w);
    return best;
  };

  // surnames of multi-word people → their full-name key
  const surname = new Map<string, string>();
  const fullByCore = new Map<string, string>();
  for (const [key, ws] of known) {
    if (ws.length < 2 || typeOf(key) !== 'person') continue;
    const last = normalizeName(ws[ws.length - 1]);
    const prev = surname.get(last);
    if (prev === undefined || (known.get(prev)?.length ?? 0) < ws.length) surname.set(last, key);
    const core = coreKey(ws);
    const had = fullByCore.get(core);
    if (!had || (known.get(had)?.length ?? 0) < ws.length) fullByCore.set(core, key);
  }
  for (const s of surname.keys()) if (!votes.has(s)) vote(s, 'person', 0.5);

  // "Cofinec S.A." → "Cofinec", "Magna International Inc" → "Magna International": the name without its legal form
  // ("Mercantile Bancorp Inc." → "Mercantile Bancorp" → "Mercantile": each shorter form names the company)
  const orgStem = new Map<string, string>();
  const orgStemWords = new Map<string, string[]>();
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

  // 3. keep weak-paragraph candidates only when the body knows them (or the evidence is very strong)
  for (let pi = 0; pi < perPara.length; pi++) {
    if (!weakPara[pi]) continue;
    perPara[pi] = perPara[pi].filter((r) => votes.has(r.key) || surname.has(r.key) || (r.confidence >= 0.8 && !!r.type));
  }

  // 4. document-level consistency: find known names wherever they occur
  const byFirst = new Map<string, string[][]>();
  const addForm = (ws: string[]) => {
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
  let anyWeakScanned = false;
  const scannedPara: (Raw[] | undefined)[] = [];
  const droppedAny = !!dict?.notEntities.size;
  if (forms.size) {
    for (let pi = 0; pi < paragraphs.length; pi++) {
      const p = paragraphs[pi];
      const d = datas[pi];
      // where every candidate is kept, a name starting inside one could never be free
      const scan = weakPara[pi] || droppedAny ? d.scan : d.scanOutside;
      if (!scan.length) continue;
      const pt = p.text;
      const own = perPara[pi];
      let skipUntil = -1;
      let found: Raw[] | undefined;
      for (const w of scan) {
        if (w.at < skipUntil) continue;
        const list = forms.get(w.key) ?? (w.alt !== undefined ? forms.get(w.alt) : undefined);
        if (!list) continue;
        const at = w.at;
        for (const form of list) {
          if (d.caps || form.apostrophe || form.anyCase) {
            const slice = pt.slice(at, at + form.text.length).replace(/’/g, "'");
            if (d.caps || form.anyCase ? slice.toLowerCase() !== form.lower : slice !== form.text) continue;
          } else if (!pt.startsWith(form.text, at)) continue;
          let e = at + form.text.length;
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
            if ((!r.weak || r.confidence >= 0.9) && r.start < e && r.end > at) {
              free = false;
              break;
            }
          }
          if (!free) break;
          const t = pt.slice(at, e);
          const r: Raw = {
            start: at,
            end: e,
            c: undefined,
            text: t,
            name: form.apostrophe || d.caps || form.anyCase ? stripPossessive(t) : t,
            key: form.key,
            words: form.words,
            core: form.core,
            caps: d.caps || form.anyCase ? isAllCaps(t) : form.caps,
            type: typeOf(form.key) ?? (surname.has(form.key) ? 'person' : orgStem.has(form.key) ? 'organization' : undefined),
            confidence: 0.6,
            paragraph: pi,
            weak: weakPara[pi],
            possessive,
          };
          (found ??= []).push(r);
          if (r.weak) anyWeakScanned = true;
          break;
        }
      }
      scannedPara[pi] = found;
    }
  }

  // 5. merge in text order; a scanned known name beats a weak headline candidate it overlaps
  for (let pi = 0; pi < perPara.length; pi++) {
    const found = scannedPara[pi];
    if (!found) continue;
    let own = perPara[pi];
    if (anyWeakScanned && weakPara[pi]) own = own.filter((r) => r.confidence >= 0.9 || !found.some((s) => s.start < r.end && s.end > r.start));
    perPara[pi] = own.concat(found).sort((a, b) => a.start - b.start || b.end - a.end);
  }

  // 6. cluster: person surnames and honorific forms join the full name; acronyms join their expansion
  const orgByAcronym = new Map<string, string>();
  for (const [key, ws] of known) {
    if (typeOf(key) === 'organization') {
      const a = acronymOf(ws);
      if (a && !orgByAcronym.has(a)) orgByAcronym.set(a, key);
    }
  }
  const clusterKey = (r: Raw): string => {
    const k = r.key;
    const stemOf = orgStem.size ? orgStem.get(k) : undefined;
    if (stemOf) return stemOf;
    if (r.words.length === 1) {
      const full = surname.get(k);
      if (full && !(r.type && r.type !== 'person' && r.confidence >= 0.9 && !r.c?.prefix)) return full;
      if (orgByAcronym.size) {
        const ac = orgByAcronym.get(k.replace(/\./g, ''));
        if (ac && r.caps && /^\p{Lu}/u.test(r.text)) return ac;
      }
    } else if (r.words.length >= 2 && fullByCore.size) {
      const full = fullByCore.get(r.core);
      if (full) return full;
    }
    return k;
  };
  interface Cluster {
    key: string;
    raws: Raw[];
    /** votes in the order of VOTED */
    votes: [number, number, number];
    /** a mention is a sports team */
    team: boolean;
  }
  const clusters = new Map<string, Cluster>();
  for (const list of perPara) {
    for (const r of list) {
      const ck = clusterKey(r);
      let c = clusters.get(ck);
      if (!c) clusters.set(ck, (c = { key: ck, raws: [], votes: [0, 0, 0], team: false }));
      c.raws.push(r);
      if (!r.type) continue;
      const team = r.c !== undefined && r.c.source === 'team';
      if (team) c.team = true;
      c.votes[r.type === 'person' ? 0 : r.type === 'place' ? 1 : 2] += r.confidence * (r.weak ? 0.5 : 1) * (team ? TEAM_WEIGHT : 1);
    }
  }

  // 7. type by vote, then fill the entities
  // a sports report (several place names acting as teams): a one-word place that only
  // the tagger calls a place is a team too ("Derbyshire", "Essex")
  let teams = 0;
  for (const c of clusters.values()) if (c.votes[2] > c.votes[1] && c.team) teams++;
  const entities: Entity[] = [];
  const ids = new Map<string, number>();
  for (const c of clusters.values()) {
    let type: EntityType | undefined;
    let bw = 0;
    for (let i = 0; i < 3; i++) if (c.votes[i] > bw) (type = VOTED[i]), (bw = c.votes[i]);
    if (teams >= 2 && type !== 'organization' && type !== undefined && c.raws[0].words.length === 1 && teamLike(type, c.raws)) type = 'organization';
    else if (type === 'place' && c.votes[2] > 0 && c.raws.some(company)) {
      // "Magna was up 1/8" beside "Magna's traditional strength": a company named like a small town
      const facts = lookupPlace(c.raws[0].name);
      if (facts && smallTown(facts, c.raws[0].name)) type = 'organization';
    }
    const forced = dict?.types.get(c.key);
    if (forced) type = forced;
    if (!type) type = fallbackType(c.raws);
    if (!type) continue;
    if (!votes.has(c.key) && c.raws.every((r) => r.weak) && !c.raws.some((r) => r.confidence >= 0.9)) continue;
    if (type === 'organization' && !forced && c.raws.some(placeHere)) {
      // "NEW YORK 1996-08-22", "In Tirana:", "... AT HOUSTON": the city itself, beside the team named after it
      const here = c.raws.filter(placeHere);
      const rest = c.raws.filter((r) => !placeHere(r));
      entities.push(fill('place', here, input, contexts, ids));
      if (rest.length) entities.push(fill(type, rest, input, contexts, ids));
      continue;
    }
    entities.push(fill(type, c.raws, input, contexts, ids));
  }
  entities.sort((a, b) => a.mentions[0].start - b.mentions[0].start);
  return entities;
}

/**
 * In a sports report, a one-word name that only the tagger or the town gazetteer reads as a place
 * or a person ("Essex", "Surrey", "Kent") is a team like the others.
 */
function teamLike(type: EntityType, raws: Raw[]): boolean {
  if (type === 'place') {
    let facts: ReturnType<typeof lookupPlace> | null = null;
    for (const r of raws) {
      const c = r.c;
      if (!c || c.type !== 'place' || c.source === 'tags-place') continue;
      if (c.source !== 'gazetteer') return false;
      facts ??= lookupPlace(r.name) ?? null;
      if (!facts || !smallTown(facts, r.name)) return false;
    }
    return true;
  }
  // a person: never named in full or with a title, only by a word that is also a place
  if (!lookupPlace(raws[0].name)) return false;
  return raws.every((r) => !r.c || (!r.c.prefix && (r.c.type !== 'person' || /^(?:tags-person|tags-person-weak|role)$/.test(r.c.source) && r.c.confidence < 0.8)));
}

/** A town of the big gazetteer, not a capital or a city of a million: its name is as often a club's or a company's. */
function smallTown(facts: NonNullable<ReturnType<typeof lookupPlace>>, name: string): boolean {
  if (facts.kind !== 'city' || facts.population === undefined || facts.population >= 1_000_000) return false;
  const capital = facts.country ? lookupPlace(facts.country)?.capital : undefined;
  return !capital || capital.toLowerCase() !== name.toLowerCase();
}

/** A mention in a company's context ("shares of X", "X said on Friday it"). */
function company(r: Raw): boolean {
  return r.c?.source === 'company';
}

/** A mention that is a place by where it stands (a dateline, a venue), whatever the name means elsewhere. */
function placeHere(r: Raw): boolean {
  const src = r.c?.source;
  return r.c?.type === 'place' && (src === 'dateline' || src === 'venue');
}

/** A cluster no mention could type: a two- or three-word capitalised name is most often a person. */
function fallbackType(raws: Raw[]): EntityType | undefined {
  const r = raws.find((x) => !x.weak);
  if (!r) return undefined;
  if (r.c && r.c.source !== 'capitalised') return undefined;
  if (r.words.length >= 2 && r.words.length <= 3 && r.words.every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return 'person';
  return undefined;
}

function fill(type: EntityType, raws: Raw[], input: ArticleInput, contexts: Context[], ids: Map<string, number>): Entity {
  const { paragraphs } = input;
  // canonical: the fullest body form (most words, then longest), else the fullest anywhere
  let pool = raws.filter((r) => !r.weak);
  if (!pool.length) pool = raws;
  let best = pool[0];
  for (const r of pool) {
    if (r.words.length > best.words.length || (r.words.length === best.words.length && r.name.length > best.name.length && !r.caps)) best = r;
    if (r.words.length === best.words.length && best.caps && !r.caps) best = r;
  }
  const name = best.name.trim();
  const nameKey = normalizeName(name);
  const aliases: string[] = [name];
  const seen = new Set([nameKey]);
  const addAlias = (a: string, k: string) => {
    if (!seen.has(k)) {
      seen.add(k);
      aliases.push(a);
    }
  };
  const mentions: Mention[] = [];
  const titles: string[] = [];
  const titleKeys = new Set<string>();
  const descriptions: Descriptor[] = [];
  const descriptionKeys = new Set<string>();
  const affiliations: string[] = [];
  let age: number | undefined;
  let declaration = -1;
  for (const r of raws) {
    const p = paragraphs[r.paragraph];
    const m: Mention = { start: p.start + r.start, end: p.start + r.end, text: r.text, paragraph: r.paragraph, context: contexts[r.paragraph] ?? 'body' };
    const c = r.c;
    if (c?.prefix) {
      m.prefix = { start: p.start + c.prefix.start, end: p.start + c.prefix.end, text: c.prefix.text };
      // "Mr. Lukashenko" is a way to name him; "President Lukashenko" is a title on a name (see titles)
      if (c.courtesy) addAlias(c.prefixAlias as string, c.prefixAliasKey as string);
    }
    if (r.possessive) m.possessive = true;
    addAlias(r.name, r.key);
    if (declaration < 0 && !r.weak && r.key === nameKey) declaration = mentions.length;
    mentions.push(m);
    if (!c) continue;
    for (const d of c.descriptors) {
      if (d.kind === 'title' || d.kind === 'role') {
        if (!titleKeys.has(d.key)) {
          titleKeys.add(d.key);
          titles.push(d.text.replace(/\.$/, ''));
        }
      } else if (d.kind === 'age') {
        const n = Number(d.text);
        if (Number.isFinite(n) && age === undefined) age = n;
      } else if (d.kind === 'affiliation') {
        if (!affiliations.includes(d.text)) affiliations.push(d.text);
      } else if (!descriptionKeys.has(d.key)) {
        descriptionKeys.add(d.key);
        descriptions.push({ start: p.start + d.start, end: p.start + d.end, text: d.text, kind: d.kind });
      }
    }
  }
  // the bare title ("President") after its fuller form ("President of Belarus") is redundant
  const titlesOut = titles.filter((t) => !titles.some((u) => u !== t && u.startsWith(t + ' ')));
  if (declaration < 0) declaration = 0;
  const base = `${type}:${slug(name)}`;
  const n = ids.get(base) ?? 0;
  ids.set(base, n + 1);
  const entity: Entity = {
    id: n ? `${base}#${n + 1}` : base,
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
  return entity;
}
