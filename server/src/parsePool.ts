import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ParagraphParser } from './analysis/article';
import type { ParagraphAnalysis } from './analysis/types';

interface Pending {
  resolve(analyses: ParagraphAnalysis[]): void;
  reject(error: Error): void;
}

interface Answer {
  id: number;
  analyses?: ParagraphAnalysis[];
  error?: string;
}

/**
 * Parses paragraphs in a worker thread (parseWorker.js), so a long article's parse and its
 * garbage never pause the thread that answers requests. The worker starts on the first
 * request and stops once it has been idle for `idleMillis`, giving its memory back. When it
 * fails (it crashed, ran out of memory, or its script is missing) the requests reject and the
 * caller parses in its own thread; after a failure the worker is not tried again for a while.
 */
export class ParsePool implements ParagraphParser {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idle?: NodeJS.Timeout;
  private failedAt = -Infinity;
  /** paragraphs parsed by workers so far */
  parsed = 0;
  /** workers started so far */
  started = 0;

  constructor(
    private readonly script: string,
    private readonly log: (message: string, level: 'info' | 'warning') => void = () => undefined,
    private readonly idleMillis = 250,
    private readonly retryMillis = 60_000,
  ) {}

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  parse(texts: string[]): Promise<ParagraphAnalysis[]> {
    const worker = this.ensure();
    if (!worker) return Promise.reject(new Error('no parse worker'));
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const id = this.nextId++;
    return new Promise<ParagraphAnalysis[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    }).then((analyses) => {
      this.parsed += analyses.length;
      return analyses;
    });
  }

  /** Stop the worker now; pending requests reject. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.failAll(new Error('the parse worker was stopped'));
    void worker?.terminate();
  }

  private ensure(): Worker | undefined {
    if (this.worker) return this.worker;
    if (performance.now() - this.failedAt < this.retryMillis || !existsSync(this.script)) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(this.script);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    this.started++;
    this.log(`Article Lens: parsing a long article in a worker thread (${this.script}).`, 'info');
    worker.unref(); // never keeps the server alive
    worker.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if (answer.analyses) waiting.resolve(answer.analyses);
      else waiting.reject(new Error(answer.error ?? 'the parse worker gave no answer'));
      if (!this.pending.size && this.worker === worker) this.idle = setTimeout(() => this.stopIdle(worker), this.idleMillis);
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.fail(error);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.pending.size) this.fail(new Error(`the parse worker exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private stopIdle(worker: Worker): void {
    if (this.worker !== worker || this.pending.size) return;
    this.worker = undefined;
    this.idle = undefined;
    void worker.terminate();
  }

  private fail(error: unknown): void {
    this.failedAt = performance.now();
    const message = error instanceof Error ? error.message : String(error);
    this.log(`Article Lens: the parse worker failed (${message}); long articles are parsed on the main thread for now.`, 'warning');
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error(message));
    void worker?.terminate();
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(error);
  }
}
