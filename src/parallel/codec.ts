/**
 * The wire format between the main thread and the workers: a batch's analyses in one buffer (a
 * reply transfers one buffer instead of ten per document; transferring many small buffers cost
 * more than the analysis saved), and the records a worker parsed, without their texts as strings.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { longParagraphs } from '../analyze/paragraph-keys.js';
import type { SignatureReader } from './signature-spill.js';

/**
 * Analyses of one batch in four buffers. `buffer`: every document's paragraph fingerprints (8-byte
 * values first, for alignment), then per document its paragraph ranges and signature rows.
 * `documentSignatures`: every document's signature (apart, so that a scan can let go of them after
 * the document pass). `signatures`: the paragraph signatures of every document, one after another
 * (apart, so that a scan can spill them in one piece). `anchors`: every document's anchors, one
 * after another (apart, so that a scan can hand them to the anchor task). The last three are empty
 * when packed without them. `counts` holds, per document, chars, normalized length, paragraphs,
 * long paragraphs, anchors and the identity (its high 32 bits, then its low 20).
 */
export interface PackedAnalyses {
  buffer: ArrayBuffer;
  documentSignatures: ArrayBuffer;
  signatures: ArrayBuffer;
  anchors: ArrayBuffer;
  counts: Uint32Array;
}

/** What {@link packAnalyses} packs besides the fixed-size parts: every part by default. */
export interface PackedParts {
  documentSignatures?: boolean;
  signatures?: boolean;
  anchors?: boolean;
}

const COUNTS_PER_DOCUMENT = 7;
const IDENTITY_LOW = 0x100000;

const NO_SIGNATURES = new Uint32Array(0);

/**
 * Pack analyses made without kept hashes (their `hashes` is null); the parts `parts` leaves out
 * are empty once unpacked.
 */
export function packAnalyses(analyses: readonly DocumentAnalysis[], numPerm: number, parts: PackedParts = {}): PackedAnalyses {
  const withDocumentSignatures = parts.documentSignatures ?? true;
  const withSignatures = parts.signatures ?? true;
  const withAnchors = parts.anchors ?? true;
  const counts = new Uint32Array(analyses.length * COUNTS_PER_DOCUMENT);
  let paragraphs = 0;
  let words = 0;
  let signatureWords = 0;
  let anchorWords = 0;
  analyses.forEach((analysis, d) => {
    const count = analysis.paragraphStart.length;
    // Counted from the rows, not the signatures: a spilled analysis would read them back from disk.
    const long = longParagraphs(analysis.signatureRow);
    const anchors = withAnchors ? analysis.anchors.length : 0;
    const { identity } = analysis;
    counts.set([analysis.chars, analysis.normalizedLength, count, long, anchors, Math.floor(identity / IDENTITY_LOW), identity % IDENTITY_LOW], d * COUNTS_PER_DOCUMENT);
    paragraphs += count;
    words += 5 * count;
    anchorWords += anchors;
    if (withSignatures) signatureWords += long * numPerm;
  });
  const buffer = new ArrayBuffer(paragraphs * 8 + words * 4);
  const documentSignatures = new Uint32Array(withDocumentSignatures ? analyses.length * numPerm : 0);
  const signatures = new Uint32Array(signatureWords);
  const anchors = new Uint32Array(anchorWords);
  let signatureAt = 0;
  let anchorAt = 0;
  const fingerprints = new BigUint64Array(buffer, 0, paragraphs);
  const unsigned = new Uint32Array(buffer, paragraphs * 8, words);
  let paragraphAt = 0;
  let at = 0;
  for (const [d, analysis] of analyses.entries()) {
    if (withDocumentSignatures) documentSignatures.set(analysis.signature, d * numPerm);
    const fingerprintsOf = analysis.fingerprints;
    fingerprints.set(fingerprintsOf, paragraphAt);
    paragraphAt += fingerprintsOf.length;
    const rows = analysis.signatureRow;
    const columns = [analysis.paragraphStart, analysis.paragraphEnd, analysis.normalizedStart, analysis.normalizedEnd];
    for (const array of [...columns, new Uint32Array(rows.buffer, rows.byteOffset, rows.length)]) {
      unsigned.set(array, at);
      at += array.length;
    }
    if (withAnchors) {
      const anchorsOf = analysis.anchors;
      anchors.set(anchorsOf, anchorAt);
      anchorAt += anchorsOf.length;
    }
    if (!withSignatures) continue;
    const paragraphSignatures = analysis.paragraphSignatures;
    signatures.set(paragraphSignatures, signatureAt);
    signatureAt += paragraphSignatures.length;
  }
  return { buffer, documentSignatures: documentSignatures.buffer, signatures: signatures.buffer, anchors: anchors.buffer, counts };
}

/** Number of documents in a packed batch. */
export function packedCount(packed: PackedAnalyses): number {
  return packed.counts.length / COUNTS_PER_DOCUMENT;
}

