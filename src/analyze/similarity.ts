/**
 * Verification: exact Jaccard and both containments on sorted, duplicate-free shingle sets.
 */

/** Exact set similarity of two documents or paragraphs. */
export interface Similarity {
  intersection: number;
  jaccard: number;
  /** |A ∩ B| / |A|: how much of A is inside B. */
  aInB: number;
  /** |A ∩ B| / |B|. */
  bInA: number;
}

/** Sorted copy of `hashes` without repeats: the shingle set. `hashes` is not modified. */
export function toShingleSet(hashes: Uint32Array): Uint32Array {
  const n = hashes.length;
  if (n === 0) return new Uint32Array(0);
  if (n < RADIX_MIN) return nativeSortedDistinct(hashes);
  return sortedDistinct(hashes, n < WIDE_DIGITS_MIN ? 8 : 11) ?? nativeSortedDistinct(hashes);
}

/**
 * Number of distinct values of `hashes` (toShingleSet(hashes).length, without sorting): one pass
 * over the open-addressing table of a {@link SimilarityCounter}.
 */
export function distinctCount(hashes: Uint32Array): number {
  return (distinctCounter ??= new SimilarityCounter()).distinct(hashes);
}

let distinctCounter: SimilarityCounter | null = null;

function nativeSortedDistinct(hashes: Uint32Array): Uint32Array {
  const sorted = hashes.slice().sort();
  let unique = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i]!;
  return sorted.slice(0, unique);
}

/** Below this length the native sort wins over a radix sort's fixed cost. */
const RADIX_MIN = 48;
/** From this length two 11-bit digits beat two 8-bit ones (fewer equal top bits left to order). */
const WIDE_DIGITS_MIN = 3072;
const digitCounts = new Uint32Array(2 << 11);
let scratchA = new Uint32Array(1 << 14);
let scratchB = new Uint32Array(1 << 14);

/**
 * Sorted distinct copy of `hashes`: an LSD radix sort on the top 2·`digitBits` bits only (two
 * passes), then one pass that drops repeats and puts the few values sharing those top bits in
 * order (hashes are uniform, so such runs are short: about n / 2^(2·digitBits) + 1 values).
 * A third radix pass and a separate dedupe pass cost more than that fix-up. Null when the values
 * are far from uniform (the fix-up would be an insertion sort of long runs).
 */
function sortedDistinct(hashes: Uint32Array, digitBits: number): Uint32Array | null {
  const n = hashes.length;
  if (scratchA.length < n) (scratchA = new Uint32Array(n * 2)), (scratchB = new Uint32Array(n * 2));
  const a = scratchA;
  const b = scratchB;
  const counts = digitCounts;
  const digits = 1 << digitBits;
  const mask = digits - 1;
  const lowShift = 32 - 2 * digitBits;
  const highShift = 32 - digitBits;
  counts.fill(0, 0, 2 * digits);
  for (let i = 0; i < n; i++) {
    const value = hashes[i]!;
    counts[(value >>> lowShift) & mask]!++;
    counts[digits + (value >>> highShift)]!++;
  }
  let low = 0;
  let high = 0;
  for (let digit = 0; digit < digits; digit++) {
    const x = counts[digit]!;
    counts[digit] = low;
    low += x;
    const y = counts[digits + digit]!;
    counts[digits + digit] = high;
    high += y;
  }
  for (let i = 0; i < n; i++) {
    const value = hashes[i]!;
    a[counts[(value >>> lowShift) & mask]!++] = value;
  }
  for (let i = 0; i < n; i++) {
    const value = a[i]!;
    b[counts[digits + (value >>> highShift)]!++] = value;
  }
  // b is in order of the top bits; insert each value into a[0..kept), skipping repeats.
  let kept = 1;
  let moved = 0;
  a[0] = b[0]!;
  for (let i = 1; i < n; i++) {
    const value = b[i]!;
    const last = a[kept - 1]!;
    if (value > last) {
      a[kept++] = value;
      continue;
    }
    if (value === last) continue;
    let at = kept - 1;
    while (at > 0 && a[at - 1]! > value) at--;
    if (at > 0 && a[at - 1] === value) continue;
    moved += kept - at;
    if (moved > n) return null;
    a.copyWithin(at + 1, at, kept);
    a[at] = value;
    kept++;
  }
  return a.slice(0, kept);
}

