/**
 * Filter benchmark: check-and-add throughput and per-record latency (p50/p99) with 10k and 100k
 * indexed documents for the embedded file, the index file's size and load time, on the synthetic
 * corpus of bench/corpus (generateCorpus). The file index is measured three ways on copies of one
 * index: check-and-add alone (changes buffered for the journal, as a caller that never syncs), and
 * with a journal sync after every GROUP records (the filter's group commit) with fsync and with
 * write only. Then the Redis index, on a standalone redis-server and on a 3-master Redis Cluster
 * started here (or SYNDIC_BENCH_REDIS=redis://… for the standalone rows): one worker filtering the
 * 6,228 real articles, and with SYNDIC_BENCH_CORPUS=FILE (a JSONL file such as
 * `python3 make_corpus.py 100000 FILE` writes; minutes per deployment) a synthetic index of all but
 * its last 5,000 records (added untimed), then those 5,000 checked and added, timed — records/s and CPU of the worker, Redis CPU per
 * record (the servers' INFO cpu, and INFO commandstats), Redis memory per record stored (INFO
 * memory). Batches of BATCH_RECORDS, as `syndic filter` sends them. Results: stdout and
 * bench/results/filter.md.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/filter.js [sizes...]   (npm run bench:filter)
 *   node dist-bench/bench/filter.js redis-only                                     (skip the file rows)
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { BATCH_RECORDS } from '../src/cli/ingest.js';
import { FileIndex, openIndex, RedisIndex, type Durability, type FilterIndex } from '../src/index.js';
import { findRedisCli, findRedisServer, startRedis, startRedisCluster } from '../test/setup/redis.js';
import { generateCorpus } from './corpus/generate.js';

const PROBES = 3000;
/** Records per journal sync in the group-commit rows (about what one 64 KB read of stdin holds). */
const GROUP = 32;
/** Checked and added before the timed probes, so that the timed ones run on optimized code. */
const WARMUP = 500;

/**
 * The indexed documents and the probes: one stream of generateCorpus (real articles, then remixes
 * of them, 40% planted copies of recent originals, outlet page chrome as boilerplate); the first
 * `size` records are indexed, the next WARMUP are checked and added untimed, and the next PROBES
 * are checked and added, timed, in publication order.
 */
function corpus(size: number): { documents: Array<{ id: string; text: string }>; warmup: Array<{ id: string; text: string }>; probes: Array<{ id: string; text: string }> } {
  const records = generateCorpus({ documents: size + WARMUP + PROBES, seed: 1 }).records.map(({ id, text }) => ({ id, text }));
  return { documents: records.slice(0, size), warmup: records.slice(size, size + WARMUP), probes: records.slice(size + WARMUP) };
}

