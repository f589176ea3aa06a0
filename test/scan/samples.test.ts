/**
 * The samples/ folder end to end through the built binary: findings against samples/expected.json,
 * the DESIGN JSON contract, the text report of `npm start`, and byte-identical output across runs
 * and worker counts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../src/index.js';
import { ROOT, runSyndic } from '../cli/run.js';

interface Expected {
  documents: string[];
  cases: Array<{ file: string; copyOf: string | null; kind: 'syndication' | 'duplicate' | 'none'; origin: string | null }>;
  duplicates: { pairs: Array<{ a: string; b: string; origin: string }>; clusters: Array<{ representative: string; members: string[] }> };
  syndication: Array<{ a: string; b: string; origin: string }>;
  internalRepeats: Record<string, number>;
  paragraphs: { 'internal-repeat': number; syndicated: number; boilerplate: Array<{ text: string; documents: string[] }> };
}

const expected = JSON.parse(readFileSync(path.join(ROOT, 'samples/expected.json'), 'utf8')) as Expected;
const SEEDS = expected.documents.filter((id) => /^00[0-4]_/.test(id));

describe('syndic scan samples --format json', () => {
  let output: string;
  let result: DetectionResult;
  beforeAll(async () => {
    const run = await runSyndic(['scan', 'samples', '--format', 'json', '--jobs', '1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    output = run.stdout;
    result = JSON.parse(output) as DetectionResult;
  });

  it('follows the contract: the top-level keys in order, version 1', () => {
    expect(Object.keys(result)).toEqual(['version', 'params', 'stats', 'documents', 'duplicates', 'syndication', 'paragraphs', 'stories', 'outlets']);
    expect(result.version).toBe(1);
    expect(Object.keys(result.duplicates)).toEqual(['pairs', 'clusters']);
    for (const doc of result.documents) expect(Object.keys(doc)).toEqual(['id', 'chars', 'paragraphs', 'internalRepeats']);
    for (const pair of result.duplicates.pairs) expect(pair).toMatchObject({ a: expect.any(String), b: expect.any(String), jaccard: expect.any(Number), method: 'exact' });
    for (const pair of result.syndication) {
      expect(pair).toMatchObject({ containment: { aInB: expect.any(Number), bInA: expect.any(Number) }, sharedParagraphs: expect.any(Number) });
    }
    for (const cluster of result.paragraphs) {
      expect(['internal-repeat', 'syndicated', 'boilerplate']).toContain(cluster.kind);
      for (const occurrence of cluster.occurrences) expect(Object.keys(occurrence)).toEqual(['id', 'paragraph', 'start', 'end']);
    }
  });

  it('reads every sample file in sorted order', () => {
    expect(result.documents.map((doc) => doc.id)).toEqual(expected.documents);
  });

  it('finds exactly the expected duplicates and syndication pairs, with their direction', () => {
    expect(result.duplicates.pairs.map(({ a, b, origin }) => ({ a, b, origin }))).toEqual(expected.duplicates.pairs);
    expect(result.duplicates.clusters).toEqual(expected.duplicates.clusters);
    expect(result.syndication.map(({ a, b, origin }) => ({ a, b, origin }))).toEqual(expected.syndication);
  });

  it('finds every synthetic copy with the right kind and origin', () => {
    for (const testCase of expected.cases) {
      const involving = (pair: { a: string; b: string }): boolean => pair.a === testCase.file || pair.b === testCase.file;
      const duplicate = result.duplicates.pairs.find((pair) => involving(pair) && (pair.a === testCase.copyOf || pair.b === testCase.copyOf));
      const syndicated = result.syndication.find((pair) => involving(pair) && (pair.a === testCase.copyOf || pair.b === testCase.copyOf));
      if (testCase.kind === 'none') {
        expect(result.duplicates.pairs.filter(involving), testCase.file).toEqual([]);
        expect(result.syndication.filter(involving), testCase.file).toEqual([]);
        continue;
      }
      const found = testCase.kind === 'duplicate' ? duplicate : syndicated;
      expect(found, testCase.file).toBeDefined();
      expect(found!.origin).toBe(testCase.origin);
      expect(testCase.kind === 'duplicate' ? syndicated : duplicate, `${testCase.file} has one kind`).toBeUndefined();
    }
  });

  it('reports no pair of seed pages', () => {
    const seedPair = (pair: { a: string; b: string }): boolean => SEEDS.includes(pair.a) && SEEDS.includes(pair.b);
    expect(result.duplicates.pairs.filter(seedPair)).toEqual([]);
    expect(result.syndication.filter(seedPair)).toEqual([]);
  });

  it('counts internal repeats: 8 in 003 (its doubled body), 001 title and footer lines', () => {
    const counts = Object.fromEntries(result.documents.filter((doc) => doc.internalRepeats.length > 0).map((doc) => [doc.id, doc.internalRepeats.length]));
    expect(counts).toEqual(expected.internalRepeats);
    const seed003 = result.documents.find((doc) => doc.id.startsWith('003_'))!;
    expect(seed003.internalRepeats).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((p) => ({ paragraph: p + 8, sameAs: p })));
    const seed001 = result.paragraphs.filter((cluster) => cluster.kind === 'internal-repeat' && cluster.occurrences[0]!.id.startsWith('001_'));
    expect(seed001.map((cluster) => cluster.occurrences.length)).toEqual([4, 2, 4, 2, 2, 2]);
  });

  it('classifies the comment-form lines of 000 and 004 and the outlet chrome of 005/008 as boilerplate', () => {
    const boilerplate = result.paragraphs
      .filter((cluster) => cluster.kind === 'boilerplate')
      .map((cluster) => ({ text: cluster.text, documents: [...new Set(cluster.occurrences.map((occurrence) => occurrence.id))].sort() }));
    expect(boilerplate).toEqual(expected.paragraphs.boilerplate);
    expect(boilerplate.map((cluster) => cluster.text)).toEqual(expect.arrayContaining(['اترك تعليقاً', 'زر الذهاب إلى الأعلى']));
    const kinds = (kind: string): number => result.paragraphs.filter((cluster) => cluster.kind === kind).length;
    expect(kinds('internal-repeat')).toBe(expected.paragraphs['internal-repeat']);
    expect(kinds('syndicated')).toBe(expected.paragraphs.syndicated);
  });

  it('is byte-identical across runs and worker counts', async () => {
    const again = await runSyndic(['scan', 'samples', '--format', 'json', '--jobs', '1']);
    const twoWorkers = await runSyndic(['scan', 'samples', '--format', 'json', '--jobs', '2']);
    expect(again.stdout).toBe(output);
    expect(twoWorkers.stdout).toBe(output);
  });
});

describe('syndic scan samples (the npm start report)', () => {
  it('prints the text report with counts, clusters, syndication quoting the original', async () => {
    const run = await runSyndic(['scan', 'samples']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('syndic scan: 9 documents, 201 paragraphs');
    expect(run.stdout).toContain('near-duplicates      1 pair in 1 cluster, 1 redundant copy');
    expect(run.stdout).toContain('syndicated copies    5 pairs');
    expect(run.stdout).toContain('1. 003_13b42c5a08ef7be2.txt → 005_wrapped_other_outlet.txt');
    expect(run.stdout).toContain('007_edited_copy.txt  (Jaccard 0.915)');
    // Quoted in original form: the tanween and the straight quotes of 003 are kept.
    expect(run.stdout).toContain('أن "الدول الثلاثة أصبحت قريبة جداً');
    expect(run.stdout).toContain('003_13b42c5a08ef7be2.txt: 8 repeated paragraphs of 17');
  });
});
