/**
 * A chunk of the paragraph pass's candidate pairs to measure on a worker: the pairs, in the order
 * the pass measures them (connected components together, so each exact set is built once), with
 * what measuring needs of their paragraphs (ranges, signature rows) and their documents' texts
 * and paragraph signatures. Signatures and texts in the run's spill are read there by the worker;
 * the others travel in the chunk. The worker measures with the pass's own
 * {@link ParagraphMeasurer}, on analyses that hold only the chunk's paragraphs, so the values are
 * the same to the bit.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { ParagraphMeasurer, type ParagraphItems } from '../detect/paragraph-measure.js';
import { longParagraphs } from '../analyze/paragraph-keys.js';
import type { ResolvedOptions } from '../options.js';
import { chunkTexts, encodeTexts, type ChunkTexts, type MeasureTexts } from './measure-task.js';
import { signaturesSpilledAt } from './codec.js';
import { SpillFile } from './spill.js';

/** Pairs per chunk: enough to amortize a message, few enough to spread over the workers. */
const PAIRS_PER_CHUNK = 4096;
/** A chunk closes early once its texts reach this many UTF-16 units. */
const CHARS_PER_CHUNK = 4 << 20;

/** The documents of a chunk (renumbered 0..n−1), their paragraphs in it (items) and its pairs of items. */
export interface ParagraphChunk extends ChunkTexts {
  /** Per document: its text's length (UTF-16 units) and its number of items (items are grouped by document). */
  documents: Uint32Array;
  /** Per document: offset of its paragraph signatures in the spill, or −1 (then they are the next ones in `signatures`). */
  signaturesAt: Float64Array;
  /** Per document: its paragraph signatures' length in words. */
  signatureWords: Uint32Array;
  signatures: ArrayBuffer;
  /** Per item, in {@link COLUMNS} columns of the item count: paragraph start, end, normalized start, end, signature row. */
  paragraphs: Uint32Array;
  /** Flat [a0, b0, …] over the items, in measuring order. */
  pairs: Uint32Array;
}

const COLUMNS = 5;
const NONE = new Uint32Array(0);
const NO_FINGERPRINTS = new BigUint64Array(0);

