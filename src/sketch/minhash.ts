/**
 * MinHash signatures of shingle-hash sets, in two variants behind one interface:
 *
 * - `classic`: numPerm independent permutations x ↦ a·x + b mod 2^32 (a odd, so each is a
 *   bijection; `Math.imul` keeps the product exact in 32 bits), applied to every shingle.
 *   O(n·numPerm): the reference.
 * - `oph` (default): one-permutation hashing with optimal densification (Shrivastava, ICML 2017).
 *   One hash per shingle picks a bin (its top bits) and competes for that bin's minimum; empty
 *   bins borrow the value of a non-empty bin chosen by a sequence of hashed picks that depends
 *   only on the bin and the attempt ({@link densificationSource}), so two sets borrow
 *   consistently. O(n + numPerm).
 *
 * Signatures carry their parameters; comparing signatures of different parameters throws.
 */
import { SyndicError } from '../errors.js';
import { fmix32, splitMix32 } from './hash.js';

/** Module-local: see {@link fmix32}. */
const mix = fmix32;
const roll = rollStep;
const rollPrefix = rollPrefixOf;
import { ROLLING_BASE, rollPrefix as rollPrefixOf, rollStep, type ShingleHasher } from './shingle.js';

/** Sketch variant: classic k-permutation MinHash, or one-permutation hashing + densification. */
export type SketchVariant = 'classic' | 'oph';

/** Everything that must agree for two signatures to be comparable. */
export interface SketchParams {
  numPerm: number;
  seed: number;
  shingleSize: number;
  variant: SketchVariant;
}

/** A MinHash signature: `numPerm` 32-bit values and the parameters that made them. */
export interface Signature {
  readonly params: SketchParams;
  readonly values: Uint32Array;
}

/** Computes signatures for one parameter set; coefficient tables are built once. */
export interface Sketcher {
  readonly params: SketchParams;
  /** Sketch `hashes[start..end)` (a non-empty bag of shingle hashes) into `out[outOffset..+numPerm)`. */
  sketchInto(hashes: Uint32Array, start: number, end: number, out: Uint32Array, outOffset?: number): void;
  /** Sketch a whole hash array into a new signature. */
  sketch(hashes: Uint32Array): Signature;
}

/** True when two parameter sets produce comparable signatures. */
export function sameSketchParams(a: SketchParams, b: SketchParams): boolean {
  return a.numPerm === b.numPerm && a.seed === b.seed && a.shingleSize === b.shingleSize && a.variant === b.variant;
}

/** Throw a clear error unless the two parameter sets match. */
export function assertSameSketchParams(a: SketchParams, b: SketchParams): void {
  if (!sameSketchParams(a, b)) {
    throw new SyndicError(
      `cannot compare signatures with different parameters: ${describeSketchParams(a)} vs ${describeSketchParams(b)}`,
      'params',
    );
  }
}

/** One-line description of sketch parameters, for messages. */
export function describeSketchParams(p: SketchParams): string {
  return `numPerm=${p.numPerm} seed=${p.seed} shingleSize=${p.shingleSize} variant=${p.variant}`;
}

/** Fraction of equal slots: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(a: Signature, b: Signature): number {
  assertSameSketchParams(a.params, b.params);
  return matchingFraction(a.values, 0, b.values, 0, a.params.numPerm);
}

/** Fraction of equal values between two signature rows (no parameter check: hot path). */
export function matchingFraction(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number, numPerm: number): number {
  let equal = 0;
  for (let i = 0; i < numPerm; i++) if (a[aOffset + i] === b[bOffset + i]) equal++;
  return equal / numPerm;
}

/** Build a sketcher for the given parameters. */
export function createSketcher(params: SketchParams): Sketcher {
  const frozen = Object.freeze({ ...params });
  const kernel = createSketchKernel(frozen);
  const mins = new Int32Array(frozen.numPerm);
  const filled = new Uint8Array(frozen.numPerm);
  const sketchInto: SketchInto = (hashes, start, end, out, outOffset = 0) => {
    kernel.clear(mins, filled);
    kernel.add(hashes, start, end, mins, filled);
    kernel.finish(mins, filled, out, outOffset);
  };
  return {
    params: frozen,
    sketchInto,
    sketch(hashes) {
      const values = new Uint32Array(frozen.numPerm);
      sketchInto(hashes, 0, hashes.length, values, 0);
      return { params: frozen, values };
    },
  };
}

