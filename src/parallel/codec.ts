/**
 * The wire format between the main thread and the workers: a batch's analyses in one buffer (a
 * reply transfers one buffer instead of ten per document; transferring many small buffers cost
 * more than the analysis saved), and the records a worker parsed, without their texts as strings.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { longParagraphs } from '../analyze/paragraph-keys.js';

/**
 * Analyses of one batch in two buffers. `buffer`: every document's paragraph fingerprints (8-byte
 * values first, for alignment), then per document its signature, paragraph ranges, signature rows
 * and anchors. `signatures`: the paragraph signatures of every document, one after another (apart,
 * so that a scan can spill them in one piece; empty when packed without them). `counts` holds, per
 * document, chars, normalized length, paragraphs, long paragraphs and anchors.
 */
export interface PackedAnalyses {
  buffer: ArrayBuffer;
  signatures: ArrayBuffer;
  counts: Uint32Array;
}

const COUNTS_PER_DOCUMENT = 5;

const NO_SIGNATURES = new Uint32Array(0);

/**
 * Pack analyses made without kept hashes (their `hashes` is null); without `withSignatures`, their
 * paragraph signatures are left out (unpacked, they are empty).
 */
export function packAnalyses(analyses: readonly DocumentAnalysis[], numPerm: number, withSignatures = true): PackedAnalyses {
  const counts = new Uint32Array(analyses.length * COUNTS_PER_DOCUMENT);
  let paragraphs = 0;
  let words = 0;
  let signatureWords = 0;
  analyses.forEach((analysis, d) => {
    const count = analysis.paragraphStart.length;
    // Counted from the rows, not the signatures: a spilled analysis would read them back from disk.
    const long = longParagraphs(analysis.signatureRow);
    counts.set([analysis.chars, analysis.normalizedLength, count, long, analysis.anchors.length], d * COUNTS_PER_DOCUMENT);
    paragraphs += count;
    words += numPerm + 5 * count + analysis.anchors.length;
    if (withSignatures) signatureWords += long * numPerm;
  });
  const buffer = new ArrayBuffer(paragraphs * 8 + words * 4);
  const signatures = new Uint32Array(signatureWords);
  let signatureAt = 0;
  const fingerprints = new BigUint64Array(buffer, 0, paragraphs);
  const unsigned = new Uint32Array(buffer, paragraphs * 8, words);
  let paragraphAt = 0;
  let at = 0;
  for (const analysis of analyses) {
    fingerprints.set(analysis.fingerprints, paragraphAt);
    paragraphAt += analysis.fingerprints.length;
    for (const array of [analysis.signature, analysis.paragraphStart, analysis.paragraphEnd, analysis.normalizedStart, analysis.normalizedEnd]) {
      unsigned.set(array, at);
      at += array.length;
    }
    unsigned.set(new Uint32Array(analysis.signatureRow.buffer, analysis.signatureRow.byteOffset, analysis.signatureRow.length), at);
    at += analysis.signatureRow.length;
    unsigned.set(analysis.anchors, at);
    at += analysis.anchors.length;
    if (withSignatures) signatures.set(analysis.paragraphSignatures, signatureAt), (signatureAt += analysis.paragraphSignatures.length);
  }
  return { buffer, signatures: signatures.buffer, counts };
}

/** Number of documents in a packed batch. */
export function packedCount(packed: PackedAnalyses): number {
  return packed.counts.length / COUNTS_PER_DOCUMENT;
}

