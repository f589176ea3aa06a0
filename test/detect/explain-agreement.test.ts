/**
 * One definition of a copy: for every pair a scan of the real data reports, the explainer gives
 * the same category, origin and values; no pair is both a near-duplicate and a syndicated copy.
 * Skipped when the data set (../shared/data) is absent.
 */
import { describe, expect, it } from 'vitest';
import { createExplainer, findDuplicates } from '../../src/index.js';
import { loadRealRecords } from '../filter/corpus.js';

const records = loadRealRecords();

describe.skipIf(records === null)('explain agrees with scan on the real data', () => {
  it('gives every reported pair the category, origin and values scan gave it', async () => {
    const result = await findDuplicates(records!);
    const explainer = await createExplainer(records!);
    const duplicates = new Set(result.duplicates.pairs.map((pair) => `${pair.a} ${pair.b}`));
    expect(result.syndication.filter((pair) => duplicates.has(`${pair.a} ${pair.b}`))).toEqual([]);
    expect(result.syndication.length).toBeGreaterThan(1000);
    for (const [category, pairs] of [['duplicate', result.duplicates.pairs], ['syndicated', result.syndication]] as const) {
      for (const pair of pairs) {
        const explained = explainer.explain(pair.a, pair.b);
        expect({ category: explained.category, origin: explained.origin, jaccard: explained.jaccard, containment: explained.containment }).toEqual({
          category,
          origin: pair.origin,
          jaccard: pair.jaccard,
          containment: pair.containment,
        });
      }
    }
  });
});
