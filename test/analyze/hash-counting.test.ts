import { describe, expect, it } from 'vitest';
import { distinctCount, exactSimilarity, SimilarityCounter, toShingleSet } from '../../src/analyze/similarity.js';
import { SetCache } from '../../src/detect/sets.js';

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

describe('SimilarityCounter', () => {
  it('gives exactSimilarity of the two sets, from raw hashes or sets, one table reused across pairs of any size', () => {
    const next = random(11);
    const counter = new SimilarityCounter();
    const values = (n: number, range: number) => Uint32Array.from({ length: n }, () => Math.floor(next() * range));
    for (const [n, m] of [[0, 0], [0, 5], [1, 1], [3, 40_000], [2500, 2400], [20_000, 10], [5, 5]] as const) {
      for (const range of [2, 50, 3000, 2 ** 32]) {
        const a = values(n, range);
        const b = next() < 0.5 ? values(m, range) : Uint32Array.from({ length: m }, (_, i) => (n > 0 && i % 3 ? a[i % n]! : Math.floor(next() * range)));
        const expected = exactSimilarity(toShingleSet(a), toShingleSet(b));
        for (const [x, y] of [[a, b], [toShingleSet(a), b], [a, toShingleSet(b)]] as const) {
          counter.first(x, y.length);
          const counted = counter.second(y);
          expect(counted, `n=${n} m=${m} range=${range}`).toEqual({ ...expected, sizeA: toShingleSet(a).length, sizeB: toShingleSet(b).length });
        }
      }
    }
  });

  it('lets SetCache measure an item on its last use without building its set', () => {
    const hashes = [Uint32Array.of(5, 1, 5, 9), Uint32Array.of(9, 1, 2), Uint32Array.of(2, 2, 7)];
    const built: number[] = [];
    const source = { hashes: (item: number) => (built.push(item), hashes[item]!), bound: (item: number) => hashes[item]!.length };
    // Item 1 is in both pairs: its set is built once and kept; 0 and 2 are counted from their hashes.
    const cache = new SetCache(source, 3, Uint32Array.of(0, 1, 1, 2));
    expect(cache.similarity(0, 1)).toEqual({ ...exactSimilarity(Uint32Array.of(1, 5, 9), Uint32Array.of(1, 2, 9)), sizeA: 3, sizeB: 3 });
    cache.release(0), cache.release(1);
    expect(cache.similarity(1, 2)).toEqual({ ...exactSimilarity(Uint32Array.of(1, 2, 9), Uint32Array.of(2, 7)), sizeA: 3, sizeB: 2 });
    expect(built).toEqual([1, 0, 2]);
  });

  it('keeps the sets of items measured outside the declared pairs, as before', () => {
    const hashes = [Uint32Array.of(4, 3, 4), Uint32Array.of(3, 8), Uint32Array.of(8, 4)];
    const built: number[] = [];
    const source = { hashes: (item: number) => (built.push(item), hashes[item]!), bound: (item: number) => hashes[item]!.length };
    // No pairs declared (a cluster's representative measured against each member): 0 is built once.
    const cache = new SetCache(source, 3);
    expect(cache.similarity(0, 1).intersection).toBe(1);
    expect(cache.similarity(0, 2)).toEqual({ ...exactSimilarity(Uint32Array.of(3, 4), Uint32Array.of(4, 8)), sizeA: 2, sizeB: 2 });
    expect(built).toEqual([0, 1, 2]);
  });
});
