/**
 * Exact ground truth by brute force: every pair of shingle sets whose Jaccard or containment
 * reaches a bound, found without sampling.
 *
 * All-pairs with prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): order shingles by
 * rarity; if |A ∩ B| ≥ L·|A| then the first |A| − ⌈L·|A|⌉ + 1 shingles of A (its prefix) must meet
 * B. So probing an inverted index over full sets with each set's prefix finds every qualifying
 * pair; each candidate is then measured exactly by merging. Exact, and far faster than n² merges.
 */
import { intersectionSize } from '../analyze/similarity.js';
import { SyndicError } from '../errors.js';
import type { TruthEntry } from './score.js';

/** One pair at or above the bound, with its exact measures. `a < b` (item indexes). */
export interface TruthPair {
  a: number;
  b: number;
  /** |A ∩ B|. */
  intersection: number;
  jaccard: number;
  aInB: number;
  bInA: number;
}

/** Result of {@link exactPairs}: qualifying pairs sorted by (a, b), and the work done. */
export interface Truth {
  pairs: TruthPair[];
  /** Candidate pairs measured exactly. */
  verified: number;
}

/** A pair qualifies when its Jaccard is ≥ `jaccard` or either containment is ≥ `containment` (a bound above 1 turns its test off). */
export interface TruthBounds {
  jaccard: number;
  containment: number;
}

/** Exact measures of sets a and b (`x`, `y`: their shingles as sorted ranks). */
function measure(a: number, b: number, x: Uint32Array, y: Uint32Array): TruthPair {
  const intersection = intersectionSize(x, y);
  const union = x.length + y.length - intersection;
  return { a, b, intersection, jaccard: intersection / union, aInB: intersection / x.length, bInA: intersection / y.length };
}

const qualifies = (pair: TruthPair, bounds: TruthBounds): boolean =>
  pair.jaccard >= bounds.jaccard || pair.aInB >= bounds.containment || pair.bInA >= bounds.containment;

/** Most sets {@link exactPairs} takes: (hash, set) postings are packed into one float64. */
export const MAX_TRUTH_SETS = (1 << 21) - 1;

/**
 * All pairs of `sets` (sorted, duplicate-free shingle hashes; none empty) that meet `bounds`.
 * `onProgress(done)` is called as the probing sets go by (`done` of `sets.length`).
 */
