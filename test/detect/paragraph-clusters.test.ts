/**
 * The flat paragraph clusters of a run and the result's view of them: clusters ordered by first
 * occurrence whatever the order they were found in, and quoted clusters that read the same as
 * the plain objects of the JSON contract.
 */
import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/index.js';
import { ClusterOfParagraph, ParagraphClusterBuilder } from '../../src/detect/paragraph-clusters.js';
import { syntheticArticles } from '../filter/corpus.js';

describe('ParagraphClusterBuilder', () => {
  it('orders clusters by first occurrence and keeps each one’s occurrences and kind', () => {
    const builder = new ParagraphClusterBuilder();
    builder.add('boilerplate', [2, 3, 5], [0, 0, 1]);
    builder.add('internal-repeat', [0, 0], [1, 4]);
    builder.add('syndicated', [0, 7], [2, 0]);
    builder.add('syndicated', [1, 2], [3, 3]);
    const clusters = builder.finish();
    expect(clusters.count).toBe(4);
    const listed = Array.from({ length: clusters.count }, (_, c) => [clusters.kind(c), [...clusters.docs(c)], [...clusters.paragraphs(c)], clusters.firstOccurrence(c)]);
    expect(listed).toEqual([
      ['internal-repeat', [0, 0], [1, 4], 0],
      ['syndicated', [0, 7], [2, 0], 2],
      ['syndicated', [1, 2], [3, 3], 4],
      ['boilerplate', [2, 3, 5], [0, 0, 1], 6],
    ]);
    expect(clusters.occurrenceCount).toBe(9);
    expect([clusters.countOf('syndicated'), clusters.countOf('boilerplate'), clusters.countOf('internal-repeat')]).toEqual([2, 1, 1]);
    const clusterOf = ClusterOfParagraph.of(clusters, [5, 4, 1, 1, 0, 2, 0, 1]);
    expect([...clusterOf.of(0)]).toEqual([-1, 0, 1, -1, 0]);
    expect([...clusterOf.of(2)]).toEqual([3]);
    expect([...clusterOf.of(5)]).toEqual([-1, 3]);
  });
});

describe('quoted paragraph clusters of a result', () => {
  it('read as the plain objects of the contract: text from the first occurrence, the same on every read', async () => {
    const articles = syntheticArticles(12, 7);
    const footer = 'جميع الحقوق محفوظة لهذا الموقع الإخباري ولا يجوز النقل دون إذن مسبق من إدارة التحرير';
    const records = articles.map(({ text }, i) => ({ id: `d${i}`, text: `${text}\n${footer}`, source: 'one' }));
    records.push({ id: 'copy', text: records[3]!.text.split('\n').slice(0, 2).join('\n'), source: 'two' });
    const result = await findDuplicates(records);
    expect(result.paragraphs.length).toBeGreaterThan(1);
    for (const cluster of result.paragraphs) {
      const plain = JSON.parse(JSON.stringify(cluster)) as Record<string, unknown>;
      expect(Object.keys(plain)).toEqual(['kind', 'text', 'occurrences']);
      expect(plain).toEqual({ kind: cluster.kind, text: cluster.text, occurrences: cluster.occurrences });
      const [first] = cluster.occurrences;
      const record = records.find((r) => r.id === first!.id)!;
      expect(cluster.text).toBe(record.text.slice(first!.start, first!.end));
      for (const occurrence of cluster.occurrences) {
        expect(records.find((r) => r.id === occurrence.id)!.text.slice(occurrence.start, occurrence.end).length).toBeGreaterThan(0);
      }
      expect(cluster.occurrences).toEqual(cluster.occurrences);
    }
    expect(result.paragraphs.some((cluster) => cluster.kind === 'boilerplate' && cluster.text === footer)).toBe(true);
  });
});
