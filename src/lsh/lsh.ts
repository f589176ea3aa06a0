/**
 * Locality-sensitive hashing over MinHash signatures: banding parameters from the threshold, band
 * keys, an incremental index (add / query / remove) and a sort-based batch candidate grouping.
 */
import { SyndicError } from '../errors.js';
import { fmix32 } from '../sketch/hash.js';

/** Bands × rows layout of a signature for LSH. */
export interface LshParams {
  bands: number;
  rows: number;
}

/** How {@link lshParams} trades false positives against false negatives. */
export interface LshTuning {
  /** Minimum candidate probability at the threshold (default 0.95). */
  recall?: number;
  /** Weight of the false-positive area ∫₀ᵗ P(s) ds in the objective (default 0.5). */
  falsePositiveWeight?: number;
  /** Weight of the false-negative area ∫ₜ¹ 1−P(s) ds in the objective (default 0.5). */
  falseNegativeWeight?: number;
}

/** Probability that a pair of Jaccard `similarity` shares at least one band: 1 − (1 − sʳ)ᵇ. */
export function candidateProbability(similarity: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(similarity, rows), bands);
}

function integrate(f: (s: number) => number, from: number, to: number, steps = 200): number {
  if (to <= from) return 0;
  const width = (to - from) / steps;
  let sum = (f(from) + f(to)) / 2;
  for (let i = 1; i < steps; i++) sum += f(from + i * width);
  return sum * width;
}

const paramsCache = new Map<string, LshParams>();

/**
 * Choose bands and rows (bands·rows ≤ numPerm) for a Jaccard threshold: among the layouts whose
 * candidate probability at the threshold is at least `recall`, the one with the smallest weighted
 * error area; if none reaches `recall`, the one that comes closest. Pure and cached.
 */
export function lshParams(threshold: number, numPerm: number, tuning: LshTuning = {}): LshParams {
  if (!(threshold > 0 && threshold < 1)) {
    throw new SyndicError(`threshold must be in (0, 1), got ${threshold}`);
  }
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new SyndicError(`numPerm must be a positive integer, got ${numPerm}`);
  const recall = tuning.recall ?? 0.95;
  const fpWeight = tuning.falsePositiveWeight ?? 0.5;
  const fnWeight = tuning.falseNegativeWeight ?? 0.5;
  const key = `${threshold}/${numPerm}/${recall}/${fpWeight}/${fnWeight}`;
  const cached = paramsCache.get(key);
  if (cached) return { ...cached };

  let best: LshParams = { bands: numPerm, rows: 1 };
  let bestMeets = false;
  let bestScore = Infinity;
  let bestRecall = -1;
  for (let rows = 1; rows <= numPerm; rows++) {
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      const atThreshold = candidateProbability(threshold, bands, rows);
      const meets = atThreshold >= recall;
      if (bestMeets && !meets) continue;
      if (!meets) {
        if (atThreshold > bestRecall) (bestRecall = atThreshold), (best = { bands, rows });
        continue;
      }
      const falsePositive = integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
      const falseNegative = integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
      const score = fpWeight * falsePositive + fnWeight * falseNegative;
      if (!bestMeets || score < bestScore) {
        best = { bands, rows };
        bestScore = score;
        bestMeets = true;
      }
    }
  }
  paramsCache.set(key, best);
  return { ...best };
}

/** Check an explicit layout against the signature length. */
export function validateLshParams(params: LshParams, numPerm: number): void {
  const { bands, rows } = params;
  if (!Number.isInteger(bands) || !Number.isInteger(rows) || bands < 1 || rows < 1 || bands * rows > numPerm) {
    throw new SyndicError(`bands × rows must be positive integers with bands·rows ≤ numPerm (${numPerm}), got bands=${bands} rows=${rows}`);
  }
}

/** Write the `bands` band keys of one signature row into `out`. Keys of different bands differ. */
export function bandKeysInto(
  signatures: Uint32Array,
  offset: number,
  params: LshParams,
  out: Uint32Array,
  outOffset = 0,
): void {
  const { bands, rows } = params;
  for (let band = 0; band < bands; band++) {
    let h = Math.imul(band + 1, 0x9e3779b1);
    const base = offset + band * rows;
    for (let r = 0; r < rows; r++) {
      h = Math.imul(h ^ signatures[base + r]!, 0x01000193);
      h = (h << 13) | (h >>> 19);
    }
    out[outOffset + band] = fmix32(h ^ rows);
  }
}

