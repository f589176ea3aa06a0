import { describe, expect, it } from 'vitest';
import { distinctCount, toShingleSet } from '../../src/analyze/similarity.js';

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('distinctCount', () => {
  it('equals the size of the shingle set: repeats, zeros, few values, values alike in their low bits', () => {
    const next = random(7);
    const shapes: Array<(i: number) => number> = [
      () => Math.floor(next() * 2 ** 32),
      () => Math.floor(next() * 3),
      () => Math.floor(next() * 1000),
      (i) => (i * 65536) >>> 0,
      (i) => (i % 17 === 0 ? 0 : Math.floor(next() * 2 ** 32)),
      () => 0xffffffff,
    ];
    for (const n of [0, 1, 2, 47, 48, 49, 1000, 3071, 3072, 20_000]) {
      for (const shape of shapes) {
        const hashes = Uint32Array.from({ length: n }, (_, i) => shape(i));
        const copy = hashes.slice();
        expect(distinctCount(hashes), `n=${n} ${shape.toString()}`).toBe(toShingleSet(hashes).length);
        expect(hashes).toEqual(copy);
      }
    }
  });
});
