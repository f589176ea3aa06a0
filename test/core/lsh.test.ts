/**
 * LSH: the banding math (hand cases), the empirical candidate rate against the S-curve, batch
 * grouping against a brute-force reference, and the incremental index.
 */
import { describe, expect, it } from 'vitest';
import { LshIndex, batchCandidates, candidateProbability, createSketcher, lshParams, resolveOptions, SyndicError } from '../../src/index.js';
import { bandKeysInto } from '../../src/lsh/bands.js';
import { ItemMajorKeys, previousInRuns, previousWithEqualKeys, radixSortPairs } from '../../src/lsh/group.js';
import { seeded, setPairWithJaccard } from './random-sets.js';

describe('lshParams', () => {
  it('computes the S-curve 1 − (1 − s^r)^b', () => {
    expect(candidateProbability(0.5, 1, 1)).toBeCloseTo(0.5, 12);
    expect(candidateProbability(0.5, 2, 1)).toBeCloseTo(0.75, 12);
    expect(candidateProbability(0.5, 1, 2)).toBeCloseTo(0.25, 12);
    expect(candidateProbability(1, 16, 8)).toBe(1);
    expect(candidateProbability(0, 16, 8)).toBe(0);
  });

  it('is recall-biased: P(threshold) ≥ 0.95 with bands·rows ≤ numPerm, for the defaults and a sweep', () => {
    const defaults = resolveOptions();
    expect(candidateProbability(defaults.threshold, defaults.bands, defaults.rows)).toBeGreaterThanOrEqual(0.95);
    for (const numPerm of [32, 64, 128, 256, 512]) {
      for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.9]) {
        const { bands, rows } = lshParams(threshold, numPerm);
        expect(bands * rows).toBeLessThanOrEqual(numPerm);
        expect(candidateProbability(threshold, bands, rows), `t=${threshold} numPerm=${numPerm}`).toBeGreaterThanOrEqual(0.95);
      }
    }
  });

  it('trades recall for fewer false positives when asked', () => {
    const loose = lshParams(0.8, 128, { recall: 0.5 });
    const strict = lshParams(0.8, 128, { recall: 0.99 });
    expect(candidateProbability(0.5, loose.bands, loose.rows)).toBeLessThan(candidateProbability(0.5, strict.bands, strict.rows));
  });

  it('rejects impossible thresholds and layouts', () => {
    expect(() => lshParams(1.2, 128)).toThrow(SyndicError);
    expect(() => resolveOptions({ bands: 20, rows: 8 })).toThrow(/bands·rows ≤ numPerm \(128\)/);
    expect(resolveOptions({ bands: 16, rows: 8 })).toMatchObject({ bands: 16, rows: 8 });
  });
});

describe('empirical candidate rate', () => {
  // 1,500 independent pairs at each similarity; a pair is a candidate when a band key matches.
  const { bands, rows, numPerm } = resolveOptions();
  const sketcher = createSketcher({ numPerm, seed: 5, shingleSize: 5, variant: 'oph' });
  const next = seeded(77);
  for (const jaccard of [0.5, 0.6, 0.7, 0.8, 0.9]) {
    it(`matches 1−(1−J^r)^b within 3 standard errors at J=${jaccard}`, () => {
      const trials = 1500;
      let candidates = 0;
      const keysA = new Uint32Array(bands);
      const keysB = new Uint32Array(bands);
      for (let t = 0; t < trials; t++) {
        const union = 1000;
        const pair = setPairWithJaccard(next, union, Math.round(jaccard * union));
        bandKeysInto(sketcher.sketch(pair.a).values, 0, { bands, rows }, keysA);
        bandKeysInto(sketcher.sketch(pair.b).values, 0, { bands, rows }, keysB);
        if (keysA.some((key, band) => key === keysB[band])) candidates++;
      }
      const expected = candidateProbability(jaccard, bands, rows);
      const standardError = Math.sqrt((expected * (1 - expected)) / trials);
      expect(Math.abs(candidates / trials - expected)).toBeLessThanOrEqual(3 * Math.max(standardError, 1 / trials));
    });
  }
});