type SketchInto = Sketcher['sketchInto'];

/**
 * The sketch split into mergeable steps, so that one pass over a document's shingle hashes can
 * give the signatures of its paragraphs and of the whole (the minimum over a union is the minimum
 * of the minimums). Internal. State: `mins` holds minimums as signed values biased by 2^31
 * (`x ^ 0x80000000`), which keeps every compare and store in int32 — unsigned values ≥ 2^31 are
 * doubles to V8 — and `filled` marks OPH bins that received a hash.
 */
export interface SketchKernel {
  readonly numPerm: number;
  /** Reset the state to the empty set. */
  clear(mins: Int32Array, filled: Uint8Array): void;
  /** Add `hashes[start..end)` to the state. */
  add(hashes: Uint32Array, start: number, end: number, mins: Int32Array, filled: Uint8Array): void;
  /**
   * Add the shingles that start at `units[from..to)` — k units each, so units up to `to + k − 1`
   * are read — hashed exactly as `hasher.hashInto` hashes them: the same state as hashing them
   * into an array and calling {@link add}, without the array.
   */
  addShingles(units: Uint16Array, from: number, to: number, hasher: ShingleHasher, mins: Int32Array, filled: Uint8Array): void;
  /** State of A ∪ B from the states of A (`from`) and B (`into`), written into `into`. */
  merge(fromMins: Int32Array, fromFilled: Uint8Array, mins: Int32Array, filled: Uint8Array): void;
  /** Write the signature of the state into `out[outOffset..+numPerm)`. */
  finish(mins: Int32Array, filled: Uint8Array, out: Uint32Array, outOffset: number): void;
}

/** Build the kernel of one parameter set. Internal. */
export function createSketchKernel(params: SketchParams): SketchKernel {
  return params.variant === 'classic' ? classicKernel(params) : ophKernel(params);
}

const BIAS = 0x80000000 | 0;

function clear(mins: Int32Array, filled: Uint8Array): void {
  mins.fill(0x7fffffff); // 0xffffffff biased
  filled.fill(0);
}

function merge(fromMins: Int32Array, fromFilled: Uint8Array, mins: Int32Array, filled: Uint8Array): void {
  for (let i = 0; i < mins.length; i++) {
    if (fromMins[i]! < mins[i]!) mins[i] = fromMins[i]!;
    filled[i]! |= fromFilled[i]!;
  }
}

/** `addShingles` through a scratch array of hashes, for kernels without a fused loop. */
function addShinglesVia(add: SketchKernel['add']): SketchKernel['addShingles'] {
  let scratch = new Uint32Array(1024);
  return (units, from, to, hasher, mins, filled) => {
    if (to <= from) return;
    if (scratch.length < to - from) scratch = new Uint32Array((to - from) * 2);
    const count = hasher.hashInto(units, from, to + hasher.shingleSize - 1, scratch, 0);
    add(scratch, 0, count, mins, filled);
  };
}

function classicKernel(params: SketchParams): SketchKernel {
  const { numPerm } = params;
  const next = splitMix32(params.seed ^ 0x1b873593);
  const multipliers = new Int32Array(numPerm);
  const offsets = new Int32Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    multipliers[i] = next() | 1;
    // Biasing the offset biases a·x + b: (a·x + b) ^ 2^31 = a·x + (b ^ 2^31) mod 2^32.
    offsets[i] = next() ^ BIAS;
  }
  const mask = mix(params.seed ^ 0x68e31da4);
  const add: SketchKernel['add'] = (hashes, start, end, mins) => {
    for (let s = start; s < end; s++) {
      // Re-mix with the seed so one shingle-hash array can be sketched under different seeds.
      const x = mix(hashes[s]! ^ mask) | 0;
      for (let i = 0; i < numPerm; i++) {
        const v = (Math.imul(multipliers[i]!, x) + offsets[i]!) | 0;
        if (v < mins[i]!) mins[i] = v;
      }
    }
  };
  return {
    numPerm,
    clear,
    merge,
    add,
    addShingles: addShinglesVia(add),
    finish(mins, _filled, out, outOffset) {
      for (let i = 0; i < numPerm; i++) out[outOffset + i] = mins[i]! ^ BIAS;
    },
  };
}

