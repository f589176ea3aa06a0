/**
 * Verification machinery shared by the passes: a bounded cache of exact shingle sets, the order
 * that lets each set be built once, and the bounds under which a signature estimate decides alone.
 */
import { distinctCount, exactSimilarity, SimilarityCounter, toShingleSet, type Similarity, type SizedSimilarity } from '../analyze/similarity.js';
import { UnionFind } from './cluster.js';

/** Bytes of shingle sets {@link SetCache} keeps before it starts over (sets are rebuilt on demand). */
const SET_CACHE_BYTES = 256 * 1024 * 1024;

/** The shingle hashes of the items a {@link SetCache} measures. */
export interface ShingleSource {
  /** Item `item`'s shingle hashes, repeats and all (a view that the next call may overwrite). */
  hashes(item: number): Uint32Array;
  /** At least the number of item `item`'s hashes. */
  bound(item: number): number;
}

/**
 * Exact similarities of items from lazily built sorted shingle sets. Each set is dropped after
 * its last use among the candidate pairs (`uses` counts them), and the whole cache is dropped if
 * it outgrows {@link SET_CACHE_BYTES}, so memory stays bounded whatever the corpus size; a set
 * needed again later is rebuilt from the text. An item on its last use with no set built is
 * measured from its hashes, without a set (see {@link similarity}). With `carried`, the sets of
 * items below `carriedBelow` go there after their last use, and are taken from there before
 * being built again.
 */
export class SetCache {
  private readonly sets = new Map<number, Uint32Array>();
  private readonly uses: Uint32Array;
  private readonly counter = new SimilarityCounter();
  private bytes = 0;

  constructor(
    private readonly source: ShingleSource,
    itemCount = 0,
    candidatePairs: Uint32Array = new Uint32Array(0),
    private readonly carried: CarriedSets | null = null,
    private readonly carriedBelow = itemCount,
  ) {
    this.uses = new Uint32Array(itemCount);
    for (let i = 0; i < candidatePairs.length; i++) this.uses[candidatePairs[i]!]!++;
  }

  get(item: number): Uint32Array {
    let set = this.sets.get(item);
    if (!set) {
      if (this.bytes > SET_CACHE_BYTES) this.sets.clear(), (this.bytes = 0);
      set = (item < this.carriedBelow ? this.carried?.take(item) : undefined) ?? toShingleSet(this.source.hashes(item));
      this.sets.set(item, set);
      this.bytes += set.byteLength;
    }
    return set;
  }

  /**
   * Exact similarity of items `x` and `y`. A set used by no later pair (and not carried) is not
   * built: sorting it only to merge it once costs more than counting the pair on a hash table of
   * its hashes, which gives the same values.
   */
  similarity(x: number, y: number): SizedSimilarity {
    const setX = this.reused(x);
    const setY = this.reused(y);
    if (setX && setY) return { ...exactSimilarity(setX, setY), sizeA: setX.length, sizeB: setY.length };
    this.counter.first(setX ?? this.source.hashes(x), setY?.length ?? this.source.bound(y));
    return this.counter.second(setY ?? this.source.hashes(y));
  }

  /** The number of distinct shingles of `item`. */
  size(item: number): number {
    return this.reused(item)?.length ?? distinctCount(this.source.hashes(item));
  }

  /**
   * The set of `item` (built now if need be) unless this is the last of the pairs declared for it:
   * then null, unless it is built already or carried. An item measured outside the declared pairs
   * is kept, as a representative measured against each member of its cluster is.
   */
  private reused(item: number): Uint32Array | null {
    const kept = this.sets.has(item) || this.uses[item] !== 1 || (this.carried !== null && item < this.carriedBelow);
    return kept ? this.get(item) : null;
  }

  /** One candidate pair using `item` is done. */
  release(item: number): void {
    if (this.uses[item]! > 0 && --this.uses[item]! === 0) {
      const set = this.sets.get(item);
      if (!set) return;
      this.sets.delete(item);
      this.bytes -= set.byteLength;
      if (item < this.carriedBelow) this.carried?.put(item, set);
    }
  }
}

