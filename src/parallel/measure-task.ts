/**
 * A chunk of candidate pairs to measure on a worker: the pairs, in the order the pass measures
 * them (connected components together, so each set is built once), with the texts, analyses and
 * boilerplate masks of their documents. The worker measures it with the same {@link PairMeasurer}
 * as the main thread would, so the values are the same to the last bit (see measure-pool.ts).
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { PairMeasurer, type BoilerplateMasks } from '../detect/measure.js';
import type { ResolvedOptions } from '../options.js';
import { packAnalyses, unpackAnalyses, type PackedAnalyses } from './codec.js';

/** Pairs per chunk: enough to amortize a message, few enough to spread over the workers. */
const PAIRS_PER_CHUNK = 2048;
/** A chunk closes early once its texts reach this many UTF-16 units. */
const CHARS_PER_CHUNK = 4 << 20;

/** The documents of a chunk (renumbered 0..n−1) and its pairs over them. */
export interface MeasureChunk {
  analyses: PackedAnalyses;
  /** UTF-16 of the texts one after another; text d is `analyses` chars long. */
  texts: ArrayBuffer;
  /** Per document: 1 when it has a boilerplate mask (the masks follow one another in `masks`). */
  masked: Uint8Array;
  /** Per paragraph of the masked documents: 1 for boilerplate. */
  masks: Uint8Array;
  /** Flat [a0, b0, …] over the chunk's documents, in measuring order. */
  pairs: Uint32Array;
  /** Per pair, its Jaccard measured already, or null (see {@link PairMeasurer.measure}). */
  known: Float64Array | null;
}

/** Per pair: jaccard, aInB, bInA, aContent, bContent. */
export const VALUES_PER_PAIR = 5;

/** Measure a chunk (on a worker): the values of its pairs, {@link VALUES_PER_PAIR} each. */
export function measureChunk(chunk: MeasureChunk, options: ResolvedOptions): Float64Array {
  const analyses = unpackAnalyses(chunk.analyses, options.numPerm);
  const units = Buffer.from(chunk.texts);
  const texts: string[] = [];
  let at = 0;
  for (const analysis of analyses) {
    texts.push(units.toString('utf16le', at, at + analysis.chars * 2));
    at += analysis.chars * 2;
  }
  const masks: Array<Uint8Array | null> = [];
  let maskAt = 0;
  analyses.forEach((analysis, d) => {
    if (!chunk.masked[d]) return void masks.push(null);
    const count = analysis.paragraphStart.length;
    masks.push(chunk.masks.subarray(maskAt, maskAt + count));
    maskAt += count;
  });
  const records = texts.map((text) => ({ id: '', text }));
  const measurer = new PairMeasurer(records, analyses, options, masks, chunk.pairs);
  const values = new Float64Array((chunk.pairs.length / 2) * VALUES_PER_PAIR);
  for (let p = 0; p < chunk.pairs.length / 2; p++) {
    const a = chunk.pairs[2 * p]!;
    const b = chunk.pairs[2 * p + 1]!;
    const measures = measurer.measure(a, b, chunk.known?.[p]);
    values.set([measures.jaccard, measures.aInB, measures.bInA, measures.aContent, measures.bContent], p * VALUES_PER_PAIR);
    measurer.release(a, b);
  }
  return values;
}

/**
 * The chunk of the pairs from `start` (at most {@link PAIRS_PER_CHUNK}, texts of about
 * {@link CHARS_PER_CHUNK} units), and where the next one starts. `texts(d)` gives the UTF-16 bytes
 * of text d (a view that the next call may overwrite).
 */
export function encodeMeasureChunk(
  pairs: Uint32Array,
  start: number,
  texts: (d: number) => Uint8Array,
  analyses: readonly DocumentAnalysis[],
  masks: BoilerplateMasks | null,
  known: Float64Array | undefined,
  numPerm: number,
): { chunk: MeasureChunk; end: number } {
  const local = new Map<number, number>();
  const documents: number[] = [];
  let chars = 0;
  let end = start;
  const pairCount = pairs.length / 2;
  const localPairs: number[] = [];
  while (end < pairCount && end - start < PAIRS_PER_CHUNK && (chars < CHARS_PER_CHUNK || end === start)) {
    for (const d of [pairs[2 * end]!, pairs[2 * end + 1]!]) {
      let index = local.get(d);
      if (index === undefined) {
        local.set(d, (index = documents.length));
        documents.push(d);
        chars += analyses[d]!.chars;
      }
      localPairs.push(index);
    }
    end++;
  }
  const textBuffer = new ArrayBuffer(chars * 2);
  const textBytes = new Uint8Array(textBuffer);
  let at = 0;
  let maskedParagraphs = 0;
  const masked = new Uint8Array(documents.length);
  documents.forEach((d, i) => {
    const units = texts(d);
    textBytes.set(units, at);
    at += units.length;
    const mask = masks?.[d];
    if (mask) (masked[i] = 1), (maskedParagraphs += mask.length);
  });
  const maskBytes = new Uint8Array(maskedParagraphs);
  let maskAt = 0;
  for (const d of documents) {
    const mask = masks?.[d];
    if (mask) maskBytes.set(mask, maskAt), (maskAt += mask.length);
  }
  const chunk: MeasureChunk = {
    // The measures need no paragraph signatures (and a scan would read them back from disk).
    analyses: packAnalyses(documents.map((d) => analyses[d]!), numPerm, false),
    texts: textBuffer,
    masked,
    masks: maskBytes,
    pairs: Uint32Array.from(localPairs),
    known: known ? known.slice(start, end) : null,
  };
  return { chunk, end };
}
