/**
 * LSH grouping on the workers, by ranges of bands, gives the candidates of one grouping of every
 * band on this thread: the same pairs and the same counts of oversized buckets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/index.js';
import { groupBandKeys, groupBandRange, mergeCandidates } from '../../src/lsh/group.js';
import { groupInPool } from '../../src/parallel/measure-pool.js';
import { AnalysisPool } from '../../src/parallel/pool.js';

/** Band keys of `count` items: few distinct values per band, so buckets of every size, some over the cap. */
function bandKeys(count: number, bands: number, seed: number, shared: boolean): Uint32Array {
  const keys = new Uint32Array(shared ? new SharedArrayBuffer(count * bands * 4) : new ArrayBuffer(count * bands * 4));
  let state = seed;
  for (let i = 0; i < keys.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const band = i % bands;
    // Band 0 puts a third of the items in one bucket; the others spread them over ever more keys.
    keys[i] = band === 0 && state % 3 === 0 ? 7 : state % (40 << band);
  }
  return keys;
}

describe('groupInPool', () => {
  const pool = new AnalysisPool(resolveOptions(), 2);
  afterAll(() => pool.close());

  it.each([
    ['keys in shared memory', true],
    ['keys copied into shared memory', false],
  ])('gives the candidates of groupBandKeys, oversized buckets included (%s)', async (_, shared) => {
    const count = 3000;
    const bands = 16;
    const keys = bandKeys(count, bands, 5, shared);
    const expected = groupBandKeys(keys, count, bands, { maxBucketSize: 900 });
    expect(expected.oversizedBuckets).toBeGreaterThan(0);
    expect(expected.pairs.length / 2).toBeGreaterThan(10_000);
    expect(await groupInPool(pool)(keys, count, bands, { maxBucketSize: 900 })).toEqual(expected);
    // Chains from buckets of more than 4 items: the workers are given every option.
    expect(await groupInPool(pool)(keys, count, bands, { maxBucketSize: 900, allPairsUpTo: 4 })).toEqual(groupBandKeys(keys, count, bands, { maxBucketSize: 900, allPairsUpTo: 4 }));
  });

  it('merges ranges of bands into the grouping of all of them, in any split', () => {
    const keys = bandKeys(500, 6, 9, false);
    const whole = groupBandKeys(keys, 500, 6, { maxBucketSize: 100 });
    for (const cuts of [[0, 6], [0, 1, 6], [0, 2, 3, 5, 6], [0, 1, 2, 3, 4, 5, 6]]) {
      const parts = cuts.slice(1).map((to, r) => groupBandRange(keys, 500, 6, cuts[r]!, to, { maxBucketSize: 100 }));
      expect(mergeCandidates(parts)).toEqual(whole);
    }
  });
});
