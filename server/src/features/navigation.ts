import { DocumentHighlightKind, type DocumentHighlight, type Location } from 'vscode-languageserver';
import type { Article, Entity, Mention } from '../analysis/types';
import { mentionAt } from './lookup';
import { toRange, type OffsetDocument } from './ranges';

/** The entity whose mention is under the offset. */
export function entityAt(article: Article, offset: number): Entity | undefined {
  return mentionAt(article, offset)?.entity;
}

/** The entity's declaring mention: its first full mention. */
export function declarationOf(entity: Entity): Mention | undefined {
  return entity.mentions[entity.declaration] ?? entity.mentions[0];
}

/** Go to definition: from any mention to the entity's first full mention. */
export function provideDefinition(doc: OffsetDocument, article: Article, offset: number): Location | null {
  const entity = entityAt(article, offset);
  const declaration = entity && declarationOf(entity);
  return declaration ? { uri: doc.uri, range: toRange(doc, declaration) } : null;
}

/** Find all references: every mention of the entity under the cursor, in text order. */
export function provideReferences(doc: OffsetDocument, article: Article, offset: number, includeDeclaration: boolean): Location[] {
  const entity = entityAt(article, offset);
  if (!entity) return [];
  const declaration = declarationOf(entity);
  return entity.mentions
    .filter((m) => includeDeclaration || m !== declaration)
    .map((m) => ({ uri: doc.uri, range: toRange(doc, m) }));
}

/** Document highlights: all mentions of the entity under the cursor; the declaration is the "write". */
export function provideDocumentHighlights(doc: OffsetDocument, article: Article, offset: number): DocumentHighlight[] {
  const entity = entityAt(article, offset);
  if (!entity) return [];
  const declaration = declarationOf(entity);
  return entity.mentions.map((m) => ({
    range: toRange(doc, m),
    kind: m === declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Text,
  }));
}
