/**
 * The accuracy harness's synthetic corpus is deterministic and plants every kind of copy (the
 * truth it is scored against is tested in truth.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { generateCorpus, PLANTED_KINDS } from '../../bench/corpus/generate.js';
import { createRandom } from '../../bench/corpus/random.js';

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