/** Where a batch's paragraph signatures were spilled: read back through `reader`, one document's at a time. */
export interface SpilledSignatures {
  reader: SignatureReader;
  /** Offset of the batch's signatures in the spill, one analysis after another. */
  offset: number;
}

/**
 * The analyses of {@link packAnalyses}, as views into its buffers (nothing is copied); with
 * `spilled`, each reads its paragraph signatures back from the spill when asked.
 */
export function unpackAnalyses(packed: PackedAnalyses, numPerm: number, spilled: SpilledSignatures | null = null): PackedAnalysis[] {
  const { buffer, counts } = packed;
  const documents = packedCount(packed);
  let paragraphs = 0;
  let signatureBytes = 0;
  for (let d = 0; d < documents; d++) {
    paragraphs += counts[d * COUNTS_PER_DOCUMENT + 2]!;
    signatureBytes += counts[d * COUNTS_PER_DOCUMENT + 3]! * numPerm * 4;
  }
  const wordsAt = paragraphs * 8;
  const words = (buffer.byteLength - wordsAt) / 4;
  const batch: PackedBatch = {
    numPerm,
    fingerprints: new BigUint64Array(buffer, 0, paragraphs),
    words: new Uint32Array(buffer, wordsAt, words),
    rows: new Int32Array(buffer, wordsAt, words),
    documentSignatures: new Uint32Array(packed.documentSignatures),
    signatures: new Uint32Array(packed.signatures),
    spill: spilled && { reader: spilled.reader, blockEnd: spilled.offset + signatureBytes },
    anchors: new Uint32Array(packed.anchors),
  };
  const analyses: PackedAnalysis[] = [];
  let paragraphAt = 0;
  let wordAt = 0;
  let anchorAt = 0;
  let signaturesAt = spilled ? spilled.offset : 0;
  for (let d = 0; d < documents; d++) {
    const at = d * COUNTS_PER_DOCUMENT;
    const count = counts[at + 2]!;
    const long = counts[at + 3]!;
    const anchorCount = counts[at + 4]!;
    const identity = counts[at + 5]! * IDENTITY_LOW + counts[at + 6]!;
    analyses.push(new PackedAnalysis(batch, d, counts[at]!, counts[at + 1]!, identity, count, long, anchorCount, paragraphAt, wordAt, signaturesAt, anchorAt));
    paragraphAt += count;
    wordAt += 5 * count;
    anchorAt += anchorCount;
    signaturesAt += spilled ? long * numPerm * 4 : long * numPerm;
  }
  return analyses;
}

/** The arrays of one unpacked batch, shared by its analyses. */
export interface PackedBatch {
  numPerm: number;
  fingerprints: BigUint64Array;
  /** Every document's signature; null once released (see {@link releaseSignatures}). */
  documentSignatures: Uint32Array | null;
  /** Per document: paragraph ranges, signature rows (see {@link packAnalyses}). */
  words: Uint32Array;
  /** {@link words} as signed values, for the signature rows. */
  rows: Int32Array;
  /** Paragraph signatures in memory (empty when spilled or left out). */
  signatures: Uint32Array;
  spill: { reader: SignatureReader; blockEnd: number } | null;
  /** Every document's anchors; null once taken (see {@link takeAnchors}). */
  anchors: Uint32Array | null;
}

/**
 * One document of an unpacked batch: where its arrays sit in the batch's, a few numbers instead
 * of eight typed-array views (a view is ~90 bytes of heap, so a million documents held ~1 GB of
 * them). Each array is a new view made when asked for: take it once, outside a loop.
 */
export class PackedAnalysis implements DocumentAnalysis {
  constructor(
    /** The batch's arrays (read by {@link takeAnchors}). */
    readonly batch: PackedBatch,
    /** Index of the document in its batch. */
    private readonly documentAt: number,
    readonly chars: number,
    readonly normalizedLength: number,
    readonly identity: number,
    private readonly count: number,
    private readonly long: number,
    readonly anchorCount: number,
    private readonly paragraphAt: number,
    /** Index of the paragraph ranges in the batch's words; the signature rows follow them. */
    private readonly wordAt: number,
    /** Index of the paragraph signatures in the batch's, or their byte offset in the spill. */
    private readonly signaturesAt: number,
    private readonly anchorsAt: number,
  ) {}

  get hashes(): null {
    return null;
  }

  get signature(): Uint32Array {
    const { documentSignatures, numPerm } = this.batch;
    if (!documentSignatures) throw new Error('the signature of a packed analysis was asked for after it was released');
    return documentSignatures.subarray(this.documentAt * numPerm, (this.documentAt + 1) * numPerm);
  }

  get paragraphStart(): Uint32Array {
    return this.paragraphColumn(0);
  }

