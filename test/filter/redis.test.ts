/**
 * The Redis backend on a real redis-server (started by the global setup): the index interface,
 * and two `syndic filter --redis` processes racing over the same near-duplicate pairs fed in
 * opposite orders: exactly one record of each pair is accepted.
 */
import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { openIndex, RedisIndex } from '../../src/index.js';
import { BIN } from '../cli/run.js';
import { editWords, syntheticArticles } from './corpus.js';

const url = inject('redisUrl');
if (!url) console.log(`skipping Redis tests: ${inject('redisSkipReason')}`);

function runFilter(namespace: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'filter', '--redis', url, '--redis-namespace', namespace], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.skipIf(!url)('Redis index', () => {
  it('adds, checks, removes, refuses other parameters', async () => {
    const namespace = `test-api-${process.pid}`;
    const articles = syntheticArticles(40, 11);
    const index = (await openIndex({ redis: url, namespace })) as RedisIndex;
    try {
      for (const article of articles) await index.add(article);
      expect(await index.count()).toBe(40);
      const copy = { id: 'copy', text: editWords(articles[2]!.text, 2, 5) };
      const verdict = await index.check(copy);
      expect(verdict.verdict).toBe('duplicate');
      expect(verdict.matches[0]!.id).toBe(articles[2]!.id);
      expect((await index.checkAndAdd(copy)).verdict).toBe('duplicate');
      const novel = syntheticArticles(1, 12)[0]!;
      expect(await index.checkAndAdd(novel)).toEqual({ id: novel.id, verdict: 'new', matches: [] });
      expect(await index.count()).toBe(41);
      expect(await index.contains(articles[2]!.id)).toBe(true);
      expect(await index.remove(articles[2]!.id)).toBe(true);
      expect(await index.remove(articles[2]!.id)).toBe(false);
      expect(await index.contains(articles[2]!.id)).toBe(false);
      expect((await index.check(copy)).verdict).toBe('new');
      // Verdict options conflict; data options (shingle size, bands...) name another index (another key prefix).
      await expect(openIndex({ redis: url, namespace, options: { containment: 0.5 } })).rejects.toThrow(/containment=0.5 \(index has 0.8\)/);
    } finally {
      await index.destroy();
      await index.close();
    }
  });

  it('refuses to add an id that is already indexed', async () => {
    const index = (await openIndex({ redis: url, namespace: `test-id-${process.pid}` })) as RedisIndex;
    try {
      const record = syntheticArticles(1, 13)[0]!;
      await index.add(record);
      await expect(index.add(record)).rejects.toThrow(/already in the index/);
    } finally {
      await index.destroy();
      await index.close();
    }
  });

  it('two filter processes over the same 300 near-duplicate pairs in opposite orders accept exactly one of each pair', async () => {
    const namespace = `test-race-${process.pid}`;
    const originals = syntheticArticles(300, 21);
    const pairs = originals.map((article, i) => [
      { id: `a${i}`, text: article.text },
      { id: `b${i}`, text: editWords(article.text, 3, i) },
    ]);
    const forward = pairs.flat();
    const backward = [...forward].reverse();
    const jsonl = (records: typeof forward): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const [first, second] = await Promise.all([runFilter(namespace, jsonl(forward)), runFilter(namespace, jsonl(backward))]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const accepted = [...first.stdout.split('\n'), ...second.stdout.split('\n')].filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    const perPair = new Map<string, number>();
    for (const id of accepted) perPair.set(id.slice(1), (perPair.get(id.slice(1)) ?? 0) + 1);
    expect(perPair.size).toBe(300);
    expect([...perPair.values()].every((count) => count === 1)).toBe(true);
    const index = (await openIndex({ redis: url, namespace })) as RedisIndex;
    expect(await index.count()).toBe(300);
    await index.destroy();
    await index.close();
  });
});
