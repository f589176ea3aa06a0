/**
 * The Redis backend on a real redis-server (started by the global setup): the index interface,
 * an id already indexed handled as the file index handles it, stop signals, and two `syndic filter --redis` processes racing over the same near-duplicate pairs fed in
 * opposite orders: exactly one record of each pair is accepted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { openIndex, RedisIndex, type FilterIndex, type Verdict } from '../../src/index.js';
import { isCellOf } from '../../src/store/redis/layout.js';
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

  it('refuses an index of an older key layout, naming it, and leaves it untouched', async () => {
    const namespace = `test-layout-${process.pid}`;
    const client = new Redis(url);
    const older = JSON.stringify({ layout: 4, groups: 1024, params: {} });
    try {
      await client.set(`${namespace}:meta`, older);
      await expect(openIndex({ redis: url, namespace })).rejects.toThrow(/has key layout 4, this syndic reads layout 7/);
      expect(await client.get(`${namespace}:meta`)).toBe(older);
    } finally {
      await client.del(`${namespace}:meta`);
      client.disconnect();
    }
  });

  it('four bucket groups (one per hash tag) give the verdicts of the default 128', async () => {
    const articles = syntheticArticles(30, 41);
    const copies = articles.slice(0, 10).map((article, i) => ({ id: `copy-${i}`, text: editWords(article.text, 2, i) }));
    const namespace = `test-groups-${process.pid}`;
    const small = (await openIndex({ redis: url, namespace, groups: 4 })) as RedisIndex;
    const usual = (await openIndex({ redis: url, namespace: `${namespace}-default` })) as RedisIndex;
    const client = new Redis(url);
    try {
      for (const index of [small, usual]) await index.addMany(articles);
      const verdicts = await small.checkAndAddMany(copies);
      expect(verdicts).toEqual(await usual.checkAndAddMany(copies));
      expect(verdicts.every((verdict) => !(verdict instanceof Error) && verdict.verdict === 'duplicate')).toBe(true);
      expect((await client.keys(`${namespace}:b:*`)).sort()).toEqual([0, 1, 2, 3].map((group) => `${namespace}:b:{${namespace}/${group}}${group}`));
    } finally {
      client.disconnect();
      for (const index of [small, usual]) {
        await index.destroy();
        await index.close();
      }
    }
  });

  it('bucket groups split their cells as they fill; two handles writing in turn get the file index\'s verdicts', async () => {
    const articles = syntheticArticles(700, 77);
    const stream = [...articles, ...articles.filter((_, i) => i % 9 === 0).map((article, i) => ({ id: `copy-${i}`, text: editWords(article.text, 2, i) }))];
    const directory = mkdtempSync(path.join(tmpdir(), 'syndic-levels-'));
    const namespace = `test-levels-${process.pid}`;
    // Two groups of 128 cells: about 150 of these articles fill a level.
    const handles = [0, 1].map(async () => (await openIndex({ redis: url, namespace, groups: 2 })) as RedisIndex);
    const [first, second] = await Promise.all(handles);
    const file = await openIndex({ path: path.join(directory, 'levels.idx') });
    const client = new Redis(url);
    try {
      for (let at = 0, turn = 0; at < stream.length; at += 40, turn++) {
        const batch = stream.slice(at, at + 40);
        // Each handle last saw the groups before the other's batches split more of their cells.
        expect(await (turn % 2 === 0 ? first! : second!).checkAndAddMany(batch)).toEqual(await file.checkAndAddMany(batch));
      }
      expect(await first!.count()).toBe(file.size);
      // A handle opened now has seen no split: its first reads ask for level-0 cells and are sent again.
      const late = (await openIndex({ redis: url, namespace })) as RedisIndex;
      const probes = articles.filter((_, i) => i % 50 === 1).map((article, i) => ({ id: `probe-${i}`, text: editWords(article.text, 3, 100 + i) }));
      for (const probe of probes) expect(await late.check(probe)).toEqual(await file.check(probe));
      expect((await file.check(probes[0]!)).verdict).toBe('duplicate');
      await late.close();
      for (const group of [0, 1]) {
        const fields = await client.hgetallBuffer(`${namespace}:b:{${namespace}/${group}}${group}`);
        const state = Number(fields.L?.toString());
        // Grown from 128 cells to more than twice as many, one split at a time.
        expect(128 * 2 ** Math.floor(state / 2 ** 32) + (state % 2 ** 32)).toBeGreaterThan(300);
        const cells = Object.entries(fields).filter(([field]) => field !== 'L' && field !== 'n');
        // Every cell is one of the group's, and the group counts its cells' whole 64-byte blocks.
        for (const [field] of cells) expect(isCellOf(Number(field), state)).toBe(true);
        expect(cells.reduce((sum, [, value]) => sum + Math.floor(value.length / 64), 0)).toBe(Number(fields.n?.toString()));
      }
    } finally {
      client.disconnect();
      await first!.destroy();
      for (const index of [first!, second!, file]) await index.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a bucket group whose state is not a number is a damaged index, named, not a hang', async () => {
    const namespace = `test-damaged-${process.pid}`;
    const index = (await openIndex({ redis: url, namespace, groups: 2 })) as RedisIndex;
    const client = new Redis(url);
    try {
      const [record] = syntheticArticles(1, 5);
      await index.add(record!);
      for (const group of [0, 1]) await client.hset(`${namespace}:b:{${namespace}/${group}}${group}`, 'L', 'x');
      await expect(index.check({ id: 'probe', text: record!.text })).rejects.toThrow(/bucket group \d is damaged \(state "x"\)/);
    } finally {
      client.disconnect();
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

  it('an id already indexed gets the file index\'s outcomes: add, checkAndAdd and a batch', async () => {
    const [first, other, later, last] = syntheticArticles(4, 14);
    const directory = mkdtempSync(path.join(tmpdir(), 'syndic-same-id-'));
    const redis = (await openIndex({ redis: url, namespace: `test-same-id-${process.pid}` })) as RedisIndex;
    const file = await openIndex({ path: path.join(directory, 'same.idx') });
    /** What one index makes of each step: verdicts, or the message of the error thrown. */
    const steps = async (index: FilterIndex): Promise<unknown[]> => {
      const settle = (run: () => Promise<unknown>): Promise<unknown> => run().catch((error: Error) => `error: ${error.message}`);
      const outcomes: unknown[] = [];
      outcomes.push(await settle(() => index.add(first!)));
      outcomes.push(await settle(() => index.add({ id: first!.id, text: other!.text })));
      outcomes.push(await settle(() => index.checkAndAdd(first!)));
      outcomes.push(await settle(() => index.checkAndAdd({ id: first!.id, text: other!.text })));
      const batch = await index.checkAndAddMany([later!, { id: first!.id, text: other!.text }, last!]);
      outcomes.push(batch.map((outcome) => (outcome instanceof Error ? `error: ${outcome.message}` : outcome)));
      outcomes.push(index.size, await index.contains(last!.id));
      return outcomes;
    };
    try {
      const fromFile = await steps(file);
      expect(await steps(redis)).toEqual(fromFile);
      // The steps above: refused twice, a duplicate of itself, then the batch ends at the known id.
      expect(fromFile[1]).toMatch(/already in the index/);
      expect((fromFile[2] as Verdict).verdict).toBe('duplicate');
      expect(fromFile[3]).toMatch(/already in the index/);
      expect((fromFile[4] as unknown[]).length).toBe(2);
      expect(fromFile.slice(5)).toEqual([2, false]);
    } finally {
      await redis.destroy();
      await redis.close();
      await file.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('the pairs of rejected records go with the next batch or on close; meanwhile they are left out', async () => {
    const namespace = `test-deferred-${process.pid}`;
    const articles = syntheticArticles(20, 16);
    const copies = articles.map((article, i) => ({ id: `copy-${i}`, text: editWords(article.text, 2, i) }));
    const client = new Redis(url);
    /** Tickets found in the cells of the index, and how many of them are not accepted records. */
    const ticketsInCells = async (): Promise<{ tickets: number; notAccepted: number }> => {
      const tickets = new Set<number>();
      for (const group of await client.keys(`${namespace}:b:*`)) {
        for (const cell of await client.hvalsBuffer(group)) for (let at = 4; at < cell.length; at += 8) tickets.add(cell.readUInt32LE(at));
      }
      let notAccepted = 0;
      for (const ticket of tickets) if ((await client.getrange(`${namespace}:r:${ticket}`, 0, 0)) !== 'a') notAccepted++;
      return { tickets: tickets.size, notAccepted };
    };
    let index = (await openIndex({ redis: url, namespace })) as RedisIndex;
    try {
      await index.addMany(articles);
      expect((await index.checkAndAddMany(copies)).every((outcome) => !(outcome instanceof Error) && outcome.verdict === 'duplicate')).toBe(true);
      // The copies' pairs are still there, their records dead: checks leave them out.
      expect((await ticketsInCells()).notAccepted).toBe(20);
      expect((await index.check(copies[3]!)).matches.map((match) => match.id)).toEqual([articles[3]!.id]);
      const novel = syntheticArticles(1, 17)[0]!;
      expect((await index.checkAndAddMany([novel]))[0]).toEqual({ id: novel.id, verdict: 'new', matches: [] });
      // Removed with the next batch's appends.
      expect(await ticketsInCells()).toEqual({ tickets: 21, notAccepted: 0 });
      await index.checkAndAddMany(copies.slice(0, 5));
      await index.close();
      expect(await ticketsInCells()).toEqual({ tickets: 21, notAccepted: 0 });
    } finally {
      index = (await openIndex({ redis: url, namespace })) as RedisIndex;
      await index.destroy();
      await index.close();
      client.disconnect();
    }
  });

  it('a bucket stops growing past maxBucketSize + 1 pairs, with the file index\'s verdicts', async () => {
    const options = { maxBucketSize: 2 };
    const [base] = syntheticArticles(1, 15);
    const copies = Array.from({ length: 6 }, (_, i) => ({ id: `same-${i}`, text: base!.text }));
    const directory = mkdtempSync(path.join(tmpdir(), 'syndic-cap-'));
    const namespace = `test-cap-${process.pid}`;
    const redis = (await openIndex({ redis: url, namespace, options })) as RedisIndex;
    const file = await openIndex({ path: path.join(directory, 'cap.idx'), options });
    const client = new Redis(url);
    try {
      for (const index of [redis, file]) await index.addMany(copies);
      // Every document bucket of the text holds 6 members: over maxBucketSize, so no candidate.
      const probe = { id: 'probe', text: base!.text };
      expect(await redis.check(probe)).toEqual(await file.check(probe));
      expect((await file.check(probe)).verdict).toBe('new');
      // Pairs per key in every cell: at most maxBucketSize + 1 = 3.
      const perKey = new Map<number, number>();
      for (const group of await client.keys(`${namespace}:b:*`)) {
        for (const [field, cell] of Object.entries(await client.hgetallBuffer(group))) {
          if (field === 'L' || field === 'n') continue;
          for (let at = 0; at < cell.length; at += 8) perKey.set(cell.readUInt32LE(at), (perKey.get(cell.readUInt32LE(at)) ?? 0) + 1);
        }
      }
      expect(Math.max(...perKey.values())).toBe(3);
    } finally {
      client.disconnect();
      await redis.destroy();
      await redis.close();
      await file.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`filter --redis: ${signal} is exit ${code} after printing every accepted record; the index holds exactly those`, async () => {
      const namespace = `test-${signal}-${process.pid}`;
      const directory = mkdtempSync(path.join(tmpdir(), 'syndic-redis-signal-'));
      const rejects = path.join(directory, 'rejects.jsonl');
      const child = spawn(process.execPath, [BIN, 'filter', '--redis', url, '--redis-namespace', namespace, '--rejects', rejects], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // stdin stays open: the filter waits for more input when the signal comes.
      const records = syntheticArticles(100, 31).flatMap((article, i) => [article, { id: `copy-${i}`, text: editWords(article.text, 2, i) }]);
      child.stdin.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      for (let waited = 0; stdout.split('\n').length <= 100 && waited < 60_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill(signal);
      expect(await closed, stderr).toBe(code);
      expect(stderr).toContain(`syndic: ${signal}: finishing the record in hand`);
      const printed = stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
      expect(printed).toEqual(records.filter((_, i) => i % 2 === 0).map((record) => record.id));
      const rejected = readFileSync(rejects, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
      expect(rejected).toEqual(records.filter((_, i) => i % 2 === 1).map((record) => record.id));
      const index = (await openIndex({ redis: url, namespace })) as RedisIndex;
      try {
        expect(await index.count()).toBe(100);
        for (const id of printed.slice(0, 10)) expect(await index.contains(id)).toBe(true);
      } finally {
        await index.destroy();
        await index.close();
        rmSync(directory, { recursive: true, force: true });
      }
    });
  }

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