/** Measure a chunk (on a worker): the Jaccard of each of its pairs. */
export function measureParagraphChunk(chunk: ParagraphChunk, options: ResolvedOptions): Float64Array {
  const count = chunk.paragraphs.length / COLUMNS;
  const [starts, ends, normalizedStarts, normalizedEnds] = [0, 1, 2, 3].map((k) => chunk.paragraphs.subarray(k * count, (k + 1) * count)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const rows = new Int32Array(chunk.paragraphs.buffer, chunk.paragraphs.byteOffset + 4 * count * 4, count);
  const spill = chunk.spill ? new SpillFile(chunk.spill) : null;
  const items: ParagraphItems = { doc: new Uint32Array(count), paragraph: new Uint32Array(count) };
  const analyses: DocumentAnalysis[] = [];
  for (let d = 0, first = 0, signatureAt = 0; d < chunk.signaturesAt.length; d++) {
    const words = chunk.signatureWords[d]!;
    let signatures: Uint32Array;
    if (chunk.signaturesAt[d]! >= 0) {
      signatures = new Uint32Array(words);
      spill!.readInto(new Uint8Array(signatures.buffer), chunk.signaturesAt[d]!);
    } else {
      signatures = new Uint32Array(chunk.signatures, signatureAt * 4, words);
      signatureAt += words;
    }
    const end = first + chunk.documents[2 * d + 1]!;
    for (let i = first; i < end; i++) (items.doc[i] = d), (items.paragraph[i] = i - first);
    analyses.push({
      chars: chunk.documents[2 * d]!,
      normalizedLength: 0,
      signature: NONE,
      identity: 0,
      hashes: null,
      paragraphStart: starts.subarray(first, end),
      paragraphEnd: ends.subarray(first, end),
      normalizedStart: normalizedStarts.subarray(first, end),
      normalizedEnd: normalizedEnds.subarray(first, end),
      fingerprints: NO_FINGERPRINTS,
      signatureRow: rows.subarray(first, end),
      paragraphSignatures: signatures,
      anchors: NONE,
    });
    first = end;
  }
  const texts = chunkTexts(chunk, analyses);
  const measurer = new ParagraphMeasurer((d) => texts[d]!, analyses, items, options, chunk.pairs);
  const jaccards = new Float64Array(chunk.pairs.length / 2);
  for (let p = 0; p < jaccards.length; p++) {
    const a = chunk.pairs[2 * p]!;
    const b = chunk.pairs[2 * p + 1]!;
    jaccards[p] = measurer.jaccard(a, b);
    measurer.release(a);
    measurer.release(b);
  }
  return jaccards;
}

/**
 * The chunks of `pairs` over `items` in `order`: the returned function makes the one of the pairs
 * `order[start..]` (at most {@link PAIRS_PER_CHUNK}, texts of about {@link CHARS_PER_CHUNK} units)
 * and says where the next one starts. Its marks of the items and documents seen are typed arrays
 * of the run, cleared after each chunk: a set and a map per chunk cost a hash per paragraph.
 */
export function paragraphChunks(
  items: ParagraphItems,
  pairs: Uint32Array,
  order: Uint32Array,
  texts: MeasureTexts,
  analyses: readonly DocumentAnalysis[],
  numPerm: number,
): (start: number) => { chunk: ParagraphChunk; end: number } {
  /** Per item: −1, or its number in the chunk being made (at first 0: seen). */
  const localItem = new Int32Array(items.doc.length).fill(-1);
  /** Per document: −1, or its number in the chunk being made. */
  const localDoc = new Int32Array(analyses.length).fill(-1);
  return (start) => {
    // Documents in the order they are first met, each one's items in the order they are first met.
    const documents: number[] = [];
    const itemsPerDocument: number[] = [];
    const seen: number[] = [];
    const documentOfSeen: number[] = [];
    let chars = 0;
    let end = start;
    while (end < order.length && end - start < PAIRS_PER_CHUNK && (chars < CHARS_PER_CHUNK || end === start)) {
      const p = order[end]!;
      for (let side = 0; side < 2; side++) {
        const item = pairs[2 * p + side]!;
        if (localItem[item]! >= 0) continue;
        localItem[item] = 0;
        const d = items.doc[item]!;
        let doc = localDoc[d]!;
        if (doc < 0) (localDoc[d] = doc = documents.length), documents.push(d), itemsPerDocument.push(0), (chars += analyses[d]!.chars);
        seen.push(item);
        documentOfSeen.push(doc);
        itemsPerDocument[doc]!++;
      }
      end++;
    }
    // Items grouped by document, numbered in that order.
    const count = seen.length;
    const firstOf = new Uint32Array(documents.length + 1);
    for (let doc = 0; doc < documents.length; doc++) firstOf[doc + 1] = firstOf[doc]! + itemsPerDocument[doc]!;
    const next = firstOf.slice(0, documents.length);
    const grouped = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const at = next[documentOfSeen[i]!]!++;
      grouped[at] = seen[i]!;
      localItem[seen[i]!] = at;
    }
    const paragraphs = new Uint32Array(COLUMNS * count);
    const chunkDocuments = new Uint32Array(2 * documents.length);
    documents.forEach((d, doc) => {
      const analysis = analyses[d]!;
      chunkDocuments[2 * doc] = analysis.chars;
      chunkDocuments[2 * doc + 1] = itemsPerDocument[doc]!;
      const { paragraphStart, paragraphEnd, normalizedStart, normalizedEnd, signatureRow } = analysis;
      for (let i = firstOf[doc]!; i < firstOf[doc + 1]!; i++) {
        const p = items.paragraph[grouped[i]!]!;
        paragraphs[i] = paragraphStart[p]!;
        paragraphs[count + i] = paragraphEnd[p]!;
        paragraphs[2 * count + i] = normalizedStart[p]!;
        paragraphs[3 * count + i] = normalizedEnd[p]!;
        paragraphs[4 * count + i] = signatureRow[p]!;
      }
    });
    const localPairs = new Uint32Array(2 * (end - start));
    for (let k = start; k < end; k++) {
      const p = order[k]!;
      localPairs[2 * (k - start)] = localItem[pairs[2 * p]!]!;
      localPairs[2 * (k - start) + 1] = localItem[pairs[2 * p + 1]!]!;
    }
    for (const item of seen) localItem[item] = -1;
    for (const d of documents) localDoc[d] = -1;
    return { chunk: chunkOf(documents, chunkDocuments, paragraphs, localPairs, texts, analyses, numPerm), end };
  };
}

/** A chunk of the documents `documents` (indexes into `analyses`), with its paragraph columns and pairs made. */
function chunkOf(
  documents: readonly number[],
  chunkDocuments: Uint32Array,
  paragraphs: Uint32Array,
  localPairs: Uint32Array,
  texts: MeasureTexts,
  analyses: readonly DocumentAnalysis[],
  numPerm: number,
): ParagraphChunk {
  const chunkAnalyses = documents.map((d) => analyses[d]!);
  const signaturesAt = Float64Array.from(chunkAnalyses, signaturesSpilledAt);
  // From the rows: a spilled analysis would read its signatures back to tell their length.
  const signatureWords = Uint32Array.from(chunkAnalyses, (analysis) => longParagraphs(analysis.signatureRow) * numPerm);
  let copiedWords = 0;
  chunkAnalyses.forEach((_, i) => signaturesAt[i]! < 0 && (copiedWords += signatureWords[i]!));
  const signatures = new Uint32Array(copiedWords);
  let at = 0;
  chunkAnalyses.forEach((analysis, i) => {
    if (signaturesAt[i]! >= 0) return;
    signatures.set(analysis.paragraphSignatures, at);
    at += signatureWords[i]!;
  });
  return {
    documents: chunkDocuments,
    ...encodeTexts(documents, texts, analyses),
    signaturesAt,
    signatureWords,
    signatures: signatures.buffer,
    paragraphs,
    pairs: localPairs,
  };
}

/** The buffers of a chunk, moved rather than copied to the worker. */
export function paragraphChunkTransfer(chunk: ParagraphChunk): ArrayBuffer[] {
  return [chunk.documents, chunk.textsAt, chunk.signaturesAt, chunk.signatureWords, chunk.paragraphs, chunk.pairs].map((array) => array.buffer as ArrayBuffer).concat(chunk.texts, chunk.signatures);
}