/** Bytes of sets {@link CarriedSets} keeps between the passes of a run. */
const CARRIED_SET_BYTES = 64 * 1024 * 1024;

/**
 * Sets done with in one pass, kept for the next pass of the same run (the oldest dropped first
 * past {@link CARRIED_SET_BYTES}): the syndication pass measures many of the documents the
 * document pass has just measured, and rebuilding a set from the text costs more than comparing it.
 */
export class CarriedSets {
  private readonly sets = new Map<number, Uint32Array>();
  private bytes = 0;

  put(item: number, set: Uint32Array): void {
    if (this.sets.has(item)) return;
    this.sets.set(item, set);
    this.bytes += set.byteLength;
    for (const [oldest, dropped] of this.sets) {
      if (this.bytes <= CARRIED_SET_BYTES) break;
      this.sets.delete(oldest);
      this.bytes -= dropped.byteLength;
    }
  }

  /** The set of `item`, handed over (no longer kept here), if it was kept. */
  take(item: number): Uint32Array | undefined {
    const set = this.sets.get(item);
    if (set) this.sets.delete(item), (this.bytes -= set.byteLength);
    return set;
  }
}

/**
 * Indexes of the candidate pairs (flat [a0, b0, a1, b1, ...]) grouped by connected component, in
 * input order within each. Verified in this order, each shingle set is built once and dropped when
 * its component is done; in input order, sets of long-range pairs stayed alive until the cache
 * overflowed and was rebuilt (6× the set builds at 100k documents).
 */
export function verificationOrder(pairs: Uint32Array, itemCount: number): Uint32Array {
  const pairCount = pairs.length / 2;
  const unionFind = new UnionFind(itemCount);
  for (let p = 0; p < pairCount; p++) unionFind.union(pairs[2 * p]!, pairs[2 * p + 1]!);
  const roots = new Uint32Array(pairCount);
  const starts = new Uint32Array(itemCount + 1);
  for (let p = 0; p < pairCount; p++) {
    const root = unionFind.find(pairs[2 * p]!);
    roots[p] = root;
    starts[root + 1]!++;
  }
  for (let item = 0; item < itemCount; item++) starts[item + 1]! += starts[item]!;
  const order = new Uint32Array(pairCount);
  for (let p = 0; p < pairCount; p++) order[starts[roots[p]!]!++] = p;
  return order;
}

/**
 * Signature values that really vary between two sets: at most numPerm, and at most about half the
 * shingles of the smaller set (OPH fills bins from its shingles and copies the rest; the count
 * includes repeated shingles, hence the half).
 */
function effectiveSamples(numPerm: number, smallerShingles: number): number {
  return Math.max(1, Math.min(numPerm, Math.floor(smallerShingles / 2)));
}

/**
 * True when an estimate is 8 binomial standard deviations under the threshold: a pair at the
 * threshold lands there with probability < 10⁻¹⁴, so it is rejected without building exact sets.
 */
export function surelyBelow(estimate: number, threshold: number, numPerm: number, smallerShingles: number): boolean {
  return estimate < threshold - 8 * Math.sqrt((threshold * (1 - threshold)) / effectiveSamples(numPerm, smallerShingles));
}

/** True when every value agrees and a pair under the threshold would do so with probability < 10⁻¹². */
export function surelyAbove(estimate: number, threshold: number, numPerm: number, smallerShingles: number): boolean {
  return estimate === 1 && Math.pow(threshold, effectiveSamples(numPerm, smallerShingles)) < 1e-12;
}

/** Containment estimated from a Jaccard estimate and the two set sizes. */
export function estimatedSimilarity(jaccard: number, sizeA: number, sizeB: number): Similarity {
  const intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  return { intersection, jaccard, aInB: Math.min(1, intersection / sizeA), bInA: Math.min(1, intersection / sizeB) };
}

