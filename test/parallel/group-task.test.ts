/**
 * LSH grouping on the workers, by ranges of bands, gives the candidates of one grouping of every
 * band on this thread: the same pairs and the same counts of oversized buckets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/index.js';
import { groupBandKeys, groupBandRange, ItemMajorKeys, mergeCandidates, type BandKeys } from '../../src/lsh/group.js';
import { BandKeyWriter, SpilledBandKeys } from '../../src/parallel/band-key-spill.js';
import { groupInPool } from '../../src/parallel/measure-pool.js';
import { AnalysisPool } from '../../src/parallel/pool.js';
import { SpillFile } from '../../src/parallel/spill.js';
import { itemMajor } from '../support/band-keys.js';

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

/** `keys` written by a {@link BandKeyWriter} of `keysPerChunk`, added in uneven runs of items. */
function spilled(keys: Uint32Array, bands: number, keysPerChunk: number, spill: SpillFile): SpilledBandKeys {
  const writer = new BandKeyWriter(spill, bands, keysPerChunk);
  for (let item = 0, run = 1; item < keys.length / bands; item += run, run = (run * 7) % 23 + 1) writer.add(keys.subarray(item * bands, Math.min(keys.length, (item + run) * bands)));
  return writer.finish();
}

function bandOf(keys: BandKeys, band: number): Uint32Array {
  const into = new Uint32Array(keys.count);
  keys.readBand(band, into);
  return into;
}

describe('spilled band keys', () => {
  const spill = new SpillFile();
  afterAll(() => spill.close());

  it.each([
    ['many chunks and a tail', 160],
    ['chunks of one item', 1],
    ['no chunk spilled', 1e9],
  ])('read back band by band and item by item as they were added (%s)', (_, keysPerChunk) => {
    const keys = bandKeys(1001, 16, 3, false);
    const written = spilled(keys, 16, keysPerChunk, spill);
    const inMemory = new ItemMajorKeys(keys, 1001, 16);
    expect(written.count).toBe(1001);
    for (let band = 0; band < 16; band++) expect(bandOf(written, band)).toEqual(bandOf(inMemory, band));
    expect(itemMajor(written)).toEqual(keys);
    expect(groupBandRange(written, 0, 16, { maxBucketSize: 300 })).toEqual(groupBandKeys(keys, 1001, 16, { maxBucketSize: 300 }));
  });

  it('refuses keys that are not whole items, and keys or a second finish after the first', () => {
    expect(() => new BandKeyWriter(spill, 16).add(new Uint32Array(17))).toThrow(/whole items/);
    const writer = new BandKeyWriter(spill, 16);
    writer.add(new Uint32Array(32));
    expect(writer.finish().count).toBe(2);
    expect(() => writer.add(new Uint32Array(16))).toThrow(/after the writer finished/);
    expect(() => writer.finish()).toThrow(/finished twice/);
  });
});

describe('groupInPool', () => {
  const pool = new AnalysisPool(resolveOptions(), 2);
  const spill = new SpillFile();
  afterAll(() => (pool.close(), spill.close()));

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
    const items = new ItemMajorKeys(keys, count, bands);
    expect(await groupInPool(pool)(items, { maxBucketSize: 900 })).toEqual(expected);
    // Chains from buckets of more than 4 items: the workers are given every option.
    expect(await groupInPool(pool)(items, { maxBucketSize: 900, allPairsUpTo: 4 })).toEqual(groupBandKeys(keys, count, bands, { maxBucketSize: 900, allPairsUpTo: 4 }));
  });

  it('groups spilled keys on the workers as keys in memory', async () => {
    const keys = bandKeys(3000, 16, 11, false);
    const expected = groupBandKeys(keys, 3000, 16, { maxBucketSize: 900 });
    expect(await groupInPool(pool)(spilled(keys, 16, 5000, spill), { maxBucketSize: 900 })).toEqual(expected);
  });

  it('merges ranges of bands into the grouping of all of them, in any split', () => {
    const keys = bandKeys(500, 6, 9, false);
    const whole = groupBandKeys(keys, 500, 6, { maxBucketSize: 100 });
    for (const cuts of [[0, 6], [0, 1, 6], [0, 2, 3, 5, 6], [0, 1, 2, 3, 4, 5, 6]]) {
      const parts = cuts.slice(1).map((to, r) => groupBandRange(new ItemMajorKeys(keys, 500, 6), cuts[r]!, to, { maxBucketSize: 100 }));
      expect(mergeCandidates(parts)).toEqual(whole);
    }
  });
});
