import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensDelta, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Article, EntityType } from '../analysis/types';
import type { Entity, Mention } from '../analysis/types';
import { articleIndex } from './lookup';
import { firstEndingAfter } from './ranges';
import type { OffsetDocument } from './ranges';

/** Token types are declared in package.json (`semanticTokenTypes`) with super types for ordinary themes. */
export const tokenTypes: EntityType[] = ['person', 'place', 'organization'];
export const tokenModifiers = ['declaration'] as const;

export const legend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

const DECLARATION = 1 << tokenModifiers.indexOf('declaration');

function push(builder: SemanticTokensBuilder, doc: OffsetDocument, text: string, m: Mention, entity: Entity): void {
  const type = tokenTypes.indexOf(entity.type);
  const modifiers = entity.mentions[entity.declaration] === m ? DECLARATION : 0;
  // a token may not span lines: split a hard-wrapped name at its line breaks
  let start = m.start;
  for (let i = m.start; i <= m.end; i++) {
    const c = text.charCodeAt(i);
    if (i === m.end || c === 10 || c === 13) {
      if (i > start) {
        const pos = doc.positionAt(start);
        builder.push(pos.line, pos.character, i - start, type, modifiers);
      }
      start = i + 1;
    }
  }
}

/** Tokens for the mentions overlapping [start, end), in text order. */
function pushAll(builder: SemanticTokensBuilder, doc: OffsetDocument, article: Article, start: number, end: number): void {
  const { mentions, owners } = articleIndex(article);
  for (let i = firstEndingAfter(mentions, start); i < mentions.length && mentions[i].start < end; i++) push(builder, doc, article.text, mentions[i], owners[i]);
}

/** Per-document builders, so a delta can be computed against the previous result. */
export class SemanticTokensProvider {
  private readonly builders = new Map<string, SemanticTokensBuilder>();

  full(doc: OffsetDocument, article: Article): SemanticTokens {
    const builder = new SemanticTokensBuilder();
    this.builders.set(doc.uri, builder);
    pushAll(builder, doc, article, 0, article.text.length);
    return builder.build();
  }

  delta(doc: OffsetDocument, article: Article, previousResultId: string): SemanticTokens | SemanticTokensDelta {
    const builder = this.builders.get(doc.uri);
    if (!builder) return this.full(doc, article);
    builder.previousResult(previousResultId);
    pushAll(builder, doc, article, 0, article.text.length);
    return builder.canBuildEdits() ? builder.buildEdits() : builder.build();
  }

  range(doc: OffsetDocument, article: Article, start: number, end: number): SemanticTokens {
    const builder = new SemanticTokensBuilder();
    pushAll(builder, doc, article, start, end);
    return builder.build();
  }

  forget(uri: string): void {
    this.builders.delete(uri);
  }
}
