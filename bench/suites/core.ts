/**
 * The hashing core — normalize + shingle + signature (numPerm 128), text in, signature out — on
 * the seed pages and on the real data, for syndic's `oph` (default) and `classic` (reference)
 * sketches and for the npm `minhash` package, measured side by side in one run.
 */
import { createRequire } from 'node:module';
import { createAnalyzer, createTextSketcher, loadFingerprinter, resolveOptions } from '../../src/index.js';
import { realRecords, seedRecords, utf8Bytes } from './corpus.js';
import { consume, runSuite, type Row, type TaskSpec } from './harness.js';

interface NpmMinhash {
  update(shingle: string): void;
  hashvalues: number[];
}
const { Minhash } = createRequire(import.meta.url)('minhash') as { Minhash: new (config?: { numPerm?: number; seed?: number }) => NpmMinhash };

const NUM_PERM = 128;
const SHINGLE_SIZE = 5;

/**
 * syndic's hashing core over a list of texts, one signature per text: `createTextSketcher`
 * normalizes each text and hashes and sketches its shingles in one loop.
 */
function syndicCore(variant: 'oph' | 'classic'): (texts: readonly string[]) => void {
  const sketcher = createTextSketcher({ numPerm: NUM_PERM, seed: 1, shingleSize: SHINGLE_SIZE, variant });
  const signature = new Uint32Array(NUM_PERM);
  return (texts) => {
    for (const text of texts) {
      sketcher.sketchTextInto(text, signature, 0);
      consume(signature[0]!);
    }
  };
}

/**
 * The npm `minhash` package as its README uses it: one Minhash per document, `update` with every
 * character 5-gram (as a substring; the package hashes strings). No normalization: it gets the
 * raw text, which only flatters it.
 */
function npmCore(texts: readonly string[]): void {
  for (const text of texts) {
    const minhash = new Minhash({ numPerm: NUM_PERM, seed: 1 });
    const last = Math.max(1, text.length - SHINGLE_SIZE + 1);
    for (let i = 0; i < last; i++) minhash.update(text.slice(i, i + SHINGLE_SIZE));
    consume(minhash.hashvalues[0]!);
  }
}

/** A prefix of `texts` of about `sizeBytes`: the npm package runs at ~0.3 MB/s. */
function sample(texts: readonly string[], sizeBytes: number): string[] {
  const out: string[] = [];
  let bytes = 0;
  for (const text of texts) {
    if (bytes >= sizeBytes) break;
    out.push(text);
    bytes += Buffer.byteLength(text);
  }
  return out;
}

/** Number of rounds of the core suite: shared machines drift, so each round yields its own ratios. */
export const CORE_ROUNDS = Number(process.env.SYNDIC_BENCH_ROUNDS ?? 3);

/**
 * Hashing-core throughput and the per-document stage (`analyze`: paragraphs too), in
 * {@link CORE_ROUNDS} rounds; rows of round r have suite `core-round` and `params.round = r`, and
 * one `core` row per task carries the median over rounds of its median latency.
 */
export async function coreSuite(): Promise<Row[]> {
  const rounds: Row[] = [];
  for (let round = 0; round < CORE_ROUNDS; round++) {
    for (const row of await coreRound()) rounds.push({ ...row, suite: 'core-round', params: { ...row.params, round } });
  }
  const merged: Row[] = [];
  for (const task of [...new Set(rounds.map((row) => row.task))]) {
    const rows = rounds.filter((row) => row.task === task);
    const medianMs = median(rows.map((row) => row.medianMs));
    const first = rows[0]!;
    const { round: _round, ...params } = first.params ?? {};
    merged.push({
      suite: 'core',
      task,
      medianMs,
      rme: median(rows.map((row) => row.rme)),
      samples: rows.reduce((sum, row) => sum + row.samples, 0),
      ...(first.sizeBytes !== undefined ? { sizeBytes: first.sizeBytes, mbPerSec: first.sizeBytes / 1e6 / (medianMs / 1000) } : {}),
      params,
    });
  }
  return [...merged, ...rounds];
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function coreRound(): Promise<Row[]> {
  const corpora: Array<{ name: string; texts: string[] }> = [];
  const seeds = seedRecords().map((record) => record.text);
  if (seeds.length > 0) corpora.push({ name: 'seeds', texts: seeds });
  const real = realRecords();
  if (real) {
    const texts = real.map((record) => record.text);
    corpora.push({ name: 'data sample', texts: sample(texts, 100_000) });
    corpora.push({ name: 'data', texts });
  }
  const oph = syndicCore('oph');
  const classic = syndicCore('classic');
  const analyzer = createAnalyzer(resolveOptions({}), await loadFingerprinter(), { keepHashes: false });
  const rows: Row[] = [];
  for (const { name, texts } of corpora) {
    const sizeBytes = utf8Bytes(texts);
    const full = name === 'data';
    const tasks: TaskSpec[] = [
      { name: `syndic oph: ${name}`, fn: () => oph(texts), sizeBytes, params: { corpus: name, impl: 'syndic-oph', documents: texts.length } },
      { name: `syndic classic: ${name}`, fn: () => classic(texts), sizeBytes, params: { corpus: name, impl: 'syndic-classic', documents: texts.length } },
      {
        name: `syndic analyze (document + paragraphs): ${name}`,
        fn: () => {
          for (const text of texts) consume(analyzer.analyze(text).signature[0]!);
        },
        sizeBytes,
        params: { corpus: name, impl: 'syndic-analyze', documents: texts.length },
      },
    ];
    // The npm package would take over a minute on the whole data set: it runs on the sample.
    if (!full) tasks.push({ name: `npm minhash: ${name}`, fn: () => npmCore(texts), sizeBytes, params: { corpus: name, impl: 'npm-minhash', documents: texts.length } });
    rows.push(...(await runSuite('core', tasks, full ? { iterations: 3, time: 100 } : { iterations: 3 })));
  }
  return rows;
}
