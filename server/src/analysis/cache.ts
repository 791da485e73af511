import type { ParagraphAnalysis } from './types';

interface Entry {
  analysis: ParagraphAnalysis;
  /** clock value of the last use */
  used: number;
}

/**
 * Paragraph analyses keyed by the paragraph's text, least recently used out first.
 * Bounded by the total length of the cached texts (a proxy for memory: the compact
 * analysis of a paragraph is a few times its text's size). A hit only stamps the
 * entry (every edit looks up every paragraph, so hits must be cheap); eviction,
 * when over the bound, drops the least recently used quarter at once.
 */
export class ParagraphCache {
  private readonly map = new Map<string, Entry>();
  private chars = 0;
  private clock = 0;

  constructor(readonly maxChars = 16_000_000) {}

  get(text: string): ParagraphAnalysis | undefined {
    const hit = this.map.get(text);
    if (!hit) return undefined;
    hit.used = ++this.clock;
    return hit.analysis;
  }

  set(text: string, analysis: ParagraphAnalysis): void {
    const old = this.map.get(text);
    if (old) {
      old.analysis = analysis;
      old.used = ++this.clock;
      return;
    }
    this.map.set(text, { analysis, used: ++this.clock });
    this.chars += text.length;
    if (this.chars > this.maxChars && this.map.size > 1) this.evict(text);
  }

  /** Drop least recently used entries until the cache is at three quarters of its bound (never `keep`). */
  private evict(keep: string): void {
    const entries = [...this.map].sort((a, b) => a[1].used - b[1].used);
    const target = this.maxChars * 0.75;
    for (const [key] of entries) {
      if (this.chars <= target) break;
      if (key === keep) continue;
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
