/**
 * Audits of an analysed article: a person's surname spelt two ways, a bare
 * surname before the person is introduced with full name, and scraped page
 * furniture (repeated headline, "Source link", "Check Also" blocks).
 *
 * Pure: works on the Article model only; every offset is an absolute UTF-16
 * offset, end exclusive. Linear in the number of mentions except the spelling
 * comparison, which is quadratic in the number of DISTINCT surnames (bounded).
 */
import { sourceOf, type TextSource } from './article';
import type { Article, BoilerplateBlock, Entity, Finding, Fix, Mention, Span, TextEdit } from './types';

export type AuditCode = 'name-spelling-variant' | 'surname-before-full-name' | 'scraped-boilerplate';

export interface AuditOptions {
  nameSpelling?: boolean;
  surnameBeforeFullName?: boolean;
  boilerplate?: boolean;
}

/** Name suffixes that are not the surname. */
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'v']);
/** Honorifics that give way to a full name ("Mr. Smith" → "John Smith"); titles like "President" stay. */
const HONORIFIC = /^(?:mr|mrs|ms|miss|mx|messrs|mme|mlle|herr|frau|sr|sra)\.?$/i;
/** Compare at most this many distinct surnames with each other (quadratic step). */
const MAX_FORMS = 1500;

/** Lower case without diacritics: "Lukašenka" → "lukasenka". */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Whitespace-separated tokens of a name. */
export function nameTokens(name: string): string[] {
  return name.split(/\s+/).filter(Boolean);
}

/** The surname token of a person's name ("Aleksandr G. Lukashenko" → "Lukashenko"), skipping Jr./III. */
export function surnameOf(name: string): string | undefined {
  // mention texts repeat across an article and across edits: remember the answers
  if (surnames.has(name)) return surnames.get(name);
  if (surnames.size > 20_000) surnames.clear();
  const surname = findSurname(name);
  surnames.set(name, surname);
  return surname;
}

const surnames = new Map<string, string | undefined>();

function findSurname(name: string): string | undefined {
  const tokens = nameTokens(name);
  let i = tokens.length - 1;
  while (i > 0 && SUFFIXES.has(tokens[i].toLowerCase().replace(/,$/, ''))) i--;
  const t = tokens[i]?.replace(/[,.;:]+$/, '');
  return t && /^\p{Lu}[\p{L}\p{M}'’-]*$/u.test(t) ? t : undefined;
}

/** The given name of a multi-token name ("Aleksandr G. Lukashenko" → "Aleksandr"), else undefined. */
export function givenNameOf(name: string): string | undefined {
  const tokens = nameTokens(name);
  return tokens.length >= 2 ? tokens[0] : undefined;
}

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein without repeated
 * edits of a substring), giving up as soon as it exceeds `max`.
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * Whether two surnames look like one name spelt two ways. Careful with
 * false positives: short names (Kim/Kin) are never compared, the first letter
 * must agree, and inflections that name a different person or a family
 * (Ivanov/Ivanova, Clinton/Clintons) do not count.
 */
