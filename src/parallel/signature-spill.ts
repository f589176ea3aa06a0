/**
 * Paragraph signatures of a scan kept on disk: they are numPerm·4 bytes per long paragraph, four
 * fifths of an analysis (~5.3 of 6.7 KB per synthetic news article), and a run reads them only in
 * the paragraph pass — once in order for the band keys, then for the candidate pairs, grouped by
 * connected component. A batch's signatures are spilled in one piece as it arrives; each analysis
 * reads its own back when asked, through a small cache of the most recent ones.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import type { SpillFile } from './spill.js';

/** Bytes of signatures read back that are kept for the next requests, least recently used out first. */
const RECENT_BYTES = 16 * 1024 * 1024;

const NO_SIGNATURES = new Uint32Array(0);

/** Reads signature blocks back from a spill, keeping the most recent ones. */
export class SignatureReader {
  private readonly recent = new Map<number, Uint32Array>();
  private recentBytes = 0;

  constructor(private readonly spill: SpillFile) {}

  /** The `bytes` bytes of signatures spilled at `offset`. */
  read(offset: number, bytes: number): Uint32Array {
    const cached = this.recent.get(offset);
    if (cached) {
      this.recent.delete(offset);
      this.recent.set(offset, cached);
      return cached;
    }
    // A copy: the spill's read buffer is reused and need not be aligned for a Uint32Array.
    const signatures = new Uint32Array(bytes / 4);
    new Uint8Array(signatures.buffer).set(this.spill.read(offset, bytes));
    this.recent.set(offset, signatures);
    this.recentBytes += bytes;
    for (const [oldest, old] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(oldest);
      this.recentBytes -= old.byteLength;
    }
    return signatures;
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
    return this.reader.read(this.offset, this.bytes);
  }
}

/**
 * Spill the paragraph signatures of a batch's `analyses` (unpacked from a batch whose signatures
 * are `signatures`, one after another) and give analyses that read them back from `spill`.
 */
export function spillSignatures(analyses: readonly DocumentAnalysis[], signatures: ArrayBuffer, spill: SpillFile, reader: SignatureReader): DocumentAnalysis[] {
  if (signatures.byteLength === 0) return [...analyses];
  let offset = spill.append(new Uint8Array(signatures));
  return analyses.map((analysis) => {
    const bytes = analysis.paragraphSignatures.byteLength;
    // Not even an empty view of the batch's signatures, which would keep them all in memory.
    if (bytes === 0) return { ...analysis, paragraphSignatures: NO_SIGNATURES };
    const spilled = new SpilledAnalysis(analysis, reader, offset, bytes);
    offset += bytes;
    return spilled;
  });
}
