import type { ParagraphAnalysis } from './types';

/**
 * Paragraph analyses keyed by the paragraph's text, least recently used first out.
 * Bounded by the total length of the cached texts (a proxy for memory: the
 * compact analysis of a paragraph is a few times its text's size).
 */
export class ParagraphCache {
  private readonly map = new Map<string, ParagraphAnalysis>();
  private chars = 0;

  constructor(readonly maxChars = 16_000_000) {}

  get(text: string): ParagraphAnalysis | undefined {
    const hit = this.map.get(text);
    if (hit) {
      // refresh recency
      this.map.delete(text);
      this.map.set(text, hit);
    }
    return hit;
  }

  set(text: string, analysis: ParagraphAnalysis): void {
    if (this.map.has(text)) this.map.delete(text);
    else this.chars += text.length;
    this.map.set(text, analysis);
    for (const key of this.map.keys()) {
      if (this.chars <= this.maxChars || this.map.size <= 1) break;
      this.map.delete(key);
      this.chars -= key.length;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get cachedChars(): number {
    return this.chars;
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }
}