describe('batchCandidates', () => {
  it('finds exactly the pairs that share a band key (brute-force reference)', () => {
    const next = seeded(9);
    const numPerm = 16;
    const params = { bands: 8, rows: 2 };
    const count = 300;
    // Small value alphabet so that many rows collide.
    const signatures = Uint32Array.from({ length: count * numPerm }, () => next() % 3);
    const { pairs } = batchCandidates(signatures, count, numPerm, params, { allPairsUpTo: 1e9 });
    const keys = new Uint32Array(count * params.bands);
    for (let i = 0; i < count; i++) bandKeysInto(signatures, i * numPerm, params, keys, i * params.bands);
    const expected: number[] = [];
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        for (let band = 0; band < params.bands; band++) {
          if (keys[a * params.bands + band] === keys[b * params.bands + band]) {
            expected.push(a, b);
            break;
          }
        }
      }
    }
    expect(Array.from(pairs)).toEqual(expected);
  });

  it('chains large buckets, skips oversized ones and reports them', () => {
    const numPerm = 4;
    const same = (n: number) => new Uint32Array(n * numPerm).fill(7);
    const chained = batchCandidates(same(20), 20, numPerm, { bands: 1, rows: 4 }, { allPairsUpTo: 4 });
    expect(Array.from(chained.pairs)).toEqual(Array.from({ length: 19 }, (_, i) => [i, i + 1]).flat());
    const capped = batchCandidates(same(20), 20, numPerm, { bands: 2, rows: 2 }, { maxBucketSize: 10 });
    expect(capped.pairs.length).toBe(0);
    expect(capped.oversizedBuckets).toBe(2);
    expect(capped.oversizedMembers).toBe(40);
  });

  it('radix sort is a stable sort by key', () => {
    const next = seeded(4);
    const keys = Uint32Array.from({ length: 5000 }, () => next() % 1000);
    const items = Uint32Array.from({ length: 5000 }, (_, i) => i);
    const expected = Array.from(items).sort((x, y) => keys[x]! - keys[y]! || x - y);
    const sortedKeys = keys.slice();
    radixSortPairs(sortedKeys, items, new Uint32Array(5000), new Uint32Array(5000));
    expect(Array.from(items)).toEqual(expected);
    expect(Array.from(sortedKeys)).toEqual(expected.map((i) => keys[i]));
  });
});

describe('LshIndex', () => {
  it('adds, queries and removes', () => {
    const sketcher = createSketcher({ numPerm: 64, seed: 1, shingleSize: 5, variant: 'oph' });
    const next = seeded(12);
    const near = setPairWithJaccard(next, 800, 760);
    const far = setPairWithJaccard(next, 800, 8);
    const index = new LshIndex(64, lshParams(0.8, 64));
    index.add(1, sketcher.sketch(near.a).values);
    index.add(2, sketcher.sketch(far.a).values);
    expect(index.size).toBe(2);
    expect(index.query(sketcher.sketch(near.b).values)).toEqual([1]);
    expect(index.query(sketcher.sketch(far.b).values)).toEqual([]);
    expect(index.query(sketcher.sketch(far.a).values)).toEqual([2]);
    expect(() => index.add(1, sketcher.sketch(near.a).values)).toThrow(SyndicError);
    expect(index.remove(1)).toBe(true);
    expect(index.remove(1)).toBe(false);
    expect(index.query(sketcher.sketch(near.b).values)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('answers the bucket lookup: items under a band key oldest first, −1 over the cap, nothing after removal', () => {
    const params = { bands: 4, rows: 2 };
    const index = new LshIndex(8, params);
    const same = Uint32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const other = Uint32Array.of(1, 2, 9, 9, 9, 9, 9, 9);
    for (const item of [7, 3, 5]) index.add(item, same);
    index.add(4, other);
    const keys = new Uint32Array(4);
    bandKeysInto(same, 0, params, keys);
    const out = new Uint32Array(8);
    expect(index.lookup(keys[1]!, 8, out)).toBe(3);
    expect([...out.subarray(0, 3)]).toEqual([7, 3, 5]);
    expect(index.lookup(keys[0]!, 8, out)).toBe(4); // band 0 of `other` is band 0 of `same`
    expect([...out.subarray(0, 4)]).toEqual([7, 3, 5, 4]);
    expect(index.lookup(keys[0]!, 3, out)).toBe(-1);
    index.remove(3);
    expect(index.lookup(keys[1]!, 8, out)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([7, 5]);
    expect(index.lookup(12345, 8, out)).toBe(0);
  });
});

describe('previousWithEqualKeys', () => {
  it('gives each item the latest earlier item with all its keys equal, as a map of the joined keys does', () => {
    const random = seeded(7);
    for (const [count, bands, distinct] of [[0, 4, 1], [1, 3, 1], [500, 4, 40], [3000, 9, 700], [2000, 2, 3]] as const) {
      // Few distinct rows, and rows that differ in one band only: many equal keys, many near misses.
      const rows = Array.from({ length: distinct }, () => Uint32Array.from({ length: bands }, () => random() % 5));
      const keys = new Uint32Array(count * bands);
      for (let item = 0; item < count; item++) keys.set(rows[random() % distinct]!, item * bands);
      const expected = new Int32Array(count).fill(-1);
      const latest = new Map<string, number>();
      for (let item = 0; item < count; item++) {
        const joined = keys.subarray(item * bands, (item + 1) * bands).join(',');
        expected[item] = latest.get(joined) ?? -1;
        latest.set(joined, item);
      }
      const items = new ItemMajorKeys(keys, count, bands);
      expect(previousWithEqualKeys(items)).toEqual(expected);
      // Words that collide far more than hashes: every item in one run, or runs by the first band only.
      const none = new Uint32Array(count);
      expect(previousInRuns(items, none, none)).toEqual(expected);
      const firstBand = Uint32Array.from({ length: count }, (_, item) => keys[item * bands]!);
      expect(previousInRuns(items, firstBand, none)).toEqual(expected);
    }
  });
});
