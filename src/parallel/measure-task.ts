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
import { SpillFile, type SharedSpill } from './spill.js';

/** Pairs per chunk: enough to amortize a message, few enough to spread over the workers. */
const PAIRS_PER_CHUNK = 2048;
/** A chunk closes early once its texts reach this many UTF-16 units. */
const CHARS_PER_CHUNK = 4 << 20;

/**
 * Where the texts of a chunk come from: a text in the run's spill is read there by the worker
 * that measures it, any other is copied into the chunk.
 */
export interface MeasureTexts {
  /** The spill of the texts, or null (none is spilled). */
  spill: SharedSpill | null;
  /** Offset of text d's UTF-16 in the spill, or −1 when it is not spilled. */
  spilledAt(d: number): number;
  /** The UTF-16 bytes of text d (a view that the next call may overwrite). */
  utf16(d: number): Uint8Array;
}

/** The {@link MeasureTexts} of texts held as strings. */
export function inMemoryTexts(texts: readonly string[]): MeasureTexts {
  return { spill: null, spilledAt: () => -1, utf16: (d) => Buffer.from(texts[d]!, 'utf16le') };
}

/** The texts of a chunk's documents: read from the spill by the worker, or copied into the chunk. */
export interface ChunkTexts {
  spill: SharedSpill | null;
  /** Per document: offset of its text in the spill, or −1 (then it is the next one in `texts`). */
  textsAt: Float64Array;
  /** UTF-16 of the texts that are not spilled, one after another; text d is its analysis's chars long. */
  texts: ArrayBuffer;
}

/** The {@link ChunkTexts} of `documents` (indexes into `analyses`). */
export function encodeTexts(documents: readonly number[], texts: MeasureTexts, analyses: readonly DocumentAnalysis[]): ChunkTexts {
  const textsAt = Float64Array.from(documents, (d) => texts.spilledAt(d));
  let copiedChars = 0;
  documents.forEach((d, i) => textsAt[i]! < 0 && (copiedChars += analyses[d]!.chars));
  const copied = new Uint8Array(copiedChars * 2);
  let at = 0;
  documents.forEach((d, i) => {
    if (textsAt[i]! >= 0) return;
    const units = texts.utf16(d);
    copied.set(units, at);
    at += units.length;
  });
  return { spill: texts.spill, textsAt, texts: copied.buffer };
}

/** The texts of a chunk (on a worker), its documents' analyses being `analyses`. */
export function chunkTexts(chunk: ChunkTexts, analyses: readonly DocumentAnalysis[]): string[] {
  const units = Buffer.from(chunk.texts);
  const spill = chunk.spill ? new SpillFile(chunk.spill) : null;
  let at = 0;
  return analyses.map((analysis, d) => {
    const bytes = analysis.chars * 2;
    const spilledAt = chunk.textsAt[d]!;
    if (spilledAt >= 0) return spill!.read(spilledAt, bytes).toString('utf16le');
    at += bytes;
    return units.toString('utf16le', at - bytes, at);
  });
}

/** The documents of a chunk (renumbered 0..n−1) and its pairs over them. */
export interface MeasureChunk extends ChunkTexts {
  analyses: PackedAnalyses;
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
  const texts = chunkTexts(chunk, analyses);
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
 * {@link CHARS_PER_CHUNK} units), and where the next one starts.
 */
export function encodeMeasureChunk(
  pairs: Uint32Array,
  start: number,
  texts: MeasureTexts,
  analyses: readonly DocumentAnalysis[],
  masks: BoilerplateMasks | null,
  known: Float64Array | undefined,
  options: ResolvedOptions,
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
  let maskedParagraphs = 0;
  const masked = new Uint8Array(documents.length);
  documents.forEach((d, i) => {
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
    // The measures need no paragraph signatures (a scan would read them back from disk) nor anchors,
    // and document signatures only for estimates (exact measures tell identical texts by identity).
    analyses: packAnalyses(documents.map((d) => analyses[d]!), options.numPerm, { documentSignatures: options.verify === 'estimate', signatures: false, anchors: false }),
    ...encodeTexts(documents, texts, analyses),
    masked,
    masks: maskBytes,
    pairs: Uint32Array.from(localPairs),
    known: known ? known.slice(start, end) : null,
  };
  return { chunk, end };
}
