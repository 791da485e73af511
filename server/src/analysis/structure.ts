import type {
  BoilerplateBlock,
  BoilerplateKind,
  Paragraph,
  ParagraphAnalysis,
  ParagraphKind,
  ParagraphSlice,
  Span,
  Structure,
  TextSpan,
} from './types';
import type { TextSource } from './text';

/** Scraper and site furniture recognised as a whole paragraph (case-insensitive). */
const FURNITURE: [RegExp, BoilerplateKind][] = [
  [/^(source( link)?|original source|view (the )?original( article)?|read (the )?original( article)?)\s*[:.]?$/i, 'source-link'],
  [/^(check also|related( articles| stories| posts| coverage| news)?|read more|more from [^.]{1,40}|you (may|might) also like|recommended( for you)?|see also|trending( now)?|most (read|popular)|also read|further reading)\s*[:.…]*$/i, 'related'],
  [/^(advertisement|ad|sponsored( content)?|story continues below( advertisement)?|continue reading( the main story)?|scroll to continue( with content)?)\s*[:.…]*$/i, 'advertisement'],
  [/^(share( this)?( article| story| post)?( on [a-z ]+)?|click to share[^.]{0,60}|(follow|like) us on [^.]{1,60}|sign up (for|to) [^.]{1,80}|subscribe( to [^.]{1,60})?|tweet( this)?|email( this)?|print( this)?( article)?|copy link|leave a comment|comments?( \(\d+\))?)\s*[:.!…]*$/i, 'share'],
];

/** Markers after which the rest is related-article headlines until a body-like paragraph. */
const RELATED_MARKERS = new Set(['related']);

// Words of capitals joined by single spaces or hyphens: each hyphen can only be a separator (no backtracking).
const DATELINE =
  /^((?:[A-Z][A-Z.'’]*)(?:[ -][A-Z][A-Z.'’]*)*(?:, (?:[A-Z][A-Za-z.'’]*)(?:[ -][A-Z][A-Za-z.'’]*)*)?)(?: ?\([^()\n]{1,40}\))? ?(?:—|–|--| - |-(?= ))\s*/;
