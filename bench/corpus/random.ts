/**
 * Seeded PRNG for the synthetic corpus: SplitMix32 underneath, with the few draws the generator needs.
 */
import { splitMix32 } from '../../src/sketch/hash.js';

/** A deterministic random source; the same seed always gives the same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [low, high]. */
  between(low: number, high: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Shuffle in place (Fisher–Yates) and return the array. */
  shuffle<T>(items: T[]): T[];
  /** Index chosen with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number;
}

/** Create a {@link Random} from a 32-bit seed. */
export function createRandom(seed: number): Random {
  const next = splitMix32(seed);
  const float = (): number => next() / 0x100000000;
  const int = (n: number): number => Math.floor(float() * n);
  return {
    float,
    int,
    between: (low, high) => low + int(high - low + 1),
    chance: (p) => float() < p,
    pick: (items) => items[int(items.length)]!,
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    weighted(weights) {
      const total = weights.reduce((sum, w) => sum + w, 0);
      let x = float() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i]!;
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
  };
}
