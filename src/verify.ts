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

/** Sorted copy of `hashes` without repeats: the shingle set. */
export function toShingleSet(hashes: Uint32Array): Uint32Array {
  // `slice` copies natively (`Uint32Array.from` walks an iterator); the native sort is numeric.
  const sorted = hashes.slice().sort();
  if (sorted.length === 0) return sorted;
  let unique = 1;
  for (let i = 1; i < sorted.length; i++) {
    const value = sorted[i]!;
    if (value !== sorted[unique - 1]) sorted[unique++] = value;
  }
  return unique === sorted.length ? sorted : sorted.slice(0, unique);
}

/** Size of the intersection of two sorted sets, by merging. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) (count++, i++, j++);
    else if (x < y) i++;
    else j++;
  }
  return count;
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
