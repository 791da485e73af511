import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { Article, Entity, Quote } from '../analysis/types';
import { mentionAt, quoteAt } from './lookup';
import { toRange, type OffsetDocument } from './ranges';

const KIND_LABEL: Record<Entity['type'], string> = { person: 'Person', place: 'Place', organization: 'Organization' };
const QUOTE_LABEL: Record<Quote['kind'], string> = {
  direct: 'Direct quote',
  partial: 'Partial quote',
  scare: 'Scare quote',
  title: 'Title',
};

/** Markdown special characters in article text must not become markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function lineOf(doc: OffsetDocument, offset: number): number {
  return doc.positionAt(offset).line + 1;
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function entityCard(doc: OffsetDocument, article: Article, entity: Entity): string {
  const lines: string[] = [];
  const first = entity.mentions[entity.declaration] ?? entity.mentions[0];
  lines.push(`**${escapeMarkdown(entity.name)}** — ${KIND_LABEL[entity.type].toLowerCase()}`);
  const about: string[] = [];
  if (entity.titles.length) about.push(entity.titles.map(escapeMarkdown).join('; '));
  if (entity.age !== undefined) about.push(`age ${entity.age}`);
  if (entity.affiliations.length) about.push(entity.affiliations.map(escapeMarkdown).join(', '));
  if (about.length) lines.push('', about.join(' · '));
  for (const d of entity.descriptions) lines.push('', `_${escapeMarkdown(clip(d.text))}_`);
  if (entity.place) {
    const p = entity.place;
    const facts: string[] = [p.kind];
    if (p.country && p.kind !== 'country') facts.push(`in ${escapeMarkdown(p.country)}`);
    if (p.capital) facts.push(`capital ${escapeMarkdown(p.capital)}`);
    if (p.continent) facts.push(escapeMarkdown(p.continent));
    if (p.population) facts.push(`population ${formatNumber(p.population)}`);
    if (p.lat !== undefined && p.lon !== undefined) facts.push(`${p.lat.toFixed(2)}°, ${p.lon.toFixed(2)}°`);
    lines.push('', `Offline facts: ${facts.join(' · ')}`);
  }
  const aliases = entity.aliases.filter((a) => a !== entity.name);
  if (aliases.length) lines.push('', `Also: ${aliases.map((a) => `“${escapeMarkdown(a)}”`).join(', ')}`);
  const n = entity.mentions.length;
  const earliest = entity.mentions[0];
  const intro = earliest === first ? 'first' : `first ${earliest.context === 'headline' ? 'in the headline' : `on line ${lineOf(doc, earliest.start)}`}, introduced`;
  lines.push('', `${n} mention${n === 1 ? '' : 's'}; ${intro} on line ${lineOf(doc, first.start)}: “${escapeMarkdown(clip(first.text, 80))}”`);
  if (entity.quotes.length) {
    lines.push('', `**Quotes (${entity.quotes.length})**`);
    for (const qi of entity.quotes.slice(0, 8)) {
      const q = article.quotes[qi];
      if (q) lines.push(`- line ${lineOf(doc, q.start)}: “${escapeMarkdown(clip(q.text, 120))}”`);
    }
    if (entity.quotes.length > 8) lines.push(`- … and ${entity.quotes.length - 8} more`);
  }
  return lines.join('\n');
}

export function quoteCard(article: Article, quote: Quote): string {
  const lines = [`**${QUOTE_LABEL[quote.kind]}**${quote.paragraphs.length > 1 ? ` over ${quote.paragraphs.length} paragraphs` : ''}`];
  if (quote.speaker) {
    const via = quote.speaker.via === 'pronoun' ? ` (“${escapeMarkdown(quote.speaker.text)}”)` : '';
    lines.push('', `Speaker: **${escapeMarkdown(quote.speaker.name)}**${via}`);
  } else if (quote.kind === 'direct') {
    lines.push('', 'Speaker: _none found_');
  }
  if (quote.cue) lines.push('', `Cue: “${escapeMarkdown(quote.cue.text)}”`);
  return lines.join('\n');
}

/** Hover card for the entity mention or quote under the cursor. */
export function provideHover(doc: OffsetDocument, article: Article, offset: number): Hover | null {
  const mention = mentionAt(article, offset);
  if (mention) {
    const contents: MarkupContent = { kind: 'markdown', value: entityCard(doc, article, mention.entity) };
    return { contents, range: toRange(doc, mention) };
  }
  const quote = quoteAt(article, offset);
  if (quote) {
    const part = quote.parts.find((p) => p.start <= offset && offset < p.end) ?? quote;
    return { contents: { kind: 'markdown', value: quoteCard(article, quote) }, range: toRange(doc, part) };
  }
  return null;
}
