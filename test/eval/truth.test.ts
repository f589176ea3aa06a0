/**
 * Exact truth: the prefix-filtered inverted index finds exactly the pairs a naive all-pairs merge
 * finds (random sets, a generated corpus, real articles), and `syndic truth` writes the harness's
 * truth for a sample of the real data, pair for pair.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFile, loadRealRecords } from '../../bench/corpus/base.js';
import { generateCorpus } from '../../bench/corpus/generate.js';
import { createRandom } from '../../bench/corpus/random.js';
import { analyzeRecords, computeTruth, paragraphItems } from '../../bench/eval/dataset.js';
import { parseTruth } from '../../src/eval/files.js';
import { documentTruth, exactPairs, type TruthBounds, type TruthPair } from '../../src/eval/truth.js';
import { toShingleSet } from '../../src/index.js';
import { runSyndic } from '../cli/run.js';

/** The reference: every pair measured by a plain merge of the two sorted sets, no filtering. */
function naivePairs(sets: readonly Uint32Array[], bounds: TruthBounds): TruthPair[] {
  const pairs: TruthPair[] = [];
  for (let a = 0; a < sets.length; a++) {
    const x = sets[a]!;
    for (let b = a + 1; b < sets.length; b++) {
      const y = sets[b]!;
      let intersection = 0;
      for (let i = 0, j = 0; i < x.length && j < y.length; ) {
        if (x[i] === y[j]) intersection++, i++, j++;
        else if (x[i]! < y[j]!) i++;
        else j++;
      }
      const jaccard = intersection / (x.length + y.length - intersection);
      const aInB = intersection / x.length;
      const bInA = intersection / y.length;
      if (jaccard >= bounds.jaccard || aInB >= bounds.containment || bInA >= bounds.containment) pairs.push({ a, b, intersection, jaccard, aInB, bInA });
    }
  }
  return pairs;
}

const BOUNDS: TruthBounds[] = [
  { jaccard: 0.5, containment: 0.8 },
  { jaccard: 0.5, containment: 0.5 },
  { jaccard: 0.8, containment: 0.9 },
  { jaccard: 0.9, containment: 0.6 },
  { jaccard: 0.3, containment: 2 },
  { jaccard: 2, containment: 0.7 },
];

const LOOSEST: TruthBounds = { jaccard: Math.min(...BOUNDS.map((b) => b.jaccard)), containment: Math.min(...BOUNDS.map((b) => b.containment)) };
const meets = (bounds: TruthBounds) => (pair: TruthPair): boolean => pair.jaccard >= bounds.jaccard || pair.aInB >= bounds.containment || pair.bInA >= bounds.containment;

describe('exactPairs', () => {
  it('agrees with naive all-pairs on random overlapping sets of very different sizes, tiny ones included', () => {
    const random = createRandom(11);
    for (let round = 0; round < 4; round++) {
      const base = Array.from({ length: 30 }, () => Uint32Array.from({ length: 1 + random.int(round === 0 ? 60 : 400) }, () => random.int(500)));
      const sets = base
        .flatMap((set) => {
          const variant = Array.from(set).filter(() => random.chance(0.85));
          while (random.chance(0.5)) variant.push(random.int(500));
          // A cut copy: a short set mostly inside a long one (containment without Jaccard).
          const cut = Array.from(set).slice(0, 1 + random.int(Math.max(1, set.length >> 2)));
          return [set, Uint32Array.from(variant.length > 0 ? variant : [1]), Uint32Array.from(cut)];
        })
        .map((set) => toShingleSet(set));
      const naive = naivePairs(sets, LOOSEST);
      for (const bounds of BOUNDS) expect(exactPairs(sets, bounds).pairs).toEqual(naive.filter(meets(bounds)));
    }
  });

  it('agrees with naive all-pairs on documents and paragraphs of a small generated corpus', async () => {
    const { records } = generateCorpus({ documents: 80, seed: 5 });
    const set = await analyzeRecords(records, {});
    const documentSets = set.analyses.map((analysis) => toShingleSet(analysis.hashes!));
    const paragraphSets = paragraphItems(set, 20).sets;
    for (const sets of [documentSets, paragraphSets]) {
      const naive = naivePairs(sets, LOOSEST);
      for (const bounds of BOUNDS) {
        const fast = exactPairs(sets, bounds).pairs;
        expect(fast.length).toBeGreaterThan(0);
        expect(fast).toEqual(naive.filter(meets(bounds)));
      }
    }
  }, 180_000);

  it('refuses empty sets and bounds of 0', () => {
    expect(() => exactPairs([Uint32Array.of(1), new Uint32Array(0)], { jaccard: 0.5, containment: 0.8 })).toThrow(/non-empty/);
    expect(() => exactPairs([Uint32Array.of(1)], { jaccard: 0, containment: 0.8 })).toThrow(/above 0/);
  });

  it('reports progress up to the number of sets', () => {
    const seen: number[] = [];
    exactPairs(Array.from({ length: 600 }, (_, i) => Uint32Array.of(i, i + 1)), { jaccard: 0.5, containment: 0.8 }, (done) => seen.push(done));
    expect(seen).toEqual([0, 256, 512, 600]);
  });
});

describe('documentTruth', () => {
  it('leaves empty documents out and names pairs by id in input order', () => {
    const sets = [Uint32Array.of(1, 2, 3), new Uint32Array(0), Uint32Array.of(1, 2, 3, 4), new Uint32Array(0)];
    const { entries } = documentTruth(['x', 'empty', 'y', 'also-empty'], sets, { jaccard: 0.5, containment: 0.8 });
    expect(entries).toEqual([{ a: 'x', b: 'y', jaccard: 0.75, aInB: 1, bInA: 0.75, shared: 3, shingles: [3, 4] }]);
  });
});

const hasData = existsSync(defaultDataFile());

describe.skipIf(!hasData)('syndic truth on a sample of the real data', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'syndic-truth-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the eval harness truth, pair for pair, and a naive all-pairs merge agrees', async () => {
    // Every 4th of the first 2,400 articles (three outlets' worth, many cross-outlet copies).
    const records = loadRealRecords().filter((_, i) => i < 2400 && i % 4 === 0);
    const file = path.join(dir, 'sample.jsonl');
    writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    const run = await runSyndic(['truth', file, '--out', path.join(dir, 'truth.jsonl')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const written = parseTruth(readFileSync(path.join(dir, 'truth.jsonl'), 'utf8'), 'truth.jsonl');
    expect(written.header).toMatchObject({ documents: records.length, jaccard: 0.5, containment: 0.8, shingleSize: 5, seed: 1 });

    const bounds = { jaccard: 0.5, containment: 0.8 };
    const harness = await analyzeRecords(records, {});
    const truth = computeTruth(harness, bounds, null, 20);
    const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
    const expected = truth.documents.map((pair) => ({
      a: records[pair.a]!.id,
      b: records[pair.b]!.id,
      jaccard: round6(pair.jaccard),
      aInB: round6(pair.aInB),
      bInA: round6(pair.bInA),
      shared: pair.intersection,
      shingles: [truth.documentSets[pair.a]!.length, truth.documentSets[pair.b]!.length],
    }));
    expect(expected.length).toBeGreaterThan(20);
    expect(written.pairs).toEqual(expected);
    expect(truth.documents).toEqual(naivePairs(truth.documentSets, bounds));
  }, 180_000);
});
