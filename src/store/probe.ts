/**
 * What the index needs of one record: its document signature and band keys, and for each long
 * paragraph its normalized length, band keys and a one-byte-per-slot signature (b-bit MinHash);
 * and a longer verification sketch of the document that duplicate decisions are made from.
 */
import { createAnalyzer, type Analyzer } from '../analyze/analyze.js';
import { toShingleSet } from '../analyze/similarity.js';
import { SyndicError } from '../errors.js';
import type { Fingerprinter } from '../sketch/hash.js';
import { bandKeysInto } from '../lsh/lsh.js';
import { fmix32 } from '../sketch/hash.js';
import type { ResolvedOptions } from '../options.js';

/** A record reduced to what is stored and compared. Plain typed arrays. */
export interface Probe {
  id: string;
  /** Document signature, numPerm values. */
  signature: Uint32Array;
  /** Document band keys, `bands` values. */
  bandKeys: Uint32Array;
  /** Long paragraphs (the ones with a MinHash signature): normalized lengths. */
  paragraphLengths: Uint32Array;
  /** Paragraph band keys, `bands` per paragraph. */
  paragraphBandKeys: Uint32Array;
  /** Low byte of each paragraph signature value, numPerm per paragraph. */
  paragraphBytes: Uint8Array;
  /** Nothing left after normalization: every empty text has the same signature, so it is compared with nothing. */
  empty: boolean;
  /** Document verification sketch, {@link VERIFICATION_BYTES} bytes (see {@link verificationEstimate}). */
  verification: Uint8Array;
}

/**
 * Verification sketch layout: VERIFICATION_SKETCHES one-permutation MinHash sketches of
 * VERIFICATION_BINS bins (independent seeds), the low VERIFICATION_BITS bits of each value, two
 * values per byte. 2,048 samples in 1 KB: at J = 0.8 the estimate's σ is ≈ 0.009, against 0.035
 * for the 128-value signature (measured trade-off: bench/filter-accuracy.ts). Several sketches of
 * few bins rather than one of many: with bins close to the number of shingles, densification
 * copies values and the samples stop being independent.
 */
const VERIFICATION_SKETCHES = 4;
const VERIFICATION_BINS = 512;
const VERIFICATION_BITS = 4;
/** Bytes of the verification sketch itself. */
const SKETCH_BYTES = (VERIFICATION_SKETCHES * VERIFICATION_BINS * VERIFICATION_BITS) / 8;
/**
 * Bytes of a record's verification data: the sketch, then the number of distinct shingles of the
 * document (u32, little-endian), which turns a Jaccard estimate into containments.
 */
export const VERIFICATION_BYTES = SKETCH_BYTES + 4;
const VERIFICATION_SAMPLES = VERIFICATION_SKETCHES * VERIFICATION_BINS;

/** Number of equal 4-bit halves in a byte of XORed sketches. */
const EQUAL_NIBBLES = Uint8Array.from({ length: 256 }, (_, x) => Number((x & 0x0f) === 0) + Number(x >>> 4 === 0));

/** Distinct shingles of the document whose verification data this is. */
export function verifiedShingles(verification: Uint8Array): number {
  const at = SKETCH_BYTES;
  return (verification[at]! | (verification[at + 1]! << 8) | (verification[at + 2]! << 16) | (verification[at + 3]! << 24)) >>> 0;
}

/**
 * Jaccard estimate from two verification sketches (b-bit MinHash, b = 4): two different values
 * collide with probability 1/16, so the matching fraction m estimates J + (1 − J)/16; solve for J.
 */
export function verificationEstimate(a: Uint8Array, b: Uint8Array): number {
  let equal = 0;
  for (let i = 0; i < SKETCH_BYTES; i++) equal += EQUAL_NIBBLES[a[i]! ^ b[i]!]!;
  const collision = 1 / (1 << VERIFICATION_BITS);
  const estimate = (equal / VERIFICATION_SAMPLES - collision) / (1 - collision);
  return estimate > 0 ? estimate : 0;
}

const BIN_SHIFT = 32 - Math.log2(VERIFICATION_BINS);
/** The bits of a mixed value below the bin number. */
const LOW_MASK = (1 << BIN_SHIFT) - 1;
/** An empty bin (greater than any LOW_MASK value). */
const EMPTY = 0x7fffffff;

/**
 * The verification sketch in one pass over the shingle hashes: for each of the
 * VERIFICATION_SKETCHES seeds, a seeded two-multiply mix of the (already well mixed) shingle hash
 * picks the bin by its top bits and competes for the bin's minimum; empty bins are filled by
 * optimal densification. Internal (exported for tests).
 */
export class VerificationSketcher {
  private readonly seeds: Int32Array;
  private readonly probeSeed: number;
  private readonly mins = new Int32Array(VERIFICATION_SAMPLES);

  constructor(seed: number) {
    this.seeds = Int32Array.from({ length: VERIFICATION_SKETCHES }, (_, s) => fmix32((seed + Math.imul(0x9e3779b1, s + 1)) >>> 0));
    this.probeSeed = fmix32(seed ^ 0x5bd1e995);
  }

