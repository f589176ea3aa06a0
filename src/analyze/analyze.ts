/**
 * Per-document analysis, the heavy stage of a run: segment, normalize, hash every character once,
 * and derive the document signature and each paragraph's signature or fingerprint from that one
 * pass. The normalized document is its normalized paragraphs joined by single spaces, so the
 * shingles of a paragraph are a contiguous slice of the document's shingle hashes.
 */
import { fmix32, type Fingerprinter } from '../sketch/hash.js';
import { createSketchKernel, type SketchKernel } from '../sketch/minhash.js';
import { createUnitAppender, type UnitAppender } from '../text/normalize.js';
import type { ResolvedOptions } from '../options.js';
import { segmentUnits } from '../text/segment.js';
import { createShingleHasher, shingleCount, type ShingleHasher } from '../sketch/shingle.js';
import { AnchorSampler } from './anchors.js';

/** Everything later stages need to know about one document; plain typed arrays. */
export interface DocumentAnalysis {
  /** Length of the original text in UTF-16 units. */
  chars: number;
  normalizedLength: number;
  /** Document signature (numPerm values). */
  signature: Uint32Array;
  /**
   * A 52-bit hash of the signature and the normalized length ({@link documentIdentity}): equal for
   * documents of the same normalized text, so that they can be told apart without the signature.
   */
  identity: number;
  /** Shingle hashes of the normalized document by position, when kept (see {@link AnalyzerOptions.keepHashes}). */
  hashes: Uint32Array | null;
  /** Original [start, end) of each paragraph. */
  paragraphStart: Uint32Array;
  paragraphEnd: Uint32Array;
  /** Normalized [start, end) of each paragraph inside the normalized document. */
  normalizedStart: Uint32Array;
  normalizedEnd: Uint32Array;
  /** Per paragraph: 64-bit fingerprint when shorter than minParagraphChars (0 when empty or long). */
  fingerprints: BigUint64Array;
  /** Per paragraph: row of its signature in `paragraphSignatures`, or −1 when matched exactly or empty. */
  signatureRow: Int32Array;
  /** Signatures of the long paragraphs, numPerm values each. */
  paragraphSignatures: Uint32Array;
  /** Sorted distinct anchors of the normalized document (see anchors.ts); empty when only documents are compared. */
  anchors: Uint32Array;
}

/** Analyzer for one option set; reuses its buffers across documents (not re-entrant). */
export interface Analyzer {
  analyze(text: string): DocumentAnalysis;
  /** The analysis of the text whose UTF-16 units are `units[0..length)`: the same as {@link analyze} of that string. */
  analyzeUnits(units: Uint16Array, length: number): DocumentAnalysis;
}

/** Options of {@link createAnalyzer}. */
export interface AnalyzerOptions {
  /**
   * Keep each document's shingle hashes in {@link DocumentAnalysis.hashes} (default: when
   * `verify` is `exact`). They cost 4 bytes per character; `detectFromAnalyses` does not need
   * them, it recomputes the shingle sets of candidate documents from the text.
   */
  keepHashes?: boolean;
}

