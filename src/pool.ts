/**
 * The per-document analysis stage on worker threads. Texts go out in batches, analyses come back
 * as transferred typed arrays and are stored by input position, so the result does not depend on
 * which worker finished first: a parallel run is byte-identical to a single-threaded one.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createAnalyzer, type DocumentAnalysis } from './analyze.js';
import { detectFromAnalyses, type DetectionResult } from './detect.js';
import { SyndicError } from './errors.js';
import { loadFingerprinter } from './hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from './options.js';
import { validateRecords, type DocumentRecord } from './records.js';
import type { AnalysisReply, AnalysisRequest } from './worker.js';

/**
 * The worker script, always the built JavaScript: next to this file in dist/, or dist/worker.js
 * when this module runs from its TypeScript source (tests).
 */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../dist/worker.js' : './worker.js', import.meta.url);

/** A batch closes when it reaches either bound (texts or UTF-16 units). */
const BATCH_TEXTS = 256;
const BATCH_CHARS = 1 << 20;
/** Small inputs are cut finer, so that every worker gets several batches (load balance). */
const BATCHES_PER_WORKER = 4;

/**
 * Analyses of one batch in a single buffer, so that a reply transfers one buffer instead of nine
 * per document (transferring many small buffers cost more than the analysis saved). Layout: every
 * document's paragraph fingerprints (8-byte values first, for alignment), then per document its
 * signature, paragraph ranges, signature rows and paragraph signatures; `counts` holds, per
 * document, chars, normalized length, paragraphs and long paragraphs.
 */
export interface PackedAnalyses {
  buffer: ArrayBuffer;
  counts: Uint32Array;
}

const COUNTS_PER_DOCUMENT = 4;

/** Pack analyses made without kept hashes (their `hashes` is null) into one buffer. */
export function packAnalyses(analyses: readonly DocumentAnalysis[], numPerm: number): PackedAnalyses {
  const counts = new Uint32Array(analyses.length * COUNTS_PER_DOCUMENT);
  let paragraphs = 0;
  let words = 0;
  analyses.forEach((analysis, d) => {
    const count = analysis.paragraphStart.length;
    const long = analysis.paragraphSignatures.length / numPerm;
    counts.set([analysis.chars, analysis.normalizedLength, count, long], d * COUNTS_PER_DOCUMENT);
    paragraphs += count;
    words += numPerm + 5 * count + long * numPerm;
  });
  const buffer = new ArrayBuffer(paragraphs * 8 + words * 4);
  const fingerprints = new BigUint64Array(buffer, 0, paragraphs);
  const unsigned = new Uint32Array(buffer, paragraphs * 8, words);
  let paragraphAt = 0;
  let at = 0;
  for (const analysis of analyses) {
    fingerprints.set(analysis.fingerprints, paragraphAt);
    paragraphAt += analysis.fingerprints.length;
    for (const array of [analysis.signature, analysis.paragraphStart, analysis.paragraphEnd, analysis.normalizedStart, analysis.normalizedEnd]) {
      unsigned.set(array, at);
      at += array.length;
    }
    unsigned.set(new Uint32Array(analysis.signatureRow.buffer, analysis.signatureRow.byteOffset, analysis.signatureRow.length), at);
    at += analysis.signatureRow.length;
    unsigned.set(analysis.paragraphSignatures, at);
    at += analysis.paragraphSignatures.length;
  }
  return { buffer, counts };
}

/** The analyses of {@link packAnalyses}, as views into its buffer (nothing is copied). */
export function unpackAnalyses(packed: PackedAnalyses, numPerm: number): DocumentAnalysis[] {
  const { buffer, counts } = packed;
  const documents = counts.length / COUNTS_PER_DOCUMENT;
  let paragraphs = 0;
  for (let d = 0; d < documents; d++) paragraphs += counts[d * COUNTS_PER_DOCUMENT + 2]!;
  let paragraphAt = 0;
  let byteAt = paragraphs * 8;
  const take = (length: number): Uint32Array => {
    const view = new Uint32Array(buffer, byteAt, length);
    byteAt += length * 4;
    return view;
  };
  const analyses: DocumentAnalysis[] = [];
  for (let d = 0; d < documents; d++) {
    const [chars, normalizedLength, count, long] = counts.subarray(d * COUNTS_PER_DOCUMENT, (d + 1) * COUNTS_PER_DOCUMENT);
    const fingerprints = new BigUint64Array(buffer, paragraphAt * 8, count!);
    paragraphAt += count!;
    const signature = take(numPerm);
    const paragraphStart = take(count!);
    const paragraphEnd = take(count!);
    const normalizedStart = take(count!);
    const normalizedEnd = take(count!);
    const signatureRow = new Int32Array(buffer, byteAt, count!);
    byteAt += count! * 4;
    const paragraphSignatures = take(long! * numPerm);
    analyses.push({
      chars: chars!,
      normalizedLength: normalizedLength!,
      signature,
      hashes: null,
      paragraphStart,
      paragraphEnd,
      normalizedStart,
      normalizedEnd,
      fingerprints,
      signatureRow,
      paragraphSignatures,
    });
  }
  return analyses;
}

/** Options of {@link AnalysisPool.analyze}. */
export interface AnalyzeProgress {
  /** Called with the number of texts analyzed so far. */
  onProgress?: (done: number) => void;
}

