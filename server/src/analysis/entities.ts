/**
 * Article-level entity building: turns the per-paragraph name candidates into one
 * entity per referent. Cheap and linear-ish (it runs on every keystroke):
 *  - headline-style lines and boilerplate are read with the body's knowledge,
 *  - a name recognised once is recognised at every occurrence (a word scan),
 *  - "President Aleksandr G. Lukashenko", "Mr. Lukashenko’s" and "Lukashenko" are one person,
 *  - the type is a vote over all mentions.
 */
import type { ArticleInput } from './article';
import { normalizeName as normalizeNameUncached } from './dictionary';
import { lookupPlace } from './gazetteer';
import type { Descriptor, Entity, EntityType, Mention, NameCandidate, ParagraphKind } from './types';

type Context = Mention['context'];

/** normalizeName, memoised per call of buildEntities (words repeat a lot in an article). */
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

interface Raw {
  start: number;
  end: number;
  text: string;
  type?: EntityType;
  confidence: number;
  source: string;
  paragraph: number;
  context: Context;
  /** headline-style or boilerplate paragraph: only known names count */
  weak: boolean;
  prefix?: { start: number; end: number; text: string };
  possessive?: boolean;
  /** candidate index inside the paragraph (for descriptors), -1 for scanned mentions */
  cand: number;
  key: string;
  words: string[];
}

const CONTEXT: Record<ParagraphKind, Context> = {
  headline: 'headline',
  subhead: 'headline',
  dateline: 'dateline',
  byline: 'byline',
  body: 'body',
  boilerplate: 'boilerplate',
};


function words(name: string): string[] {
  return name.split(/\s+/).filter(Boolean);
}

