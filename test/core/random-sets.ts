/**
 * Random shingle-hash sets with an exact, known Jaccard similarity, for statistical tests.
 */
import { splitMix32 } from '../../src/sketch/hash.js';

/** Two sets A, B of random 32-bit values with |A ∩ B| / |A ∪ B| = shared / union exactly. */
export interface SetPair {
  a: Uint32Array;
  b: Uint32Array;
  jaccard: number;
}

/** A pair with `union` distinct elements of which `shared` are in both; the rest split evenly. */
export function setPairWithJaccard(next: () => number, union: number, shared: number): SetPair {
  const values = new Set<number>();
  while (values.size < union) values.add(next());
  const all = [...values];
  const common = all.slice(0, shared);
  const rest = all.slice(shared);
  const half = Math.floor(rest.length / 2);
  return {
    a: Uint32Array.from([...common, ...rest.slice(0, half)]),
    b: Uint32Array.from([...common, ...rest.slice(half)]),
    jaccard: shared / union,
  };
}

/** Seeded generator shared by the statistical tests. */
export function seeded(seed: number): () => number {
  return splitMix32(seed);
}