const TWO_TO_MINUS_32 = 1 / 4294967296;
/** Densification attempts per bin kept in a table (later attempts are hashed as needed). */
const TABLED_ATTEMPTS = 16;
/** Tabled attempts tested together (a divisor of {@link TABLED_ATTEMPTS}). */
const ATTEMPT_GROUP = 8;

/**
 * Optimal densification's pick: the bin (of `bins`) that attempt `attempt` (from 1) of empty bin
 * `bin` borrows from, under `seed`. Shared by the signature and the verification sketch (bbit.ts).
 * Internal.
 */
export function densificationSource(seed: number, bin: number, attempt: number, bins: number): number {
  const pick = mix(seed ^ Math.imul(bin + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77));
  // Top bits: pick·bins < 2^44, exact in a double (a shift by 32 − log2(bins) for a power of two).
  return (pick * bins * TWO_TO_MINUS_32) | 0;
}

function ophKernel(params: SketchParams): SketchKernel {
  const { numPerm } = params;
  const mask = mix(params.seed ^ 0x68e31da4);
  const densifySeed = mix(params.seed ^ 0x3c6ef372);
  const log2 = Math.log2(numPerm);
  // A power-of-two bin count takes the top bits with a shift (same bin as the multiply below).
  const shift = Number.isInteger(log2) && numPerm > 1 ? 32 - log2 : -1;
  const add: SketchKernel['add'] = (hashes, start, end, mins, filled) => {
    if (shift > 0) {
      for (let s = start; s < end; s++) {
        const h = mix(hashes[s]! ^ mask);
        const bin = h >>> shift;
        lowerMin(mins, bin, (h ^ BIAS) | 0);
        filled[bin] = 1;
      }
    } else {
      for (let s = start; s < end; s++) {
        const h = mix(hashes[s]! ^ mask);
        // Bin from the top bits: h·numPerm < 2^44, exact in a double.
        const bin = (h * numPerm * TWO_TO_MINUS_32) | 0;
        const biased = h ^ BIAS;
        if (biased <= mins[bin]!) (mins[bin] = biased), (filled[bin] = 1);
      }
    }
  };
  const addShinglesUnfused = addShinglesVia(add);
  const sourceOf = (bin: number, attempt: number): number => densificationSource(densifySeed, bin, attempt, numPerm);
  const tabledSources = (): Uint32Array => {
    const table = new Uint32Array(numPerm * TABLED_ATTEMPTS);
    for (let bin = 0; bin < numPerm; bin++) {
      for (let attempt = 1; attempt <= TABLED_ATTEMPTS; attempt++) table[bin * TABLED_ATTEMPTS + attempt - 1] = sourceOf(bin, attempt);
    }
    return table;
  };
  let sourceTable: Uint32Array | null = null;
  const emptyBins = new Int32Array(numPerm);
  const addShingles: SketchKernel['addShingles'] = (units, from, to, hasher, mins, filled) => {
    if (shift <= 0) return addShinglesUnfused(units, from, to, hasher, mins, filled);
    const { table, basePower, shingleSize } = hasher.rolling;
    addShinglesOph(units, from, to, table, basePower | 0, shingleSize, ROLLING_BASE, mask, shift, mins, filled);
  };
  return {
    numPerm,
    clear,
    merge,
    add,
    addShingles,
    finish(mins, filled, out, outOffset) {
      const empty = finishFilled(mins, filled, out, outOffset, emptyBins);
      if (empty === 0 || empty === numPerm) return;
      densify(mins, filled, out, outOffset, emptyBins, empty, sourceTable ?? (sourceTable = tabledSources()), densifySeed, numPerm);
    },
  };
}

/**
 * `mins[bin] = min(mins[bin], biased)` by masks, not a branch (nor a ternary or Math.min, which
 * V8 compiled to one): whether a shingle lowers its bin's minimum is a coin flip early in every
 * text, and the mispredictions cost a third of the sketch loop.
 */
function lowerMin(mins: Int32Array, bin: number, biased: number): void {
  const current = mins[bin]!;
  mins[bin] = current ^ ((current ^ biased) & -(biased < current));
}