  /** The verification data of a document of `distinctShingles` distinct shingles, from its shingle hashes. */
  sketch(hashes: Uint32Array, distinctShingles: number): Uint8Array {
    const out = new Uint8Array(VERIFICATION_BYTES);
    out[SKETCH_BYTES] = distinctShingles & 0xff;
    out[SKETCH_BYTES + 1] = (distinctShingles >>> 8) & 0xff;
    out[SKETCH_BYTES + 2] = (distinctShingles >>> 16) & 0xff;
    out[SKETCH_BYTES + 3] = distinctShingles >>> 24;
    if (hashes.length === 0) return out;
    const mins = this.mins;
    mins.fill(EMPTY);
    // Values in one bin share their top bits (the bin number), so the bin's minimum is the minimum
    // of the low bits: non-negative int32 values whose difference cannot overflow, so the minimum
    // is taken without a branch (m + (d & d >> 31)), which a near-random update would mispredict.
    // The four sketches side by side: each hash is loaded once (VERIFICATION_SKETCHES is 4).
    const s0 = this.seeds[0]!;
    const s1 = this.seeds[1]!;
    const s2 = this.seeds[2]!;
    const s3 = this.seeds[3]!;
    const b1 = VERIFICATION_BINS;
    const b2 = 2 * VERIFICATION_BINS;
    const b3 = 3 * VERIFICATION_BINS;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]! | 0;
      let x = Math.imul(h ^ s0, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35);
      let bin = x >>> BIN_SHIFT;
      let d = (x & LOW_MASK) - mins[bin]!;
      mins[bin]! += d & (d >> 31);
      x = Math.imul(h ^ s1, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35);
      bin = b1 + (x >>> BIN_SHIFT);
      d = (x & LOW_MASK) - mins[bin]!;
      mins[bin]! += d & (d >> 31);
      x = Math.imul(h ^ s2, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35);
      bin = b2 + (x >>> BIN_SHIFT);
      d = (x & LOW_MASK) - mins[bin]!;
      mins[bin]! += d & (d >> 31);
      x = Math.imul(h ^ s3, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35);
      bin = b3 + (x >>> BIN_SHIFT);
      d = (x & LOW_MASK) - mins[bin]!;
      mins[bin]! += d & (d >> 31);
    }
    // Two bins per byte (VERIFICATION_BINS is even: a byte never straddles two sketches).
    for (let byte = 0; byte < SKETCH_BYTES; byte++) {
      let even = mins[2 * byte]!;
      let odd = mins[2 * byte + 1]!;
      if (even === EMPTY) even = this.densified(2 * byte);
      if (odd === EMPTY) odd = this.densified(2 * byte + 1);
      out[byte] = (even & 0x0f) | ((odd & 0x0f) << 4);
    }
    return out;
  }

  /**
   * The value of an empty bin (sketch-wide index `at`): that of a bin picked by hashing (bin,
   * attempt), the same pick in every document, so equal sets still give equal sketches (bounded:
   * a near-empty sketch of a tiny text keeps the sentinel, equally in every copy).
   */
  private densified(at: number): number {
    const offset = at - (at % VERIFICATION_BINS);
    let value = EMPTY;
    for (let attempt = 1; value === EMPTY && attempt <= 64; attempt++) {
      const source = fmix32(this.probeSeed ^ Math.imul(at + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> BIN_SHIFT;
      value = this.mins[offset + source]!;
    }
    return value;
  }
}

/** Turns records into probes for one option set (reuses the analyzer's buffers). */
export class Prober {
  private readonly analyzer: Analyzer;
  private readonly verifier: VerificationSketcher;

  constructor(private readonly options: ResolvedOptions, fingerprinter: Fingerprinter) {
    this.analyzer = createAnalyzer(options, fingerprinter, { keepHashes: true });
    this.verifier = new VerificationSketcher(options.seed);
  }

  /** The probe of one record. */
  probe(id: string, text: string): Probe {
    // Ids are stored as UTF-8 (index file, Redis keys), where a lone surrogate turns into U+FFFD.
    if (/\p{Cs}/u.test(id)) throw new SyndicError(`id ${JSON.stringify(id)} is not valid Unicode (a lone surrogate) and cannot be stored`, 'input');
    const { numPerm, bands, rows } = this.options;
    const analysis = this.analyzer.analyze(text);
    const bandKeys = new Uint32Array(bands);
    bandKeysInto(analysis.signature, 0, { bands, rows }, bandKeys);
    const long = analysis.paragraphSignatures.length / numPerm;
    const paragraphLengths = new Uint32Array(long);
    for (let p = 0; p < analysis.signatureRow.length; p++) {
      const row = analysis.signatureRow[p]!;
      if (row >= 0) paragraphLengths[row] = analysis.normalizedEnd[p]! - analysis.normalizedStart[p]!;
    }
    const paragraphBandKeys = new Uint32Array(long * bands);
    const paragraphBytes = new Uint8Array(long * numPerm);
    for (let row = 0; row < long; row++) {
      bandKeysInto(analysis.paragraphSignatures, row * numPerm, { bands, rows }, paragraphBandKeys, row * bands);
    }
    for (let i = 0; i < paragraphBytes.length; i++) paragraphBytes[i] = analysis.paragraphSignatures[i]! & 0xff;
    const verification = this.verifier.sketch(analysis.hashes!, toShingleSet(analysis.hashes!).length);
    return { id, signature: analysis.signature, bandKeys, paragraphLengths, paragraphBandKeys, paragraphBytes, empty: analysis.normalizedLength === 0, verification };
  }
}
