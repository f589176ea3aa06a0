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

/**
 * The items of `source` in batches, in order. The source is read ahead while the caller handles a
 * batch (up to `2 × BATCH_RECORDS` items held), so the next batch is usually ready when asked
 * for; a batch is what is at hand, at most `limit()` items (asked before each batch), and waits at
 * most `waitMs` after its first item for more. When the source ends or fails, the items read
 * before are yielded first, then the error is thrown.
 */
export async function* readyBatches<T>(source: AsyncIterable<T>, limit: () => number, waitMs = BATCH_WAIT_MS): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: T[] = [];
  const capacity = 2 * BATCH_RECORDS;
  let ended = false;
  let closed = false;
  let failure: { error: unknown } | null = null;
  // The batcher waits for an item (or the end), the reader for room in the queue.
  const arrived = new Wake();
  const room = new Wake();
  void (async () => {
    try {
      while (!closed) {
        if (queue.length >= capacity) {
          await room.wait();
          continue;
        }
        const next = await iterator.next();
        if (next.done) break;
        queue.push(next.value);
        arrived.fire();
      }
    } catch (error) {
      failure = { error };
    }
    ended = true;
    arrived.fire();
  })();
  try {
    for (;;) {
      while (queue.length === 0 && !ended) await arrived.wait();
      if (queue.length === 0) {
        if (failure) throw (failure as { error: unknown }).error;
        return;
      }
      const max = Math.max(1, limit());
      if (queue.length < max && !ended) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
        let waiting = true;
        void late.then(() => (waiting = false));
        while (waiting && queue.length < max && !ended) await Promise.race([arrived.wait(), late]);
        clearTimeout(timer);
      }
      const batch = queue.splice(0, max);
      room.fire();
      yield batch;
    }
  } finally {
    closed = true;
    room.fire();
  }
}

/** A wake-up one waiter awaits and anyone may fire. */
class Wake {
  private resolve: (() => void) | null = null;

  wait(): Promise<void> {
    return new Promise((resolve) => (this.resolve = resolve));
  }

  fire(): void {
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.();
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
