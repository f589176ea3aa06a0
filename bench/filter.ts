/**
 * Filter benchmark: check-and-add throughput and per-record latency (p50/p99) with 10k and 100k
 * indexed documents, for the embedded file and (with SYNDIC_BENCH_REDIS=redis://...) Redis; the
 * index file's size and load time. Documents beyond the real data are synthesized by shuffling
 * real paragraphs across articles with a seeded PRNG.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/filter.js [sizes...]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FileIndex, openIndex, RedisIndex, splitMix32, type FilterIndex } from '../src/index.js';

const DATA = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url).pathname;
const PROBES = 3000;

function paragraphsOfData(): string[][] {
  return gunzipSync(readFileSync(process.env.SYNDIC_BENCH_DATA ?? DATA))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text.split('\n').filter((p) => p.trim() !== ''));
}

/** `count` articles of 2–6 paragraphs drawn from random real articles (seeded). */
function synthesize(articles: string[][], count: number, seed: number, prefix: string): Array<{ id: string; text: string }> {
  const random = splitMix32(seed);
  return Array.from({ length: count }, (_, i) => {
    const size = 2 + (random() % 5);
    const parts: string[] = [];
    for (let p = 0; p < size; p++) {
      const article = articles[random() % articles.length]!;
      parts.push(article[random() % article.length]!);
    }
    return { id: `${prefix}${i}`, text: parts.join('\n') };
  });
}

const percentile = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measure(index: FilterIndex, probes: Array<{ id: string; text: string }>): Promise<{ docsPerSecond: number; p50: number; p99: number; rejected: number }> {
  const latencies = new Float64Array(probes.length);
  let rejected = 0;
  const start = performance.now();
  for (let i = 0; i < probes.length; i++) {
    const t = performance.now();
    if ((await index.checkAndAdd(probes[i]!)).verdict !== 'new') rejected++;
    latencies[i] = performance.now() - t;
  }
  const elapsed = performance.now() - start;
  latencies.sort();
  return { docsPerSecond: probes.length / (elapsed / 1000), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rejected };
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const articles = paragraphsOfData();
  const redisUrl = process.env.SYNDIC_BENCH_REDIS;
  const rows: string[] = [];
  for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
    const documents = synthesize(articles, size, 1, 'd');
    // Probes: fresh mixes, and one in five a copy of an indexed document (rejected).
    const probes = synthesize(articles, PROBES, 2, 'p').map((probe, i) => (i % 5 === 0 ? { id: probe.id, text: documents[(i * 7919) % size]!.text } : probe));
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
      t = performance.now();
      index = (await openIndex({ path: file })) as FileIndex;
      const loadMs = performance.now() - t;
      const file_ = await measure(index, probes);
      await index.close();
      rows.push(
        `| file | ${size} | ${file_.docsPerSecond.toFixed(0)} | ${file_.p50.toFixed(3)} | ${file_.p99.toFixed(3)} | ${file_.rejected}/${PROBES} | ` +
          `${(sizeBytes / 1e6).toFixed(1)} MB | ${loadMs.toFixed(0)} ms | build ${(size / (buildMs / 1000)).toFixed(0)} docs/s, save ${saveMs.toFixed(0)} ms |`,
      );
      console.error(rows.at(-1));
      if (redisUrl) {
        const redis = (await openIndex({ redis: redisUrl, namespace: `bench-${size}` })) as RedisIndex;
        await redis.destroy();
        t = performance.now();
        for (const document of documents) await redis.add(document);
        const redisBuildMs = performance.now() - t;
        const result = await measure(redis, probes);
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
  console.log(`Node ${process.version}; ${PROBES} check-and-add probes per size (1 in 5 a copy of an indexed document)\n`);
  console.log('| backend | indexed | check-and-add docs/s | p50 ms | p99 ms | rejected | index file | load | notes |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

await main();
