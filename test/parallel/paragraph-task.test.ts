/**
 * The paragraph pass's pairs measured on workers: a scan's input read by two workers with every
 * paragraph signature spilled (the workers read signatures and texts back from the spill), its
 * pairs measured in the pool, gives the result of findDuplicates on the same records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFromAnalyses } from '../../src/detect/detect.js';
import { findDuplicates, resolveOptions, type DocumentRecord } from '../../src/index.js';
import { readAndAnalyze } from '../../src/parallel/driver.js';
import { measureInPool, measureParagraphsInPool } from '../../src/parallel/measure-pool.js';
import { TextStore } from '../../src/parallel/textstore.js';
import { editWords, syntheticArticles } from '../filter/corpus.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-paragraph-task-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Articles that share paragraphs: edited copies, copies of one paragraph, a footer on many. */
function records(): DocumentRecord[] {
  const articles = syntheticArticles(600, 21);
  return articles.map(({ id, text }, i) => {
    const paragraphs = text.split('\n');
    if (i % 5 === 1) paragraphs[0] = editWords(articles[i - 1]!.text.split('\n')[0]!, 1, i);
    if (i % 7 === 3) paragraphs.push(articles[i - 3]!.text.split('\n')[2]!);
    if (i % 3 === 0) paragraphs.push('تابعونا على مواقع التواصل الاجتماعي للحصول على آخر الأخبار العاجلة');
    return { id, source: `outlet-${i % 6}`, text: i % 11 === 4 ? editWords(articles[i - 1]!.text, 3, i) : paragraphs.join('\n') };
  });
}

describe('measureParagraphsInPool', () => {
  it('gives the result of findDuplicates, signatures and texts read back by the workers', async () => {
    const input = records();
    const file = path.join(dir, 'input.jsonl');
    writeFileSync(file, input.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const options = resolveOptions();
    const expected = await findDuplicates(input);
    expect(expected.stats.paragraphCandidatePairs).toBeGreaterThan(100);
    expect(expected.stats.syndicatedParagraphs + expected.stats.boilerplateParagraphs).toBeGreaterThan(0);
    const store = new TextStore();
    try {
      const { records: stored, analyses, paragraphKeys, pool } = await readAndAnalyze([file], {}, options, { jobs: 2, signaturesInMemory: 0 }, store);
      try {
        const texts = { spill: store.spill.shareIfOpen(), spilledAt: (d: number) => stored[d]!.spilledAt(), utf16: (d: number) => stored[d]!.utf16() };
        expect(texts.spill).not.toBeNull();
        const result = await detectFromAnalyses(stored, analyses, options, {
          measurePairs: measureInPool(pool!, texts, analyses, options),
          measureParagraphs: measureParagraphsInPool(pool!, texts, analyses, options),
          paragraphKeys,
        });
        expect(JSON.stringify(result)).toBe(JSON.stringify(expected));
      } finally {
        await pool?.close();
      }
    } finally {
      store.close();
    }
  });
});
