import { describe, expect, it } from 'vitest';
import { clusterEdges, exactSimilarity, toShingleSet } from '../../src/index.js';
import { intersectionSize } from '../../src/analyze/similarity.js';
import { compareRepresentatives, UnionFind } from '../../src/detect/cluster.js';

describe('exact similarity', () => {
  it('builds sorted sets without repeats', () => {
    expect(Array.from(toShingleSet(Uint32Array.from([5, 3, 5, 4294967295, 0, 3])))).toEqual([0, 3, 5, 4294967295]);
    expect(toShingleSet(new Uint32Array(0)).length).toBe(0);
  });

  it('measures Jaccard and both containments', () => {
    const a = Uint32Array.from([1, 2, 3, 4]);
    const b = Uint32Array.from([3, 4, 5, 6, 7, 8]);
    expect(intersectionSize(a, b)).toBe(2);
    expect(exactSimilarity(a, b)).toEqual({ intersection: 2, jaccard: 2 / 8, aInB: 0.5, bInA: 2 / 6 });
    expect(exactSimilarity(a, a).jaccard).toBe(1);
    expect(exactSimilarity(a, new Uint32Array(0)).jaccard).toBe(0);
  });
});

describe('clustering', () => {
  it('union-find groups connected items', () => {
    const sets = new UnionFind(6);
    sets.union(0, 1);
    sets.union(4, 5);
    sets.union(1, 2);
    expect(sets.union(0, 2)).toBe(false);
    expect(sets.groups()).toEqual([[0, 1, 2], [4, 5]]);
  });

  it('chooses the representative by earliest date, then longest text, then smallest id', () => {
    const ranked = [
      { id: 'b', date: '2015-07-22', chars: 10 },
      { id: 'c', date: '2015-07-21T10:00', chars: 5 },
      { id: 'a', chars: 100 },
      { id: 'd', date: '2015-07-21T10:00', chars: 50 },
      { id: 'e', date: '2015-07-21T10:00', chars: 50 },
    ].sort(compareRepresentatives);
    expect(ranked.map((r) => r.id)).toEqual(['d', 'e', 'c', 'b', 'a']);
  });

  it('does not let a chain A~B~C merge A and C when C is not similar to the representative', () => {
    // 0~1 and 1~2 are edges, but 2 is not similar to 0 (the representative).
    const similar = new Set(['0-1', '1-2']);
    const clusters = clusterEdges(
      4,
      [0, 1, 1, 2],
      (a, b) => a - b,
      (rep, member) => similar.has(`${Math.min(rep, member)}-${Math.max(rep, member)}`),
    );
    expect(clusters).toEqual([{ representative: 0, members: [0, 1] }]);
  });

  it('re-clusters rejected members among themselves', () => {
    // 0 is the representative; 2 and 3 are far from 0 but close to each other.
    const similar = new Set(['0-1', '2-3']);
    const clusters = clusterEdges(
      4,
      [0, 1, 1, 2, 2, 3],
      (a, b) => a - b,
      (rep, member) => similar.has(`${Math.min(rep, member)}-${Math.max(rep, member)}`),
    );
    expect(clusters).toEqual([
      { representative: 0, members: [0, 1] },
      { representative: 2, members: [2, 3] },
    ]);
  });
});
