import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensDelta, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Article, EntityType } from '../analysis/types';
import { articleIndex, mentionsIn, type MentionRef } from './lookup';
import type { OffsetDocument } from './ranges';

/** Token types are declared in package.json (`semanticTokenTypes`) with super types for ordinary themes. */
export const tokenTypes: EntityType[] = ['person', 'place', 'organization'];
export const tokenModifiers = ['declaration'] as const;

export const legend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

const DECLARATION = 1 << tokenModifiers.indexOf('declaration');

function push(builder: SemanticTokensBuilder, doc: OffsetDocument, text: string, m: MentionRef): void {
  const type = tokenTypes.indexOf(m.entity.type);
  const modifiers = m.entity.mentions[m.entity.declaration]?.start === m.start ? DECLARATION : 0;
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

/** Per-document builders, so a delta can be computed against the previous result. */
export class SemanticTokensProvider {
  private readonly builders = new Map<string, SemanticTokensBuilder>();

  full(doc: OffsetDocument, article: Article): SemanticTokens {
    const builder = new SemanticTokensBuilder();
    this.builders.set(doc.uri, builder);
    for (const m of articleIndex(article).mentions) push(builder, doc, article.text, m);
    return builder.build();
  }

  delta(doc: OffsetDocument, article: Article, previousResultId: string): SemanticTokens | SemanticTokensDelta {
    const builder = this.builders.get(doc.uri);
    if (!builder) return this.full(doc, article);
    builder.previousResult(previousResultId);
    for (const m of articleIndex(article).mentions) push(builder, doc, article.text, m);
    return builder.canBuildEdits() ? builder.buildEdits() : builder.build();
  }

  range(doc: OffsetDocument, article: Article, start: number, end: number): SemanticTokens {
    const builder = new SemanticTokensBuilder();
    for (const m of mentionsIn(article, start, end)) push(builder, doc, article.text, m);
    return builder.build();
  }

  forget(uri: string): void {
    this.builders.delete(uri);
  }
}
