import { buildOutline, type OutlineNode } from './outline';
import type { Article } from './types';

/**
 * The CLI's JSON contract (one object per file). Offsets are UTF-16 code units
 * into the decoded text. Extra fields are allowed; the named ones are stable.
 */
export interface ReportOutline {
  name: string;
  kind: string;
  start: number;
  end: number;
  detail?: string;
  children: ReportOutline[];
}

export interface Report {
  file: string;
  entities: {
    id: string;
    type: string;
    name: string;
    aliases: string[];
    titles: string[];
    descriptions: string[];
    age?: number;
    affiliations: string[];
    place?: unknown;
    mentions: { start: number; end: number; text: string }[];
    quotes: number[];
  }[];
  quotes: {
    start: number;
    end: number;
    text: string;
    kind: string;
    style: string;
    parts: { start: number; end: number }[];
    speaker: null | { name: string; entity: string | null; start: number; end: number; text: string; via: string };
    cue: null | { start: number; end: number; text: string };
  }[];
  diagnostics: { start: number; end: number; severity: string; code: string; message: string }[];
  outline: ReportOutline[];
  structure: {
    headline: string | null;
    dateline: string | null;
    byline: string | null;
    paragraphs: number;
    boilerplate: { kind: string; start: number; end: number }[];
  };
  stats: { millis: number };
}

function outline(n: OutlineNode): ReportOutline {
  return { name: n.name, kind: n.kind, start: n.start, end: n.end, detail: n.detail, children: n.children.map(outline) };
}

export function toReport(file: string, article: Article): Report {
  const s = article.structure;
  return {
    file,
    entities: article.entities.map((e) => ({
      id: e.id,
      type: e.type,
      name: e.name,
      aliases: e.aliases,
      titles: e.titles,
      descriptions: e.descriptions.map((d) => d.text),
      age: e.age,
      affiliations: e.affiliations,
      place: e.place,
      mentions: e.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text })),
      quotes: e.quotes,
    })),
    quotes: article.quotes.map((q) => ({
      start: q.start,
      end: q.end,
      text: q.text,
      kind: q.kind,
      style: q.style,
      parts: q.parts.map((p) => ({ start: p.start, end: p.end })),
      speaker: q.speaker
        ? { name: q.speaker.name, entity: q.speaker.entity ?? null, start: q.speaker.start, end: q.speaker.end, text: q.speaker.text, via: q.speaker.via }
        : null,
      cue: q.cue ? { start: q.cue.start, end: q.cue.end, text: q.cue.text } : null,
    })),
    diagnostics: article.findings.map((f) => ({ start: f.start, end: f.end, severity: f.severity, code: f.code, message: f.message })),
    outline: buildOutline(article).map(outline),
    structure: {
      headline: s.headline?.text ?? null,
      dateline: s.dateline?.text ?? null,
      byline: s.byline?.text ?? null,
      paragraphs: s.paragraphs.length,
      boilerplate: s.boilerplate.map((b) => ({ kind: b.kind, start: b.start, end: b.end })),
    },
    stats: { millis: Math.round(article.stats.millis * 10) / 10 },
  };
}
