import type { CodeLens } from 'vscode-languageserver';
import type { Article } from '../analysis/types';
import type { OffsetDocument } from './ranges';

/** The client command the lens runs: reveals the Outline view (VS Code: `outline.focus`). */
export const SHOW_OUTLINE_COMMAND = 'articleLens.showOutline';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The lens title: counts of people, places, organizations, quotes and unattributed quotes. */
export function lensTitle(article: Article): string {
  const s = article.stats;
  return [
    count(s.people, 'person', 'people'),
    count(s.places, 'place', 'places'),
    count(s.organizations, 'organization', 'organizations'),
    count(s.quotes, 'quote', 'quotes'),
    `${s.unattributedQuotes} unattributed`,
  ].join(' · ');
}

/** One lens on the first line of the article; clicking it opens the Outline. */
export function provideCodeLenses(doc: OffsetDocument, article: Article): CodeLens[] {
  const start = doc.positionAt(0);
  return [
    {
      range: { start, end: start },
      command: { title: lensTitle(article), command: SHOW_OUTLINE_COMMAND, arguments: [doc.uri] },
    },
  ];
}