export function exactPairs(sets: readonly Uint32Array[], bounds: TruthBounds, onProgress?: (done: number) => void): Truth {
  const count = sets.length;
  if (!(bounds.jaccard > 0 && bounds.containment > 0)) throw new SyndicError(`truth bounds must be above 0, got Jaccard ${bounds.jaccard}, containment ${bounds.containment}`);
  let total = 0;
  for (const set of sets) {
    if (set.length === 0) throw new SyndicError('exactPairs needs non-empty shingle sets');
    total += set.length;
  }
  if (count > MAX_TRUTH_SETS) throw new SyndicError(`exact truth takes at most ${MAX_TRUTH_SETS} documents, got ${count}`);

  // Sets are numbered by size (ties by input order): a qualifying pair shares at least
  // bound × |smaller| shingles (Jaccard ≤ the smaller set's containment), so only the smaller
  // set's prefix need probe, and only sets numbered after it.
  const bySize = Int32Array.from(sets.keys()).sort((x, y) => sets[x]!.length - sets[y]!.length || x - y);
  const sorted = Array.from(bySize, (s) => sets[s]!);

  // Sort (hash, set) postings; each run of one hash is its posting list, in set order.
  const postings = new Float64Array(total);
  let at = 0;
  sorted.forEach((set, s) => {
    for (let i = 0; i < set.length; i++) postings[at++] = set[i]! * 2097152 + s;
  });
  postings.sort();
  const runStart: number[] = [];
  for (let i = 0; i < total; i++) {
    if (i === 0 || Math.floor(postings[i]! / 2097152) !== Math.floor(postings[i - 1]! / 2097152)) runStart.push(i);
  }
  runStart.push(total);
  const distinct = runStart.length - 1;

  // Rank distinct shingles by document frequency (rare first), ties by hash order.
  if (distinct >= 1 << 26) throw new SyndicError(`exact truth takes at most ${(1 << 26) - 1} distinct shingles, got ${distinct}`);
  const keys = new Float64Array(distinct);
  for (let run = 0; run < distinct; run++) keys[run] = (runStart[run + 1]! - runStart[run]!) * 67108864 + run;
  keys.sort();
  const order = Int32Array.from(keys, (key) => key % 67108864);

  // Per set: its shingles as ranks, ascending (= rarest first). Per rank: its posting list.
  const offsets = new Int32Array(count + 1);
  sorted.forEach((set, s) => (offsets[s + 1] = offsets[s]! + set.length));
  const ranks = new Uint32Array(total);
  const fill = offsets.slice(0, count);
  const listStart = new Int32Array(distinct + 1);
  const lists = new Int32Array(total);
  for (let rank = 0, cursor = 0; rank < distinct; rank++) {
    const run = order[rank]!;
    listStart[rank] = cursor;
    for (let i = runStart[run]!; i < runStart[run + 1]!; i++) {
      const s = postings[i]! % 2097152;
      lists[cursor++] = s;
      ranks[fill[s]!++] = rank;
    }
  }
  listStart[distinct] = total;
  const rankSets = Array.from({ length: count }, (_, s) => ranks.subarray(offsets[s]!, offsets[s + 1]!).sort());

  // The prefix for a bound L has |A| − ⌈L·|A|⌉ + 1 + extra shingles, and at most |A| − ⌈L·|A|⌉ of
  // them can miss B: a pair reaching L meets the probe at least extra + 1 times, so chance
  // meetings on one or two rare shingles are never merged.
  const probe = (size: number, at: number): { length: number; hits: number } => {
    const extra = Math.floor(size * 0.05);
    return { length: Math.min(size, size - Math.ceil(at * size - 1e-9) + 1 + extra), hits: Math.min(size, extra + 1) };
  };
  const sizes = Int32Array.from(sorted, (set) => set.length);
  /** The last set numbered no larger than `size`. */
  const lastOfSize = (size: number): number => {
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sizes[middle]! <= size) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };
  /** The first posting of `rank` for a set numbered above `after` (lists are ascending). */
  const firstAbove = (rank: number, after: number): number => {
    let low = listStart[rank]!;
    let high = listStart[rank + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (lists[middle]! <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const hits = new Int32Array(count);
  const touched: number[] = [];
  const pairs: TruthPair[] = [];
  let verified = 0;
  for (let a = 0; a < count; a++) {
    if (onProgress && (a & 255) === 0) onProgress(a);
    const x = rankSets[a]!;
    // Containment ≥ c: the prefix for c against every larger set. Jaccard ≥ j: the prefix for j
    // against sets of at most |A| / j shingles (a larger set's Jaccard with A is under j).
    const byContainment = probe(x.length, bounds.containment);
    const byJaccard = probe(x.length, bounds.jaccard);
    const jaccardUpTo = lastOfSize(Math.floor(x.length / bounds.jaccard + 1e-9));
    const prefix = Math.max(byContainment.length, byJaccard.length);
    touched.length = 0;
    for (let i = 0; i < prefix; i++) {
      const rank = x[i]!;
      const end = i < byContainment.length ? listStart[rank + 1]! : firstAbove(rank, jaccardUpTo);
      for (let p = firstAbove(rank, a); p < end; p++) {
        const b = lists[p]!;
        if (hits[b]!++ === 0) touched.push(b);
      }
    }
    for (const b of touched) {
      const need = b <= jaccardUpTo ? Math.min(byContainment.hits, byJaccard.hits) : byContainment.hits;
      const enough = hits[b]! >= need;
      hits[b] = 0;
      if (!enough) continue;
      verified++;
      const inputA = bySize[a]!;
      const inputB = bySize[b]!;
      const pair = inputA < inputB ? measure(inputA, inputB, x, rankSets[b]!) : measure(inputB, inputA, rankSets[b]!, x);
      if (qualifies(pair, bounds)) pairs.push(pair);
    }
  }
  onProgress?.(count);
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  return { pairs, verified };
}

/**
 * Truth between documents by id: every pair of `sets` (one per id, in input order) meeting
 * `bounds`, `a` before `b` in input order. Documents that normalize to nothing (empty sets) are
 * not compared, as in `scan`.
 */
export function documentTruth(ids: readonly string[], sets: readonly Uint32Array[], bounds: TruthBounds, onProgress?: (done: number, total: number) => void): { entries: Array<Required<TruthEntry>>; verified: number } {
  const kept: number[] = [];
  sets.forEach((set, d) => set.length > 0 && kept.push(d));
  const truth = exactPairs(
    kept.map((d) => sets[d]!),
    bounds,
    onProgress && ((done) => onProgress(done, kept.length)),
  );
  const entries = truth.pairs.map((pair) => {
    const a = kept[pair.a]!;
    const b = kept[pair.b]!;
    return {
      a: ids[a]!,
      b: ids[b]!,
      jaccard: pair.jaccard,
      aInB: pair.aInB,
      bInA: pair.bInA,
      shared: pair.intersection,
      shingles: [sets[a]!.length, sets[b]!.length] as const,
    };
  });
  return { entries, verified: truth.verified };
}