/**
 * Write the minimums of a state into `out` and list its empty bins in `emptyBins`; returns their
 * count. Branch-free: the list grows by one slot per empty bin.
 */
function finishFilled(mins: Int32Array, filled: Uint8Array, out: Uint32Array, outOffset: number, emptyBins: Int32Array): number {
  let empty = 0;
  for (let bin = 0; bin < mins.length; bin++) {
    out[outOffset + bin] = mins[bin]! ^ 0x80000000; // BIAS
    emptyBins[empty] = bin;
    empty += 1 - filled[bin]!;
  }
  return empty;
}

/**
 * Optimal densification of the `empty` bins listed in `emptyBins`: each takes the value of the
 * first bin of its pick sequence that is filled. The first {@link TABLED_ATTEMPTS} picks of every
 * bin come from `sources` (paragraphs are short, so many of their bins are empty and hashing each
 * pick was most of the cost of finishing them), tested {@link ATTEMPT_GROUP} at a time from a bit
 * per pick: one unpredictable branch per group rather than per pick (a short paragraph fills a
 * quarter of its bins, so a bin took four mispredicted tries on average).
 */
function densify(
  mins: Int32Array,
  filled: Uint8Array,
  out: Uint32Array,
  outOffset: number,
  emptyBins: Int32Array,
  empty: number,
  sources: Uint32Array,
  seed: number,
  numPerm: number,
): void {
  for (let e = 0; e < empty; e++) {
    const bin = emptyBins[e]!;
    let source = -1;
    for (let at = bin * TABLED_ATTEMPTS, stop = at + TABLED_ATTEMPTS; at < stop; at += ATTEMPT_GROUP) {
      const hits =
        filled[sources[at]!]! | (filled[sources[at + 1]!]! << 1) | (filled[sources[at + 2]!]! << 2) | (filled[sources[at + 3]!]! << 3) |
        (filled[sources[at + 4]!]! << 4) | (filled[sources[at + 5]!]! << 5) | (filled[sources[at + 6]!]! << 6) | (filled[sources[at + 7]!]! << 7);
      if (hits !== 0) {
        source = sources[at + 31 - Math.clz32(hits & -hits)]!;
        break;
      }
    }
    for (let attempt = TABLED_ATTEMPTS + 1; source < 0; attempt++) {
      const candidate = densificationSource(seed, bin, attempt, numPerm);
      if (filled[candidate] === 1) source = candidate;
    }
    out[outOffset + bin] = mins[source]! ^ 0x80000000; // BIAS
  }
}

/**
 * The hot loop of a run: roll the shingle hash, finalize it, re-mix it with the sketch's seed and
 * bin it, per unit, with no array of hashes in between (the values of hashInto followed by add).
 * It reads only parameters and literals, as int32 locals: V8's listing showed captured and
 * imported values re-read from their context, with a check, on every iteration. fmix32 is called
 * through the module-local `mix`, which V8 inlines as fast as a hand-inlined copy.
 */
function addShinglesOph(
  units: Uint16Array,
  from: number,
  to: number,
  table: Int32Array,
  basePower: number,
  k: number,
  base: number,
  mask: number,
  shift: number,
  mins: Int32Array,
  filled: Uint8Array,
): void {
  // `| 0`: int32 locals rather than tagged parameters re-checked on every iteration.
  const power = basePower | 0;
  const multiplier = base | 0;
  const seedMask = mask | 0;
  const binShift = shift | 0;
  const end = to | 0;
  // Before shingle s, `h` is the hash of units[s − 1 .. s + k − 1) and `leaving` the table
  // word of units[s − 1]; the first shingle starts from k − 1 units and nothing leaving.
  let h = rollPrefix(units, from, k - 1, table, multiplier);
  let leaving = 0;
  for (let s = from | 0, i = (from + k - 1) | 0; s < end; s++, i++) {
    h = roll(h, leaving, table[units[i]!]!, power, multiplier);
    leaving = table[units[s]!]!;
    // The shingle's hash (fmix32, as hashInto), then fmix32 again with the sketch's seed, as in add.
    const x = mix(mix(h) ^ seedMask);
    const bin = x >>> binShift;
    const biased = (x ^ 0x80000000) | 0; // BIAS
    lowerMin(mins, bin, biased);
    filled[bin] = 1;
  }
}
