/**
 * The Redis index sharded over a real 3-master Redis Cluster (started by the global setup):
 * `filter` through any node; one worker's verdicts equal the file index's on the real data; 2 and
 * 4 workers over disjoint parts and over the same stream in opposite orders keep the guarantees;
 * parameters are checked on open; a given ioredis client works whatever its `lazyConnect`.
 */
import { Cluster, Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { openIndex, RedisIndex } from '../../src/index.js';
import { runSyndic } from '../cli/run.js';
import { loadRealData, syntheticArticles } from '../filter/corpus.js';
import { expectFleetGuarantees, jsonl, nearDuplicatePairs, runWorker } from './redis-workers.js';

/** Several filter processes each: minutes on a loaded machine, seconds on an idle one. */
const HEAVY = 180_000;
const urls = inject('redisClusterUrls');
if (!urls) console.log(`skipping Redis Cluster tests: ${inject('redisSkipReason')}`);
const nodes = urls.split(',');
let namespaces = 0;
const namespace = (name: string): string => `test-${name}-${process.pid}-${namespaces++}`;

async function indexed(ns: string): Promise<number> {
  const index = (await openIndex({ redis: nodes, namespace: ns })) as RedisIndex;
  try {
    return await index.count();
  } finally {
    await index.destroy();
    await index.close();
  }
}

describe.skipIf(!urls)('Redis Cluster index', () => {
  it('filter works through any node, and the index spreads over every master', async () => {
    const ns = namespace('any-node');
    const records = nearDuplicatePairs(90, 3);
    const runs = [];
    for (let n = 0; n < 3; n++) {
      const part = records.slice(n * 60, (n + 1) * 60);
      runs.push(await runWorker(['--redis', nodes[n]!, '--redis-cluster', '--redis-namespace', ns], part));
    }
    const parts = [0, 1, 2].map((n) => records.slice(n * 60, (n + 1) * 60));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    // Each part holds 30 pairs: one of each pair passes.
    expect(runs.map((run) => run.accepted.length)).toEqual([30, 30, 30]);
    for (const url of nodes) {
      const client = new Redis(url);
      try {
        const [, keys] = await client.scan('0', 'MATCH', `${ns}:*`, 'COUNT', 100_000);
        expect(keys.length, url).toBeGreaterThan(10);
      } finally {
        client.disconnect();
      }
    }
    await expectFleetGuarantees(runs, parts, await indexed(ns));
  }, HEAVY);

  const real = loadRealData();
  it.skipIf(!real)("one worker's verdicts equal the file index's on the real data", async () => {
    const records = real!.slice(0, 800);
    const ns = namespace('real');
    const [cluster, file] = [await runWorker(['--redis', urls, '--redis-namespace', ns], records), await fileRun(records)];
    expect(cluster.code, cluster.stderr).toBe(0);
    expect(cluster.stdout).toBe(file.stdout);
    expect(cluster.rejected).toEqual(file.rejected);
    expect(file.rejected.length).toBeGreaterThan(5);
    expect(await indexed(ns)).toBe(cluster.accepted.length);
  }, HEAVY);

  for (const workers of [2, 4]) {
    it(`${workers} workers over disjoint parts: no near-duplicate accepted, nothing lost`, async () => {
      const ns = namespace(`disjoint-${workers}`);
      // The pairs are dealt so that the two copies of a pair go to different workers.
      const records = nearDuplicatePairs(120, 40 + workers);
      const parts = Array.from({ length: workers }, (_, w) => records.filter((_, i) => (i + (i >> 1)) % workers === w));
      const runs = await Promise.all(parts.map((part) => runWorker(['--redis', urls, '--redis-namespace', ns], part)));
      const accepted = await expectFleetGuarantees(runs, parts, await indexed(ns));
      expect(accepted.length).toBe(120);
    }, HEAVY);

    it(`${workers} workers over the same stream in opposite orders: each copy accepted once`, async () => {
      const ns = namespace(`same-${workers}`);
      const records = nearDuplicatePairs(120, 50 + workers);
      const streams = Array.from({ length: workers }, (_, w) => (w % 2 === 0 ? records : [...records].reverse()));
      const runs = await Promise.all(streams.map((stream) => runWorker(['--redis', urls, '--redis-namespace', ns], stream)));
      // A record one worker accepted, the others reject as a duplicate of itself (same id, same text).
      const accepted = await expectFleetGuarantees(runs, streams, await indexed(ns));
      expect(accepted.length).toBe(120);
      const perPair = new Set(accepted.map((record) => record.id.slice(1)));
      expect(perPair.size).toBe(120);
      for (const run of runs) expect(run.accepted.length + run.rejected.length).toBe(records.length);
    }, HEAVY);
  }

  it('parameters are stored and checked on open: a mismatch is exit 2 naming the parameter', async () => {
    const ns = namespace('params');
    const records = syntheticArticles(5, 77);
    const first = await runWorker(['--redis', urls, '--redis-namespace', ns, '--threshold', '0.8'], records);
    expect(first.code, first.stderr).toBe(0);
    const second = await runSyndic(['filter', '--redis', urls, '--redis-namespace', ns, '--threshold', '0.9'], { input: jsonl(records) });
    expect(second.code).toBe(2);
    expect(second.stderr.trimEnd()).toMatch(/^syndic: Redis index "test-params-[^"]+" at .* was built with other parameters: threshold=0\.9 \(index has 0\.8\)/);
    expect(second.stdout).toBe('');
    await indexed(ns);
  }, HEAVY);

  it('an ioredis Cluster or Redis client given to openIndex works with and without lazyConnect', async () => {
    const seeds = nodes.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) }));
    const article = syntheticArticles(1, 91)[0]!;
    for (const lazyConnect of [true, false]) {
      const client = new Cluster(seeds, { lazyConnect });
      const ns = namespace(`client-${lazyConnect}`);
      try {
        const index = (await openIndex({ redis: client, namespace: ns })) as RedisIndex;
        expect((await index.checkAndAdd(article)).verdict).toBe('new');
        expect((await index.check({ id: 'again', text: article.text })).verdict).toBe('duplicate');
        await index.destroy();
        await index.close();
        // The caller's client is neither closed nor changed.
        expect(client.status).toBe(lazyConnect ? 'wait' : 'ready');
      } finally {
        client.disconnect();
      }
    }
  }, HEAVY);
});

async function fileRun(records: Parameters<typeof jsonl>[0]): ReturnType<typeof runWorker> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'syndic-file-'));
  try {
    return await runWorker(['--index', path.join(dir, 'f.idx')], records);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
