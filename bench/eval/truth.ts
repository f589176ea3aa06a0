/**
 * Exact ground truth by brute force: every pair of shingle sets whose Jaccard or containment
 * reaches a bound, found without sampling.
 *
 * All-pairs with prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): order shingles by
 * rarity; if |A ∩ B| ≥ L·|A| then the first |A| − ⌈L·|A|⌉ + 1 shingles of A (its prefix) must meet
 * B. So probing an inverted index over full sets with each set's prefix finds every qualifying
 * pair; each candidate is then measured exactly by merging. Exact, and far faster than n² merges.
 */

/** One pair at or above the bound, with its exact measures. `a < b` (item indexes). */
export interface TruthPair {
  a: number;
  b: number;
  intersection: number;
  jaccard: number;
  aInB: number;
  bInA: number;
}

/** Result of {@link bruteForcePairs}: qualifying pairs sorted by (a, b), and the work done. */
export interface Truth {
  pairs: TruthPair[];
  /** Candidate pairs measured exactly. */
  verified: number;
}

/** A pair qualifies when its Jaccard is ≥ `jaccard` or either containment is ≥ `containment`. */
export interface TruthBounds {
  jaccard: number;
  containment: number;
}

function measure(a: number, b: number, x: Int32Array, y: Int32Array): TruthPair {
  let i = 0;
  let j = 0;
  let intersection = 0;
  while (i < x.length && j < y.length) {
    const u = x[i]!;
    const v = y[j]!;
    if (u === v) (intersection++, i++, j++);
    else if (u < v) i++;
    else j++;
  }
  const union = x.length + y.length - intersection;
  return { a, b, intersection, jaccard: union === 0 ? 1 : intersection / union, aInB: intersection / x.length, bInA: intersection / y.length };
}

const qualifies = (pair: TruthPair, bounds: TruthBounds): boolean =>
  pair.jaccard >= bounds.jaccard || pair.aInB >= bounds.containment || pair.bInA >= bounds.containment;

/**
 * All pairs of `sets` (sorted, duplicate-free shingle hashes; none empty) that meet `bounds`.
 */
export function bruteForcePairs(sets: readonly Uint32Array[], bounds: TruthBounds): Truth {
  const count = sets.length;
  const bound = Math.min(bounds.jaccard, bounds.containment);
  let total = 0;
  for (const set of sets) total += set.length;
  if (count >= 1 << 21) throw new Error('bruteForcePairs: too many sets');

  // Sort (hash, set) postings; each run of one hash is its posting list, in set order.
  const postings = new Float64Array(total);
  let at = 0;
  sets.forEach((set, s) => {
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
  if (distinct >= 1 << 26) throw new Error('bruteForcePairs: too many distinct shingles');
  const keys = new Float64Array(distinct);
  for (let run = 0; run < distinct; run++) keys[run] = (runStart[run + 1]! - runStart[run]!) * 67108864 + run;
  keys.sort();
  const order = Int32Array.from(keys, (key) => key % 67108864);

  // Per set: its shingles as ranks, ascending (= rarest first). Per rank: its posting list.
  const offsets = new Int32Array(count + 1);
  sets.forEach((set, s) => (offsets[s + 1] = offsets[s]! + set.length));
  const ranks = new Int32Array(total);
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

  // Probing `extra` shingles past the minimal prefix means a qualifying pair meets the probe at
  // least extra + 1 times, so chance meetings on one or two rare shingles are never merged.
  const probe = (size: number): { length: number; hits: number } => {
    const extra = Math.floor(size * 0.05);
    return { length: Math.min(size, size - Math.ceil(bound * size - 1e-9) + 1 + extra), hits: Math.min(size, extra + 1) };
  };
  const member = new Int32Array(distinct).fill(-1);
  const hits = new Int32Array(count);
  const touched: number[] = [];
  const pairs: TruthPair[] = [];
  let verified = 0;
  for (let a = 0; a < count; a++) {
    const x = rankSets[a]!;
    for (let i = 0; i < x.length; i++) member[x[i]!] = a;
    const probeA = probe(x.length);
    touched.length = 0;
    for (let i = 0; i < probeA.length; i++) {
      const rank = x[i]!;
      for (let p = listStart[rank]!; p < listStart[rank + 1]!; p++) {
        const b = lists[p]!;
        if (b === a) continue;
        if (hits[b]!++ === 0) touched.push(b);
      }
    }
    for (const b of touched) {
      const enough = hits[b]! >= probeA.hits;
      hits[b] = 0;
      if (!enough) continue;
      const y = rankSets[b]!;
      if (b < a) {
        // b's own probe met a often enough if a holds enough of b's probe: that probe owns the pair.
        const probeB = probe(y.length);
        let met = 0;
        for (let j = 0; j < probeB.length; j++) if (member[y[j]!] === a) met++;
        if (met >= probeB.hits) continue;
      }
      verified++;
      const pair = a < b ? measure(a, b, x, y) : measure(b, a, y, x);
      if (qualifies(pair, bounds)) pairs.push(pair);
    }
  }
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  return { pairs, verified };
}

/** The naive reference: every pair measured by merge. For tests on tiny inputs. */
export function naivePairs(sets: readonly Uint32Array[], bounds: TruthBounds): TruthPair[] {
  const pairs: TruthPair[] = [];
  const asInt = sets.map((set) => Int32Array.from(set, (h) => h - 0x80000000));
  for (let a = 0; a < sets.length; a++) {
    for (let b = a + 1; b < sets.length; b++) {
      const pair = measure(a, b, asInt[a]!, asInt[b]!);
      if (qualifies(pair, bounds)) pairs.push(pair);
    }
  }
  return pairs;
}
