import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { Article, EntityType } from '../analysis/types';
import { sourceOf } from '../analysis/article';
import type { Correction } from '../dictionaryFiles';
import { mentionsIn } from './lookup';
import type { OffsetDocument } from './ranges';

/** The server-side command the correction code actions run; it writes `.article-lens.json`. */
export const ADD_TO_DICTIONARY = 'articleLens.addToDictionary';

export interface CorrectionArgs {
  uri: string;
  name: string;
  correction: Correction;
}

const LABEL: Record<EntityType, string> = { person: 'a person', place: 'a place', organization: 'an organization' };

function action(title: string, args: CorrectionArgs): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, command: { title, command: ADD_TO_DICTIONARY, arguments: [args] } };
}

/**
 * "Mark as person / place / organization" and "Not an entity" for the mention under
 * the cursor, or for selected words that are not yet an entity.
 */
export function provideCorrectionActions(doc: OffsetDocument, article: Article, start: number, end: number): CodeAction[] {
  const uri = doc.uri;
  const mention = mentionsIn(article, start, Math.max(end, start + 1))[0];
  const types: EntityType[] = ['person', 'place', 'organization'];
  if (mention && mention.start <= end && start <= mention.end) {
    const name = mention.text;
    return [
      ...types.filter((t) => t !== mention.entity.type).map((t) => action(`Mark “${name}” as ${LABEL[t]} (team dictionary)`, { uri, name, correction: t })),
      action(`“${name}” is not an entity (team dictionary)`, { uri, name, correction: 'not-entity' }),
    ];
  }
  const selected = sourceOf(article).slice(start, end).trim();
  if (end > start && selected.length >= 2 && selected.length <= 100 && !/[\r\n]/.test(selected) && /^\p{L}/u.test(selected)) {
    return types.map((t) => action(`Mark “${selected}” as ${LABEL[t]} (team dictionary)`, { uri, name: selected, correction: t }));
  }
  return [];
}
