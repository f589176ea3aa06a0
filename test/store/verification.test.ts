/**
 * The verification sketch against exact Jaccard (seeded random sets, tolerance from the binomial
 * bound), and the bucket index against a plain map (randomised, with capping and rebuilds).
 */
import { describe, expect, it } from 'vitest';
import { splitMix32 } from '../../src/index.js';
import { BucketIndex } from '../../src/store/buckets.js';
import { VerificationSketcher, verificationEstimate } from '../../src/store/probe.js';

const sketcher = new VerificationSketcher(1);
const sketchOf = (hashes: Uint32Array): Uint8Array => sketcher.sketch(hashes);

describe('verification sketch', () => {
  it('estimates Jaccard within 4σ of the exact value (2,048 4-bit samples) on pairs of sets from 0.5 to 1', () => {
    const random = splitMix32(11);
    for (let trial = 0; trial < 60; trial++) {
      const shared = 400 + (random() % 2000);
      const own = Math.floor((shared * (random() % 100)) / 100);
      const common = Array.from({ length: shared }, () => random() >>> 0);
      const a = Uint32Array.from([...common, ...Array.from({ length: own }, () => random() >>> 0)]);
      const b = Uint32Array.from([...common, ...Array.from({ length: own }, () => random() >>> 0)]);
      const exact = shared / (shared + 2 * own);
      const estimate = verificationEstimate(sketchOf(a), sketchOf(b));
      const sigma = Math.sqrt((exact * (1 - exact)) / 2048) / (1 - 1 / 16) + 0.002;
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(4 * sigma);
    }
  });

  it('gives 1 for equal sets whatever the order or repeats, and about 0 for disjoint ones', () => {
    const random = splitMix32(3);
    const set = Uint32Array.from({ length: 900 }, () => random() >>> 0);
    const shuffled = Uint32Array.from([...set].reverse().concat([...set].slice(0, 50)));
    expect(verificationEstimate(sketchOf(set), sketchOf(shuffled))).toBe(1);
    const other = Uint32Array.from({ length: 900 }, () => random() >>> 0);
    expect(verificationEstimate(sketchOf(set), sketchOf(other))).toBeLessThan(0.05);
  });
});

describe('BucketIndex', () => {
  it('returns what a plain map holds, oldest first, skipping buckets over the cap, across rebuilds', () => {
    const random = splitMix32(5);
    const keys = Uint32Array.from({ length: 3000 }, () => random() % 500);
    const index = BucketIndex.fromColumn(keys, 3);
    const reference = new Map<number, number[]>();
    keys.forEach((key, i) => reference.set(key, [...(reference.get(key) ?? []), Math.floor(i / 3)]));
    for (let i = 0; i < 70_000; i++) {
      const key = random() % 700;
      index.add(key, 1000 + i);
      reference.set(key, [...(reference.get(key) ?? []), 1000 + i]);
    }
    for (let key = 0; key < 700; key++) {
      const want = reference.get(key) ?? [];
      const found = new Uint32Array(150);
      const count = index.lookup(key, 150, found);
      expect(count).toBe(want.length <= 150 ? want.length : -1);
      if (count >= 0) expect([...found.subarray(0, count)]).toEqual(want);
    }
  });
});
