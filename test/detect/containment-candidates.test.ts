import { describe, expect, it } from 'vitest';
import type { DocumentAnalysis } from '../../src/analyze/analyze.js';
import { ANCHOR_MAX_DOCUMENTS, ANCHOR_SHARE, anchorShare, containmentCandidates } from '../../src/detect/containment-candidates.js';
import { prng } from '../faults/helpers.js';

/** Documents as anchor sets: some share passages (copies, quotes), some phrases are common. */
function documents(count: number, seed: number): DocumentAnalysis[] {
  const next = prng(seed);
  const sets: Array<Set<number>> = [];
  const common = Array.from({ length: 20 }, () => Math.floor(next() * 0xffffffff));
  for (let d = 0; d < count; d++) {
    const set = new Set<number>();
    const size = 1 + Math.floor(next() * 60);
    if (d > 0 && next() < 0.4) {
      // A copy or a quote: part of an earlier document's anchors.
      const source = [...sets[Math.floor(next() * d)]!];
      const keep = next();
      for (const anchor of source) if (next() < keep) set.add(anchor);
    }
    while (set.size < size) set.add(next() < 0.1 ? common[Math.floor(next() * common.length)]! : Math.floor(next() * 0xffffffff));
    sets.push(set);
  }
  // Only anchors matter here.
  return sets.map((set) => ({ anchors: Uint32Array.from([...set].sort((x, y) => x - y)) }) as DocumentAnalysis);
}

/** The definition, by brute force: pairs sharing ≥ ANCHOR_SHARE of the smaller one's anchors, counting anchors in 2..ANCHOR_MAX_DOCUMENTS documents. */
function bruteForce(analyses: readonly DocumentAnalysis[]): number[] {
  const frequency = new Map<number, number>();
  for (const analysis of analyses) for (const anchor of analysis.anchors) frequency.set(anchor, (frequency.get(anchor) ?? 0) + 1);
  const pairs: number[] = [];
  for (let a = 0; a < analyses.length; a++) {
    const ofA = new Set(analyses[a]!.anchors);
    for (let b = a + 1; b < analyses.length; b++) {
      let shared = 0;
      for (const anchor of analyses[b]!.anchors) if (ofA.has(anchor) && frequency.get(anchor)! <= ANCHOR_MAX_DOCUMENTS) shared++;
      if (shared > 0 && shared >= ANCHOR_SHARE * Math.min(analyses[a]!.anchors.length, analyses[b]!.anchors.length)) pairs.push(a, b);
    }
  }
  return pairs;
}

describe('containment candidates', () => {
  it.each([1, 2, 3])('are exactly the pairs that share a fifth of the smaller document’s anchors (seed %i)', (seed) => {
    const analyses = documents(400, seed);
    const expected = bruteForce(analyses);
    expect(expected.length).toBeGreaterThan(100);
    expect([...containmentCandidates(analyses).pairs]).toEqual(expected);
  });

  it('give every pair’s anchor share, common anchors included, as the anchors themselves do', () => {
    // Two anchors far over ANCHOR_MAX_DOCUMENTS documents, besides the generator's copies and phrases.
    const analyses = documents(400, 4).map((analysis, d) => {
      const extra = [d % 3 === 0 ? [3] : [], d % 2 === 0 ? [5] : []].flat();
      return { anchors: Uint32Array.from(new Set([...extra, ...analysis.anchors])).sort() } as DocumentAnalysis;
    });
    const { shared, commonAnchors } = containmentCandidates(analyses);
    expect(commonAnchors).toBe(2);
    for (let a = 0; a < analyses.length; a++) {
      const ofA = new Set(analyses[a]!.anchors);
      for (let b = a + 1; b < analyses.length; b++) {
        const anchorsOfB = analyses[b]!.anchors;
        const fewer = Math.min(ofA.size, anchorsOfB.length);
        const expected = fewer === 0 ? 1 : anchorsOfB.filter((anchor) => ofA.has(anchor)).length / fewer;
        if (anchorShare(shared, a, b) !== expected) expect([a, b, anchorShare(shared, a, b)]).toEqual([a, b, expected]);
      }
    }
  });

  it('leave out anchors shared by more than ANCHOR_MAX_DOCUMENTS documents, and count them', () => {
    const shared = Uint32Array.from([7]);
    const analyses = Array.from({ length: ANCHOR_MAX_DOCUMENTS + 1 }, () => ({ anchors: shared }) as DocumentAnalysis);
    const result = containmentCandidates(analyses);
    expect(result.pairs.length).toBe(0);
    expect(result.commonAnchors).toBe(1);
  });
});
