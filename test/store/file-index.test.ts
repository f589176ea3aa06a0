/**
 * The embedded index file: round trip, refusal of damaged / foreign / other-parameter files
 * (left untouched), the writer lock and stale-lock takeover, removal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex, SyndicError } from '../../src/index.js';
import { editWords, syntheticArticles } from '../filter/corpus.js';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'syndic-index-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const articles = syntheticArticles(60, 7);

async function buildIndex(file: string): Promise<void> {
  const index = await openIndex({ path: file });
  for (const article of articles) await index.add(article);
  await index.close();
}

async function refusal(file: string): Promise<SyndicError> {
  const error = await openIndex({ path: file }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SyndicError);
  return error as SyndicError;
}

describe('index file', () => {
  it('checks with the largest maxBucketSize (1e9) without allocating for it: a copy is still found', async () => {
    const index = await openIndex({ path: path.join(directory, 'uncapped.idx'), options: { maxBucketSize: 1e9 } });
    for (const article of articles) await index.add(article);
    const verdict = await index.checkAndAdd({ id: 'copy', text: editWords(articles[3]!.text, 2, 1) });
    expect(verdict).toMatchObject({ verdict: 'duplicate', matches: [{ id: articles[3]!.id }] });
    await index.close();
  });

  it('round-trips ids, signatures and paragraphs: same verdicts after reload', async () => {
    const file = path.join(directory, 'a.idx');
    await buildIndex(file);
    const copy = { id: 'copy', text: editWords(articles[3]!.text, 2, 1) };
    const wrapped = { id: 'wrapped', text: `${articles[5]!.text}\nتابعونا على تويتر للمزيد من الأخبار العاجلة والتقارير الخاصة كل يوم` };
    const index = await openIndex({ path: file });
    expect(index.size).toBe(60);
    const before = [await index.check(copy), await index.check(wrapped), await index.check(articles[9]!)];
    await index.close();
    const reloaded = await openIndex({ path: file, readOnly: true });
    const after = [await reloaded.check(copy), await reloaded.check(wrapped), await reloaded.check(articles[9]!)];
    expect(after).toEqual(before);
    expect(after[0]!.verdict).toBe('duplicate');
    expect(after[0]!.matches[0]!.id).toBe(articles[3]!.id);
    expect(after[2]).toMatchObject({ verdict: 'duplicate', matches: [{ id: articles[9]!.id, jaccard: 1, containment: { aInB: 1, bInA: 1 } }] });
    expect((await reloaded.check({ id: 'novel', text: syntheticArticles(1, 99)[0]!.text })).verdict).toBe('new');
    await reloaded.close();
  });

  it('drops removed records at the next save', async () => {
    const file = path.join(directory, 'a.idx');
    await buildIndex(file);
    const index = await openIndex({ path: file });
    expect(await index.remove(articles[0]!.id)).toBe(true);
    expect(await index.remove('missing')).toBe(false);
    expect((await index.check(articles[0]!)).verdict).toBe('new');
    await index.close();
    const reloaded = await openIndex({ path: file });
    expect(reloaded.size).toBe(59);
    expect((await reloaded.check(articles[0]!)).verdict).toBe('new');
    expect((await reloaded.check(articles[1]!)).verdict).toBe('duplicate');
    await reloaded.close();
  });

  const damages: Array<[string, (bytes: Buffer) => Buffer, RegExp]> = [
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 1000), /truncated|does not match|checksum/],
    ['a flipped byte', (bytes) => Buffer.from(bytes.map((byte, i) => (i === bytes.length >> 1 ? byte ^ 0x10 : byte))), /checksum mismatch/],
    ['another magic', (bytes) => Buffer.concat([Buffer.from('NOTANIDX'), bytes.subarray(8)]), /not a syndic index/],
    ['another format version', (bytes) => Buffer.from(bytes.map((byte, i) => (i === 8 ? 9 : byte))), /format version 9/],
    ['empty', () => Buffer.alloc(0), /not a syndic index/],
  ];
  for (const [name, damage, message] of damages) {
    it(`refuses a file that is ${name} and leaves it untouched`, async () => {
      const file = path.join(directory, 'a.idx');
      await buildIndex(file);
      const damaged = damage(readFileSync(file));
      writeFileSync(file, damaged);
      const error = await refusal(file);
      expect(error.kind).toBe('index');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(message);
      expect(readFileSync(file).equals(damaged)).toBe(true);
      expect(existsSync(`${file}.lock`)).toBe(false);
    });
  }

  it('refuses explicit parameters that disagree with the stored ones, accepts matching ones', async () => {
    const file = path.join(directory, 'a.idx');
    await buildIndex(file);
    const error = await openIndex({ path: file, options: { shingleSize: 7, threshold: 0.9 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyndicError);
    expect((error as SyndicError).kind).toBe('params');
    expect((error as SyndicError).message).toMatch(/shingleSize=7 \(index has 5\).*threshold=0.9 \(index has 0.8\)/);
    const index = await openIndex({ path: file, options: { shingleSize: 5, threshold: 0.8 } });
    expect(index.size).toBe(60);
    await index.close();
  });

  it('keeps two writers apart and takes over a stale lock', async () => {
    const file = path.join(directory, 'a.idx');
    const first = await openIndex({ path: file });
    const error = await openIndex({ path: file }).catch((caught: unknown) => caught);
    expect((error as SyndicError).message).toMatch(/locked by another writer \(pid \d+/);
    // Readers take no lock: they see the last saved state.
    const reader = await openIndex({ path: file, readOnly: true });
    expect(reader.size).toBe(0);
    await reader.close();
    await first.close();
    // A lock left by a process that no longer runs (pid beyond the kernel's range) is stale.
    writeFileSync(`${file}.lock`, '2147483646\n');
    const second = await openIndex({ path: file });
    expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await second.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