function stripPossessive(text: string): string {
  return text.replace(/[’']s?$/u, '');
}

function keyOf(text: string): string {
  return normalizeName(stripPossessive(text));
}

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

function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && text === text.toUpperCase();
}

/** Build the article's entities from the paragraph analyses. Never throws on well-formed input. */
export function buildEntities(input: ArticleInput): Entity[] {
  const { text, paragraphs, analyses, structure } = input;
  const dict = input.options.dictionary;
  const kinds = new Map<number, ParagraphKind>();
  for (const p of structure?.paragraphs ?? []) kinds.set(p.index, p.kind);

  // 1. candidates → raw mentions with absolute offsets
  const raws: Raw[] = [];
  const weakPara: boolean[] = [];
  const capsPara: boolean[] = [];
  paragraphs.forEach((p, pi) => {
    const nlp = analyses[pi]?.nlp;
    const kind = kinds.get(p.index) ?? 'body';
    const context = CONTEXT[kind] ?? 'body';
    const weak = kind === 'headline' || kind === 'subhead' || kind === 'boilerplate' || !!nlp?.titleCase;
    weakPara[pi] = weak;
    capsPara[pi] = isAllCaps(p.text);
    if (!nlp) return;
    nlp.names.forEach((c: NameCandidate, ci) => {
      const start = p.start + c.start;
      const end = p.start + c.end;
      if (start < p.start || end > p.end || end <= start) return;
      const t = text.slice(start, end);
      const raw: Raw = {
        start,
        end,
        text: t,
        type: c.type,
        confidence: c.confidence,
        source: c.source,
        paragraph: pi,
        context,
        weak,
        cand: ci,
        key: keyOf(t),
        words: words(stripPossessive(t)),
      };
      if (c.prefix) raw.prefix = { start: p.start + c.prefix.start, end: p.start + c.prefix.end, text: c.prefix.text };
      if (c.possessive) raw.possessive = true;
      raws.push(raw);
    });
  });

  // 2. the team dictionary
  const applyDict = (r: Raw): boolean => {
    if (!dict) return true;
    if (dict.notEntities.has(r.key)) return false;
    const forced = dict.types.get(r.key);
    if (forced) {
      r.type = forced;
      r.confidence = 1;
      r.source = 'dictionary';
    }
    return true;
  };

  // 3. what the body knows: typed names with decent evidence
  const votes = new Map<string, Map<EntityType, number>>();
  const vote = (key: string, type: EntityType, w: number) => {
    let m = votes.get(key);
    if (!m) votes.set(key, (m = new Map()));
    m.set(type, (m.get(type) ?? 0) + w);
  };
  const body = raws.filter((r) => applyDict(r));
  const known = new Map<string, string[]>(); // key → words (display form)
  for (const r of body) {
    const strong = r.type !== undefined && (r.weak ? r.confidence >= 0.9 : r.confidence >= 0.45);
    if (!strong || !r.type) continue;
    vote(r.key, r.type, r.confidence);
    if (!known.has(r.key)) known.set(r.key, r.words);
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
    if (typeOf(key) !== 'person' || ws.length < 2) continue;
    const last = normalizeName(ws[ws.length - 1]);
    const prev = surname.get(last);
    if (prev === undefined || (known.get(prev)?.length ?? 0) < ws.length) surname.set(last, key);
    const core = coreKey(ws);
    const had = fullByCore.get(core);
    if (!had || (known.get(had)?.length ?? 0) < ws.length) fullByCore.set(core, key);
  }
  for (const s of surname.keys()) if (!votes.has(s)) vote(s, 'person', 0.5);

  // 4. keep weak-paragraph candidates only when the body knows them (or the evidence is very strong)
  const kept: Raw[] = [];
  for (const r of body) {
    if (r.weak) {
      const knownHere = votes.has(r.key) || surname.has(r.key);
      if (!knownHere && (r.confidence < 0.8 || !r.type)) continue;
    }
    kept.push(r);
  }

  // 5. document-level consistency: find known names wherever they occur
  const byFirst = new Map<string, string[][]>();
  const addForm = (ws: string[]) => {
    if (!ws.length) return;
    const k = normalizeName(ws[0]);
    const list = byFirst.get(k) ?? [];
    if (!list.some((l) => l.length === ws.length && l.every((w, i) => normalizeName(w) === normalizeName(ws[i])))) list.push(ws);
    byFirst.set(k, list);
  };
  for (const [key, ws] of known) {
    if (key.length < 2 || dict?.notEntities.has(key)) continue;
    addForm(ws);
  }
  for (const [s, full] of surname) {
    const ws = known.get(full);
    if (ws) addForm([ws[ws.length - 1]]);
    void s;
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  const occupied = kept.filter((r) => !r.weak || r.confidence >= 0.9).map((r) => [r.start, r.end] as [number, number]).sort((a, b) => a[0] - b[0]);
  const isFree = (s: number, e: number): boolean => {
    // binary search for any occupied span overlapping [s, e)
    let lo = 0;
    let hi = occupied.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (occupied[mid][0] < e) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) if (occupied[i][1] > s) return false;
    return true;
  };
  const scanned: Raw[] = [];
  if (byFirst.size) {
    // each form as a string: compared in place, case-folded in all-caps paragraphs
    const forms = new Map<string, { text: string; lower: string }[]>();
    for (const [k, list] of byFirst) forms.set(k, list.map((ws) => ({ text: ws.join(' ').replace(/’/g, "'"), lower: ws.join(' ').replace(/’/g, "'").toLowerCase() })));
    paragraphs.forEach((p, pi) => {
      const caps = capsPara[pi];
      const re = caps ? /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu : /\p{Lu}[\p{L}\p{N}'’.&-]*/gu;
      const pt = p.text;
      for (let m = re.exec(pt); m; m = re.exec(pt)) {
        const at = m.index;
        if (at > 0 && /[\p{L}\p{N}]/u.test(pt[at - 1])) continue;
        const w0 = m[0];
        const k0 = normalizeName(stripPossessive(w0.replace(/\.$/, '')));
        const list = forms.get(k0) ?? forms.get(normalizeName(w0));
        if (!list) continue;
        for (const form of list) {
          const slice = pt.slice(at, at + form.text.length).replace(/’/g, "'");
          if (caps ? slice.toLowerCase() !== form.lower : slice !== form.text) continue;
          let e = at + form.text.length;
          const after = pt.slice(e, e + 3);
          let possessive = false;
          if (/^['’]s(?![\p{L}\p{N}])/u.test(after)) possessive = true;
          else if (/^[\p{L}\p{N}]/u.test(after)) continue;
          const s = p.start + at;
          e += p.start;
          if (isFree(s, e)) {
            const t = text.slice(s, e);
            const key = keyOf(t);
            const r: Raw = {
              start: s,
              end: e,
              text: t,
              type: typeOf(key) ?? (surname.has(key) ? 'person' : undefined),
              confidence: 0.6,
              source: 'known',
              paragraph: pi,
              context: CONTEXT[kinds.get(p.index) ?? 'body'] ?? 'body',
              weak: weakPara[pi],
              cand: -1,
              key,
              words: words(t),
            };
            if (possessive) r.possessive = true;
            scanned.push(r);
          }
          re.lastIndex = Math.max(re.lastIndex, at + form.text.length);
          break;
        }
      }
    });
  }
  // a scanned known name beats a weak headline candidate it overlaps ("Lukashenko Turns" → "Lukashenko")
  const scannedSpans = scanned.filter((r) => r.weak).map((r) => [r.start, r.end] as [number, number]);
  const keptFinal = scannedSpans.length
    ? kept.filter((r) => !r.weak || r.confidence >= 0.9 || !scannedSpans.some(([s, e]) => s < r.end && e > r.start))
    : kept;
  const all = keptFinal.concat(scanned).sort((a, b) => a.start - b.start || b.end - a.end);

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
    if (r.words.length === 1) {
      const full = surname.get(k);
      if (full && !(r.type && r.type !== 'person' && r.confidence >= 0.9 && !r.prefix)) return full;
      const ac = orgByAcronym.get(k.replace(/\./g, ''));
      if (ac && /^\p{Lu}/u.test(r.text) && isAllCaps(r.text.replace(/\./g, ''))) return ac;
    } else if (r.words.length >= 2) {
      const full = fullByCore.get(coreKey(r.words));
      if (full) return full;
    }
    return k;
  };
  interface Cluster {
    key: string;
    raws: Raw[];
    votes: Map<EntityType, number>;
  }
  const clusters = new Map<string, Cluster>();
  for (const r of all) {
    const ck = clusterKey(r);
    let c = clusters.get(ck);
    if (!c) clusters.set(ck, (c = { key: ck, raws: [], votes: new Map() }));
    c.raws.push(r);
    if (r.type) c.votes.set(r.type, (c.votes.get(r.type) ?? 0) + r.confidence * (r.weak ? 0.5 : 1));
  }

  // 7. type by vote, then fill the entities
  const entities: Entity[] = [];
  const ids = new Map<string, number>();
  for (const c of clusters.values()) {
    let type: EntityType | undefined;
    let bw = 0;
    for (const [t, w] of c.votes) if (w > bw) (type = t), (bw = w);
    const forced = dict?.types.get(c.key);
    if (forced) type = forced;
    if (!type) type = fallbackType(c.raws);
    if (!type) continue;
    if (c.raws.every((r) => r.weak) && !c.raws.some((r) => r.confidence >= 0.9) && !votes.has(c.key)) continue;
    entities.push(fill(c.key, type, c.raws, input, ids));
  }
  entities.sort((a, b) => a.mentions[0].start - b.mentions[0].start);
  return entities;
}

/** A cluster no mention could type: a two- or three-word capitalised name is most often a person. */
function fallbackType(raws: Raw[]): EntityType | undefined {
  const body = raws.filter((r) => !r.weak);
  if (!body.length) return undefined;
  const r = body[0];
  if (r.words.length >= 2 && r.words.length <= 3 && r.words.every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return 'person';
  return undefined;
}

function fill(key: string, type: EntityType, raws: Raw[], input: ArticleInput, ids: Map<string, number>): Entity {
  const { paragraphs, analyses } = input;
  // canonical: the fullest body form (most words, then longest), else the fullest anywhere
  const pool = raws.filter((r) => !r.weak).length ? raws.filter((r) => !r.weak) : raws;
  let best = pool[0];
  for (const r of pool) {
    const name = stripPossessive(r.text);
    const bestName = stripPossessive(best.text);
    if (r.words.length > best.words.length || (r.words.length === best.words.length && name.length > bestName.length && !isAllCaps(name))) best = r;
    if (isAllCaps(bestName) && !isAllCaps(name) && r.words.length === best.words.length) best = r;
  }
  const name = stripPossessive(best.text).trim();
  const aliases: string[] = [name];
  const seen = new Set([normalizeName(name)]);
  const addAlias = (a: string) => {
    const k = normalizeName(a);
    if (!seen.has(k)) {
      seen.add(k);
      aliases.push(a);
    }
  };
  const mentions: Mention[] = [];
  const titles: string[] = [];
  const descriptions: Descriptor[] = [];
  const affiliations: string[] = [];
  let age: number | undefined;
  for (const r of raws) {
    const m: Mention = { start: r.start, end: r.end, text: r.text, paragraph: r.paragraph, context: r.context };
    if (r.prefix) {
      m.prefix = r.prefix;
      addAlias(`${r.prefix.text} ${stripPossessive(r.text)}`);
    }
    if (r.possessive) m.possessive = true;
    addAlias(stripPossessive(r.text));
    mentions.push(m);
    if (r.cand < 0) continue;
    const p = paragraphs[r.paragraph];
    const nlp = analyses[r.paragraph]?.nlp;
    for (const d of nlp?.descriptors ?? []) {
      if (d.name !== r.cand) continue;
      const abs = { start: p.start + d.start, end: p.start + d.end, text: d.text };
      if (d.kind === 'title' || d.kind === 'role') {
        const t = d.text.replace(/\.$/, '');
        if (!titles.some((x) => normalizeName(x) === normalizeName(t))) titles.push(t);
      } else if (d.kind === 'age') {
        const n = Number(d.text);
        if (Number.isFinite(n) && age === undefined) age = n;
      } else if (d.kind === 'affiliation') {
        if (!affiliations.includes(d.text)) affiliations.push(d.text);
      } else if (!descriptions.some((x) => normalizeName(x.text) === normalizeName(d.text))) {
        descriptions.push({ ...abs, kind: d.kind });
      }
    }
  }
  // the bare title ("President") after its fuller form ("President of Belarus") is redundant
  const titlesOut = titles.filter((t) => !titles.some((u) => u !== t && u.startsWith(t + ' ')));
  let declaration = mentions.findIndex((m, i) => normalizeName(stripPossessive(m.text)) === normalizeName(name) && !raws[i].weak);
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
  void key;
  return entity;
}