export function similarSurnames(a: string, b: string): boolean {
  const x = foldName(a);
  const y = foldName(b);
  if (a.toLowerCase() === b.toLowerCase()) return false; // same name, headline capitals: SHEARER / Shearer
  if (x === y) return true; // differs only in diacritics: Lukašenka / Lukasenka
  const short = Math.min(x.length, y.length);
  if (short < 5) return false;
  if (x[0] !== y[0]) return false;
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  if (l.startsWith(s) && /^(?:s|es|a|'s|’s)$/.test(l.slice(s.length))) return false;
  const max = short >= 8 ? 2 : 1;
  return editDistance(x, y, max) <= max;
}

/** Given names that can belong to one person: equal, one an initial of the other, or a close transliteration. */
export function compatibleGivenNames(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  const x = foldName(a).replace(/\.$/, '');
  const y = foldName(b).replace(/\.$/, '');
  if (x === y) return true;
  if (x.length === 1 || y.length === 1) return x[0] === y[0];
  if (x[0] !== y[0]) return false;
  const short = Math.min(x.length, y.length);
  return short >= 6 ? editDistance(x, y, 3) <= 3 : editDistance(x, y, 1) <= 1;
}

interface SurnameUse {
  /** the surname as written */
  form: string;
  /** the mentions that end in it (their spans are made only for a finding: this runs after every edit) */
  mentions: Mention[];
  /** given names seen with this surname, from the entities that use it */
  given: Set<string>;
}

/** Span of the surname token within a mention, or undefined when the mention does not end in it. */
function surnameSpan(m: Mention): { form: string; span: Span } | undefined {
  const form = surnameOf(m.text);
  if (!form) return undefined;
  const at = m.text.lastIndexOf(form);
  if (at < 0) return undefined;
  return { form, span: { start: m.start + at, end: m.start + at + form.length } };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The same surname spelt two ways within one article. */
export function auditNameSpelling(article: Article): Finding[] {
  const uses = new Map<string, SurnameUse>();
  for (const e of article.entities) {
    if (e.type !== 'person') continue;
    const given = givenNameOf(e.name);
    for (const m of e.mentions) {
      if (m.context === 'boilerplate') continue;
      const form = surnameOf(m.text);
      if (!form || m.text.lastIndexOf(form) < 0) continue;
      let use = uses.get(form);
      if (!use) {
        if (uses.size >= MAX_FORMS) continue;
        use = { form, mentions: [], given: new Set() };
        uses.set(form, use);
      }
      use.mentions.push(m);
      if (given) use.given.add(given);
    }
  }
  const forms = [...uses.values()];
  const spansOf = (use: SurnameUse): Span[] => use.mentions.map((m) => (surnameSpan(m) as { span: Span }).span);
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (let i = 0; i < forms.length; i++) {
    for (let j = i + 1; j < forms.length; j++) {
      const a = forms[i];
      const b = forms[j];
      if (!similarSurnames(a.form, b.form)) continue;
      // two people with clearly different given names are two people (Mark Johnson, Jane Johnston)
      if (a.given.size && b.given.size && ![...a.given].some((g) => [...b.given].some((h) => compatibleGivenNames(g, h)))) continue;
      // the rarer spelling is the suspect one; on a tie, the one that appears later
      const aFirst = a.mentions[0].start + a.mentions[0].text.lastIndexOf(a.form);
      const bFirst = b.mentions[0].start + b.mentions[0].text.lastIndexOf(b.form);
      const [minorUse, majorUse] =
        a.mentions.length < b.mentions.length || (a.mentions.length === b.mentions.length && aFirst > bFirst) ? [a, b] : [b, a];
      const key = `${minorUse.form}\u0000${majorUse.form}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const minor = { form: minorUse.form, spans: spansOf(minorUse) };
      const major = { form: majorUse.form, spans: spansOf(majorUse) };
      const allEdits: TextEdit[] = minor.spans.map((s) => ({ start: s.start, end: s.end, newText: major.form }));
      for (const span of minor.spans) {
        const fixes: Fix[] = [{ title: `Spell it “${major.form}”`, edits: [{ ...span, newText: major.form }], preferred: true }];
        if (minor.spans.length > 1) fixes.push({ title: `Spell all ${minor.spans.length} “${minor.form}” as “${major.form}”`, edits: allEdits });
        fixes.push({
          title: `Spell all ${major.spans.length} “${major.form}” as “${minor.form}”`,
          edits: major.spans.map((s) => ({ start: s.start, end: s.end, newText: minor.form })),
        });
        findings.push({
          start: span.start,
          end: span.end,
          code: 'name-spelling-variant',
          severity: 'warning',
          message: `“${minor.form}” is spelt “${major.form}” elsewhere in this article (${plural(major.spans.length, 'time')}).`,
          related: [{ span: major.spans[0], message: `spelt “${major.form}” here` }],
          fixes,
        });
      }
    }
  }
  return findings;
}

/** A person named in another article, for the workspace spelling audit. */
export interface OtherPerson {
  /** the other article, as shown to the user (a file name or path) */
  file: string;
  name: string;
}

/**
 * People of this article whose surname another article of the workspace spells
 * differently (given names must agree, since across articles a bare surname says too little).
 * `candidates(surname)` returns people elsewhere whose surname may be a variant.
 */
export function auditWorkspaceSpelling(article: Article, candidates: (surname: string) => OtherPerson[]): Finding[] {
  const findings: Finding[] = [];
  for (const e of article.entities) {
    if (e.type !== 'person') continue;
    const surname = surnameOf(e.name);
    const given = givenNameOf(e.name);
    if (!surname || !given) continue;
    const hits = candidates(surname).filter((o) => {
      const s = surnameOf(o.name);
      const g = givenNameOf(o.name);
      return !!s && !!g && s !== surname && similarSurnames(s, surname) && compatibleGivenNames(g, given);
    });
    if (!hits.length) continue;
    const declaration = e.mentions[e.declaration] ?? e.mentions[0];
    const at = declaration && surnameSpan(declaration);
    if (!at) continue;
    const spellings = [...new Set(hits.map((h) => surnameOf(h.name)!))];
    const files = [...new Set(hits.map((h) => h.file))];
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    findings.push({
      ...at.span,
      code: 'name-spelling-variant',
      severity: 'warning',
      message: `“${surname}” is spelt ${spellings.map((s) => `“${s}”`).join(' or ')} in ${shown}.`,
      fixes: spellings.slice(0, 3).map((s) => ({
        title: `Spell it “${s}” throughout this article`,
        edits: e.mentions.flatMap((m) => {
          const sp = surnameSpan(m);
          return sp && sp.form === surname ? [{ ...sp.span, newText: s }] : [];
        }),
      })),
    });
  }
  return findings;
}

/** The first bare-surname mention of a person in the body before the full-name introduction. */
export function auditSurnameBeforeFullName(article: Article): Finding[] {
  const findings: Finding[] = [];
  for (const e of article.entities) {
    if (e.type !== 'person') continue;
    const full = nameTokens(e.name);
    if (full.length < 2) continue;
    const declaration = e.mentions[e.declaration];
    if (!declaration || nameTokens(declaration.text).length < 2) continue;
    // a given name that is only an initial ("S. Jayasuriya" in a scorecard) is no introduction
    const given = givenNameOf(e.name);
    if (!given || given.replace(/\.$/, '').length < 2) continue;
    const surname = surnameOf(e.name);
    const early = e.mentions.find(
      (m) => m.start < declaration.start && m.context === 'body' && same(m.text, surname) && inRunningText(article, m),
    );
    if (!early) continue;
    findings.push(surnameFinding(article, e, early, declaration));
  }
  return findings;
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && foldName(a) === foldName(b);

/**
 * Whether a paragraph reads as running text, where a reader needs a person
 * introduced: not the first paragraph (a headline the structure may have
 * missed), not in capitals, and long enough to be a paragraph rather than a
 * headline, kicker or caption.
 */
function inRunningText(article: Article, m: Mention): boolean {
  if (m.paragraph <= 0) return false;
  const paragraphs = article.structure.paragraphs;
  const p = paragraphs[m.paragraph]?.index === m.paragraph ? paragraphs[m.paragraph] : paragraphs.find((x) => x.index === m.paragraph);
  // without a paragraph, the line around the mention
  const src = sourceOf(article);
  let start = p ? p.start : m.start;
  let end = p ? p.end : m.end;
  if (!p) {
    while (start > 0 && src.charCodeAt(start - 1) !== 10) start--;
    while (end < src.length && src.charCodeAt(end) !== 10) end++;
  }
  const text = src.slice(start, Math.min(end, start + 2000));
  if (text === text.toUpperCase()) return false;
  return (text.match(/\S+/g)?.length ?? 0) >= 8;
}

function surnameFinding(article: Article, e: Entity, early: Mention, declaration: Mention): Finding {
  const honorific = early.prefix && HONORIFIC.test(early.prefix.text.trim()) ? early.prefix : undefined;
  const start = honorific ? honorific.start : early.start;
  const edits: TextEdit[] = [{ start, end: early.end, newText: e.name }];
  // the later full introduction can then become a short reference
  const short = surnameOf(e.name);
  const fixes: Fix[] = [{ title: `Introduce “${e.name}” here`, edits, preferred: true }];
  if (short && sourceOf(article).slice(declaration.start, declaration.end) === declaration.text) {
    fixes.push({
      title: `Introduce “${e.name}” here and shorten the later full name`,
      edits: [...edits, { start: declaration.start, end: declaration.end, newText: short }],
    });
  }
  return {
    start: early.start,
    end: early.end,
    code: 'surname-before-full-name',
    severity: 'information',
    message: `“${early.text}” is used before the full name “${e.name}” is introduced.`,
    related: [{ span: declaration, message: `“${declaration.text}” is introduced here` }],
    fixes,
  };
}

const BOILERPLATE_MESSAGE: Record<BoilerplateBlock['kind'], string> = {
  'repeated-headline': 'The headline is repeated: scraped page furniture.',
  'source-link': '“Source link” line from a scraped page.',
  related: 'Related-stories block (“Check Also”) from a scraped page.',
  advertisement: 'Advertisement text from a scraped page.',
  share: 'Share buttons text from a scraped page.',
  'repeated-line': 'A line repeated from elsewhere in the article: scraped page furniture.',
};

/** space, tab, line feed, carriage return, form feed, vertical tab, no-break space */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0;
}

/**
 * The spans to delete for some blocks: each block and the blank lines after
 * it; a run of blocks that reaches the end of the text takes the blank lines
 * before it instead, keeping the text's final newline. Sorted, never overlapping.
 */
export function removalSpans(text: TextSource, blocks: Span[]): Span[] {
  const spans: Span[] = blocks
    .map((b) => {
      const start = Math.max(0, Math.min(b.start, text.length));
      let end = Math.max(start, Math.min(b.end, text.length));
      while (end < text.length && isSpace(text.charCodeAt(end))) end++;
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  const tail = out[out.length - 1];
  if (tail && tail.end >= text.length) {
    while (tail.start > 0 && isSpace(text.charCodeAt(tail.start - 1))) tail.start--;
    const n = text.length;
    const finalNewline = n > 0 && text.charCodeAt(n - 1) === 10 ? (n > 1 && text.charCodeAt(n - 2) === 13 ? 2 : 1) : 0;
    tail.end = Math.max(tail.start, n - finalNewline);
    const before = out[out.length - 2];
    if (before && tail.start <= before.end) {
      before.end = Math.max(before.end, tail.end);
      out.pop();
    }
  }
  return out;
}

/** The span to delete for one block (see removalSpans). */
export function removalSpan(text: TextSource, block: Span): Span {
  return removalSpans(text, [block])[0];
}

export function auditBoilerplate(article: Article): Finding[] {
  const blocks = article.structure.boilerplate.filter((b) => b.end > b.start);
  const src = sourceOf(article);
  const all = removalSpans(src, blocks).map((s) => ({ ...s, newText: '' }));
  return blocks.map((b) => {
    const fixes: Fix[] = [{ title: 'Remove this scraped block', edits: [{ ...removalSpan(src, b), newText: '' }], preferred: true }];
    if (blocks.length > 1) fixes.push({ title: `Remove all scraped boilerplate (${blocks.length} blocks)`, edits: all });
    // the squiggle stays on the block's first paragraph: a range over several paragraphs marks the blank lines too
    const first = article.structure.paragraphs[b.paragraphs[0]] ?? b;
    const more = b.paragraphs.length > 1 ? ` (${b.paragraphs.length} paragraphs)` : '';
    const message = `${BOILERPLATE_MESSAGE[b.kind] ?? 'Scraped page furniture.'}${more}`;
    return { start: first.start, end: first.end, code: 'scraped-boilerplate', severity: 'warning', message, fixes };
  });
}

/** All in-article audits the options leave on, in text order. Never throws. */
export function auditArticle(article: Article, options: AuditOptions = {}): Finding[] {
  const out: Finding[] = [];
  const run = (on: boolean | undefined, f: (a: Article) => Finding[]) => {
    if (on === false) return;
    try {
      out.push(...f(article));
    } catch {
      // an audit must never take the server down
    }
  };
  run(options.nameSpelling, auditNameSpelling);
  run(options.surnameBeforeFullName, auditSurnameBeforeFullName);
  run(options.boilerplate, auditBoilerplate);
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
