import { LSPErrorCodes, ResponseError, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { foldName, givenNameOf, nameTokens, similarSurnames, surnameOf } from '../analysis/audits';
import type { Article, Entity, Mention, TextEdit } from '../analysis/types';
import { mentionAt } from './lookup';
import { toRange, type OffsetDocument } from './ranges';

export const NOT_A_NAME = 'Article Lens can only rename a person, place or organization: place the cursor on a name the article highlights.';

function refuse(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** Where a rename applies: the name under the cursor (never an honorific or a possessive 's). */
export function prepareRename(doc: OffsetDocument, article: Article, offset: number): { range: Range; placeholder: string } | ResponseError<void> {
  const mention = mentionAt(article, offset);
  if (!mention) return refuse(NOT_A_NAME);
  return { range: toRange(doc, mention), placeholder: mention.text };
}

function isAllCaps(s: string): boolean {
  return /\p{Lu}.*\p{Lu}/su.test(s) && s === s.toUpperCase() && s !== s.toLowerCase();
}

/** Keep an all-caps mention (a dateline "MOSCOW", a shouty headline) in capitals. */
function matchCase(original: string, replacement: string): string {
  return isAllCaps(original) ? replacement.toUpperCase() : replacement;
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && foldName(a) === foldName(b);

/**
 * The text edits (analysis spans) that rename `entity` from its mention `at`
 * to `newName`. Only name spans are touched, so honorifics ("Mr.") and
 * possessives ("’s") outside them stay.
 *
 * - A full name renamed (or a surname renamed to a full name) renames the
 *   entity: every full form becomes the new name, bare surnames the new
 *   surname, bare given names the new given name (for people).
 * - A one-word mention renamed to one word replaces that word wherever the
 *   entity's mentions contain it ("Lukashenko" → "Lukashenka" also inside
 *   "Aleksandr G. Lukashenko").
 */
export function renameEdits(entity: Entity, at: Mention, newName: string): TextEdit[] {
  const newTokens = nameTokens(newName);
  const cursorTokens = nameTokens(at.text);
  const person = entity.type === 'person';
  const oldSurname = person ? (surnameOf(entity.name) ?? nameTokens(entity.name).pop()) : undefined;
  const oldGiven = person ? givenNameOf(entity.name) : undefined;
  const newSurname = newTokens.length >= 2 ? (surnameOf(newName) ?? newTokens[newTokens.length - 1]) : newName;
  const newGiven = newTokens.length >= 2 ? newTokens[0] : undefined;
  const wholeEntity = cursorTokens.length >= 2 || (newTokens.length >= 2 && same(at.text, oldSurname));

  const replacement = (m: Mention): string | undefined => {
    if (m.text === at.text) return newName;
    const tokens = nameTokens(m.text);
    if (wholeEntity) {
      if (same(m.text, at.text)) return newName;
      if (!person) return tokens.length >= 2 && same(m.text, entity.name) ? newName : undefined;
      if (tokens.length >= 2) return newName;
      if (same(m.text, oldSurname) || (oldSurname && similarSurnames(m.text, oldSurname))) return newSurname;
      if (same(m.text, oldGiven)) return newGiven;
      return undefined;
    }
    // one word for one word: replace it inside every mention that contains it
    let changed = false;
    const out = m.text.replace(/[^\s]+/g, (word) => {
      if (!same(word, at.text)) return word;
      changed = true;
      return matchCase(word, newName);
    });
    return changed ? out : undefined;
  };

  const edits: TextEdit[] = [];
  let lastEnd = -1;
  const mentions = [...entity.mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const m of mentions) {
    if (m.start < lastEnd) continue; // never overlap edits
    const text = replacement(m);
    if (text === undefined) continue;
    const newText = wholeEntity ? matchCase(m.text, text) : text;
    lastEnd = m.end;
    if (newText !== m.text) edits.push({ start: m.start, end: m.end, newText });
  }
  return edits;
}

/** Rename every mention of the entity under the cursor. */
export function provideRename(doc: OffsetDocument, article: Article, offset: number, newName: string): WorkspaceEdit | ResponseError<void> {
  const mention = mentionAt(article, offset);
  if (!mention) return refuse(NOT_A_NAME);
  const name = newName.trim().replace(/\s+/g, ' ');
  if (!name) return refuse('The new name is empty.');
  if (/[\r\n\u2028\u2029]/.test(newName.trim())) return refuse('A name cannot span lines.');
  const edits = renameEdits(mention.entity, mention, name);
  return { changes: { [doc.uri]: edits.map((e) => ({ range: toRange(doc, e), newText: e.newText })) } };
}
