/**
 * Scoring against truth: a tiny case written out by hand, an independent scorer on random runs,
 * and cluster metrics (adjusted Rand index, B-cubed) computed by hand on a six-item fixture.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../bench/corpus/random.js';
import { evaluate, pairComponents } from '../../src/eval/evaluate.js';
import { clusterScores } from '../../src/eval/metrics.js';
import { measureBands, scoreCopies, truthClass, type ReportedPair, type TruthEntry } from '../../src/eval/score.js';

const thresholds = { threshold: 0.8, containment: 0.8 };
const entry = (a: string, b: string, jaccard: number, aInB: number, bInA: number): TruthEntry => ({ a, b, jaccard, aInB, bInA });

describe('truthClass', () => {
  it('is near-duplicate at Jaccard ≥ threshold, else syndicated when the smaller document is inside the other', () => {
    expect(truthClass(entry('a', 'b', 0.8, 0.9, 0.88), thresholds)).toBe('duplicate');
    expect(truthClass(entry('a', 'b', 0.3, 0.32, 0.95), thresholds)).toBe('syndicated');
    expect(truthClass(entry('a', 'b', 0.79, 0.8, 0.85), thresholds)).toBe('syndicated');
    expect(truthClass(entry('a', 'b', 0.6, 0.75, 0.79), thresholds)).toBe('none');
  });

  it('decides from the exact counts when it has them: the smaller is the one with fewer shingles', () => {
    // 80 of 100 and 80 of 120: Jaccard 80/140 = 0.571; the smaller (100) is 0.8 inside the other.
    expect(truthClass({ ...entry('a', 'b', 0.571429, 0.8, 0.666667), shared: 80, shingles: [100, 120] }, thresholds)).toBe('syndicated');
    // Jaccard 399,999 / 500,000 = 0.799998 is written rounded as 0.8: the counts keep it under the threshold.
    const nearThreshold = entry('a', 'b', 0.8, 0.888887, 0.888889);
    expect(truthClass(nearThreshold, thresholds)).toBe('duplicate');
    expect(truthClass({ ...nearThreshold, shared: 399_999, shingles: [450_000, 449_999] }, thresholds)).toBe('syndicated');
  });
});

describe('scoreCopies: a tiny run by hand', () => {
  const truth = [
    entry('a', 'b', 1, 1, 1), // duplicate, found
    entry('a', 'c', 0.86, 0.9, 0.95), // duplicate, reported as syndication
    entry('d', 'e', 0.4, 0.41, 0.97), // syndicated, found
    entry('d', 'f', 0.5, 0.82, 0.6), // syndicated, missed
    entry('g', 'h', 0.55, 0.6, 0.7), // neither: reporting it is wrong
  ];
  const reported: ReportedPair[] = [
    { a: 'b', b: 'a', kind: 'duplicate' },
    { a: 'a', b: 'c', kind: 'syndication' },
    { a: 'd', b: 'e', kind: 'syndication' },
    { a: 'g', b: 'h', kind: 'syndication' },
    { a: 'x', b: 'y', kind: 'duplicate' },
    { a: 'y', b: 'x', kind: 'syndication' },
  ];
  const result = scoreCopies(truth, reported, thresholds);

  it('scores each class on its own and both together', () => {
    expect(result.nearDuplicates.scores).toEqual({ truth: 2, detected: 2, truePositives: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(result.syndication.scores).toEqual({ truth: 2, detected: 3, truePositives: 1, precision: 0.3333, recall: 0.5, f1: 0.4 });
    expect(result.syndication.reportedAre).toEqual({ duplicate: 1, syndicated: 1, none: 1 });
    expect(result.copies).toEqual({ truth: 4, detected: 5, truePositives: 3, precision: 0.6, recall: 0.75, f1: 0.6667 });
    expect(result.reportedAsBoth).toBe(1);
  });

  it('gives recall by band, and what the other class caught', () => {
    expect(result.nearDuplicates.byJaccard.map((row) => [row.band, row.truth, row.found, row.foundAsOther])).toEqual([
      ['[0.80, 0.85)', 0, 0, 0],
      ['[0.85, 0.90)', 1, 0, 1],
      ['[0.90, 0.95)', 0, 0, 0],
      ['[0.95, 1.00)', 0, 0, 0],
      ['1.00', 1, 1, 0],
    ]);
    expect(result.syndication.byContainment.map((row) => [row.band, row.truth, row.found, row.recall])).toEqual([
      ['[0.80, 0.85)', 1, 0, 0],
      ['[0.85, 0.90)', 0, 0, 1],
      ['[0.90, 0.95)', 0, 0, 1],
      ['[0.95, 1.00]', 1, 1, 1],
    ]);
  });

  it('bands cover [threshold, 1] without gaps', () => {
    expect(measureBands(0.82, false).map((band) => band.band)).toEqual(['[0.82, 0.87)', '[0.87, 0.92)', '[0.92, 0.97)', '[0.97, 1.00]']);
  });
});

describe('scoreCopies against an independent scorer', () => {
  it('agrees on random truth and runs', () => {
    const random = createRandom(7);
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 40 }, (_, i) => `doc-${i}`);
      const truth: TruthEntry[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < 150; i++) {
        const [x, y] = [ids[random.int(40)]!, ids[random.int(40)]!].sort();
        if (x === y || seen.has(`${x}|${y}`)) continue;
        seen.add(`${x}|${y}`);
        const jaccard = random.int(1001) / 1000;
        const big = Math.min(1, jaccard + random.int(1001) / 1000);
        truth.push(random.chance(0.5) ? entry(x!, y!, jaccard, big, jaccard) : entry(x!, y!, jaccard, jaccard, big));
      }
      const reported: ReportedPair[] = Array.from({ length: 120 }, () => ({ a: ids[random.int(40)]!, b: ids[random.int(40)]!, kind: random.chance(0.5) ? 'duplicate' : 'syndication' }));

      // Independent: unordered pairs as sorted tuples, classes from the measures, counts by filtering.
      const same = (p: { a: string; b: string }, q: { a: string; b: string }): boolean => (p.a === q.a && p.b === q.b) || (p.a === q.b && p.b === q.a);
      const cls = (e: TruthEntry): string => (e.jaccard >= 0.8 ? 'dup' : Math.max(e.aInB, e.bInA) >= 0.8 ? 'synd' : 'none');
      const distinct: ReportedPair[] = [];
      for (const pair of reported) {
        if (pair.a === pair.b) continue;
        const other = distinct.find((q) => same(q, pair));
        if (!other) distinct.push({ ...pair });
        else if (pair.kind === 'duplicate') other.kind = 'duplicate';
      }
      const trueDup = truth.filter((e) => cls(e) === 'dup');
      const trueSynd = truth.filter((e) => cls(e) === 'synd');
      const repDup = distinct.filter((p) => p.kind === 'duplicate');
      const repSynd = distinct.filter((p) => p.kind === 'syndication');
      const dupHits = repDup.filter((p) => trueDup.some((e) => same(e, p))).length;
      const syndHits = repSynd.filter((p) => trueSynd.some((e) => same(e, p))).length;

      const result = scoreCopies(truth, reported, thresholds);
      expect([result.nearDuplicates.scores.truth, result.nearDuplicates.scores.detected, result.nearDuplicates.scores.truePositives]).toEqual([trueDup.length, repDup.length, dupHits]);
      expect([result.syndication.scores.truth, result.syndication.scores.detected, result.syndication.scores.truePositives]).toEqual([trueSynd.length, repSynd.length, syndHits]);
      expect(result.syndication.scores.precision).toBeCloseTo(repSynd.length === 0 ? 1 : syndHits / repSynd.length, 4);
      expect(result.nearDuplicates.scores.recall).toBeCloseTo(trueDup.length === 0 ? 1 : dupHits / trueDup.length, 4);
      const foundBands = result.syndication.byContainment.reduce((sum, row) => sum + row.found, 0);
      const truthBands = result.syndication.byContainment.reduce((sum, row) => sum + row.truth, 0);
      expect([truthBands, foundBands]).toEqual([trueSynd.length, syndHits]);
      expect(result.nearDuplicates.byJaccard.reduce((sum, row) => sum + row.found, 0)).toBe(dupHits);
    }
  });
});

describe('cluster metrics', () => {
  // Truth {a,b,c} {d,e} {f}; predicted {a,b} {c,d,e} {f}. Contingency cells 2, 1, 2, 1:
  // ARI = (2 − 4·4/15) / ((4 + 4)/2 − 4·4/15) = 14/44; B-cubed precision
  // (1 + 1 + 1/3 + 2/3 + 2/3 + 1)/6 = 0.7778, recall (2/3 + 2/3 + 1/3 + 1 + 1 + 1)/6 = 0.7778.
  const truth = new Map(Object.entries({ a: 'T1', b: 'T1', c: 'T1', d: 'T2', e: 'T2', f: 'T3' }));

  it('match the hand computation', () => {
    const predicted = new Map(Object.entries({ a: 'P1', b: 'P1', c: 'P2', d: 'P2', e: 'P2', f: 'P3' }));
    expect(clusterScores(truth, predicted)).toEqual({
      items: 6,
      trueClusters: 3,
      predictedClusters: 3,
      adjustedRand: 0.3182,
      bcubedPrecision: 0.7778,
      bcubedRecall: 0.7778,
      bcubedF1: 0.7778,
    });
  });

  it('take connected reported pairs as clusters, items in no pair as singletons', () => {
    const pairs: ReportedPair[] = [
      { a: 'a', b: 'b', kind: 'duplicate' },
      { a: 'd', b: 'c', kind: 'syndication' },
      { a: 'e', b: 'd', kind: 'duplicate' },
      { a: 'x', b: 'y', kind: 'duplicate' },
    ];
    expect(pairComponents(pairs)).toEqual(new Map(Object.entries({ a: 'a', b: 'a', d: 'c', c: 'c', e: 'c', x: 'x', y: 'x' })));
    const result = evaluate({ header: null, pairs: [], clusters: truth }, { source: 'test', pairs, clusters: null, cost: null }, thresholds);
    expect(result.clusters).toMatchObject({ adjustedRand: 0.3182, bcubedPrecision: 0.7778, bcubedRecall: 0.7778, predictedFrom: 'connected reported pairs' });
  });

  it('score 1 for the same partition, all-singletons included, and B-cubed recall 1/3 per item of a split triple', () => {
    expect(clusterScores(truth, truth).adjustedRand).toBe(1);
    const singletons = new Map(Object.entries({ a: 'a', b: 'b', c: 'c' }));
    expect(clusterScores(singletons, new Map()).adjustedRand).toBe(1);
    const triple = new Map(Object.entries({ a: 'T', b: 'T', c: 'T' }));
    expect(clusterScores(triple, new Map())).toMatchObject({ bcubedPrecision: 1, bcubedRecall: 0.3333, adjustedRand: 0 });
  });
});