/** Datelines are short: only the start of a paragraph is looked at. */
const DATELINE_WINDOW = 120;
const DATE_ONLY_DATELINE = /^([A-Z][A-Z .'’-]{1,40}?)\s+(?:\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2},? \d{4})$/;
const BYLINE_START = /^by\s+(?=\p{Lu})/iu;
const NAME_PARTICLES = new Set(['and', '&', 'de', 'da', 'di', 'del', 'der', 'du', 'la', 'le', 'van', 'von', 'bin', 'al', 'el']);

/**
 * The names of a byline ("By Jane Doe and John Roe | Reuters" → "Jane Doe and John Roe"),
 * or undefined when the line is not one. Word by word, so no regex can backtrack.
 */
function bylineNames(text: string): string | undefined {
  if (text.length > 200) return undefined;
  const start = BYLINE_START.exec(text);
  if (!start) return undefined;
  let names = text.slice(start[0].length);
  const cut = names.search(/[|—–]| - /);
  if (cut >= 0) names = names.slice(0, cut);
  let end = names.length;
  while (end > 0 && (names[end - 1] === ',' || /\s/.test(names[end - 1]))) end--;
  names = names.slice(0, end);
  const words = names.split(/[\s,]+/).filter(Boolean);
  if (!words.length || words.length > 20) return undefined;
  const ok = words.every((w) => NAME_PARTICLES.has(w.toLowerCase()) || /^\p{Lu}[\p{L}.'’-]*$/u.test(w));
  return ok && /^\p{Lu}/u.test(words[0]) ? names : undefined;
}
const CREDIT = /^(\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*)+)(?:(?:,| and) \p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*)+)* (?:reported|contributed( reporting)?|wrote|edited)\b/u;
const CREDIT_NAME = /\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*)+/gu;
const HEADING_MARKUP = /^#{1,6} /;

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

const TITLE_LIKE = 1;
const BODY_LIKE = 2;
const HEADING = 4;
const SUBHEAD_LIKE = 8;

/**
 * What structure detection needs of one paragraph; depends only on its text, so it is
 * memoised. One class with fixed fields (every shape has the same layout, so the
 * per-edit pass over thousands of them stays fast) and the yes/no facts in one number.
 */
class Shape {
  /**
   * The paragraph's text with case and spacing normalised, as a 53-bit hash: equal
   * paragraphs (a repeated headline, a line repeated verbatim) are found by it, and a
   * number costs far less to keep for every paragraph of a long article than a string.
   */
  readonly normal: number;
  /** length of the normalised text */
  readonly normalLength: number;
  readonly flags: number;
  readonly furniture: BoilerplateKind | undefined;

  constructor(text: string) {
    const n = normalize(text);
    this.normal = hash53(n);
    this.normalLength = n.length;
    const trimmed = text.trim();
    const title = titleLike(text);
    this.flags =
      (title ? TITLE_LIKE : 0) |
      (bodyLike(text) ? BODY_LIKE : 0) |
      (HEADING_MARKUP.test(text) ? HEADING : 0) |
      // reads like a subhead when it stands between body paragraphs: short, title-like, capitalised, no quotation
      (text.length <= 80 && title && !/["“”]/.test(text) && /^\p{Lu}/u.test(text) ? SUBHEAD_LIKE : 0);
    this.furniture = text.length <= 100 ? FURNITURE.find(([re]) => re.test(trimmed))?.[1] : undefined;
  }

  get titleLike(): boolean {
    return (this.flags & TITLE_LIKE) !== 0;
  }
  get bodyLike(): boolean {
    return (this.flags & BODY_LIKE) !== 0;
  }
  /** a markdown heading ("## Reaction") */
  get heading(): boolean {
    return (this.flags & HEADING) !== 0;
  }
  get subheadLike(): boolean {
    return (this.flags & SUBHEAD_LIKE) !== 0;
  }
}

const shapes = new WeakMap<ParagraphAnalysis, Shape>();

/** The structure step's per-paragraph share, done when the paragraph is analysed (so a sliced analysis does it in slices). */
export function prepareStructureParagraph(analysis: ParagraphAnalysis, text: string): void {
  shapeOf(text, analysis);
}

function shapeOf(text: string, analysis: ParagraphAnalysis | undefined): Shape {
  let shape = analysis && shapes.get(analysis);
  if (!shape) {
    shape = new Shape(text);
    if (analysis) shapes.set(analysis, shape);
  }
  return shape;
}


/** A 53-bit string hash (two multiplicative 32-bit lanes); collisions among an article's paragraphs are vanishingly rare. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A line that reads like a title: short and not ending a sentence. */
function titleLike(text: string): boolean {
  return text.length <= 250 && !/[.;,]["”’»)]*$/.test(text.trim());
}

/** A paragraph of running prose. */
function bodyLike(text: string): boolean {
  return text.length > 120 || /[.!?]["”’»)]*$/.test(text.trim());
}

/**
 * Headline, dateline, byline, sections and boilerplate of an article.
 * Works on the paragraph slices only: cheap, and independent of the language analysis
 * except for sentence spans.
 */
export function detectStructure(text: string, slices: ParagraphSlice[], analyses: ParagraphAnalysis[]): Structure {
  const steps = detectStructureSteps(text, slices, analyses);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Paragraphs between two pauses of detectStructureSteps. */
const STRUCTURE_SLICE = 2000;

/** detectStructure as a generator that pauses every few thousand paragraphs (a very long article is read in slices). */
export function* detectStructureSteps(text: string, slices: ParagraphSlice[], analyses: ParagraphAnalysis[]): Generator<void, Structure, void> {
  const n = slices.length;
  const kinds: ParagraphKind[] = new Array<ParagraphKind>(n).fill('body');
  const boilerplateKind = new Map<number, BoilerplateKind>();
  const structure: Structure = { sections: [], paragraphs: [], boilerplate: [] };
  const shape: Shape[] = new Array(n);
  // a typed list: hashes are doubles, and a plain array's element kind would vary from call to call
  const normal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    shape[i] = shapeOf(slices[i].text, analyses[i]);
    normal[i] = shape[i].normal;
    if (i % STRUCTURE_SLICE === STRUCTURE_SLICE - 1) yield;
  }

  // Headline: the first paragraph when it reads like a title (markdown "# " or a short unpunctuated line).
  let first = 0;
  if (slices.length > 1 || (slices.length === 1 && HEADING_MARKUP.test(slices[0].text))) {
    const s = slices[0];
    if (s && (HEADING_MARKUP.test(s.text) || (titleLike(s.text) && !DATELINE_START(s.text) && !bylineNames(s.text)))) {
      kinds[0] = 'headline';
      const offset = HEADING_MARKUP.test(s.text) ? s.text.indexOf(' ') + 1 : 0;
      structure.headline = span(text, s.start + offset, s.end);
      first = 1;
      // the scraper's copies of the headline
      const bare = hash53(normalize(structure.headline.text));
      for (let i = 1; i < slices.length; i++) {
        if (normal[i] === normal[0] || normal[i] === bare) {
          kinds[i] = 'boilerplate';
          boilerplateKind.set(i, 'repeated-headline');
        }
      }
      yield;
    }
  }

  // Byline right after the headline ("By Jane Doe and John Roe").
  for (let i = first; i < Math.min(slices.length, first + 4); i++) {
    if (kinds[i] !== 'body') continue;
    const s = slices[i];
    const names = bylineNames(s.text);
    if (names) {
      kinds[i] = 'byline';
      const namesStart = s.start + s.text.indexOf(names);
      structure.byline = { ...span(text, s.start, s.end), authors: splitNames(text, namesStart, names) };
    }
    break;
  }

  // Dateline: at the start of the first body paragraph, or a paragraph of its own ("LONDON 1996-08-30").
  for (let i = first; i < Math.min(slices.length, first + 6); i++) {
    if (kinds[i] !== 'body') continue;
    const s = slices[i];
    const own = DATE_ONLY_DATELINE.exec(s.text);
    if (own) {
      kinds[i] = 'dateline';
      structure.dateline = { ...span(text, s.start, s.end), place: span(text, s.start, s.start + own[1].trimEnd().length) };
      break;
    }
    const m = DATELINE.exec(s.text.slice(0, DATELINE_WINDOW));
    if (m && /\p{Lu}{2}/u.test(m[1]) && m[1].replace(/[^\p{Lu}]/gu, '').length >= 2) {
      const dash = m[0].trimEnd();
      structure.dateline = { ...span(text, s.start, s.start + dash.length), place: span(text, s.start, s.start + m[1].length) };
      break;
    }
    if (shape[i].bodyLike) break;
  }

  // Furniture, related-article blocks, and lines repeated verbatim.
  const seen = new Map<number, number>();
  let inRelated = false;
  for (let i = first; i < slices.length; i++) {
    if (i % STRUCTURE_SLICE === STRUCTURE_SLICE - 1) yield;
    if (kinds[i] === 'byline' || kinds[i] === 'dateline') continue;
    const s = slices[i];
    if (inRelated) {
      if (shape[i].bodyLike && s.text.length > 200) inRelated = false;
      else {
        kinds[i] = 'boilerplate';
        boilerplateKind.set(i, 'related');
        continue;
      }
    }
    if (kinds[i] === 'boilerplate') continue;
    const furniture = shape[i].furniture;
    if (furniture) {
      kinds[i] = 'boilerplate';
      boilerplateKind.set(i, furniture);
      if (RELATED_MARKERS.has(furniture)) inRelated = true;
      continue;
    }
    const key = normal[i];
    if (shape[i].normalLength >= 12 && seen.has(key)) {
      kinds[i] = 'boilerplate';
      boilerplateKind.set(i, 'repeated-line');
      continue;
    }
    seen.set(key, i);
  }

  // Credit line at the end ("Andrew Higgins reported from Moscow.") when there is no "By" line.
  for (let i = slices.length - 1; i >= first && !structure.byline; i--) {
    if (kinds[i] === 'boilerplate') continue;
    const s = slices[i];
    if (s.text.length <= 300 && CREDIT.test(s.text)) {
      kinds[i] = 'byline';
      const authors: TextSpan[] = [];
      const verb = /\b(reported|contributed|wrote|edited)\b/.exec(s.text);
      // authors: a name before each verb or " and " clause start, skipping place names after "from"
      for (const clause of s.text.split(/ and (?=\p{Lu})/u)) {
        const at = s.text.indexOf(clause);
        const m = new RegExp(CREDIT_NAME.source, 'u').exec(clause);
        if (m && m.index === 0) authors.push(span(text, s.start + at, s.start + at + m[0].length));
      }
      if (verb) structure.byline = { ...span(text, s.start, s.end), authors };
    }
    break;
  }

  // Sections: short title-like lines between body paragraphs, or markdown headings.
  yield;
  for (let i = first; i < slices.length; i++) {
    if (i % STRUCTURE_SLICE === STRUCTURE_SLICE - 1) yield;
    if (kinds[i] !== 'body') continue;
    const s = slices[i];
    const heading = shape[i].heading;
    const between = kinds[i - 1] === 'body' && kinds[i + 1] === 'body';
    if (heading || (between && shape[i].subheadLike)) {
      kinds[i] = 'subhead';
      const offset = heading ? s.text.indexOf(' ') + 1 : 0;
      structure.sections.push(span(text, s.start + offset, s.end));
    }
  }

  const paragraphs: Paragraph[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = slices[i];
    paragraphs[i] = new ArticleParagraph(i, s.start, s.end, kinds[i], analyses[i]?.nlp.sentences ?? []);
    if (i % STRUCTURE_SLICE === STRUCTURE_SLICE - 1) yield;
  }
  structure.paragraphs = paragraphs;
  structure.boilerplate = mergeBoilerplate(text, structure.paragraphs, boilerplateKind);
  normals.set(structure, normal);
  kindLists.set(structure, kinds);
  return structure;
}

/** The paragraph hashes of a structure (kept for splicing the next version). */
const normals = new WeakMap<Structure, Float64Array>();

/** A splice never touches the paragraphs where the headline, byline and dateline are looked for. */
const SPLICE_FROM = 8;

/**
 * The structure of an edited article from the structure of the version before, when the
 * edit replaced paragraphs [from, oldEnd) of the old version by [from, newEnd) of the new
 * one (the others are the same texts, those after moved by `shift` characters). Equals
 * detectStructure on the new version; undefined when the edit may change what the rules
 * that look at the whole article decide (headline, byline, dateline and credit line,
 * boilerplate blocks, lines repeated elsewhere), so the caller detects it afresh.
 * Only the edited paragraphs and the subhead rule's neighbours are looked at.
 */
export function spliceStructure(
  prev: Structure,
  text: TextSource,
  slices: ParagraphSlice[],
  analyses: ParagraphAnalysis[],
  from: number,
  oldEnd: number,
  newEnd: number,
  shift: number,
): Structure | undefined {
  const oldN = prev.paragraphs.length;
  const n = slices.length;
  const dp = newEnd - oldEnd;
  const prevNormal = normals.get(prev);
  if (!prevNormal || prevNormal.length !== oldN || n !== oldN + dp || from < SPLICE_FROM || oldEnd >= oldN) return undefined;
  const oldKinds = paragraphKinds(prev, oldN);
  // the old window, the paragraph before it and the one after it are ordinary paragraphs: no
  // boilerplate block, related-articles run or credit line starts, ends or lies there
  for (let i = from - 1; i <= oldEnd; i++) if (oldKinds[i] !== 'body' && oldKinds[i] !== 'subhead') return undefined;
  // no paragraph of the window (old or new) is furniture, a copy of the headline, or a line repeated elsewhere
  const normal = new Float64Array(n);
  normal.set(prevNormal.subarray(0, from), 0);
  normal.set(prevNormal.subarray(oldEnd), newEnd);
  const bare = prev.headline ? hash53(normalize(prev.headline.text)) : NaN;
  const windowShapes: Shape[] = [];
  for (let i = from; i < newEnd; i++) {
    const sh = shapeOf(slices[i].text, analyses[i]);
    if (sh.furniture || sh.normal === bare || (prev.headline && sh.normal === normal[0])) return undefined;
    normal[i] = sh.normal;
    windowShapes.push(sh);
  }
  if (!uniqueIn(normal, from, newEnd) || !uniqueIn(prevNormal, from, oldEnd)) return undefined;

  // the subhead rule, from the paragraph before the window until the kinds agree with the old ones again
  const kinds: ParagraphKind[] = new Array(n);
  for (let i = 0; i < from; i++) kinds[i] = oldKinds[i];
  for (let i = newEnd; i < n; i++) kinds[i] = oldKinds[i - dp];
  const before = (i: number): ParagraphKind => {
    // the kind before the subhead rule ran (it makes subheads of body paragraphs only)
    const k = i < from ? oldKinds[i] : i < newEnd ? 'body' : i < n ? oldKinds[i - dp] : 'body';
    return k === 'subhead' ? 'body' : k;
  };
  // each subhead paragraph has its section, in order (a map: subheads are few, paragraphs many)
  const oldSection = new Map<number, TextSpan>();
  for (let k = 0, si = 0; k < oldN && si < prev.sections.length; k++) if (oldKinds[k] === 'subhead') oldSection.set(k, prev.sections[si++]);
  const sections: TextSpan[] = [];
  for (const [k, x] of oldSection) if (k < from - 1) sections.push(x);
  let i = from - 1;
  for (; i < n; i++) {
    let kind = before(i);
    const s = slices[i];
    if (kind === 'body') {
      const shape = i >= from && i < newEnd ? windowShapes[i - from] : shapeOf(s.text, analyses[i]);
      const between = kinds[i - 1] === 'body' && (i + 1 < n ? before(i + 1) : undefined) === 'body';
      if (shape.heading || (between && shape.subheadLike)) {
        kind = 'subhead';
        sections.push(span(text, s.start + (shape.heading ? s.text.indexOf(' ') + 1 : 0), s.end));
      }
    }
    kinds[i] = kind;
    // from here on every paragraph's inputs to the rule are the old ones
    if (i >= newEnd && kind === oldKinds[i - dp]) break;
  }
  for (const [k, x] of oldSection) if (k + dp > i && kinds[k + dp] === 'subhead') sections.push({ start: x.start + shift, end: x.end + shift, text: x.text });
  const firstAfter = prev.paragraphs[oldEnd].start;
  const structure: Structure = {
    headline: prev.headline,
    dateline: prev.dateline,
    byline: prev.byline && prev.byline.start >= firstAfter ? moved(prev.byline, shift) : prev.byline,
    sections,
    paragraphs: [],
    boilerplate: [],
  };
  // paragraphs before the one before the window are the old objects (their kinds did not change);
  // those after the subhead rule's last change are the old objects too, moved in place (the
  // splice consumes the version before, see analyzeArticle): same kind, same analysis
  const paragraphs: Paragraph[] = new Array(n);
  for (let k = 0; k < from - 1; k++) paragraphs[k] = prev.paragraphs[k];
  const reuseFrom = Math.max(i + 1, newEnd + 1);
  for (let k = from - 1; k < n; k++) {
    const old = k >= reuseFrom ? prev.paragraphs[k - dp] : undefined;
    if (old instanceof ArticleParagraph && old.kind === kinds[k]) {
      old.moveTo(k, slices[k].start, slices[k].end);
      paragraphs[k] = old;
    } else paragraphs[k] = new ArticleParagraph(k, slices[k].start, slices[k].end, kinds[k], analyses[k]?.nlp.sentences ?? []);
  }
  structure.paragraphs = paragraphs;
  for (const b of prev.boilerplate) {
    if (b.start < firstAfter) structure.boilerplate.push(b);
    else structure.boilerplate.push({ start: b.start + shift, end: b.end + shift, text: b.text, kind: b.kind, paragraphs: b.paragraphs.map((p) => p + dp) });
  }
  normals.set(structure, normal);
  kindLists.set(structure, kinds);
  return structure;
}

/** Each hash of list[from, to) occurs once in the whole list. */
function uniqueIn(list: Float64Array, from: number, to: number): boolean {
  if (to <= from) return true;
  const mine = new Set<number>();
  for (let i = from; i < to; i++) {
    if (mine.has(list[i])) return false;
    mine.add(list[i]);
  }
  for (let i = 0; i < list.length; i++) if ((i < from || i >= to) && mine.has(list[i])) return false;
  return true;
}

function moved<T extends TextSpan>(x: T & { authors: TextSpan[] }, shift: number): T & { authors: TextSpan[] } {
  return { ...x, start: x.start + shift, end: x.end + shift, authors: x.authors.map((a) => ({ start: a.start + shift, end: a.end + shift, text: a.text })) };
}

const kindLists = new WeakMap<Structure, ParagraphKind[]>();

/**
 * The kind of each of the first `n` paragraphs ('body' where the structure has none), made
 * once per structure: the entity and quote steps both need it, and reading it from a plain
 * list keeps their loops away from the paragraph objects.
 */
export function paragraphKinds(structure: Structure | undefined, n: number): ParagraphKind[] {
  const known = structure && kindLists.get(structure);
  if (known && known.length === n) return known;
  const kinds: ParagraphKind[] = new Array<ParagraphKind>(n).fill('body');
  for (const p of structure?.paragraphs ?? []) if (p.index >= 0 && p.index < n) kinds[p.index] = p.kind;
  if (structure) kindLists.set(structure, kinds);
  return kinds;
}

/** A paragraph whose absolute sentence spans are made only when asked for (most steps never do). */
class ArticleParagraph implements Paragraph {
  constructor(
    public index: number,
    public start: number,
    public end: number,
    readonly kind: ParagraphKind,
    private readonly relative: Span[],
  ) {}

  /** Move the paragraph (a splice moves those after an edit in place, see spliceStructure). */
  moveTo(index: number, start: number, end: number): void {
    this.index = index;
    this.start = start;
    this.end = end;
  }

  get sentences(): Span[] {
    return this.relative.map((x) => ({ start: this.start + x.start, end: this.start + x.end }));
  }
}

function DATELINE_START(text: string): boolean {
  const m = DATELINE.exec(text.slice(0, DATELINE_WINDOW));
  return !!m && m[0].length < text.length;
}

function span(text: TextSource, start: number, end: number): TextSpan {
  return { start, end, text: text.slice(start, end) };
}

function splitNames(text: string, start: number, names: string): TextSpan[] {
  const out: TextSpan[] = [];
  const re = /[^,&]+?(?=,| and | & |$)/g;
  for (let m = re.exec(names); m; m = re.exec(names)) {
    if (!m[0]) {
      re.lastIndex++;
      continue;
    }
    const raw = m[0];
    const lead = raw.length - raw.replace(/^(\s|and\s)+/, '').length;
    const name = raw.slice(lead).trimEnd();
    if (name) out.push(span(text, start + m.index + lead, start + m.index + lead + name.length));
  }
  return out;
}

/** Adjacent boilerplate paragraphs of one kind become one block. */
function mergeBoilerplate(text: string, paragraphs: Paragraph[], kinds: Map<number, BoilerplateKind>): BoilerplateBlock[] {
  const blocks: BoilerplateBlock[] = [];
  for (const p of paragraphs) {
    const kind = kinds.get(p.index);
    if (!kind) continue;
    const last = blocks[blocks.length - 1];
    const prevIndex = last?.paragraphs[last.paragraphs.length - 1];
    const mergeable = last && prevIndex === p.index - 1 && (last.kind === kind || (last.kind === 'related' && kind !== 'repeated-headline'));
    if (mergeable) {
      last.end = p.end;
      last.paragraphs.push(p.index);
    } else {
      blocks.push({ start: p.start, end: p.end, text: '', kind, paragraphs: [p.index] });
    }
  }
  // the text once per block, not once per merged paragraph (a long run of repeated lines would be quadratic)
  for (const b of blocks) b.text = text.slice(b.start, b.end);
  return blocks;
}
