/**
 * Character shingling: 32-bit hashes of every k-gram of normalized text, in one pass over the
 * UTF-16 units with a rolling polynomial hash — no substring is made per shingle.
 *
 * H(i) = Σ_j T[u(i+j)]·B^(k−1−j) mod 2^32, rolled in O(1) per position, then put through the
 * MurmurHash3 finalizer. T is a seeded random table over all 65,536 code units, so the rolling
 * sum is over random words rather than raw character codes (which are small and structured).
 */
import { fmix32, splitMix32 } from './hash.js';

/** Module-local: see {@link fmix32}. */
const mix = fmix32;

/** Largest supported shingle size (the rolling base power is precomputed per size). */
export const MAX_SHINGLE_SIZE = 64;

const BASE = 0x01000193; // odd, so multiplication by it is invertible mod 2^32

/** Per-seed state of the shingle hash: the random character table. */
export interface ShingleHasher {
  readonly seed: number;
  readonly shingleSize: number;
  /** Hash every k-gram of `units[start..end)` into `out` (from `outOffset`); returns the count. */
  hashInto(units: Uint16Array, start: number, end: number, out: Uint32Array, outOffset?: number): number;
  /**
   * The hashes of the k-grams of `units[start..end)` (k ≤ length) that are below `limit`, in
   * position order, into `out`; returns their count. {@link hashInto} then a filter, without
   * storing every hash (anchors keep one in sixteen).
   */
  sampleInto(units: Uint16Array, start: number, end: number, limit: number, out: Uint32Array): number;
  /** Hashes of every k-gram of a string (at least one, see {@link shingleCount}). */
  hashText(text: string): Uint32Array;
  /** The rolling hash itself, for loops that hash and consume shingles in one pass. Internal. */
  readonly rolling: RollingHash;
}

const tables = new Map<number, Int32Array>();

function characterTable(seed: number): Int32Array {
  let table = tables.get(seed);
  if (!table) {
    const next = splitMix32(seed ^ 0x5bd1e995);
    // Signed words (same bits): they keep the rolling arithmetic in int32.
    table = new Int32Array(0x10000);
    for (let i = 0; i < table.length; i++) table[i] = next();
    tables.set(seed, table);
  }
  return table;
}

/** Number of shingles of a text of `length` units: never 0, so no text has an empty set. */
export function shingleCount(length: number, shingleSize: number): number {
  return length <= shingleSize ? 1 : length - shingleSize + 1;
}

/**
 * What the rolling hash of one seed and shingle size needs: the character table and B^(k−1).
 * Internal: the fused sketch loop in minhash.ts rolls the same hash without storing it.
 */
export interface RollingHash {
  readonly table: Int32Array;
  readonly shingleSize: number;
  /** B^(k−1) mod 2^32, the weight of the unit leaving the window. */
  readonly basePower: number;
}

/** Multiplier of the rolling hash. Internal (see {@link RollingHash}). */
export const ROLLING_BASE = BASE;

/** The rolling hash of one seed and shingle size. Internal. */
export function rollingHash(shingleSize: number, seed: number): RollingHash {
  let basePower = 1;
  for (let i = 1; i < shingleSize; i++) basePower = Math.imul(basePower, BASE);
  return { table: characterTable(seed >>> 0), shingleSize, basePower };
}

/** Build the shingle hasher for one seed and shingle size. */
export function createShingleHasher(shingleSize: number, seed: number): ShingleHasher {
  const rolling = rollingHash(shingleSize, seed);
  const { table, basePower } = rolling;
  const k = shingleSize;
  const emptyHash = mix(seed ^ 0x2c1b3c6d);

  const hashInto = (units: Uint16Array, start: number, end: number, out: Uint32Array, outOffset = 0): number => {
    const length = end - start;
    if (length <= 0) {
      out[outOffset] = emptyHash;
      return 1;
    }
    let h = 0;
    const firstEnd = start + Math.min(length, k);
    for (let i = start; i < firstEnd; i++) h = (Math.imul(h, BASE) + table[units[i]!]!) | 0;
    // Mixing in the length keeps a short text distinct from the k-gram it is a prefix of.
    out[outOffset] = length < k ? mix(h ^ Math.imul(length, 0x9e3779b1)) : mix(h);
    let o = outOffset + 1;
    for (let i = firstEnd; i < end; i++) {
      h = (Math.imul((h - Math.imul(table[units[i - k]!]!, basePower)) | 0, BASE) + table[units[i]!]!) | 0;
      out[o++] = mix(h);
    }
    return o - outOffset;
  };

  const sampleInto = (units: Uint16Array, start: number, end: number, limit: number, out: Uint32Array): number => {
    if (end - start < k) return 0;
    let h = 0;
    for (let i = start; i < start + k; i++) h = (Math.imul(h, BASE) + table[units[i]!]!) | 0;
    let kept = 0;
    let hash = mix(h);
    if (hash < limit) out[kept++] = hash;
    for (let i = start + k; i < end; i++) {
      h = (Math.imul((h - Math.imul(table[units[i - k]!]!, basePower)) | 0, BASE) + table[units[i]!]!) | 0;
      hash = mix(h);
      if (hash < limit) out[kept++] = hash;
    }
    return kept;
  };

  return {
    seed,
    shingleSize,
    rolling,
    hashInto,
    sampleInto,
    hashText(text) {
      const units = new Uint16Array(text.length);
      for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
      const out = new Uint32Array(shingleCount(units.length, k));
      hashInto(units, 0, units.length, out, 0);
      return out;
    },
  };
}
