/**
 * The worker-thread analysis pool (loads dist/parallel/worker.js: build first): analyses equal to the
 * single-threaded analyzer's, results byte-identical to findDuplicates for any worker count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AnalysisPool,
  createAnalyzer,
  findDuplicates,
  findDuplicatesParallel,
  loadFingerprinter,
  resolveOptions,
  type DocumentAnalysis,
  type DocumentRecord,
} from '../src/index.js';
import { packAnalyses, StreamingAnalysis, unpackAnalyses } from '../src/parallel/pool.js';

const samples = ['000_848e103266e47c76', '001_c165a42ed11c2292', '002_12ca15c9baea0e71', '003_13b42c5a08ef7be2', '004_cfbd479925494924'].map((name) => ({
  id: name,
  text: readFileSync(new URL(`../samples/${name}.txt`, import.meta.url), 'utf8'),
}));
const records: DocumentRecord[] = [...samples, ...samples.map((record) => ({ id: `${record.id}-copy`, text: `${record.text}\nتم النسخ` })), { id: 'empty', text: '' }];

describe('packAnalyses / unpackAnalyses', () => {
  it('round-trips a batch through one buffer, empty documents included', async () => {
    const options = resolveOptions({ numPerm: 16 });
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    const analyses = records.map((record) => analyzer.analyze(record.text));
    const packed = packAnalyses(analyses, 16);
    const unpacked = unpackAnalyses(packed, 16);
    expect(unpacked).toEqual(analyses);
    expect(new Set(unpacked.map((analysis) => analysis.signature.buffer)).size).toBe(1);
    expect(unpackAnalyses(packAnalyses([], 16), 16)).toEqual([]);
  });
});

describe('AnalysisPool', () => {
  const options = resolveOptions();
  const pool = new AnalysisPool(options, 2);
  afterAll(() => pool.close());

  it('returns the analyses of the in-thread analyzer, in input order', async () => {
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    const expected = records.map((record) => analyzer.analyze(record.text));
    const progress: number[] = [];
    const analyses = await pool.analyze(
      records.map((record) => record.text),
      { onProgress: (done) => progress.push(done) },
    );
    expect(analyses).toEqual(expected);
    expect(progress.at(-1)).toBe(records.length);
    expect(pool.size).toBe(2);
  });

  it('can be used again, and for no texts at all', async () => {
    expect(await pool.analyze([])).toEqual([]);
    expect((await pool.analyze(['نص قصير'])).length).toBe(1);
  });

  it('refuses work once closed', async () => {
    const closed = new AnalysisPool(options, 1);
    await closed.close();
    await expect(closed.analyze(['x'])).rejects.toThrow('closed');
  });
});

describe('findDuplicatesParallel', () => {
  it('is byte-identical to findDuplicates for 1, 2 and 3 jobs', async () => {
    const expected = JSON.stringify(await findDuplicates(records));
    for (const jobs of [1, 2, 3]) expect(JSON.stringify(await findDuplicatesParallel(records, {}, { jobs }))).toBe(expected);
  });

  it('uses a pool the caller started, and leaves it open', async () => {
    const pool = new AnalysisPool(resolveOptions({ shingleSize: 4 }), 2);
    try {
      const expected = JSON.stringify(await findDuplicates(records, { shingleSize: 4 }));
      expect(JSON.stringify(await findDuplicatesParallel(records, { shingleSize: 4 }, { pool }))).toBe(expected);
      expect(JSON.stringify(await findDuplicatesParallel(records, { shingleSize: 4 }, { pool }))).toBe(expected);
      await expect(findDuplicatesParallel(records, { shingleSize: 6 }, { pool })).rejects.toThrow('the analysis pool was built with other options');
    } finally {
      await pool.close();
    }
  });

  it('validates jobs', async () => {
    await expect(findDuplicatesParallel(records, {}, { jobs: 0 })).rejects.toThrow('option jobs must be an integer from 1 to 1024, got 0');
  });

  const data = new URL('../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url);
  it.skipIf(!existsSync(data))('is byte-identical on the first 1,500 real articles with 2 jobs', async () => {
    const lines = gunzipSync(readFileSync(data)).toString('utf8').split('\n').slice(0, 1500);
    const real = lines.map((line) => JSON.parse(line) as DocumentRecord);
    const expected = JSON.stringify(await findDuplicates(real));
    expect(JSON.stringify(await findDuplicatesParallel(real, {}, { jobs: 2 }))).toBe(expected);
  });
});

describe('StreamingAnalysis', () => {
  const options = resolveOptions();
  // Enough texts for several batches of 256 per worker, so that reading has to wait for workers.
  const many = Array.from({ length: 1500 }, (_, i) => `${records[i % records.length]!.text.slice(0, 400 + i)}\n${i}`);
  // Analyses as one buffer each (a deep comparison of 1,500 analyses' typed arrays is slow).
  const packed = (analyses: DocumentAnalysis[]): Buffer => {
    const { buffer, counts } = packAnalyses(analyses, options.numPerm);
    return Buffer.concat([Buffer.from(counts.buffer), Buffer.from(buffer)]);
  };

  async function streamed(texts: readonly string[], settings: Parameters<typeof StreamingAnalysis.start>[1]): Promise<{ analyses: Buffer; workers: number; progress: number[] }> {
    const progress: number[] = [];
    const analysis = await StreamingAnalysis.start(options, { ...settings, onProgress: (done) => progress.push(done) });
    let workers = 0;
    for (const text of texts) {
      const wait = analysis.add(text);
      if (wait) await wait;
      workers = Math.max(workers, analysis.workers);
    }
    const analyses = await analysis.finish();
    expect(analyses.length).toBe(texts.length);
    return { analyses: packed(analyses), workers, progress };
  }

  it('gives the in-thread analyses in input order, on this thread, on workers, or once the input is large', async () => {
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    const expected = many.map((text) => analyzer.analyze(text));
    expect(expected[0]!.paragraphSignatures.length).toBeGreaterThan(0);
    const oneThread = await streamed(many, { jobs: 1 });
    const twoWorkers = await streamed(many, { jobs: 2 });
    const auto = await streamed(many, { parallelMinChars: 100_000 });
    const small = await streamed(many.slice(0, 20), { parallelMinChars: 100_000_000 });
    for (const run of [oneThread, twoWorkers, auto]) {
      expect(run.analyses.equals(packed(expected))).toBe(true);
      expect(run.progress.at(-1)).toBe(many.length);
    }
    expect([oneThread.workers, twoWorkers.workers, auto.workers, small.workers]).toEqual([0, 2, availableParallelism(), 0]);
    expect(small.analyses.equals(packed(expected.slice(0, 20)))).toBe(true);
  });

  it('validates jobs', async () => {
    await expect(StreamingAnalysis.start(options, { jobs: 1.5 })).rejects.toThrow('option jobs must be an integer from 1 to 1024, got 1.5');
  });
});
