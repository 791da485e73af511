import type { Article, Entity, EntityType, Quote, Span } from './types';

export type OutlineKind =
  | 'headline'
  | 'dateline'
  | 'byline'
  | 'section'
  | 'group'
  | 'person'
  | 'place'
  | 'organization'
  | 'speaker'
  | 'quote'
  | 'boilerplate';

/** One node of the article's outline (absolute offsets); the editor's symbols and the CLI both use it. */
export interface OutlineNode extends Span {
  name: string;
  kind: OutlineKind;
  detail?: string;
  /** the part to select when navigating (inside start..end) */
  selection: Span;
  children: OutlineNode[];
}

const GROUPS: [EntityType, string][] = [
  ['person', 'People'],
  ['place', 'Places'],
  ['organization', 'Organizations'],
];

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '(empty)';
}

function node(name: string, kind: OutlineKind, span: Span, selection: Span = span, detail?: string, children: OutlineNode[] = []): OutlineNode {
  return { name: clip(name, 80), kind, start: span.start, end: span.end, selection: { start: selection.start, end: selection.end }, detail, children };
}

/** The smallest span covering all the spans. */
export function cover(spans: Span[]): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return { start, end };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function entityNode(entity: Entity): OutlineNode {
  const first = entity.mentions[entity.declaration] ?? entity.mentions[0];
  const role = entity.titles[0] ?? entity.descriptions[0]?.text ?? entity.place?.kind;
  const detail = [role && clip(role, 50), plural(entity.mentions.length, 'mention')].filter(Boolean).join(' · ');
  // the symbol stands at the entity's introduction: a range over all mentions would swallow the article
  return node(entity.name, entity.type, first, first, detail);
}

/** Quotes that are speech (not scare quotes or titles), grouped by speaker in order of first quote. */
function quoteNodes(quotes: Quote[]): OutlineNode[] {
  const bySpeaker = new Map<string, Quote[]>();
  for (const q of quotes) {
    if (q.kind === 'scare' || q.kind === 'title') continue;
    const key = q.speaker ? q.speaker.name : '(no speaker)';
    const list = bySpeaker.get(key);
    if (list) list.push(q);
    else bySpeaker.set(key, [q]);
  }
  return [...bySpeaker].map(([speaker, list]) =>
    node(
      speaker,
      'speaker',
      cover(list),
      list[0].parts[0] ?? list[0],
      plural(list.length, 'quote'),
      list.map((q) => node(`“${clip(q.text, 60)}”`, 'quote', q, q.parts[0] ?? q, q.kind)),
    ),
  );
}

/** Headline, dateline, byline, sections; People / Places / Organizations; Quotes by speaker; Boilerplate. */
export function buildOutline(article: Article): OutlineNode[] {
  const s = article.structure;
  const out: OutlineNode[] = [];
  if (s.headline) out.push(node(s.headline.text, 'headline', s.headline, s.headline, 'headline'));
  if (s.dateline) out.push(node(s.dateline.text, 'dateline', s.dateline, s.dateline.place ?? s.dateline, 'dateline'));
  if (s.byline) out.push(node(s.byline.text, 'byline', s.byline, s.byline, 'byline'));
  for (const section of s.sections) out.push(node(section.text, 'section', section, section, 'section'));
  for (const [type, label] of GROUPS) {
    const entities = article.entities.filter((e) => e.type === type && e.mentions.length);
    if (!entities.length) continue;
    const children = entities.map(entityNode);
    const first = children.reduce((a, b) => (b.selection.start < a.selection.start ? b : a));
    out.push(node(label, 'group', cover(children), first.selection, String(entities.length), children));
  }
  const speakers = quoteNodes(article.quotes);
  if (speakers.length) {
    const count = speakers.reduce((n, sp) => n + sp.children.length, 0);
    out.push(node('Quotes', 'group', cover(speakers), speakers[0].selection, String(count), speakers));
  }
  if (s.boilerplate.length) {
    const children = s.boilerplate.map((b) => node(clip(b.text, 60), 'boilerplate', b, b, b.kind));
    out.push(node('Boilerplate', 'group', cover(children), children[0], String(children.length), children));
  }
  return out;
}
