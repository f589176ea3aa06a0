/**
 * A copy cut in the middle of a paragraph is still syndication: its last paragraph is only a
 * prefix of the original's, so paragraph Jaccard misses it, but it lies inside the original.
 */
import { describe, expect, it } from 'vitest';
import { loadBaseMaterial } from '../../bench/corpus/base.js';
import { findDuplicates } from '../../src/index.js';

describe('syndication of a truncated copy', () => {
  it('counts the cut paragraph as covered', async () => {
    const article = loadBaseMaterial().articles.find((a) => a.paragraphs.length >= 3 && a.paragraphs.every((p) => p.length >= 200 && p.length <= 600))!;
    const [first, second, third] = article.paragraphs as [string, string, string];
    const original = [first, second, third].join('\n\n');
    // Copy: the first paragraph and the first ~60% of the second; well under Jaccard 0.8.
    const copy = [first, second.slice(0, Math.floor(second.length * 0.6))].join('\n\n');
    const result = await findDuplicates([
      { id: 'original', text: original, source: 'a', date: '2024-01-01' },
      { id: 'copy', text: copy, source: 'b', date: '2024-01-02' },
    ]);
    expect(result.duplicates.pairs).toEqual([]);
    expect(result.syndication).toHaveLength(1);
    expect(result.syndication[0]).toMatchObject({ a: 'original', b: 'copy', origin: 'original', containment: { bInA: 1 } });
  });
});
