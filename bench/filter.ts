/**
 * Filter benchmark: check-and-add throughput and per-record latency (p50/p99) with 10k and 100k
 * indexed documents, for the embedded file and (with SYNDIC_BENCH_REDIS=redis://...) Redis; the
 * index file's size and load time, on the synthetic corpus of bench/corpus (generateCorpus).
 * The file index is measured three ways on copies of one index: check-and-add alone (changes
 * buffered for the journal, as a caller that never syncs), and with a journal sync after every
 * GROUP records (the filter's group commit) with fsync and with write only.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/filter.js [sizes...]
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const redisUrl = process.env.SYNDIC_BENCH_REDIS;
  const rows: string[] = [];
  for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
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
      if (redisUrl) {
        const redis = (await openIndex({ redis: redisUrl, namespace: `bench-${size}` })) as RedisIndex;
        await redis.destroy();
        t = performance.now();
        for (const document of documents) await redis.add(document);
        const redisBuildMs = performance.now() - t;
        const result = await measure(redis, warmup, probes);
        rows.push(
          `| redis | ${size} | ${result.docsPerSecond.toFixed(0)} | ${result.p50.toFixed(3)} | ${result.p99.toFixed(3)} | ${result.rejected}/${PROBES} | – | – | build ${(size / (redisBuildMs / 1000)).toFixed(0)} docs/s |`,
        );
        console.error(rows.at(-1));
        await redis.destroy();
        await redis.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  console.log(`Node ${process.version}; ${PROBES} check-and-add probes per size, after ${WARMUP} untimed ones: the records following the indexed ones in generateCorpus (seed 1; 40% planted copies of recent originals)\n`);
  console.log('| backend | indexed | check-and-add docs/s | p50 ms | p99 ms | rejected | index file | load | notes |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

await main();
