/**
 * Filter benchmark: check-and-add throughput and per-record latency (p50/p99) with 10k and 100k
 * indexed documents for the embedded file, the index file's size and load time, on the synthetic
 * corpus of bench/corpus (generateCorpus). The file index is measured three ways on copies of one
 * index: check-and-add alone (changes buffered for the journal, as a caller that never syncs), and
 * with a journal sync after every GROUP records (the filter's group commit) with fsync and with
 * write only. Then the Redis index: the 6,228 real articles filtered by one worker in batches, and,
 * when sizes are given, a synthetic index of that size — Redis memory per record (INFO memory),
 * Redis CPU per record (INFO cpu and INFO commandstats), the worker's records/s and CPU. Redis is a
 * redis-server started here on a free port (or SYNDIC_BENCH_REDIS=redis://…).
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/filter.js [sizes...]   (npm run bench:filter)
 *   node dist-bench/bench/filter.js redis-only [sizes...]                          (skip the file rows)
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { FileIndex, openIndex, RedisIndex, type Durability, type FilterIndex } from '../src/index.js';
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
    console.log(`Node ${process.version}; ${PROBES} check-and-add probes per size, after ${WARMUP} untimed ones: the records following the indexed ones in generateCorpus (seed 1; 40% planted copies of recent originals)\n`);
    console.log('| backend | indexed | check-and-add docs/s | p50 ms | p99 ms | rejected | index file | load | notes |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  }
  await redisBench(redisOnly ? sizes : sizes.filter((size) => size >= 100_000));
}

/** Records per batch, as `syndic filter` sends them. */
const BATCH = 512;

/** A redis-server on a free port, or the one SYNDIC_BENCH_REDIS names. */
async function benchServer(): Promise<{ url: string; stop: () => void }> {
  if (process.env.SYNDIC_BENCH_REDIS) return { url: process.env.SYNDIC_BENCH_REDIS, stop: () => {} };
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const directory = mkdtempSync(path.join(tmpdir(), 'syndic-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => ((output += chunk.toString()), output.includes('Ready to accept') && resolve()));
    child.once('error', reject);
  });
  child.stdout!.resume();
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => (child.kill(), rmSync(directory, { recursive: true, force: true })) };
}

/** Redis' counters: memory in use, CPU seconds, and microseconds per command. */
async function redisCounters(client: Redis): Promise<{ memory: number; cpu: number; commands: Map<string, { calls: number; usec: number }> }> {
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  const [memory, cpu, stats] = await Promise.all([client.info('memory'), client.info('cpu'), client.info('commandstats')]);
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const match of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) commands.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  return { memory: field(memory, 'used_memory'), cpu: field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys'), commands };
}

/** Filter `records` through a fresh Redis index in batches; what it cost Redis and the worker. */
async function redisRun(url: string, name: string, records: Array<{ id: string; text: string }>, prefill: Array<{ id: string; text: string }>): Promise<string> {
  const client = new Redis(url);
  const index = (await openIndex({ redis: url, namespace: `bench-${name}` })) as RedisIndex;
  await index.destroy();
  await client.config('RESETSTAT');
  const empty = await redisCounters(client);
  for (let at = 0; at < prefill.length; at += BATCH) await index.addMany(prefill.slice(at, at + BATCH));
  const before = await redisCounters(client);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let rejected = 0;
  for (let at = 0; at < records.length; at += BATCH) {
    for (const outcome of await index.checkAndAddMany(records.slice(at, at + BATCH))) if (!(outcome instanceof Error) && outcome.verdict !== 'new') rejected++;
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const after = await redisCounters(client);
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
  client.disconnect();
  return (
    `| ${name} | ${prefill.length + records.length} | ${stored} | ${(records.length / (elapsedMs / 1000)).toFixed(0)} | ${((cpu.user + cpu.system) / records.length).toFixed(0)} | ` +
    `${perRecordUs.toFixed(0)} | ${commandUs.toFixed(0)} | ${((after.memory - empty.memory) / stored / 1024).toFixed(2)} KB | ${rejected}/${records.length} | ${top} |`
  );
}

async function redisBench(sizes: number[]): Promise<void> {
  const server = await benchServer();
  const rows: string[] = [];
  try {
    const real = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url).pathname;
    if (existsSync(real)) {
      const records = gunzipSync(readFileSync(real)).toString('utf8').split('\n').filter(Boolean).map((line) => {
        const { id, text } = JSON.parse(line) as { id: string; text: string };
        return { id, text };
      });
      rows.push(await redisRun(server.url, 'real', records, []));
      console.error(rows.at(-1));
    }
    for (const size of sizes) {
      const { documents, warmup, probes } = corpus(size);
      rows.push(await redisRun(server.url, `synthetic-${size}`, [...warmup, ...probes], documents));
      console.error(rows.at(-1));
    }
  } finally {
    server.stop();
  }
  console.log(`\nRedis index, one worker, batches of ${BATCH} (as syndic filter sends them); Redis ${server.url.replace(/\/\/[^@/]*@/, '//***@')}; figures per record checked (memory: per record stored)\n`);
  console.log('| data | records | stored | records/s | worker CPU µs/record | Redis CPU µs/record | Redis command µs/record | Redis memory/record | rejected | top commands (calls per record × µs) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

await main();