/** Build an analyzer. `fingerprinter` comes from {@link loadFingerprinter}. */
export function createAnalyzer(options: ResolvedOptions, fingerprinter: Fingerprinter, analyzerOptions: AnalyzerOptions = {}): Analyzer {
  const builder = new DocumentBuilder(options);
  const kernel: SketchKernel = createSketchKernel({
    numPerm: options.numPerm,
    seed: options.seed,
    shingleSize: options.shingleSize,
    variant: options.variant,
  });
  const { numPerm, shingleSize, minParagraphChars } = options;
  const keepHashes = analyzerOptions.keepHashes ?? options.verify === 'exact';
  const wantParagraphs = options.unit !== 'document';
  const anchorSampler = wantParagraphs ? new AnchorSampler(options.seed) : null;
  const noAnchors = new Uint32Array(0);
  const documentMins = new Int32Array(numPerm);
  const documentFilled = new Uint8Array(numPerm);
  const paragraphMins = new Int32Array(numPerm);
  const paragraphFilled = new Uint8Array(numPerm);

  const analyzeUnits = (input: Uint16Array, chars: number): DocumentAnalysis => {
    const { starts: paragraphStart, ends: paragraphEnd } = segmentUnits(input, chars);
    const count = paragraphStart.length;
    // The fixed-size arrays of the analysis share one buffer (fingerprints first, for alignment):
    // an allocation outside the heap per array was a tenth of the analysis of a paragraph.
    const block = new ArrayBuffer(count * 8 + (3 * count + numPerm) * 4);
    const fingerprints = new BigUint64Array(block, 0, count);
    const normalizedStart = new Uint32Array(block, count * 8, count);
    const normalizedEnd = new Uint32Array(block, count * 12, count);
    const signatureRow = new Int32Array(block, count * 16, count).fill(-1);
    const signature = new Uint32Array(block, count * 20, numPerm);
    const length = builder.buildUnits(input, paragraphStart, paragraphEnd, normalizedStart, normalizedEnd);
    const units = builder.units;
    // Without kept hashes, shingles are hashed and sketched in one loop (kernel.addShingles);
    // a text shorter than k has its one special shingle, so it takes the array path.
    const fused = !keepHashes && length >= shingleSize;
    const hashCount = fused ? length - shingleSize + 1 : builder.hash(length);
    const hashes = builder.hashes;
    const addRange = (from: number, to: number, mins: Int32Array, filled: Uint8Array): void => {
      if (fused) kernel.addShingles(units, from, to, builder.hasher, mins, filled);
      else kernel.add(hashes, from, to, mins, filled);
    };

    let longCount = 0;
    if (wantParagraphs) {
      for (let p = 0; p < count; p++) {
        const size = normalizedEnd[p]! - normalizedStart[p]!;
        if (size >= minParagraphChars && size >= shingleSize) signatureRow[p] = longCount++;
      }
    }
    const paragraphSignatures = new Uint32Array(longCount * numPerm);
    // One pass over the hashes: each long paragraph's range is sketched once, its state merged
    // into the document's, and the hashes between them (short paragraphs, shingles across a
    // paragraph break) are added to the document directly. Same values as sketching twice.
    kernel.clear(documentMins, documentFilled);
    let position = 0;
    for (let p = 0; p < count; p++) {
      const start = normalizedStart[p]!;
      const end = normalizedEnd[p]!;
      const row = signatureRow[p]!;
      if (row >= 0) {
        // Shingles starting in [start, end − k] lie wholly inside the paragraph.
        const last = end - shingleSize + 1;
        addRange(position, start, documentMins, documentFilled);
        kernel.clear(paragraphMins, paragraphFilled);
        addRange(start, last, paragraphMins, paragraphFilled);
        kernel.merge(paragraphMins, paragraphFilled, documentMins, documentFilled);
        kernel.finish(paragraphMins, paragraphFilled, paragraphSignatures, row * numPerm);
        position = last;
      } else if (wantParagraphs && end > start) {
        fingerprints[p] = fingerprinter.fingerprintUnits(units, start, end);
      }
    }
    addRange(position, hashCount, documentMins, documentFilled);
    kernel.finish(documentMins, documentFilled, signature, 0);

    return {
      chars,
      normalizedLength: length,
      signature,
      identity: documentIdentity(signature, length),
      hashes: keepHashes ? hashes.slice(0, hashCount) : null,
      paragraphStart,
      paragraphEnd,
      normalizedStart,
      normalizedEnd,
      fingerprints,
      signatureRow,
      paragraphSignatures,
      anchors: anchorSampler ? anchorSampler.anchors(units, length) : noAnchors,
    };
  };
  return { analyze: (text) => analyzeUnits(builder.read(text), text.length), analyzeUnits };
}

/** The {@link DocumentAnalysis.identity} of a document of this signature and normalized length. */
export function documentIdentity(signature: Uint32Array, normalizedLength: number): number {
  let high = normalizedLength;
  let low = fmix32(high ^ 0x5bd1e995);
  for (const value of signature) {
    high = fmix32(high ^ value);
    low = fmix32((low + value) | 0);
  }
  return high * 0x100000 + (low & 0xfffff);
}

/** Normalized document buffer and its shingle hashes, reused across documents. Internal. */
export class DocumentBuilder {
  private readonly appender: UnitAppender;
  readonly hasher: ShingleHasher;
  hashes = new Uint32Array(1 << 14);

  constructor(private readonly options: ResolvedOptions) {
    this.appender = createUnitAppender(options.normalize);
    this.hasher = createShingleHasher(options.shingleSize, options.seed);
  }

  get units(): Uint16Array {
    return this.appender.units;
  }

  /**
   * Normalize each paragraph range of `text` straight into the document buffer (no slice per
   * paragraph), joined by single spaces; fill the normalized ranges; return the length.
   */
  build(text: string, paragraphStart: Uint32Array, paragraphEnd: Uint32Array, normalizedStart: Uint32Array, normalizedEnd: Uint32Array): number {
    return this.buildUnits(this.read(text), paragraphStart, paragraphEnd, normalizedStart, normalizedEnd);
  }

  /** The UTF-16 units of `text`, in a buffer the next {@link read} or {@link build} reuses. */
  read(text: string): Uint16Array {
    return this.appender.load(text);
  }

  /** {@link build} from a text's UTF-16 units. */
  buildUnits(input: Uint16Array, paragraphStart: Uint32Array, paragraphEnd: Uint32Array, normalizedStart: Uint32Array, normalizedEnd: Uint32Array): number {
    const appender = this.appender;
    appender.loadUnits(input);
    let length = 0;
    for (let p = 0; p < paragraphStart.length; p++) {
      const at = length > 0 ? length + 1 : 0;
      const end = appender.append(paragraphStart[p]!, paragraphEnd[p]!, at);
      if (end > at) {
        if (at > 0) appender.units[length] = 32;
        normalizedStart[p] = at;
        length = end;
      } else {
        normalizedStart[p] = length;
      }
      normalizedEnd[p] = length;
    }
    return length;
  }

  /** Hash the shingles of `units[0..length)` into {@link hashes}; returns their count. */
  hash(length: number): number {
    const hashCount = shingleCount(length, this.options.shingleSize);
    if (this.hashes.length < hashCount) this.hashes = new Uint32Array(hashCount * 2);
    this.hasher.hashInto(this.appender.units, 0, length, this.hashes, 0);
    return hashCount;
  }
}
