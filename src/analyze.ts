/**
 * Per-document analysis, the heavy stage of a run: segment, normalize, hash every character once,
 * and derive the document signature and each paragraph's signature or fingerprint from that one
 * pass. The normalized document is its normalized paragraphs joined by single spaces, so the
 * shingles of a paragraph are a contiguous slice of the document's shingle hashes.
 */
import type { Fingerprinter } from './hash.js';
import { createSketcher, type Sketcher } from './minhash.js';
import { createNormalizer, type Normalizer } from './normalize.js';
import type { ResolvedOptions } from './options.js';
import { segmentParagraphs } from './segment.js';
import { createShingleHasher, shingleCount, type ShingleHasher } from './shingle.js';

/** Everything later stages need to know about one document; plain typed arrays. */
export interface DocumentAnalysis {
  /** Length of the original text in UTF-16 units. */
  chars: number;
  normalizedLength: number;
  /** Document signature (numPerm values). */
  signature: Uint32Array;
  /** Shingle hashes of the normalized document by position (kept for exact verification). */
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
}

/** Analyzer for one option set; reuses its buffers across documents (not re-entrant). */
export interface Analyzer {
  analyze(text: string): DocumentAnalysis;
}

/** Build an analyzer. `fingerprinter` comes from {@link loadFingerprinter}. */
export function createAnalyzer(options: ResolvedOptions, fingerprinter: Fingerprinter): Analyzer {
  const normalizer: Normalizer = createNormalizer(options.normalize);
  const hasher: ShingleHasher = createShingleHasher(options.shingleSize, options.seed);
  const sketcher: Sketcher = createSketcher({
    numPerm: options.numPerm,
    seed: options.seed,
    shingleSize: options.shingleSize,
    variant: options.variant,
  });
  const { numPerm, shingleSize, minParagraphChars } = options;
  const keepHashes = options.verify === 'exact';
  const wantParagraphs = options.unit !== 'document';
  let documentUnits = new Uint16Array(1 << 14);
  let hashes = new Uint32Array(1 << 14);

  return {
    analyze(text) {
      const paragraphs = segmentParagraphs(text);
      const count = paragraphs.length;
      const paragraphStart = new Uint32Array(count);
      const paragraphEnd = new Uint32Array(count);
      const normalizedStart = new Uint32Array(count);
      const normalizedEnd = new Uint32Array(count);
      if (documentUnits.length < text.length + count + 1) documentUnits = new Uint16Array((text.length + count) * 2 + 16);
      let length = 0;
      for (let p = 0; p < count; p++) {
        const paragraph = paragraphs[p]!;
        paragraphStart[p] = paragraph.start;
        paragraphEnd[p] = paragraph.end;
        const normalized = normalizer.normalizeToUnits(text.slice(paragraph.start, paragraph.end));
        if (normalized.length > 0 && length > 0) documentUnits[length++] = 32;
        if (length + normalized.length > documentUnits.length) {
          const grown = new Uint16Array((length + normalized.length) * 2);
          grown.set(documentUnits.subarray(0, length));
          documentUnits = grown;
        }
        normalizedStart[p] = length;
        documentUnits.set(normalized.units.subarray(0, normalized.length), length);
        length += normalized.length;
        normalizedEnd[p] = length;
      }

      const hashCount = shingleCount(length, shingleSize);
      if (hashes.length < hashCount) hashes = new Uint32Array(hashCount * 2);
      hasher.hashInto(documentUnits, 0, length, hashes, 0);
      const signature = new Uint32Array(numPerm);
      sketcher.sketchInto(hashes, 0, hashCount, signature, 0);

      const fingerprints = new BigUint64Array(count);
      const signatureRow = new Int32Array(count).fill(-1);
      let longCount = 0;
      if (wantParagraphs) {
        for (let p = 0; p < count; p++) {
          const size = normalizedEnd[p]! - normalizedStart[p]!;
          if (size >= minParagraphChars && size >= shingleSize) signatureRow[p] = longCount++;
        }
      }
      const paragraphSignatures = new Uint32Array(longCount * numPerm);
      if (wantParagraphs) {
        for (let p = 0; p < count; p++) {
          const start = normalizedStart[p]!;
          const end = normalizedEnd[p]!;
          const row = signatureRow[p]!;
          if (row >= 0) {
            // Shingles starting in [start, end − k] lie wholly inside the paragraph.
            sketcher.sketchInto(hashes, start, end - shingleSize + 1, paragraphSignatures, row * numPerm);
          } else if (end > start) {
            fingerprints[p] = fingerprinter.fingerprintUnits(documentUnits, start, end);
          }
        }
      }
      return {
        chars: text.length,
        normalizedLength: length,
        signature,
        hashes: keepHashes ? hashes.slice(0, hashCount) : null,
        paragraphStart,
        paragraphEnd,
        normalizedStart,
        normalizedEnd,
        fingerprints,
        signatureRow,
        paragraphSignatures,
      };
    },
  };
}
