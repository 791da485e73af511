import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => unknown;

/** V8's collector, made callable without a command-line flag (undefined when the runtime refuses). */
function collector(): Collect | undefined {
  try {
    const exposed = (globalThis as { gc?: Collect }).gc;
    if (exposed) return exposed;
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as Collect;
  } catch {
    return undefined;
  }
}

/**
 * Gives the memory of a long article's analysis back once the server has been idle for a
 * while. Analysing a 5 MB article leaves well over a hundred megabytes of garbage that V8
 * would otherwise keep committed for minutes; one collection, started when nothing has been
 * analysed or asked for `idleMillis`, returns it. (`execution: 'async'` only defers it to a task
 * of its own: it is still one pause, hence the wait for idleness.)
 */
export class IdleCollector {
  private timer?: NodeJS.Timeout;
  private readonly collect = collector();
  /** collections started so far */
  collections = 0;

  constructor(
    /** characters of freshly analysed text that make a collection worth it */
    private readonly threshold = 500_000,
    private readonly idleMillis = 2_000,
  ) {}

  /** An analysis of `chars` characters of new text has just finished. */
  analysed(chars: number): void {
    if (!this.collect || chars < this.threshold) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collections++;
      try {
        (this.collect as Collect)({ type: 'major', execution: 'async' });
      } catch {
        // a collection is only ever an optimisation
      }
    }, this.idleMillis);
    this.timer.unref();
  }

  /**
   * Any other analysis, and any request, postpones the collection: the server is not idle.
   * The collection stops the thread for about a tenth of a second after a 5 MB analysis, so it
   * must not fall between a reader's hovers.
   */
  busy(): void {
    if (!this.timer) return;
    this.timer.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
