/**
 * Paragraph signatures of a scan kept on disk: they are numPerm·4 bytes per long paragraph, four
 * fifths of an analysis (~5.3 of 6.7 KB per synthetic news article), and a run reads them only in
 * the paragraph pass — once in order for the band keys, then for the candidate pairs, grouped by
 * connected component. The task that made a batch spills its signatures in one piece; each analysis
 * reads its own back when asked, through a small cache of the most recent ones.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { longParagraphs } from '../analyze/paragraph-keys.js';
import type { SpillFile } from './spill.js';

/** Bytes of signatures read back that are kept for the next requests, least recently used out first. */
const RECENT_BYTES = 16 * 1024 * 1024;
/** Bytes read at once when the requests run in order (the band keys of the paragraph pass). */
const READ_AHEAD = 1 << 20;

/** Reads signature blocks back from a spill, keeping the most recent ones. */
export class SignatureReader {
  private readonly recent = new Map<number, Uint32Array>();
  private recentBytes = 0;
  private ahead = new Uint8Array(0);
  private aheadAt = 0;
  private aheadLength = 0;
  private lastEnd = -1;

  constructor(private readonly spill: SpillFile) {}

  /** The `bytes` bytes of signatures spilled at `offset`, in a block (a batch's) that ends at `blockEnd`. */
  read(offset: number, bytes: number, blockEnd: number): Uint32Array {
    const cached = this.recent.get(offset);
    if (cached) {
      this.recent.delete(offset);
      this.recent.set(offset, cached);
      return cached;
    }
    // A copy: the bytes read need not be aligned for a Uint32Array, and their buffer is reused.
    const signatures = new Uint32Array(bytes / 4);
    new Uint8Array(signatures.buffer).set(this.bytesAt(offset, bytes, blockEnd));
    this.lastEnd = offset + bytes;
    this.recent.set(offset, signatures);
    this.recentBytes += bytes;
    for (const [oldest, old] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(oldest);
      this.recentBytes -= old.byteLength;
    }
    return signatures;
  }

  /**
   * The bytes at `offset`: one read each, but a request that follows the last one reads ahead,
   * within its block (the whole block is written: its batch has been taken).
   */
  private bytesAt(offset: number, bytes: number, blockEnd: number): Uint8Array {
    const start = offset - this.aheadAt;
    if (start >= 0 && start + bytes <= this.aheadLength) return this.ahead.subarray(start, start + bytes);
    if (offset !== this.lastEnd || bytes >= READ_AHEAD) return this.spill.read(offset, bytes);
    if (this.ahead.length === 0) this.ahead = new Uint8Array(READ_AHEAD);
    this.aheadAt = offset;
    this.aheadLength = Math.min(READ_AHEAD, blockEnd - offset);
    this.spill.readInto(this.ahead.subarray(0, this.aheadLength), offset);
    return this.ahead.subarray(0, bytes);
  }
}

/** An analysis whose paragraph signatures are on disk, read back (through a {@link SignatureReader}) when asked for. */
class SpilledAnalysis implements DocumentAnalysis {
  readonly chars: number;
  readonly normalizedLength: number;
  readonly signature: Uint32Array;
  readonly hashes = null;
  readonly paragraphStart: Uint32Array;
  readonly paragraphEnd: Uint32Array;
  readonly normalizedStart: Uint32Array;
  readonly normalizedEnd: Uint32Array;
  readonly fingerprints: BigUint64Array;
  readonly signatureRow: Int32Array;
  readonly anchors: Uint32Array;

  constructor(
    analysis: DocumentAnalysis,
    private readonly reader: SignatureReader,
    private readonly offset: number,
    private readonly bytes: number,
    private readonly blockEnd: number,
  ) {
    this.chars = analysis.chars;
    this.normalizedLength = analysis.normalizedLength;
    this.signature = analysis.signature;
    this.paragraphStart = analysis.paragraphStart;
    this.paragraphEnd = analysis.paragraphEnd;
    this.normalizedStart = analysis.normalizedStart;
    this.normalizedEnd = analysis.normalizedEnd;
    this.fingerprints = analysis.fingerprints;
    this.signatureRow = analysis.signatureRow;
    this.anchors = analysis.anchors;
  }

  get paragraphSignatures(): Uint32Array {
    return this.reader.read(this.offset, this.bytes, this.blockEnd);
  }

  /** Where the signatures are in the spill. */
  get spilledAt(): number {
    return this.offset;
  }
}

/** The offset of an analysis's paragraph signatures in the run's spill, or −1 when they are in memory. */
export function signaturesSpilledAt(analysis: DocumentAnalysis): number {
  return analysis instanceof SpilledAnalysis ? analysis.spilledAt : -1;
}

/**
 * The analyses of a batch whose paragraph signatures a task spilled at `offset`, one analysis
 * after another: each reads its own back (through `reader`) when asked.
 */
export function spilledSignatures(analyses: readonly DocumentAnalysis[], offset: number, numPerm: number, reader: SignatureReader): DocumentAnalysis[] {
  const bytes = analyses.map((analysis) => longParagraphs(analysis.signatureRow) * numPerm * 4);
  const blockEnd = bytes.reduce((end, size) => end + size, offset);
  return analyses.map((analysis, d) => {
    if (bytes[d] === 0) return analysis;
    const spilled = new SpilledAnalysis(analysis, reader, offset, bytes[d]!, blockEnd);
    offset += bytes[d]!;
    return spilled;
  });
}
