/**
 * Resharding during a run: two filter workers over the same near-duplicate stream in opposite
 * orders, on a cluster of their own, while `redis-cli --cluster reshard` moves 300 slots (and
 * the index keys in them) from one master to another. Both workers end with exit 0, and the
 * fleet's guarantees hold: no near-duplicate pair accepted, nothing lost.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openIndex, RedisIndex } from '../../src/index.js';
import { BIN, ROOT } from '../cli/run.js';
import { findRedisServer, redisCli, startRedisCluster, type RedisClusterProcesses } from '../setup/redis.js';
import { expectFleetGuarantees, nearDuplicatePairs, type WorkerRun } from './redis-workers.js';
import type { TestRecord } from '../filter/corpus.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Several filter processes each: minutes on a loaded machine, seconds on an idle one. */
const HEAVY = 180_000;
/** Records of each stream written only after the reshard. */
const HELD = 100;
const available = inject('redisClusterUrls') !== '';
let cluster: RedisClusterProcesses;
beforeAll(async () => {
  if (available) cluster = await startRedisCluster(findRedisServer()!);
});
afterAll(async () => {
  await cluster?.stop();
});

/**
 * A worker fed 10 records every 50 ms; `started` resolves once it has accepted 50. The last
 * `HELD` records wait for `release()`, so the worker is still running, its stream open, however
 * long the reshard takes on a loaded machine, and those records are routed after the move.
 */
function slowWorker(urls: string, namespace: string, records: TestRecord[]): { started: Promise<void>; release: () => void; running: () => boolean; done: Promise<WorkerRun> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'syndic-reshard-'));
  const rejects = path.join(dir, 'rejects.jsonl');
  const child = spawn(process.execPath, [BIN, 'filter', '--redis', urls, '--redis-namespace', namespace, '--rejects', rejects], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signal: () => void = () => {};
  const started = new Promise<void>((resolve) => (signal = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.split('\n').length > 50) signal();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => {}); // A worker that failed stops reading; its exit code says so.
  void (async () => {
    for (let i = 0; i < records.length; i++) {
      if (i === records.length - HELD) await released;
      child.stdin.write(`${JSON.stringify(records[i])}\n`);
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.stdin.end();
  })();
  const done = new Promise<WorkerRun>((resolve) =>
    child.on('close', (code) => {
      const lines = (text: string): string[] => text.split('\n').filter(Boolean);
      let rejected = '';
      try {
        rejected = readFileSync(rejects, 'utf8');
      } catch {
        // The run failed before writing rejects; the exit code says so.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({
        code,
        stdout,
        stderr,
        accepted: lines(stdout).map((line) => JSON.parse(line) as TestRecord),
        rejected: lines(rejected).map((line) => JSON.parse(line) as WorkerRun['rejected'][number]),
      });
    }),
  );
  return { started, release, running: () => child.exitCode === null, done };
}

describe.skipIf(!available)('Redis Cluster resharded during a run', () => {
  it('two workers survive `redis-cli --cluster reshard` of 300 slots with exit 0 and the guarantees', async () => {
    const urls = cluster.urls.join(',');
    const namespace = `test-reshard-${process.pid}`;
    const records = nearDuplicatePairs(600, 61);
    const streams = [records, [...records].reverse()];
    const workers = streams.map((stream) => slowWorker(urls, namespace, stream));
    await Promise.all(workers.map((worker) => worker.started));
    const [from, to] = await Promise.all(cluster.ports.slice(0, 2).map(async (port) => (await redisCli(['-p', String(port), 'cluster', 'myid'])).trim()));
    const output = await redisCli(['--cluster', 'reshard', `127.0.0.1:${cluster.ports[0]}`, '--cluster-from', from!, '--cluster-to', to!, '--cluster-slots', '300', '--cluster-yes']);
    expect(output).toMatch(/Moving slot/);
    // The slots moved while both workers were still running.
    const running = workers.map((worker) => worker.running());
    for (const worker of workers) worker.release();
    const runs = await Promise.all(workers.map((worker) => worker.done));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(running).toEqual([true, true]);
    const index = (await openIndex({ redis: cluster.urls, namespace })) as RedisIndex;
    const accepted = await expectFleetGuarantees(runs, streams, await index.count());
    await index.close();
    expect(new Set(accepted.map((record) => record.id.slice(1))).size).toBe(600);
    expect(accepted).toHaveLength(600);
  }, HEAVY);
});
