/**
 * The verification sketch against exact Jaccard (seeded random sets, tolerance from the binomial
 * bound), and the bucket index against a plain map (randomised, with capping and rebuilds).
 */
import { describe, expect, it } from 'vitest';
import { fmix32, splitMix32 } from '../../src/index.js';
import { BucketIndex } from '../../src/store/file/buckets.js';
import { VERIFICATION_BYTES, VerificationSketcher, verificationEstimate } from '../../src/store/probe.js';

const sketcher = new VerificationSketcher(1);
const sketchOf = (hashes: Uint32Array): Uint8Array => sketcher.sketch(hashes, hashes.length);

/**
 * The sketch as the layout describes it, one seed at a time with plain unsigned compares: per
 * sketch s (seed fmix32(seed + φ·(s + 1))), each hash mixed, bin = top 9 bits, bin minimum over
 * the whole 32-bit value; an empty bin takes the value of the first non-empty bin among up to 64
 * hashed picks; the low 4 bits of each bin, two bins per byte (even bin in the low half); then
 * the set's size as a little-endian u32.
 */
function referenceSketch(hashes: Uint32Array, seed: number): Uint8Array {
  const sketches = 4;
  const bins = 512;
  const out = new Uint8Array(VERIFICATION_BYTES);
  new DataView(out.buffer).setUint32(VERIFICATION_BYTES - 4, hashes.length, true);
  if (hashes.length === 0) return out;
  const probeSeed = fmix32(seed ^ 0x5bd1e995);
  const values: number[] = [];
  for (let s = 0; s < sketches; s++) {
    const mixSeed = fmix32((seed + Math.imul(0x9e3779b1, s + 1)) >>> 0);
    const mins: Array<number | undefined> = new Array(bins).fill(undefined);
    for (const hash of hashes) {
      let x = Math.imul(hash ^ mixSeed, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35) >>> 0;
      const bin = x >>> 23;
      if (mins[bin] === undefined || x < mins[bin]!) mins[bin] = x;
    }
    for (let bin = 0; bin < bins; bin++) {
      let value = mins[bin];
      for (let attempt = 1; value === undefined && attempt <= 64; attempt++) {
        value = mins[fmix32(probeSeed ^ Math.imul(s * bins + bin + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> 23];
      }
      values.push(value === undefined ? 0x0f : value & 0x0f);
    }
  }
  for (let i = 0; i < values.length; i += 2) out[i >>> 1] = values[i]! | (values[i + 1]! << 4);
  return out;
}

describe('verification sketch', () => {
  it('equals a plain reference implementation, from empty and tiny sets (densification, sentinel) to large ones', () => {
    const random = splitMix32(17);
    for (const seed of [1, 42, 0xdeadbeef]) {
      const sketcher = new VerificationSketcher(seed);
      for (const size of [0, 1, 2, 3, 10, 60, 300, 511, 512, 2000, 9000]) {
        const hashes = Uint32Array.from({ length: size }, () => random() >>> 0);
        expect(sketcher.sketch(hashes, hashes.length)).toEqual(referenceSketch(hashes, seed));
      }
    }
  });

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