  get paragraphEnd(): Uint32Array {
    return this.paragraphColumn(1);
  }

  get normalizedStart(): Uint32Array {
    return this.paragraphColumn(2);
  }

  get normalizedEnd(): Uint32Array {
    return this.paragraphColumn(3);
  }

  get signatureRow(): Int32Array {
    const at = this.wordAt + 4 * this.count;
    return this.batch.rows.subarray(at, at + this.count);
  }

  get anchors(): Uint32Array {
    const { anchors } = this.batch;
    if (!anchors) throw new Error('the anchors of a packed analysis were asked for after they were taken');
    return anchors.subarray(this.anchorsAt, this.anchorsAt + this.anchorCount);
  }


  get fingerprints(): BigUint64Array {
    return this.batch.fingerprints.subarray(this.paragraphAt, this.paragraphAt + this.count);
  }

  get paragraphSignatures(): Uint32Array {
    const { spill, signatures, numPerm } = this.batch;
    const words = this.long * numPerm;
    if (spill && words > 0) return spill.reader.read(this.signaturesAt, words * 4, spill.blockEnd);
    return signatures.length === 0 ? NO_SIGNATURES : signatures.subarray(this.signaturesAt, this.signaturesAt + words);
  }

  /** The offset of the paragraph signatures in the run's spill, or −1 when they are in memory (or there are none). */
  get spilledAt(): number {
    return this.batch.spill && this.long > 0 ? this.signaturesAt : -1;
  }

  private paragraphColumn(column: number): Uint32Array {
    const at = this.wordAt + column * this.count;
    return this.batch.words.subarray(at, at + this.count);
  }
}

/** Every document's anchors, in parts of consecutive documents' (document order), and each one's count. */
export interface AnchorParts {
  parts: Uint32Array[];
  counts: Uint32Array;
}

/**
 * The anchors of `analyses`, taken from them: a packed batch's are handed over whole (no copy; a
 * million documents' anchors are more than half a gigabyte), and asking a packed analysis for its
 * anchors afterwards is an error. Other analyses keep theirs: the parts are copies.
 */
export function takeAnchors(analyses: readonly DocumentAnalysis[]): AnchorParts {
  const parts: Uint32Array[] = [];
  const counts = new Uint32Array(analyses.length);
  let batch: PackedBatch | null = null;
  analyses.forEach((analysis, d) => {
    if (analysis instanceof PackedAnalysis) {
      counts[d] = analysis.anchorCount;
      if (analysis.batch === batch) return;
      batch = analysis.batch;
      if (!batch.anchors) throw new Error('the anchors of a packed batch were taken twice');
      parts.push(batch.anchors);
      batch.anchors = null;
    } else {
      const anchors = analysis.anchors;
      counts[d] = anchors.length;
      parts.push(anchors.slice());
      batch = null;
    }
  });
  return { parts, counts };
}

/** Words of a full {@link SignatureBlocks} block (64 MiB: the allocator maps a block that large on its own). */
const BLOCK_WORDS = 1 << 24;

/**
 * The document signatures of a run's batches, moved into large blocks as the batches arrive, so
 * that {@link releaseSignatures} gives their memory back to the system: the allocator keeps a
 * batch's own small buffer, once freed, for its later allocations.
 */
export class SignatureBlocks {
  private block = new Uint32Array(0);
  private used = 0;

  /** Move the document signatures of one unpacked batch's analyses into the blocks. */
  adopt(analyses: readonly PackedAnalysis[]): void {
    const own = analyses[0]?.batch.documentSignatures;
    if (!own || own.length === 0) return;
    if (this.used + own.length > this.block.length) {
      // Doubling up to full blocks: a small run takes no more than it holds.
      this.block = new Uint32Array(Math.max(own.length, Math.min(BLOCK_WORDS, 2 * this.block.length)));
      this.used = 0;
    }
    const rows = this.block.subarray(this.used, this.used + own.length);
    rows.set(own);
    this.used += own.length;
    analyses[0]!.batch.documentSignatures = rows;
  }
}

/**
 * Let go of the document signatures of packed analyses, once the document pass is done with them
 * (a million documents' are half a gigabyte); asking for them afterwards is an error. Measures that
 * tell identical documents apart use the identity instead.
 */
export function releaseSignatures(analyses: readonly DocumentAnalysis[]): void {
  for (const analysis of analyses) if (analysis instanceof PackedAnalysis) analysis.batch.documentSignatures = null;
}

/** The offset of an analysis's paragraph signatures in the run's spill, or −1 when they are in memory. */
export function signaturesSpilledAt(analysis: DocumentAnalysis): number {
  return analysis instanceof PackedAnalysis ? analysis.spilledAt : -1;
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
  for (const part of [analyses.documentSignatures, analyses.signatures, analyses.anchors]) if (part.byteLength > 0) list.push(part);
  return list;
}
