/**
 * Sort-based batch candidate grouping for `scan`: per band, radix-sort (key, item) and scan runs
 * of equal keys. Faster than a bucket index for a whole corpus at once, and deterministic.
 */
import { fmix32 } from '../sketch/hash.js';
import { bandKeysInto } from './bands.js';
import { validateLshParams, type LshParams } from './params.js';

/**
 * Buckets with more members are not expanded into pairs (they are boilerplate or artefacts); the
 * one default: `DEFAULTS.maxBucketSize` is this value.
 */
export const DEFAULT_MAX_BUCKET_SIZE = 1000;

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
  /** Buckets with more members are skipped and counted (default {@link DEFAULT_MAX_BUCKET_SIZE}). */
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
  return groupBandRange(new ItemMajorKeys(keys, count, bands), 0, bands, options);
}

/**
 * Band keys as a grouping reads them: one band of every item at a time, so that they can be kept
 * band by band anywhere (in memory, or in a file: see parallel/band-key-spill.ts). Internal.
 */
export interface BandKeys {
  readonly count: number;
  readonly bands: number;
  /** Fill `into` (`count` long) with band `band` of every item, in item order. */
  readBand(band: number, into: Uint32Array): void;
}

/** Band keys in memory, item by item: `keys[item·bands + band]` (see {@link bandKeysInto}). Internal. */
export class ItemMajorKeys implements BandKeys {
  constructor(
    readonly keys: Uint32Array,
    readonly count: number,
    readonly bands: number,
  ) {
    if (keys.length !== count * bands) throw new Error(`${keys.length} band keys for ${count} items of ${bands} bands`);
  }

  readBand(band: number, into: Uint32Array): void {
    const { keys, bands } = this;
    for (let item = 0; item < this.count; item++) into[item] = keys[item * bands + band]!;
  }
}

/**
 * {@link groupBandKeys} somewhere (on worker threads, or on this one): the same candidates. Internal.
 */
export type GroupBandKeys = (keys: BandKeys, options: BatchOptions) => Promise<BatchCandidates>;

/** {@link GroupBandKeys} on this thread. */
export const groupHere: GroupBandKeys = async (keys, options) => groupBandRange(keys, 0, keys.bands, options);

/**
 * The candidates of bands [`from`, `to`) of `keys` alone. Bands are independent, so
 * {@link mergeCandidates} of the candidates of ranges that cover every band is
 * {@link groupBandKeys}: ranges can be grouped in parallel. Internal.
 */