/**
 * Size of the intersection of two sorted sets: a linear merge, or, when one set is over
 * {@link GALLOP_RATIO}× the other (a paragraph against a document), a galloping search of each
 * element of the smaller one in the larger, O(m·log(n/m)).
 */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  if (a.length * GALLOP_RATIO < b.length) return gallopingIntersection(a, b);
  if (b.length * GALLOP_RATIO < a.length) return gallopingIntersection(b, a);
  // Branch-free steps: which side advances is a coin flip on shingle sets, and a mispredicted
  // branch per step cost twice the whole step.
  let i = 0;
  let j = 0;
  let count = 0;
  const m = a.length;
  const n = b.length;
  while (i < m && j < n) {
    const x = a[i]!;
    const y = b[j]!;
    count += +(x === y);
    i += +(x <= y);
    j += +(y <= x);
  }
  return count;
}

const GALLOP_RATIO = 8;

function gallopingIntersection(small: Uint32Array, large: Uint32Array): number {
  let count = 0;
  let low = 0;
  const n = large.length;
  for (let i = 0; i < small.length && low < n; i++) {
    const value = small[i]!;
    // Exponential steps from `low` bracket the first element ≥ value, then a binary search.
    let step = 1;
    let high = low;
    while (high < n && large[high]! < value) (low = high + 1), (high += step), (step *= 2);
    if (high > n) high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (large[middle]! < value) low = middle + 1;
      else high = middle;
    }
    if (low < n && large[low] === value) (count++, low++);
  }
  return count;
}

/** {@link Similarity} with the sizes of the two sets. */
export interface SizedSimilarity extends Similarity {
  sizeA: number;
  sizeB: number;
}

/**
 * Exact similarity of the sets of two arrays of shingle hashes, repeats allowed (raw hashes or
 * sets), counted on one open-addressing table instead of sorting both: a set that is used for
 * one pair only is cheaper counted than sorted and merged (two passes over the table, where a sort
 * makes four or five). The same values as {@link exactSimilarity} of the two sets.
 * Reuses its table (not re-entrant).
 */
export class SimilarityCounter {
  private values = new Uint32Array(1 << 14);
  /** Per slot: 0 empty, 1 in A, 2 in B, 3 in both. */
  private marks = new Uint8Array(1 << 14);
  private mask = 0;
  private shift = 0;
  private sizeA = 0;
  /** Values of the last {@link insert} found marked already by the other side. */
  private joined = 0;

  /** Count A: the values of `hashes`; `otherBound` bounds the length of the B to come. */
  first(hashes: Uint32Array, otherBound: number): void {
    const bits = Math.max(4, 32 - Math.clz32(2 * (hashes.length + Math.max(0, otherBound)) - 1));
    if (this.marks.length < 1 << bits) (this.values = new Uint32Array(1 << bits)), (this.marks = new Uint8Array(1 << bits));
    this.marks.fill(0, 0, 1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.sizeA = this.insert(hashes, 1);
  }

  /** The number of distinct values of `hashes` (a count of A alone). */
  distinct(hashes: Uint32Array): number {
    this.first(hashes, 0);
    return this.sizeA;
  }

  /** Count B (`hashes`, at most the bound given to {@link first}) against A: the similarity of A and B. */
  second(hashes: Uint32Array): SizedSimilarity {
    const sizeB = this.insert(hashes, 2);
    const sizeA = this.sizeA;
    const intersection = this.joined;
    const union = sizeA + sizeB - intersection;
    return {
      intersection,
      jaccard: union === 0 ? 1 : intersection / union,
      aInB: sizeA === 0 ? 1 : intersection / sizeA,
      bInA: sizeB === 0 ? 1 : intersection / sizeB,
      sizeA,
      sizeB,
    };
  }

  /** Mark each value of `hashes` with `mark`; the number of values newly marked (the distinct ones). */
  private insert(hashes: Uint32Array, mark: number): number {
    const { values, marks, mask, shift } = this;
    let distinct = 0;
    let joined = 0;
    for (let i = 0; i < hashes.length; i++) {
      const value = hashes[i]!;
      // The top bits of a Fibonacci product, as in distinctCount.
      let slot = Math.imul(value, 0x9e3779b1) >>> shift;
      for (;;) {
        const held = marks[slot]!;
        if (held === 0) {
          values[slot] = value;
          marks[slot] = mark;
          distinct++;
          break;
        }
        if (values[slot] === value) {
          if ((held & mark) === 0) (marks[slot] = held | mark), distinct++, joined++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    this.joined = joined;
    return distinct;
  }
}

/** Exact Jaccard and containments of two sorted sets (two empty sets count as identical). */
export function exactSimilarity(a: Uint32Array, b: Uint32Array): Similarity {
  const intersection = intersectionSize(a, b);
  const union = a.length + b.length - intersection;
  return {
    intersection,
    jaccard: union === 0 ? 1 : intersection / union,
    aInB: a.length === 0 ? 1 : intersection / a.length,
    bInA: b.length === 0 ? 1 : intersection / b.length,
  };
}
