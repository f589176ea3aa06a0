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
    if (length < k) {
      let h = 0;
      for (let i = start; i < end; i++) h = (Math.imul(h, BASE) + table[units[i]!]!) | 0;
      // Mixing in the length keeps a short text distinct from the k-gram it is a prefix of.
      out[outOffset] = mix(h ^ Math.imul(length, 0x9e3779b1));
      return 1;
    }
    return rollInto(units, start, end, table, basePower, k, BASE, 0, out, outOffset);
  };

  const sampleInto = (units: Uint16Array, start: number, end: number, limit: number, out: Uint32Array): number =>
    end - start < k ? 0 : rollInto(units, start, end, table, basePower, k, BASE, limit, out, 0);

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

/**
 * The rolling hash of `units[start..start + count)`: the state before a window's last unit.
 * Internal (with {@link rollStep}, the one definition of the roll that minhash.ts fuses too).
 */
export function rollPrefix(units: Uint16Array, start: number, count: number, table: Int32Array, base: number): number {
  let h = 0;
  for (let i = start; i < start + count; i++) h = (Math.imul(h, base) + table[units[i]!]!) | 0;
  return h;
}

/** One roll: the hash `h` with the table word `leaving` (0 for none yet) out and `entering` in. Internal. */
export function rollStep(h: number, leaving: number, entering: number, power: number, base: number): number {
  return (Math.imul((h - Math.imul(leaving, power)) | 0, base) + entering) | 0;
}

/**
 * The rolling loop of {@link ShingleHasher.hashInto} and {@link ShingleHasher.sampleInto} (k ≤
 * `end − start`): the hash of every k-gram of `units[start..end)` into `out` from `outOffset`, or
 * with a nonzero `limit` only those below it (a limit of 0 keeps all); returns how many were written. Module-level, with
 * parameters as int32 locals, for the reason given at minhash.ts's addShinglesOph (a closure
 * re-read its captured table and powers on every unit). Every hash is stored and the count moves
 * only for a kept one: a branch taken for one window in sixteen at random was mispredicted.
 */
function rollInto(
  units: Uint16Array,
  start: number,
  end: number,
  table: Int32Array,
  basePower: number,
  k: number,
  base: number,
  limit: number,
  out: Uint32Array,
  outOffset: number,
): number {
  const power = basePower | 0;
  const multiplier = base | 0;
  const stop = end | 0;
  const below = limit >>> 0;
  const keepAll = limit === 0 ? 1 : 0;
  let h = rollPrefix(units, start, k - 1, table, multiplier);
  let o = outOffset | 0;
  let leaving = 0;
  for (let s = start | 0, i = (start + k - 1) | 0; i < stop; s++, i++) {
    h = rollStep(h, leaving, table[units[i]!]!, power, multiplier);
    leaving = table[units[s]!]!;
    const hash = mix(h);
    out[o] = hash;
    o += keepAll | +(hash < below);
  }
  return o - outOffset;
}
