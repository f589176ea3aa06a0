/**
 * Paragraph signatures of a scan kept on disk: they are numPerm·4 bytes per long paragraph, four
 * fifths of an analysis (~5.3 of 6.7 KB per synthetic news article), and a run reads them only in
 * the paragraph pass — once in order for the band keys, then for the candidate pairs, grouped by
 * connected component. The task that made a batch spills its signatures in one piece; each analysis
 * reads its own back when asked (codec.ts: PackedAnalysis), through a small cache of the most recent ones.
 */
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
