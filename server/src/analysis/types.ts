/**
 * The Article model: everything Article Lens knows about one text.
 *
 * Pure data, no LSP types. Every position is a UTF-16 code-unit offset into
 * the analysed text (JavaScript string index), `end` exclusive.
 */

export interface Span {
  start: number;
  end: number;
}

export interface TextSpan extends Span {
  text: string;
}

export type EntityType = 'person' | 'place' | 'organization';

// ---------------------------------------------------------------------------
// Paragraph-level analysis (cacheable: depends only on the paragraph's text).
// Offsets inside these objects are RELATIVE to the paragraph start.
// ---------------------------------------------------------------------------

/** A slice of the article text that is analysed on its own. */
export interface ParagraphSlice extends Span {
  /** index in article order */
  index: number;
  text: string;
}

/**
 * A name found inside one paragraph (relative offsets). The span covers the
 * name only: no honorific or title, no possessive 's.
 */
export interface NameCandidate extends TextSpan {
  /** best guess of the type from local evidence; undefined = unknown proper name */
  type?: EntityType;
  /** how sure the local evidence is, 0..1 */
  confidence: number;
  /** an honorific or title right before the name ("Mr.", "President"), relative span */
  prefix?: TextSpan;
  /** the name is followed by a possessive ('s, ’s, or a bare ’ after s) */
  possessive?: boolean;
  /** which rule produced it, for debugging and evaluation */
  source: string;
}

/** A pronoun that may refer to a person or organization (relative offsets). */
export interface PronounToken extends TextSpan {
  gender: 'male' | 'female' | 'neutral' | 'plural';
}

/** What is said of a name locally: appositive, age, relative clause, title (relative offsets). */
export interface DescriptorCandidate extends TextSpan {
  /** index into NameCandidate[] of the same paragraph */
  name: number;
  kind: 'title' | 'role' | 'age' | 'appositive' | 'relative' | 'affiliation';
}

/** The language analysis of one paragraph: sentences, names, pronouns, descriptors. */
export interface ParagraphNlp {
  sentences: Span[];
  names: NameCandidate[];
  pronouns: PronounToken[];
  descriptors: DescriptorCandidate[];
  /** true when the paragraph looks like a title-case or all-caps line (headline style) */
  titleCase: boolean;
}

/** One quotation mark character as it appears in the text (relative offsets). */
export interface QuoteMarkToken {
  offset: number;
  /** the mark as written: “ ” " ' ‘ ’ '' « » „ ‚ ‹ › ``  */
  mark: string;
  /** what the surrounding characters say it is */
  role: 'open' | 'close' | 'ambiguous';
  /** single (‘ ’ ' ‚ ‹ ›) or double (“ ” " '' « » „) */
  weight: 'single' | 'double';
}

/** Everything cached for one paragraph text. */
export interface ParagraphAnalysis {
  nlp: ParagraphNlp;
  marks: QuoteMarkToken[];
}

// ---------------------------------------------------------------------------
// Article-level model (ABSOLUTE offsets into the article text).
// ---------------------------------------------------------------------------

export type ParagraphKind = 'headline' | 'dateline' | 'byline' | 'body' | 'subhead' | 'boilerplate';

export interface Paragraph extends Span {
  index: number;
  kind: ParagraphKind;
  sentences: Span[];
}

export type BoilerplateKind =
  | 'repeated-headline'
  | 'source-link'
  | 'related'
  | 'advertisement'
  | 'share'
  | 'repeated-line';

export interface BoilerplateBlock extends TextSpan {
  kind: BoilerplateKind;
  /** paragraph indices covered by this block */
  paragraphs: number[];
}

export interface Structure {
  headline?: TextSpan;
  /** "MOSCOW —": span of the place words only in `place` */
  dateline?: TextSpan & { place?: TextSpan };
  /** "By …" or "… reported from …" */
  byline?: TextSpan & { authors: TextSpan[] };
  /** subheads inside the body */
  sections: TextSpan[];
  paragraphs: Paragraph[];
  boilerplate: BoilerplateBlock[];
}