/** Candidate pairs from batch grouping, and what was left out. */
export interface BatchCandidates {
  /** Flat pairs [a0, b0, a1, b1, ...] with a < b, sorted, without repeats. */
  pairs: Uint32Array;
  /** Buckets larger than `maxBucketSize`, which were not expanded into pairs. */
  oversizedBuckets: number;
  /** Members of those buckets, summed. */
  oversizedMembers: number;
  /** Members of the largest of them (0 when none). */
  largestOversizedBucket: number;
}

/** Options of {@link batchCandidates}. */
export interface BatchOptions {
  /** Buckets with more members are skipped and counted (default 1000). */
  maxBucketSize?: number;
  /** Buckets up to this size emit every pair; larger ones emit chain edges (default 16). */
  allPairsUpTo?: number;
}

/**
 * Sort-based batch grouping: per band, radix-sort (key, item) and scan runs of equal keys.
 * Small runs emit all their pairs, larger runs chain edges between neighbours (items in a run
 * are in input order, so the output is deterministic).
 * `signatures` holds `count` rows of `numPerm` values each.
 */
export function batchCandidates(
  signatures: Uint32Array,
  count: number,
  numPerm: number,
  params: LshParams,
  options: BatchOptions = {},
): BatchCandidates {
  validateLshParams(params, numPerm);
  const keys = new Uint32Array(count * params.bands);
  for (let item = 0; item < count; item++) bandKeysInto(signatures, item * numPerm, params, keys, item * params.bands);
  return groupBandKeys(keys, count, params.bands, options);
}

/**
 * {@link batchCandidates} from band keys already computed (`keys[item·bands + band]`, see
 * {@link bandKeysInto}), so callers whose signatures are spread over many arrays need not copy
 * them into one. Internal.
 */
export function groupBandKeys(keys: Uint32Array, count: number, bands: number, options: BatchOptions = {}): BatchCandidates {
  const maxBucketSize = options.maxBucketSize ?? 1000;
  const allPairsUpTo = options.allPairsUpTo ?? 16;
  const pairs = new PairCollector();
  let oversizedBuckets = 0;
  let oversizedMembers = 0;
  let largestOversizedBucket = 0;
  const bandKeys = new Uint32Array(count);
  const items = new Uint32Array(count);
  const scratchKeys = new Uint32Array(count);
  const scratchItems = new Uint32Array(count);
  for (let band = 0; band < bands; band++) {
    for (let item = 0; item < count; item++) {
      bandKeys[item] = keys[item * bands + band]!;
      items[item] = item;
    }
    radixSortPairs(bandKeys, items, scratchKeys, scratchItems);
    let runStart = 0;
    for (let i = 1; i <= count; i++) {
      if (i < count && bandKeys[i] === bandKeys[runStart]) continue;
      const runLength = i - runStart;
      if (runLength > maxBucketSize) {
        oversizedBuckets++;
        oversizedMembers += runLength;
        largestOversizedBucket = Math.max(largestOversizedBucket, runLength);
      } else if (runLength > 1 && runLength <= allPairsUpTo) {
        for (let x = runStart; x < i; x++) for (let y = x + 1; y < i; y++) pairs.add(items[x]!, items[y]!);
      } else if (runLength > 1) {
        for (let x = runStart + 1; x < i; x++) pairs.add(items[x - 1]!, items[x]!);
      }
      runStart = i;
    }
  }
  return { pairs: pairs.finish(), oversizedBuckets, oversizedMembers, largestOversizedBucket };
}

/** Stable LSD radix sort of `keys` (16 bits per pass), carrying `items` along. */
export function radixSortPairs(keys: Uint32Array, items: Uint32Array, scratchKeys: Uint32Array, scratchItems: Uint32Array): void {
  const n = keys.length;
  const counts = new Uint32Array(0x10000);
  let fromKeys = keys;
  let fromItems = items;
  let toKeys = scratchKeys;
  let toItems = scratchItems;
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(fromKeys[i]! >>> shift) & 0xffff]!++;
    let total = 0;
    for (let d = 0; d < 0x10000; d++) {
      const c = counts[d]!;
      counts[d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const key = fromKeys[i]!;
      const position = counts[(key >>> shift) & 0xffff]!++;
      toKeys[position] = key;
      toItems[position] = fromItems[i]!;
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromItems, toItems] = [toItems, fromItems];
  }
  // Two passes: the sorted data is back in the caller's arrays.
}