const percentile = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measure(
  index: FilterIndex,
  warmup: Array<{ id: string; text: string }>,
  probes: Array<{ id: string; text: string }>,
  syncEvery = 0,
): Promise<{ docsPerSecond: number; p50: number; p99: number; rejected: number }> {
  for (const record of warmup) await index.checkAndAdd(record);
  await index.sync();
  const latencies = new Float64Array(probes.length);
  let rejected = 0;
  const start = performance.now();
  for (let i = 0; i < probes.length; i++) {
    const t = performance.now();
    if ((await index.checkAndAdd(probes[i]!)).verdict !== 'new') rejected++;
    if (syncEvery > 0 && (i + 1) % syncEvery === 0) await index.sync();
    latencies[i] = performance.now() - t;
  }
  const elapsed = performance.now() - start;
  latencies.sort();
  return { docsPerSecond: probes.length / (elapsed / 1000), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rejected };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const redisOnly = args.includes('redis-only');
  const sizes = args.map(Number).filter((n) => n > 0);
  const rows: string[] = [];
  const lines: string[] = [];
  for (const size of redisOnly ? [] : sizes.length > 0 ? sizes : [10_000, 100_000]) {
    const { documents, warmup, probes } = corpus(size);
    const directory = mkdtempSync(path.join(tmpdir(), 'syndic-bench-'));
    const file = path.join(directory, 'bench.idx');
    try {
      let index = (await openIndex({ path: file })) as FileIndex;
      let t = performance.now();
      for (const document of documents) await index.add(document);
      const buildMs = performance.now() - t;
      t = performance.now();
      await index.close();
      const saveMs = performance.now() - t;
      const sizeBytes = statSync(file).size;
      const modes: Array<{ label: string; syncEvery: number; durability: Durability }> = [
        { label: 'file, no sync', syncEvery: 0, durability: 'fsync' },
        { label: `file, sync per ${GROUP}, fsync`, syncEvery: GROUP, durability: 'fsync' },
        { label: `file, sync per ${GROUP}, write only`, syncEvery: GROUP, durability: 'write' },
      ];
      for (const [n, mode] of modes.entries()) {
        const copy = path.join(directory, `copy-${n}.idx`);
        copyFileSync(file, copy);
        copyFileSync(`${file}.journal`, `${copy}.journal`);
        t = performance.now();
        index = (await openIndex({ path: copy, durability: mode.durability })) as FileIndex;
        const loadMs = performance.now() - t;
        const result = await measure(index, warmup, probes, mode.syncEvery);
        await index.close();
        rows.push(
          `| ${mode.label} | ${size} | ${result.docsPerSecond.toFixed(0)} | ${result.p50.toFixed(3)} | ${result.p99.toFixed(3)} | ${result.rejected}/${PROBES} | ` +
            `${(sizeBytes / 1e6).toFixed(1)} MB | ${loadMs.toFixed(0)} ms | build ${(size / (buildMs / 1000)).toFixed(0)} docs/s, save ${saveMs.toFixed(0)} ms |`,
        );
        console.error(rows.at(-1));
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  if (rows.length > 0) {
    lines.push(`Node ${process.version}; ${PROBES} check-and-add probes per size, after ${WARMUP} untimed ones: the records following the indexed ones in generateCorpus (seed 1; 40% planted copies of recent originals)\n`);
    lines.push('| backend | indexed | check-and-add docs/s | p50 ms | p99 ms | rejected | index file | load | notes |', '|---|---|---|---|---|---|---|---|---|', ...rows);
  }
  lines.push(...(await redisBench()));
  const report = `# Filter benchmark\n\n${new Date().toISOString()}, Node ${process.version}\n\n${lines.join('\n')}\n`;
  console.log(report);
  const results = new URL('../../bench/results/', import.meta.url).pathname;
  mkdirSync(results, { recursive: true });
  writeFileSync(path.join(results, 'filter.md'), report);
}

/** Records of a JSONL file (id and text). */
function readJsonl(file: string): Array<{ id: string; text: string }> {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { id, text } = JSON.parse(line) as { id: string; text: string };
      return { id, text };
    });
}

/** Where the Redis rows run: URLs of a standalone server or of cluster nodes, and the clients to read their INFO. */
interface Deployment {
  name: string;
  redis: string | string[];
  nodes: Redis[];
  stop: () => Promise<void>;
}

/** The standalone server (started here, or SYNDIC_BENCH_REDIS) and a 3-master cluster started here. */
async function deployments(): Promise<Deployment[]> {
  const binary = findRedisServer();
  const found: Deployment[] = [];
  if (process.env.SYNDIC_BENCH_REDIS) {
    found.push({ name: 'standalone', redis: process.env.SYNDIC_BENCH_REDIS, nodes: [new Redis(process.env.SYNDIC_BENCH_REDIS)], stop: async () => {} });
  } else if (binary !== null) {
    const server = await startRedis(binary);
    found.push({ name: 'standalone', redis: server.url, nodes: [new Redis(server.url)], stop: () => server.stop() });
  }
  if (binary !== null && findRedisCli() !== null) {
    const cluster = await startRedisCluster(binary);
    found.push({ name: '3-master cluster', redis: cluster.urls, nodes: cluster.urls.map((url) => new Redis(url)), stop: () => cluster.stop() });
  }
  return found;
}

/** Redis' counters summed over the nodes: memory in use, CPU seconds, and calls and microseconds per command. */
async function redisCounters(nodes: Redis[]): Promise<{ memory: number; cpu: number; commands: Map<string, { calls: number; usec: number }> }> {
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  const total = { memory: 0, cpu: 0, commands: new Map<string, { calls: number; usec: number }>() };
  for (const node of nodes) {
    const [memory, cpu, stats] = await Promise.all([node.info('memory'), node.info('cpu'), node.info('commandstats')]);
    total.memory += field(memory, 'used_memory');
    total.cpu += field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys');
    for (const match of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
      const entry = total.commands.get(match[1]!) ?? { calls: 0, usec: 0 };
      total.commands.set(match[1]!, { calls: entry.calls + Number(match[2]), usec: entry.usec + Number(match[3]) });
    }
  }
  return total;
}

/**
 * A fresh Redis index: `prefill` checked and added untimed, then `records` checked and added,
 * timed, in batches as `syndic filter` sends them; what the timed part cost the worker and Redis.
 */
async function redisRun(deployment: Deployment, name: string, records: Array<{ id: string; text: string }>, prefill: Array<{ id: string; text: string }>): Promise<string> {
  const index = (await openIndex({ redis: deployment.redis, namespace: `bench-${name}` })) as RedisIndex;
  await index.destroy();
  for (const node of deployment.nodes) await node.config('RESETSTAT');
  const empty = await redisCounters(deployment.nodes);
  for (let at = 0; at < prefill.length; at += BATCH_RECORDS) await index.addMany(prefill.slice(at, at + BATCH_RECORDS));
  const before = await redisCounters(deployment.nodes);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let rejected = 0;
  for (let at = 0; at < records.length; at += BATCH_RECORDS) {
    for (const outcome of await index.checkAndAddMany(records.slice(at, at + BATCH_RECORDS))) if (!(outcome instanceof Error) && outcome.verdict !== 'new') rejected++;
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const after = await redisCounters(deployment.nodes);
  const stored = await index.count();
  const perRecordUs = ((after.cpu - before.cpu) * 1e6) / records.length;
  const usec = (counters: typeof after): number => [...counters.commands.values()].reduce((sum, { usec }) => sum + usec, 0);
  const commandUs = (usec(after) - usec(before)) / records.length;
  const top = [...after.commands]
    .map(([command, { calls, usec }]) => ({ command, calls: calls - (before.commands.get(command)?.calls ?? 0), usec: usec - (before.commands.get(command)?.usec ?? 0) }))
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 3)
    .map(({ command, calls, usec }) => `${command} ${(calls / records.length).toFixed(1)}×${(usec / Math.max(1, calls)).toFixed(0)} µs`)
    .join(', ');
  await index.destroy();
  await index.close();
  return (
    `| ${deployment.name} | ${name} | ${prefill.length} + ${records.length} | ${stored} | ${(records.length / (elapsedMs / 1000)).toFixed(0)} | ${((cpu.user + cpu.system) / records.length).toFixed(0)} | ` +
    `${perRecordUs.toFixed(0)} | ${commandUs.toFixed(0)} | ${((after.memory - empty.memory) / stored / 1024).toFixed(2)} KB | ${rejected}/${records.length} | ${top} |`
  );
}

/** The Redis rows, as Markdown lines. */
async function redisBench(): Promise<string[]> {
  const rows: string[] = [];
  const real = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url).pathname;
  const large = process.env.SYNDIC_BENCH_CORPUS;
  const sets: Array<{ name: string; prefill: Array<{ id: string; text: string }>; records: Array<{ id: string; text: string }> }> = [];
  if (existsSync(real)) sets.push({ name: 'real 6,228', prefill: [], records: readJsonl(real) });
  if (large) {
    const records = readJsonl(large);
    sets.push({ name: `synthetic ${records.length}`, prefill: records.slice(0, -5000), records: records.slice(-5000) });
  }
  for (const deployment of await deployments()) {
    try {
      for (const set of sets) {
        rows.push(await redisRun(deployment, set.name, set.records, set.prefill));
        console.error(rows.at(-1));
      }
    } finally {
      for (const node of deployment.nodes) node.disconnect();
      await deployment.stop();
    }
  }
  if (rows.length === 0) return ['\nRedis rows skipped: no redis-server installed (and no SYNDIC_BENCH_REDIS).'];
  return [
    `\nRedis index, one worker, batches of ${BATCH_RECORDS} (as syndic filter sends them); figures per record of the timed part (after the untimed prefill), memory per record stored.${large ? '' : ' SYNDIC_BENCH_CORPUS=FILE adds a large synthetic index (python3 make_corpus.py 100000 FILE).'}\n`,
    '| Redis | data | records (prefill + timed) | stored | records/s | worker CPU µs/record | Redis CPU µs/record | Redis command µs/record | Redis memory/record | rejected | top commands (calls per record × µs) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

await main();
