/**
 * V8's heap limit as an input. A process that passes it dies with a fatal error no code can catch
 * ("JavaScript heap out of memory"), possibly an hour into a run. So the stages that grow with the
 * input check the heap as they go: reading after each batch, the passes before and inside their
 * long loops. When the heap is nearly full, a full collection tells live data from garbage, and a
 * run whose live data still fills most of the limit stops with a {@link SyndicError} of kind
 * `limit` that says what to do, while nothing has been written yet.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SyndicError } from './errors.js';

/** Share of the old generation's limit past which the heap is collected and measured. */
const COLLECT_AT = 0.8;
/** Share of the old generation's limit that live data may fill before the run stops. */
const LIVE_LIMIT = 0.75;
/** What `heap_size_limit` holds beyond the old generation (the young generation's semispaces). */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;
/** Loop iterations between two looks at the heap in the passes (a look costs ~1 µs). */
export const HEAP_CHECK_EVERY = 1 << 12;

let collect: (() => void) | null = null;

/** A full garbage collection (the `gc` V8 gives with --expose-gc, obtained once). */
function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/**
 * Collect now, once a stage has let go of large buffers (a scan's document signatures after the
 * document pass, its analyses before the report):
 * V8 frees an ArrayBuffer's memory only when it collects the object, and objects that lived long
 * wait for a full collection, which a heap made mostly of typed arrays may not reach for minutes —
 * while the next stage allocates as much again.
 */
export function collectReleased(): void {
  collectGarbage();
}

/**
 * Stop the run, with a clear error, when live data fills most of the heap limit. `stage` names
 * what the run was doing ("reading", "comparing", ...), `documents` how many it holds, if known.
 */
export function checkHeap(stage: string, documents?: number): void {
  const { used_heap_size: used, heap_size_limit: heapLimit } = getHeapStatistics();
  const limit = Math.max(heapLimit - YOUNG_GENERATION_BYTES, heapLimit / 2);
  // A collection that finds the run fits leaves the heap under LIVE_LIMIT, so the next one waits
  // until garbage has grown it past COLLECT_AT again: collections are spaced by growth, not time.
  if (used < COLLECT_AT * limit) return;
  collectGarbage();
  const live = getHeapStatistics().used_heap_size;
  if (live < LIVE_LIMIT * limit) return;
  throw new SyndicError(
    `out of memory while ${stage}${documents === undefined ? '' : ` ${documents.toLocaleString('en-US')} documents`}: live data fills ${size(live, limit)} of the JavaScript heap limit of ${size(limit, limit)}. ` +
      `Scan the input in parts, or raise the limit (NODE_OPTIONS=--max-old-space-size=${suggestedMegabytes(limit)}) where the machine has the memory.`,
    'limit',
  );
}

/** Bytes in the unit that suits `scale`: MiB, or GiB from 4 GiB up. */
function size(bytes: number, scale: number): string {
  return scale < 4 * 2 ** 30 ? `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB` : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** Twice the current limit, in MB, rounded up to 1,024. */
function suggestedMegabytes(limit: number): number {
  return Math.ceil((2 * limit) / 2 ** 30) * 1024;
}