/**
 * Collects (a, b) pairs with a < b in growable arrays; sorts and dedups at the end by two stable
 * radix sorts (by b, then by a): the native sort of a·count + b codes as doubles took ~1 s for the
 * ~3M raw paragraph pairs of 100k documents. Internal.
 */
export class PairCollector {
  private firsts = new Uint32Array(1024);
  private seconds = new Uint32Array(1024);
  private length = 0;

  add(x: number, y: number): void {
    if (this.length === this.firsts.length) {
      const firsts = new Uint32Array(this.length * 2);
      const seconds = new Uint32Array(this.length * 2);
      firsts.set(this.firsts);
      seconds.set(this.seconds);
      this.firsts = firsts;
      this.seconds = seconds;
    }
    this.firsts[this.length] = x < y ? x : y;
    this.seconds[this.length++] = x < y ? y : x;
  }

  /** The distinct pairs, flat [a0, b0, a1, b1, ...], sorted. */
  finish(): Uint32Array {
    return this.finishCounted().pairs;
  }

  /** The distinct pairs, sorted, and how many times each was added. */
  finishCounted(): { pairs: Uint32Array; counts: Uint32Array } {
    const n = this.length;
    const bs = this.seconds.slice(0, n);
    const as = this.firsts.slice(0, n);
    const scratchKeys = new Uint32Array(n);
    const scratchItems = new Uint32Array(n);
    radixSortPairs(bs, as, scratchKeys, scratchItems);
    radixSortPairs(as, bs, scratchKeys, scratchItems);
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || as[i] !== as[i - 1] || bs[i] !== bs[i - 1]) unique++;
    const pairs = new Uint32Array(unique * 2);
    const counts = new Uint32Array(unique);
    for (let i = 0, o = -1; i < n; i++) {
      if (i === 0 || as[i] !== as[i - 1] || bs[i] !== bs[i - 1]) {
        o++;
        pairs[2 * o] = as[i]!;
        pairs[2 * o + 1] = bs[i]!;
      }
      counts[o]!++;
    }
    return { pairs, counts };
  }
}

/**
 * Incremental LSH index over numeric item ids: add, query and remove signatures one at a time.
 * A query returns candidates; the caller verifies them.
 */
export class LshIndex {
  private readonly buckets: Array<Map<number, number[]>>;
  private readonly keysOf = new Map<number, Uint32Array>();
  private readonly scratch: Uint32Array;

  constructor(
    readonly numPerm: number,
    readonly params: LshParams,
  ) {
    validateLshParams(params, numPerm);
    this.buckets = Array.from({ length: params.bands }, () => new Map<number, number[]>());
    this.scratch = new Uint32Array(params.bands);
  }

  /** Number of items indexed. */
  get size(): number {
    return this.keysOf.size;
  }

  /** Index `item` under the bands of `signature` (numPerm values at `offset`). */
  add(item: number, signature: Uint32Array, offset = 0): void {
    if (this.keysOf.has(item)) throw new SyndicError(`item ${item} is already in the LSH index`);
    const keys = new Uint32Array(this.params.bands);
    bandKeysInto(signature, offset, this.params, keys);
    this.keysOf.set(item, keys);
    for (let band = 0; band < keys.length; band++) {
      const bucket = this.buckets[band]!;
      const members = bucket.get(keys[band]!);
      if (members) members.push(item);
      else bucket.set(keys[band]!, [item]);
    }
  }

  /** Items sharing at least one band with `signature`, ascending, without repeats. */
  query(signature: Uint32Array, offset = 0, maxBucketSize = Infinity): number[] {
    bandKeysInto(signature, offset, this.params, this.scratch);
    const found = new Set<number>();
    for (let band = 0; band < this.scratch.length; band++) {
      const members = this.buckets[band]!.get(this.scratch[band]!);
      if (!members || members.length > maxBucketSize) continue;
      for (const member of members) found.add(member);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** Remove `item`; returns false when it was not indexed. */
  remove(item: number): boolean {
    const keys = this.keysOf.get(item);
    if (!keys) return false;
    this.keysOf.delete(item);
    for (let band = 0; band < keys.length; band++) {
      const bucket = this.buckets[band]!;
      const members = bucket.get(keys[band]!);
      if (!members) continue;
      const at = members.indexOf(item);
      if (at >= 0) members.splice(at, 1);
      if (members.length === 0) bucket.delete(keys[band]!);
    }
    return true;
  }
}