/** A fixed set of worker threads analyzing documents with one option set. Close it when done. */
export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private closed = false;

  /** Start `size` workers (at least 1). */
  constructor(
    /** The options every worker's analyzer was built with. */
    readonly options: ResolvedOptions,
    size: number,
  ) {
    const count = Math.max(1, Math.floor(size));
    for (let w = 0; w < count; w++) this.workers.push(new Worker(WORKER_URL, { workerData: { options } }));
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  /** Analyze `texts`; the analyses are in the order of the texts. One call at a time. */
  analyze(texts: readonly string[], progress: AnalyzeProgress = {}): Promise<DocumentAnalysis[]> {
    if (this.closed) return Promise.reject(new SyndicError('syndic: the analysis pool is closed'));
    const batches = splitBatches(texts, this.workers.length);
    const results = new Array<DocumentAnalysis>(texts.length);
    return new Promise((resolve, reject) => {
      let next = 0;
      let finished = 0;
      let done = 0;
      let failed = false;
      const cleanups: Array<() => void> = [];
      const fail = (error: Error): void => {
        if (failed) return;
        failed = true;
        for (const cleanup of cleanups) cleanup();
        reject(error);
      };
      const send = (worker: Worker): void => {
        if (next >= batches.length) return;
        const batch = next++;
        const { start, end } = batches[batch]!;
        const request: AnalysisRequest = { batch, texts: texts.slice(start, end) };
        worker.postMessage(request);
      };
      for (const worker of this.workers) {
        const onMessage = (reply: AnalysisReply): void => {
          if (failed) return;
          if ('error' in reply) return fail(new Error(`syndic: analysis worker failed: ${reply.error}`));
          const { start } = batches[reply.batch]!;
          const analyses = unpackAnalyses(reply.packed, this.options.numPerm);
          analyses.forEach((analysis, offset) => (results[start + offset] = analysis));
          done += analyses.length;
          progress.onProgress?.(done);
          if (++finished === batches.length) {
            for (const cleanup of cleanups) cleanup();
            resolve(results);
          } else send(worker);
        };
        const onError = (error: Error): void => fail(error);
        const onExit = (code: number): void => fail(new Error(`syndic: analysis worker exited with code ${code}`));
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        cleanups.push(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
      }
      if (batches.length === 0) {
        for (const cleanup of cleanups) cleanup();
        resolve(results);
        return;
      }
      for (const worker of this.workers) send(worker);
    });
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Consecutive [start, end) ranges of `texts` for `workers` workers, within the batch bounds, never empty. */
function splitBatches(texts: readonly string[], workers: number): Array<{ start: number; end: number }> {
  const batches: Array<{ start: number; end: number }> = [];
  const maxTexts = Math.max(1, Math.min(BATCH_TEXTS, Math.ceil(texts.length / (workers * BATCHES_PER_WORKER))));
  let start = 0;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    chars += texts[i]!.length;
    if (i + 1 - start >= maxTexts || chars >= BATCH_CHARS) {
      batches.push({ start, end: i + 1 });
      start = i + 1;
      chars = 0;
    }
  }
  if (start < texts.length) batches.push({ start, end: texts.length });
  return batches;
}

/** Options of {@link findDuplicatesParallel}. */
export interface ParallelOptions extends AnalyzeProgress {
  /** Worker threads for the analysis stage (default: the number of cores); 1 analyzes on this thread. */
  jobs?: number;
  /**
   * A pool to use instead of starting one (`jobs` is then ignored); it must have been built with
   * the same options and is left open. Lets a caller start the workers while it still reads input.
   */
  pool?: AnalysisPool;
}

/** Default worker count: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * {@link findDuplicates} with the analysis stage spread over worker threads. The result is
 * byte-identical to `findDuplicates` for any `jobs`.
 */
export async function findDuplicatesParallel(
  records: readonly DocumentRecord[],
  options: DetectOptions = {},
  parallel: ParallelOptions = {},
): Promise<DetectionResult> {
  const resolved = resolveOptions(options);
  const jobs = parallel.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024) throw new SyndicError(`syndic: option jobs must be an integer from 1 to 1024, got ${String(jobs)}`);
  validateRecords(records);
  const texts = records.map((record) => record.text);
  if (parallel.pool && !sameOptions(parallel.pool.options, resolved)) throw new SyndicError('syndic: the analysis pool was built with other options');
  const analyses = parallel.pool ? await parallel.pool.analyze(texts, parallel) : await analyzeTexts(texts, resolved, jobs, parallel);
  return detectFromAnalyses(records, analyses, resolved);
}

function sameOptions(a: ResolvedOptions, b: ResolvedOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function analyzeTexts(texts: readonly string[], options: ResolvedOptions, jobs: number, progress: AnalyzeProgress): Promise<DocumentAnalysis[]> {
  const workers = Math.min(jobs, texts.length);
  if (workers <= 1) {
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    return texts.map((text, index) => {
      const analysis = analyzer.analyze(text);
      if ((index + 1) % 64 === 0 || index + 1 === texts.length) progress.onProgress?.(index + 1);
      return analysis;
    });
  }
  const pool = new AnalysisPool(options, workers);
  try {
    return await pool.analyze(texts, progress);
  } finally {
    await pool.close();
  }
}
