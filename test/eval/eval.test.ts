/**
 * The accuracy harness checks itself: the generator is deterministic, and the prefix-filtered
 * brute-force truth finds exactly the pairs a naive all-pairs merge finds.
 */
import { describe, expect, it } from 'vitest';
import { generateCorpus, PLANTED_KINDS } from '../../bench/corpus/generate.js';
import { createRandom } from '../../bench/corpus/random.js';
import { analyzeRecords, paragraphItems } from '../../bench/eval/dataset.js';
import { bruteForcePairs, naivePairs, type TruthBounds } from '../../bench/eval/truth.js';
import { toShingleSet } from '../../src/index.js';

describe('generateCorpus', () => {
  it('gives the same records and truth for the same seed, different ones for another seed', () => {
    const first = generateCorpus({ documents: 400, seed: 7 });
    const second = generateCorpus({ documents: 400, seed: 7 });
    expect(second).toEqual(first);
    expect(generateCorpus({ documents: 400, seed: 8 }).records).not.toEqual(first.records);
  });

  it('plants every kind, copies after their originals, with unique ids', () => {
    const { records, planted } = generateCorpus({ documents: 600, seed: 3 });
    expect(records).toHaveLength(600);
    expect(new Set(records.map((record) => record.id)).size).toBe(600);
    expect(new Set(planted.map((pair) => pair.kind))).toEqual(new Set(PLANTED_KINDS));
    const index = new Map(records.map((record, i) => [record.id, i]));
    for (const pair of planted) expect(index.get(pair.original)!).toBeLessThan(index.get(pair.copy)!);
  });

  it('draws from a pinned seeded PRNG', () => {
    const random = createRandom(42);
    expect([random.int(1000), random.int(1000), random.int(1000)]).toEqual([218, 919, 74]);
  });
});

const sortPairs = <T extends { a: number; b: number }>(pairs: T[]): T[] => [...pairs].sort((x, y) => x.a - y.a || x.b - y.b);

describe('bruteForcePairs', () => {
  const boundsList: TruthBounds[] = [
    { jaccard: 0.5, containment: 0.5 },
    { jaccard: 0.8, containment: 0.9 },
    { jaccard: 0.3, containment: 2 },
  ];

  it('agrees with naive all-pairs on documents and paragraphs of a small generated corpus', async () => {
    const { records } = generateCorpus({ documents: 150, seed: 5 });
    const set = await analyzeRecords(records, {});
    const documentSets = set.analyses.map((analysis) => toShingleSet(analysis.hashes!));
    const paragraphSets = paragraphItems(set, 20).sets;
    for (const sets of [documentSets, paragraphSets]) {
      for (const bounds of boundsList) {
        const fast = bruteForcePairs(sets, bounds).pairs;
        expect(fast.length).toBeGreaterThan(0);
        expect(sortPairs(fast)).toEqual(naivePairs(sets, bounds));
      }
    }
  });

  it('agrees with naive all-pairs on random overlapping sets, tiny ones included', () => {
    const random = createRandom(11);
    const base = Array.from({ length: 30 }, () => Uint32Array.from({ length: 1 + random.int(60) }, () => random.int(400)));
    const sets = base.flatMap((set) => {
      const variant = Array.from(set).filter(() => random.chance(0.85));
      while (random.chance(0.5)) variant.push(random.int(400));
      return [set, Uint32Array.from(variant.length > 0 ? variant : [1])];
    }).map((set) => toShingleSet(set));
    for (const bounds of boundsList) expect(sortPairs(bruteForcePairs(sets, bounds).pairs)).toEqual(naivePairs(sets, bounds));
  });
});