export function groupBandRange(keys: BandKeys, from: number, to: number, options: BatchOptions = {}): BatchCandidates {
  const { count } = keys;
  const maxBucketSize = options.maxBucketSize ?? DEFAULT_MAX_BUCKET_SIZE;
  const allPairsUpTo = options.allPairsUpTo ?? 16;
  const pairs = new PairCollector();
  let oversizedBuckets = 0;
  let oversizedMembers = 0;
  let largestOversizedBucket = 0;
  const bandKeys = new Uint32Array(count);
  const items = new Uint32Array(count);
  const scratchKeys = new Uint32Array(count);
  const scratchItems = new Uint32Array(count);
  for (let band = from; band < to; band++) {
    keys.readBand(band, bandKeys);
    for (let item = 0; item < count; item++) items[item] = item;
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

/** The candidates of all of `parts` (of disjoint band ranges): their pairs merged, sorted, without repeats. Internal. */
export function mergeCandidates(parts: readonly BatchCandidates[]): BatchCandidates {
  let pairs = parts[0]?.pairs ?? new Uint32Array(0);
  for (const part of parts.slice(1)) pairs = mergePairs(pairs, part.pairs);
  return {
    pairs,
    oversizedBuckets: parts.reduce((sum, part) => sum + part.oversizedBuckets, 0),
    oversizedMembers: parts.reduce((sum, part) => sum + part.oversizedMembers, 0),
    largestOversizedBucket: parts.reduce((largest, part) => Math.max(largest, part.largestOversizedBucket), 0),
  };
}

/** The union of two flat, sorted, repeat-free pair lists. */
function mergePairs(x: Uint32Array, y: Uint32Array): Uint32Array {
  const out = new Uint32Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < x.length || j < y.length) {
    const order = i === x.length ? 1 : j === y.length ? -1 : x[i]! - y[j]! || x[i + 1]! - y[j + 1]!;
    const from = order <= 0 ? x : y;
    const at = order <= 0 ? i : j;
    out[o++] = from[at]!;
    out[o++] = from[at + 1]!;
    if (order <= 0) i += 2;
    if (order >= 0) j += 2;
  }
  return out.slice(0, o);
}

/**
 * For each item of `keys`, the latest earlier item whose keys are all equal to its own, or −1.
 * Items are sorted by two hashes of their keys (stable, so equal ones stay in input order) and
 * compared in full within runs of equal hashes: no string or map entry per item, which at
 * millions of paragraphs cost more than the rest of the pass. Keys are read one band at a time,
 * so spilled keys are never gathered item by item.
 */
export function previousWithEqualKeys(keys: BandKeys): Int32Array {
  const { count, bands } = keys;
  const high = new Uint32Array(count).fill(0x9747b28c);
  const low = new Uint32Array(count).fill(bands);
  const band = new Uint32Array(count);
  for (let b = 0; b < bands; b++) {
    keys.readBand(b, band);
    for (let item = 0; item < count; item++) {
      high[item] = fmix32(high[item]! ^ band[item]!);
      low[item] = fmix32((low[item]! + band[item]!) | 0);
    }
  }
  return previousInRuns(keys, high, low);
}

/**
 * {@link previousWithEqualKeys} given two words per item that are equal for items with equal keys:
 * within a run of equal words, each item is first taken to equal the one before it, which one
 * read of every band confirms; runs where a hash collision mixed other keys in are compared in
 * full. Internal.
 */
export function previousInRuns(keys: BandKeys, high: Uint32Array, low: Uint32Array): Int32Array {
  const { count, bands } = keys;
  const order = orderByWords(high, low);
  const sameWords = (x: number, y: number): boolean => high[x] === high[y] && low[x] === low[y];
  const previous = new Int32Array(count).fill(-1);
  for (let i = 1; i < count; i++) if (sameWords(order[i]!, order[i - 1]!)) previous[order[i]!] = order[i - 1]!;
  const differs = new Uint8Array(count);
  const band = new Uint32Array(count);
  for (let b = 0; b < bands; b++) {
    keys.readBand(b, band);
    for (let item = 0; item < count; item++) if (previous[item]! >= 0 && band[item] !== band[previous[item]!]) differs[item] = 1;
  }
  // The runs with a collision: their items, and all their keys.
  const mixed: number[] = [];
  for (let start = 0; start < count; ) {
    let end = start + 1;
    let collision = false;
    for (; end < count && sameWords(order[end]!, order[start]!); end++) collision ||= differs[order[end]!] === 1;
    if (collision) for (let i = start; i < end; i++) mixed.push(order[i]!);
    start = end;
  }
  if (mixed.length === 0) return previous;
  const rows = new Uint32Array(mixed.length * bands);
  for (let b = 0; b < bands; b++) {
    keys.readBand(b, band);
    mixed.forEach((item, row) => (rows[row * bands + b] = band[item]!));
  }
  const sameKeys = (x: number, y: number): boolean => {
    for (let b = 0; b < bands; b++) if (rows[x * bands + b] !== rows[y * bands + b]) return false;
    return true;
  };
  // Within a mixed run (its rows in order), the latest earlier item with the same keys.
  for (let start = 0; start < mixed.length; ) {
    let end = start + 1;
    while (end < mixed.length && sameWords(mixed[end]!, mixed[start]!)) end++;
    for (let i = start; i < end; i++) {
      previous[mixed[i]!] = -1;
      for (let j = i - 1; j >= start; j--) {
        if (sameKeys(j, i)) {
          previous[mixed[i]!] = mixed[j]!;
          break;
        }
      }
    }
    start = end;
  }
  return previous;
}

/**
 * Indexes 0..n−1 ordered by (`major`, `minor`) with stable radix sorts: items whose two words are
 * equal end up adjacent, in input order.
 */
export function orderByWords(major: Uint32Array, minor: Uint32Array): Uint32Array {
  const count = major.length;
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const sortKeys = minor.slice();
  const scratchKeys = new Uint32Array(count);
  const scratchItems = new Uint32Array(count);
  radixSortPairs(sortKeys, order, scratchKeys, scratchItems);
  for (let i = 0; i < count; i++) sortKeys[i] = major[order[i]!]!;
  radixSortPairs(sortKeys, order, scratchKeys, scratchItems);
  return order;
}

/**
 * Stable LSD radix sort of `keys` (11 + 11 + 10 bits), carrying `items` along; the scratch arrays
 * are as long as `keys`. 2,048 counters stay in the L1 cache, where 65,536 (two 16-bit passes)
 * cost more to clear and scatter into than a third pass for every size a run meets.
 */
export function radixSortPairs(keys: Uint32Array, items: Uint32Array, scratchKeys: Uint32Array, scratchItems: Uint32Array): void {
  const n = keys.length;
  const counts = pairCounts;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    counts[key & 2047]!++;
    counts[2048 + ((key >>> 11) & 2047)]!++;
    counts[4096 + (key >>> 22)]!++;
  }
  for (let pass = 0; pass < 3; pass++) {
    let total = 0;
    for (let digit = pass * 2048, end = digit + 2048; digit < end; digit++) {
      const c = counts[digit]!;
      counts[digit] = total;
      total += c;
    }
  }
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const position = counts[key & 2047]!++;
    scratchKeys[position] = key;
    scratchItems[position] = items[i]!;
  }
  for (let i = 0; i < n; i++) {
    const key = scratchKeys[i]!;
    const position = counts[2048 + ((key >>> 11) & 2047)]!++;
    keys[position] = key;
    items[position] = scratchItems[i]!;
  }
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const position = counts[4096 + (key >>> 22)]!++;
    scratchKeys[position] = key;
    scratchItems[position] = items[i]!;
  }
  keys.set(scratchKeys.subarray(0, n));
  items.set(scratchItems.subarray(0, n));
}

const pairCounts = new Uint32Array(3 * 2048);

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
    // Sorted in place: copies would be two more arrays of every pair added (repeats included).
    const bs = this.seconds.subarray(0, n);
    const as = this.firsts.subarray(0, n);
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
