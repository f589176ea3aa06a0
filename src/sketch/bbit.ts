/**
 * b-bit MinHash: sketches that keep only the low b bits of each MinHash value, and the one
 * estimator that reads them. The persistent index stores two of them per record:
 *
 * - the **verification sketch** of the document (b = 4), from which duplicate decisions are made,
 *   stored with the document's distinct-shingle count as its verification data
 *   ({@link VERIFICATION_BYTES} bytes): {@link VerificationSketcher};
 * - the low byte (b = 8) of each paragraph signature value: {@link lowBytes}.
 *
 * Two different values agree in their low b bits with probability 2^−b, so the share m of equal
 * slots estimates J + (1 − J)·2^−b; {@link bbitEstimate} solves for J.
 */
import { fmix32 } from './hash.js';
import { densificationSource } from './minhash.js';

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

/** Per XORed byte, the number of its b-bit slots that are equal (zero), for b = 4 and b = 8. */
const EQUAL_SLOTS: Readonly<Record<4 | 8, Uint8Array>> = {
  4: Uint8Array.from({ length: 256 }, (_, x) => Number((x & 0x0f) === 0) + Number(x >>> 4 === 0)),
  8: Uint8Array.from({ length: 256 }, (_, x) => Number(x === 0)),
};

/**
 * Jaccard estimate from two b-bit sketches `a[aOffset..+bytes)` and `b[bOffset..+bytes)` with
 * `bits` bits per slot (4: two slots per byte; 8: one), clamped at 0.
 */
export function bbitEstimate(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, bytes: number, bits: 4 | 8): number {
  const equalSlots = EQUAL_SLOTS[bits];
  let equal = 0;
  for (let i = 0; i < bytes; i++) equal += equalSlots[a[aOffset + i]! ^ b[bOffset + i]!]!;
  const collision = 1 / (1 << bits);
  const estimate = (equal / ((bytes * 8) / bits) - collision) / (1 - collision);
  return estimate > 0 ? estimate : 0;
}

/** Jaccard estimate from two records' verification data: {@link bbitEstimate} over their sketches. */
export function verificationEstimate(a: Uint8Array, b: Uint8Array): number {
  return bbitEstimate(a, 0, b, 0, SKETCH_BYTES, VERIFICATION_BITS);
}

/** Distinct shingles of the document whose verification data this is. */
export function verifiedShingles(verification: Uint8Array): number {
  const at = SKETCH_BYTES;
  return (verification[at]! | (verification[at + 1]! << 8) | (verification[at + 2]! << 16) | (verification[at + 3]! << 24)) >>> 0;
}

/** The 8-bit sketch of signature values: the low byte of each. */
export function lowBytes(values: Uint32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! & 0xff;
  return out;
}

const BIN_SHIFT = 32 - Math.log2(VERIFICATION_BINS);
/** The bits of a mixed value below the bin number. */
const LOW_MASK = (1 << BIN_SHIFT) - 1;
/** An empty bin (greater than any LOW_MASK value). */
const EMPTY = 0x7fffffff;
/**
 * Densification attempts per empty bin. Bounded, unlike the signature's: a tiny text fills few
 * of the 512 bins and keeps the sentinel in the rest, equally in every copy of it. Stored index
 * files depend on this bound.
 */
const MAX_ATTEMPTS = 64;

/**
 * The verification sketch in one pass over the shingle hashes: for each of the
 * VERIFICATION_SKETCHES seeds, a seeded two-multiply mix of the (already well mixed) shingle hash
 * picks the bin by its top bits and competes for the bin's minimum; empty bins are filled by the optimal densification of the signature
 * ({@link densificationSource}), bounded by MAX_ATTEMPTS.
 */
export class VerificationSketcher {
  private readonly seeds: Int32Array;
  private readonly densifySeed: number;
  private readonly mins = new Int32Array(VERIFICATION_SAMPLES);

  constructor(seed: number) {
    this.seeds = Int32Array.from({ length: VERIFICATION_SKETCHES }, (_, s) => fmix32((seed + Math.imul(0x9e3779b1, s + 1)) >>> 0));
    this.densifySeed = fmix32(seed ^ 0x5bd1e995);
  }

  /**
   * The verification data ({@link VERIFICATION_BYTES} bytes) of a document of `distinctShingles`
   * distinct shingles, from its shingle hashes (the sketch all zero when there are none).
   */
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
   * The value of an empty bin (sketch-wide index `at`): that of a bin of its sketch picked by
   * hashing (`at`, attempt), the same pick in every document, so equal sets give equal sketches.
   */
  private densified(at: number): number {
    const offset = at - (at % VERIFICATION_BINS);
    let value = EMPTY;
    for (let attempt = 1; value === EMPTY && attempt <= MAX_ATTEMPTS; attempt++) {
      value = this.mins[offset + densificationSource(this.densifySeed, at, attempt, VERIFICATION_BINS)]!;
    }
    return value;
  }
}