/** The analyses of {@link packAnalyses}, as views into its buffer (nothing is copied). */
export function unpackAnalyses(packed: PackedAnalyses, numPerm: number): DocumentAnalysis[] {
  const { buffer, counts } = packed;
  const documents = packedCount(packed);
  const withSignatures = packed.signatures.byteLength > 0;
  let signatureAt = 0;
  let paragraphs = 0;
  for (let d = 0; d < documents; d++) paragraphs += counts[d * COUNTS_PER_DOCUMENT + 2]!;
  let paragraphAt = 0;
  let byteAt = paragraphs * 8;
  const take = (length: number): Uint32Array => {
    const view = new Uint32Array(buffer, byteAt, length);
    byteAt += length * 4;
    return view;
  };
  const analyses: DocumentAnalysis[] = [];
  for (let d = 0; d < documents; d++) {
    const [chars, normalizedLength, count, long, anchorCount] = counts.subarray(d * COUNTS_PER_DOCUMENT, (d + 1) * COUNTS_PER_DOCUMENT);
    const fingerprints = new BigUint64Array(buffer, paragraphAt * 8, count!);
    paragraphAt += count!;
    const signature = take(numPerm);
    const paragraphStart = take(count!);
    const paragraphEnd = take(count!);
    const normalizedStart = take(count!);
    const normalizedEnd = take(count!);
    const signatureRow = new Int32Array(buffer, byteAt, count!);
    byteAt += count! * 4;
    const anchors = take(anchorCount!);
    const paragraphSignatures = withSignatures ? new Uint32Array(packed.signatures, signatureAt * 4, long! * numPerm) : NO_SIGNATURES;
    if (withSignatures) signatureAt += long! * numPerm;
    analyses.push({
      chars: chars!,
      normalizedLength: normalizedLength!,
      signature,
      hashes: null,
      paragraphStart,
      paragraphEnd,
      normalizedStart,
      normalizedEnd,
      fingerprints,
      signatureRow,
      paragraphSignatures,
      anchors,
    });
  }
  return analyses;
}

/** What a worker keeps of a parsed record besides its text (which travels as UTF-16 bytes). */
export interface RecordFields {
  id: string;
  source?: string;
  date?: string;
  url?: string;
  title?: string;
}

/** An input record that could not be read, and where it sits among the records that could. */
export interface InputProblem {
  /** Line of the JSONL range (1-based, within the task), or index of the file in a files task. */
  at: number;
  /** Valid records of the task before this one. */
  before: number;
  /** Why (for JSONL: the message after `file:line: `; for files: after `file: `). */
  reason: string;
}

/**
 * The records a worker read from its part of the input, in input order: their fields and
 * analyses; their texts (JSONL) and maybe their paragraph signatures are in the run's spill.
 */
export interface RecordBatch {
  fields: RecordFields[];
  /** Per record: its line within the task (JSONL) or its file's index in the task (files). */
  positions: Uint32Array;
  problems: InputProblem[];
  /** Lines the task covered (JSONL), so the next task's lines can be numbered. */
  lines: number;
  /** Packed for a reply from a worker; as they were made when the task ran on this thread. */
  analyses: PackedAnalyses | DocumentAnalysis[];
  /**
   * Offset in the spill of the texts' UTF-16, one after another, each `chars` long (JSONL); null
   * for files (texts are read again from them).
   */
  textsAt: number | null;
  /** Offset in the spill of the paragraph signatures, one analysis after another; null: they are in the analyses. */
  signaturesAt: number | null;
  /** The band keys of the long paragraphs (see analyze/paragraph-keys.ts); empty when only documents are compared. */
  paragraphKeys: Uint32Array;
}

/** UTF-16 length of document `d` of a batch (its `chars`). */
export function batchChars(analyses: RecordBatch['analyses'], d: number): number {
  return Array.isArray(analyses) ? analyses[d]!.chars : analyses.counts[d * COUNTS_PER_DOCUMENT]!;
}

/** The buffers of a reply to transfer instead of copy. */
export function transferList(analyses: PackedAnalyses, more: ArrayBuffer[] = []): ArrayBuffer[] {
  // Empty buffers may be shared constants, which cannot be transferred twice.
  const list = [analyses.buffer, analyses.counts.buffer as ArrayBuffer, ...more.filter((buffer) => buffer.byteLength > 0)];
  if (analyses.signatures.byteLength > 0) list.push(analyses.signatures);
  return list;
}
