/**
 * The bucket index against a plain map (randomised, with capping and rebuilds).
 */
import { describe, expect, it } from 'vitest';
import { splitMix32 } from '../../src/sketch/hash.js';
import { BucketIndex } from '../../src/store/file/buckets.js';

describe('BucketIndex', () => {
  it('returns what a plain map holds, oldest first, skipping buckets over the cap, across rebuilds, one key or a batch at a time', () => {
    const random = splitMix32(5);
    const keys = Uint32Array.from({ length: 3000 }, () => random() % 500);
    const index = BucketIndex.fromColumn(keys, 3);
    const reference = new Map<number, number[]>();
    keys.forEach((key, i) => reference.set(key, [...(reference.get(key) ?? []), Math.floor(i / 3)]));
    const check = (cap: number): void => {
      const want = (key: number): number[] | null => ((reference.get(key) ?? []).length <= cap ? (reference.get(key) ?? []) : null);
      for (let key = 0; key < 700; key++) {
        const found = new Uint32Array(cap);
        const count = index.lookup(key, cap, found);
        expect(count).toBe(want(key)?.length ?? -1);
        if (count >= 0) expect([...found.subarray(0, count)]).toEqual(want(key));
      }
      // Batches of 7 keys (some repeated, some absent) at an offset into the key array.
      const batch = Uint32Array.from({ length: 3 + 7 * 100 }, () => random() % 720);
      // Starts too small: lookupAll replaces it as it fills.
      const found = { items: new Uint32Array(1) };
      const counts = new Int32Array(7);
      for (let from = 3; from < batch.length; from += 7) {
        const written = index.lookupAll(batch, from, 7, cap, found, counts);
        const expected: number[] = [];
        for (let j = 0; j < 7; j++) {
          const items = want(batch[from + j]!);
          expect(counts[j]).toBe(items?.length ?? -1);
          expected.push(...(items ?? []));
        }
        expect([...found.items.subarray(0, written)]).toEqual(expected);
      }
    };
    check(5);
    for (let i = 0; i < 70_000; i++) {
      const key = random() % 700;
      index.add(key, 1000 + i);
      reference.set(key, [...(reference.get(key) ?? []), 1000 + i]);
      if (i === 30_000) (check(40), check(150));
    }
    check(100);
    check(150);
  });
});
