/**
 * Exact measures of candidate pairs on the workers of a pool: the pairs are cut into chunks
 * (measure-task.ts) handed out as workers free up, a few per worker at a time so that the copies
 * of texts in flight stay bounded, and the values are put back in pair order. The result does
 * not depend on the number of workers.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import type { MeasurePairs } from '../detect/measure.js';
import type { PairMeasures } from '../detect/policy.js';
import type { ResolvedOptions } from '../options.js';
import { encodeMeasureChunk, VALUES_PER_PAIR, type MeasureChunk, type MeasureTexts } from './measure-task.js';
import type { TaskPool } from './pool.js';

/** Chunks in flight per worker: bounds the copies of texts held at once. */
const CHUNKS_PER_WORKER = 2;

/** Measure pairs on the workers of `pool` (built with the same options). */
export function measureInPool(pool: TaskPool, texts: MeasureTexts, analyses: readonly DocumentAnalysis[], options: ResolvedOptions): MeasurePairs {
  return async (pairs, masks, known) => {
    const pairCount = pairs.length / 2;
    const results: PairMeasures[] = new Array(pairCount);
    const inFlight = new Set<Promise<void>>();
    for (let start = 0; start < pairCount; ) {
      const { chunk, end } = encodeMeasureChunk(pairs, start, texts, analyses, masks, known, options.numPerm);
      const first = start;
      const running = pool.run({ kind: 'measure', chunk }, chunkTransfer(chunk)).then((result) => {
        if (result.kind !== 'measures') throw new Error('a measure task came back without measures');
        decodeMeasures(result.values, results, first, options.verify === 'exact' ? 'exact' : 'estimate');
      });
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running)).catch(() => {});
      if (inFlight.size >= CHUNKS_PER_WORKER * pool.size) await Promise.race(inFlight);
      start = end;
    }
    await Promise.all(inFlight);
    return results;
  };
}

/** The buffers of a chunk, moved rather than copied to the worker. */
function chunkTransfer(chunk: MeasureChunk): ArrayBuffer[] {
  const buffers = [chunk.analyses.buffer, chunk.analyses.signatures, chunk.analyses.counts.buffer as ArrayBuffer, chunk.textsAt.buffer as ArrayBuffer, chunk.texts, chunk.masked.buffer as ArrayBuffer, chunk.masks.buffer as ArrayBuffer, chunk.pairs.buffer as ArrayBuffer];
  if (chunk.known) buffers.push(chunk.known.buffer as ArrayBuffer);
  return buffers;
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
