/**
 * What `filter` and `index build` share as writers of an index: input read ahead in batches of
 * what is ready (so that a Redis index gets many records per round trip and a file index one
 * journal sync per batch), the save policy (--save-every, --save-interval), and the exit code of
 * a run ended by a stop signal.
 */
import type { FilterIndex } from '../store/open.js';
import type { CliIo } from './io.js';
import type { StopRequest } from './signals.js';

/** Records per batch at most: about one Redis round per batch, one journal sync per batch. */
export const BATCH_RECORDS = 256;
/** A batch waits at most this long after its first item for more input (a trickling stream). */
export const BATCH_WAIT_MS = 5;

type Settled<T> = { done: false; value: T } | { done: true } | { error: unknown };

/**
 * The items of `source` in batches, in order: a batch is every item that arrives within
 * `waitMs` of its first one, at most `limit()` items (asked before each batch). Reading goes on
 * while the caller handles a batch. When the source fails, the items read before the failure are
 * yielded first, then the error is thrown.
 */
export async function* readyBatches<T>(source: AsyncIterable<T>, limit: () => number, waitMs = BATCH_WAIT_MS): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const pull = (): Promise<Settled<T>> =>
    iterator.next().then(
      (result): Settled<T> => (result.done ? { done: true } : { done: false, value: result.value }),
      (error: unknown): Settled<T> => ({ error }),
    );
  let next = pull();
  for (;;) {
    const first = await next;
    if ('error' in first) throw first.error;
    if (first.done) return;
    const batch = [first.value];
    const max = Math.max(1, limit());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, waitMs, 'late')));
    next = pull();
    try {
      while (batch.length < max) {
        const ready = await Promise.race([next, deadline]);
        if (ready === 'late' || 'error' in ready) break;
        if (ready.done) {
          yield batch;
          return;
        }
        batch.push(ready.value);
        next = pull();
      }
    } finally {
      clearTimeout(timer);
    }
    yield batch;
  }
}

/** When to save a file index while records are added: every `saveEvery` records or `saveIntervalMs`. */
export class SavePolicy {
  private sinceSave = 0;
  private lastSave = Date.now();

  constructor(
    private readonly saveEvery: number,
    private readonly saveIntervalMs: number,
  ) {}

  /** Items the next batch may hold, so that a save falls exactly every `saveEvery` records. */
  get room(): number {
    return this.saveEvery - this.sinceSave;
  }

  added(count: number): void {
    this.sinceSave += count;
  }

  get due(): boolean {
    return this.sinceSave > 0 && (this.sinceSave >= this.saveEvery || Date.now() - this.lastSave >= this.saveIntervalMs);
  }

  /** Save `index` (and say so on stderr with `verbose`). */
  async save(index: FilterIndex, name: string, verbose: boolean, io: CliIo): Promise<void> {
    await index.save();
    this.sinceSave = 0;
    this.lastSave = Date.now();
    if (verbose) io.stderr.write(`syndic: saved ${name}: ${index.size} documents\n`);
  }
}

/** The exit code of the signal that stopped the run, if one did. */
export function stoppedCode(stop: StopRequest): number | undefined {
  return stop.signal.aborted ? (stop.signal.reason as number) : undefined;
}
