/**
 * Detection's work on the workers of a pool: syndication's anchor candidates (anchor-task.ts), the
 * LSH grouping of band keys (by ranges of bands), and exact measures of candidate pairs — document
 * pairs (measure-task.ts) and the paragraph pass's pairs (paragraph-task.ts). The pairs are cut
 * into chunks handed out as workers free up, a few per worker at a time so that the copies of
 * texts in flight stay bounded, and the values are put back in pair order. The result does not
 * depend on the number of workers.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import type { MeasurePairs } from '../detect/measure.js';
import type { PairMeasures } from '../detect/policy.js';
import type { ResolvedOptions } from '../options.js';
import type { ContainmentCandidates } from '../detect/containment-candidates.js';
import type { MeasureParagraphs } from '../detect/paragraph-measure.js';
import { anchorsTransfer } from './anchor-task.js';
import { takeAnchors, transferList } from './codec.js';
import { encodeMeasureChunk, VALUES_PER_PAIR, type MeasureChunk, type MeasureTexts } from './measure-task.js';
import { paragraphChunks, paragraphChunkTransfer } from './paragraph-task.js';
import type { TaskPool } from './pool.js';
import { mergeCandidates, type GroupBandKeys } from '../lsh/group.js';
import type { Task } from './tasks.js';
import { shareBandKeys } from './band-key-spill.js';

/** Chunks in flight per worker: bounds the copies of texts held at once. */
const CHUNKS_PER_WORKER = 2;

/** Measure pairs on the workers of `pool` (built with the same options). */
export function measureInPool(pool: TaskPool, texts: MeasureTexts, analyses: readonly DocumentAnalysis[], options: ResolvedOptions): MeasurePairs {
  return async (pairs, masks, known) => {
    const results: PairMeasures[] = new Array(pairs.length / 2);
    const method = options.verify === 'exact' ? 'exact' : 'estimate';
    await runChunks(pool, pairs.length / 2, (start) => {
      const { chunk, end } = encodeMeasureChunk(pairs, start, texts, analyses, masks, known, options);
      return { task: { kind: 'measure', chunk }, transfer: chunkTransfer(chunk), end };
    }, (values, first) => decodeMeasures(values, results, first, method));
    return results;
  };
}

/** The paragraph pass's pairs measured on the workers of `pool` (built with the same options). */
export function measureParagraphsInPool(pool: TaskPool, texts: MeasureTexts, analyses: readonly DocumentAnalysis[], options: ResolvedOptions): MeasureParagraphs {
  return async (items, pairs, order) => {
    const jaccards = new Float64Array(pairs.length / 2);
    const chunkFrom = paragraphChunks(items, pairs, order, texts, analyses, options.numPerm);
    await runChunks(pool, order.length, (start) => {
      const { chunk, end } = chunkFrom(start);
      return { task: { kind: 'paragraphs', chunk }, transfer: paragraphChunkTransfer(chunk), end };
    }, (values, first) => {
      for (let k = 0; k < values.length; k++) jaccards[order[first + k]!] = values[k]!;
    });
    return jaccards;
  };
}

/**
 * LSH grouping on the workers of `pool`: each task groups a range of the bands, reading the keys
 * where they are (spilled, or in shared memory: keys elsewhere are copied there), and the ranges' candidates
 * are merged in band order — the same candidates as one grouping of every band.
 */
export function groupInPool(pool: TaskPool): GroupBandKeys {
  return async (keys, options) => {
    const shared = shareBandKeys(keys);
    const { bands } = keys;
    const ranges = Math.min(bands, 2 * pool.size);
    const parts = await Promise.all(
      Array.from({ length: ranges }, async (_, r) => {
        const from = Math.floor((r * bands) / ranges);
        const to = Math.floor(((r + 1) * bands) / ranges);
        const result = await pool.run({ kind: 'bands', keys: shared, from, to, options }, []);
        if (result.kind !== 'pairs') throw new Error('a grouping task came back without pairs');
        return result.candidates;
      }),
    );
    return mergeCandidates(parts);
  };
}

/**
 * Hand out the chunks of `count` pairs (`encode(start)` makes the one from `start`) as workers free
 * up, {@link CHUNKS_PER_WORKER} per worker at a time; `decode` takes each one's values with the
 * index of its first pair.
 */
async function runChunks(
  pool: TaskPool,
  count: number,
  encode: (start: number) => { task: Task; transfer: ArrayBuffer[]; end: number },
  decode: (values: Float64Array, first: number) => void,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let start = 0; start < count; ) {
    const { task, transfer, end } = encode(start);
    const first = start;
    const running = pool.run(task, transfer).then((result) => {
      if (result.kind !== 'measures') throw new Error('a measure task came back without measures');
      decode(result.values, first);
    });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running)).catch(() => {});
    if (inFlight.size >= CHUNKS_PER_WORKER * pool.size) await Promise.race(inFlight);
    start = end;
  }
  await Promise.all(inFlight);
}

/** The buffers of a chunk, moved rather than copied to the worker. */
function chunkTransfer(chunk: MeasureChunk): ArrayBuffer[] {
  const buffers = [chunk.textsAt.buffer as ArrayBuffer, chunk.texts, chunk.masked.buffer as ArrayBuffer, chunk.masks.buffer as ArrayBuffer, chunk.pairs.buffer as ArrayBuffer];
  if (chunk.known) buffers.push(chunk.known.buffer as ArrayBuffer);
  return transferList(chunk.analyses, buffers);
}

function decodeMeasures(values: Float64Array, into: PairMeasures[], first: number, method: 'exact' | 'estimate'): void {
  for (let p = 0; p < values.length / VALUES_PER_PAIR; p++) {
    const v = p * VALUES_PER_PAIR;
    into[first + p] = {
      jaccard: values[v]!,
      aInB: values[v + 1]!,
      bInA: values[v + 2]!,
      aContent: values[v + 3]!,
      bContent: values[v + 4]!,
      jaccardMethod: method,
      containmentMethod: method,
    };
  }
}

/**
 * Start finding syndication's anchor candidates of `analyses` on a worker of `pool` (anchor-task.ts);
 * the analyses let go of their anchors, which the task takes. The candidates are taken once from the
 * function returned: nothing here holds them after that. The promise is also caught here, so that a
 * run that fails before it awaits the candidates leaves no unhandled rejection; awaiting it still
 * throws.
 */
export function anchorCandidatesInPool(pool: TaskPool, analyses: readonly DocumentAnalysis[]): () => Promise<ContainmentCandidates> {
  const anchors = takeAnchors(analyses);
  let found: Promise<ContainmentCandidates> | null = pool.run({ kind: 'anchors', anchors }, anchorsTransfer(anchors)).then((result) => {
    if (result.kind !== 'candidates') throw new Error('an anchor task came back without candidates');
    return result.candidates;
  });
  found.catch(() => {});
  return () => {
    if (!found) throw new Error('the anchor candidates were taken already');
    const taken = found;
    found = null;
    return taken;
  };
}
