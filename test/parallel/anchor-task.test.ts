/**
 * Syndication's anchor candidates found on a worker (the flat anchor lists of a pool task) are
 * those found on this thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyzer, loadFingerprinter, resolveOptions } from '../../src/index.js';
import { containmentCandidates } from '../../src/detect/containment-candidates.js';
import { anchorCandidatesInPool } from '../../src/parallel/measure-pool.js';
import { AnalysisPool } from '../../src/parallel/pool.js';
import { editWords, syntheticArticles } from '../filter/corpus.js';

describe('anchorCandidatesInPool', () => {
  const options = resolveOptions();
  const pool = new AnalysisPool(options, 2);
  afterAll(() => pool.close());

  it('gives the pairs, common-anchor count and shared anchors of containmentCandidates, empty documents included', async () => {
    const articles = syntheticArticles(400, 31);
    // Copies quoted inside round-ups, edited copies, and documents with no anchors at all.
    const texts = articles.map(({ text }, i) => (i % 4 === 1 ? `${articles[i - 1]!.text}\n${text}` : i % 9 === 2 ? editWords(articles[i - 2]!.text, 4, i) : i % 50 === 7 ? '' : text));
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    const analyses = texts.map((text) => analyzer.analyze(text));
    const expected = containmentCandidates(analyses);
    expect(expected.pairs.length / 2).toBeGreaterThan(50);
    expect(await anchorCandidatesInPool(pool, analyses)()).toEqual(expected);
  });
});