export interface Mention extends TextSpan {
  paragraph: number;
  /** honorific or title right before the mention (absolute span) */
  prefix?: TextSpan;
  possessive?: boolean;
  /** inside a headline or boilerplate: read with the body's knowledge */
  context: 'headline' | 'body' | 'boilerplate' | 'byline' | 'dateline';
}

export interface Descriptor extends TextSpan {
  kind: DescriptorCandidate['kind'];
}

/** Offline facts about a place, from bundled gazetteers. */
export interface PlaceFacts {
  kind: 'country' | 'city' | 'region' | 'other';
  country?: string;
  countryCode?: string;
  capital?: string;
  population?: number;
  lat?: number;
  lon?: number;
  continent?: string;
}

export interface Entity {
  /** stable within one analysis: `${type}:${slug of name}` (+ `#n` when two entities share a slug) */
  id: string;
  type: EntityType;
  /** canonical name: the fullest form used in the article */
  name: string;
  /** distinct surface forms, canonical first */
  aliases: string[];
  /** every mention, in text order */
  mentions: Mention[];
  /** index into `mentions` of the declaring (first full) mention */
  declaration: number;
  /** titles and roles: "President", "President of Belarus" */
  titles: string[];
  /** appositives and relative clauses: "a medical equipment engineer" */
  descriptions: Descriptor[];
  age?: number;
  affiliations: string[];
  /** indices into Article.quotes attributed to this entity */
  quotes: number[];
  place?: PlaceFacts;
}

export type QuoteKind = 'direct' | 'partial' | 'scare' | 'title';

export type QuoteStyle =
  | 'curly'
  | 'straight'
  | 'double-apostrophe'
  | 'guillemet'
  | 'low-high'
  | 'single-curly'
  | 'single-straight';

export interface Speaker extends TextSpan {
  /** display name: entity name when resolved, else the mention text */
  name: string;
  /** id of the entity the speaker mention resolves to */
  entity?: string;
  /** how the speaker was found */
  via: 'name' | 'pronoun' | 'noun-phrase' | 'previous-sentence' | 'according-to';
}

export interface Quote extends Span {
  /** the quoted words without marks, parts joined with " … " */
  text: string;
  /** each part including its marks (interrupted and multi-paragraph quotes have several) */
  parts: Span[];
  /** each part's content without the marks */
  inner: Span[];
  kind: QuoteKind;
  style: QuoteStyle;
  /** nesting depth: 0 = outermost */
  depth: number;
  speaker: Speaker | null;
  /** the speech verb or phrase: "said", "according to", ":" */
  cue?: TextSpan;
  /** the paragraph indices the quote spans */
  paragraphs: number[];
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** A diagnostic in analysis terms (converted to LSP in features/diagnostics.ts). */
export interface Finding extends Span {
  code: FindingCode;
  severity: Severity;
  message: string;
  related?: { span: Span; message: string }[];
  fixes?: Fix[];
}

export type FindingCode =
  | 'unclosed-quote'
  | 'unopened-quote'
  | 'mismatched-quote'
  | 'mixed-quote-styles'
  | 'nested-double-quote'
  | 'unattributed-quote'
  | 'scare-quote'
  // audits (analysis/audits.ts)
  | 'name-spelling-variant'
  | 'surname-before-full-name'
  | 'scraped-boilerplate';

export interface ArticleStats {
  people: number;
  places: number;
  organizations: number;
  quotes: number;
  unattributedQuotes: number;
  paragraphs: number;
  /** paragraphs whose language analysis came from the cache */
  cachedParagraphs: number;
  /** milliseconds spent in the analysis */
  millis: number;
}

export interface Article {
  text: string;
  structure: Structure;
  entities: Entity[];
  quotes: Quote[];
  findings: Finding[];
  stats: ArticleStats;
}
