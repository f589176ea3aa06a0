/**
 * The per-document analysis stage on worker threads. Texts go out in batches, analyses come back
 * as transferred typed arrays and are stored by input position, so the result does not depend on
 * which worker finished first: a parallel run is byte-identical to a single-threaded one.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createAnalyzer, type Analyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { detectFromAnalyses } from '../detect/detect.js';
import type { DetectionResult } from '../detect/types.js';
import { SyndicError } from '../errors.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { checkJobs, resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { validateRecords, type DocumentRecord } from '../records.js';
import type { AnalysisReply, AnalysisRequest } from './worker.js';

/**
 * The worker script, always the built JavaScript: next to this file in dist/, or dist/parallel/worker.js
 * when this module runs from its TypeScript source (tests).
 */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../../dist/parallel/worker.js' : './worker.js', import.meta.url);

/** A batch closes when it reaches either bound (texts or UTF-16 units). */
const BATCH_TEXTS = 256;
const BATCH_CHARS = 1 << 20;
/** Small inputs are cut finer, so that every worker gets several batches (load balance). */
const BATCHES_PER_WORKER = 4;

/**
 * Analyses of one batch in a single buffer, so that a reply transfers one buffer instead of nine
 * per document (transferring many small buffers cost more than the analysis saved). Layout: every
 * document's paragraph fingerprints (8-byte values first, for alignment), then per document its
 * signature, paragraph ranges, signature rows, paragraph signatures and anchors; `counts` holds, per
 * document, chars, normalized length, paragraphs, long paragraphs and anchors.
 */
export interface PackedAnalyses {
  buffer: ArrayBuffer;
  counts: Uint32Array;
}

const COUNTS_PER_DOCUMENT = 5;

/** Pack analyses made without kept hashes (their `hashes` is null) into one buffer. */
export function packAnalyses(analyses: readonly DocumentAnalysis[], numPerm: number): PackedAnalyses {
  const counts = new Uint32Array(analyses.length * COUNTS_PER_DOCUMENT);
  let paragraphs = 0;
  let words = 0;
  analyses.forEach((analysis, d) => {
    const count = analysis.paragraphStart.length;
    const long = analysis.paragraphSignatures.length / numPerm;
    counts.set([analysis.chars, analysis.normalizedLength, count, long, analysis.anchors.length], d * COUNTS_PER_DOCUMENT);
    paragraphs += count;
    words += numPerm + 5 * count + long * numPerm + analysis.anchors.length;
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
    unsigned.set(analysis.anchors, at);
    at += analysis.anchors.length;
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
    const [chars, normalizedLength, count, long, anchorCount] = counts.subarray(d * COUNTS_PER_DOCUMENT, (d + 1) * COUNTS_PER_DOCUMENT);
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
    const anchors = take(anchorCount!);
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
      anchors,
    });
  }
  return analyses;
}

/** Options of {@link AnalysisPool.analyze}. */
export interface AnalyzeProgress {
  /** Called with the number of texts analyzed so far. */
  onProgress?: (done: number) => void;
}

/** A batch waiting for a worker, or being analyzed by one. */
interface PoolJob {
  texts: string[];
  resolve: (analyses: DocumentAnalysis[]) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads analyzing documents with one option set. Batches queue up and go
 * to whichever worker is free; each batch's analyses come back to its own caller, so the order in
 * which workers finish never shows in a result. Close it when done.
 */
export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: PoolJob[] = [];
  private readonly running = new Map<Worker, PoolJob>();
  private failure: Error | null = null;
  private closed = false;
  private nextBatch = 0;

  /** Start `size` workers (at least 1). */
  constructor(
    /** The options every worker's analyzer was built with. */
    readonly options: ResolvedOptions,
    size: number,
  ) {
    const count = Math.max(1, Math.floor(size));
    for (let w = 0; w < count; w++) {
      const worker = new Worker(WORKER_URL, { workerData: { options } });
      worker.on('message', (reply: AnalysisReply) => this.settle(worker, reply));
      worker.on('error', (error: Error) => this.fail(error));
      worker.on('exit', (code: number) => this.closed || this.fail(new Error(`analysis worker exited with code ${code}`)));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  /** Batches queued or being analyzed. */
  get pending(): number {
    return this.queue.length + this.running.size;
  }

  /** Analyze one batch of texts on the next free worker; the analyses are in the order of the texts. */
  analyzeBatch(texts: string[]): Promise<DocumentAnalysis[]> {
    if (this.closed) return Promise.reject(new SyndicError('the analysis pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.dispatch();
    });
  }

  /** Analyze `texts`; the analyses are in the order of the texts. */
  async analyze(texts: readonly string[], progress: AnalyzeProgress = {}): Promise<DocumentAnalysis[]> {
    if (this.closed) throw new SyndicError('the analysis pool is closed');
    let done = 0;
    const parts = await Promise.all(
      splitBatches(texts, this.workers.length).map(async ({ start, end }) => {
        const analyses = await this.analyzeBatch(texts.slice(start, end));
        done += analyses.length;
        progress.onProgress?.(done);
        return analyses;
      }),
    );
    return parts.flat();
  }

  /** Stop the workers; batches not finished are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(new SyndicError('the analysis pool is closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      const request: AnalysisRequest = { batch: this.nextBatch++, texts: job.texts };
      worker.postMessage(request);
    }
  }

  private settle(worker: Worker, reply: AnalysisReply): void {
    const job = this.running.get(worker);
    if (!job) return;
    this.running.delete(worker);
    this.idle.push(worker);
    if ('error' in reply) this.fail(new Error(`analysis worker failed: ${reply.error}`), job);
    else job.resolve(unpackAnalyses(reply.packed, this.options.numPerm));
    this.dispatch();
  }

  private fail(error: Error, job?: PoolJob): void {
    if (!this.failure) this.failure = error;
    job?.reject(error);
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    for (const job of this.running.values()) job.reject(error);
    this.running.clear();
    for (const job of this.queue.splice(0)) job.reject(error);
  }
}

/**
 * Analyses of texts handed over one at a time, in input order, without holding them: each text
 * goes into a batch for the pool (or is analyzed on this thread) and is dropped once sent. With
 * `jobs` undefined, texts are held until they reach {@link StreamingAnalysisOptions.parallelMinChars}
 * and analyzed on this thread if the input ends first (starting workers would cost more).
 */
export class StreamingAnalysis {
  private readonly results: DocumentAnalysis[] = [];
  private readonly batches: Array<Promise<void>> = [];
  private held: string[] = [];
  private heldChars = 0;
  private added = 0;
  private done = 0;
  private pool: AnalysisPool | null = null;
  private waiting: Array<() => void> = [];

  private constructor(
    private readonly options: ResolvedOptions,
    private readonly analyzer: Analyzer,
    private readonly settings: StreamingAnalysisOptions,
  ) {
    if (settings.jobs !== undefined && settings.jobs > 1) this.pool = new AnalysisPool(options, settings.jobs);
  }

  /** Start a streaming analysis (workers start at once when `jobs` > 1). */
  static async start(options: ResolvedOptions, settings: StreamingAnalysisOptions = {}): Promise<StreamingAnalysis> {
    if (settings.jobs !== undefined) checkJobs(settings.jobs);
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    return new StreamingAnalysis(options, analyzer, settings);
  }

  /** Worker threads in use (0 while texts are analyzed, or held, on this thread). */
  get workers(): number {
    return this.pool?.size ?? 0;
  }

  /**
   * Hand over the next text. Resolves at once, or, when the workers are `2 × size` batches behind,
   * once they catch up: reading waits instead of piling texts up in memory.
   */
  add(text: string): Promise<void> | undefined {
    const index = this.added++;
    if (this.settings.jobs === 1) {
      this.results[index] = this.analyzer.analyze(text);
      this.progress(1);
      return undefined;
    }
    this.held.push(text);
    this.heldChars += text.length;
    if (!this.pool) {
      if (this.heldChars < (this.settings.parallelMinChars ?? 0)) return undefined;
      this.pool = new AnalysisPool(this.options, this.settings.jobs ?? defaultJobs());
      // Everything held so far goes out in batches.
      const held = this.held;
      this.held = [];
      this.heldChars = 0;
      let start = index + 1 - held.length;
      for (const { start: from, end } of splitBatches(held, this.pool.size)) {
        this.send(held.slice(from, end), start);
        start += end - from;
      }
    } else if (this.held.length >= BATCH_TEXTS || this.heldChars >= BATCH_CHARS) {
      this.send(this.held, index + 1 - this.held.length);
      this.held = [];
      this.heldChars = 0;
    }
    if (this.pool.pending < 2 * this.pool.size) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The analyses of every text added, in order. Stops the workers. */
  async finish(): Promise<DocumentAnalysis[]> {
    try {
      if (this.held.length > 0) {
        const start = this.added - this.held.length;
        if (this.pool) this.send(this.held, start);
        else this.held.forEach((text, offset) => ((this.results[start + offset] = this.analyzer.analyze(text)), this.progress(1)));
        this.held = [];
      }
      await Promise.all(this.batches);
      return this.results;
    } finally {
      await this.close();
    }
  }

  /** Stop the workers (done by {@link finish}; call it when giving up early). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  private send(texts: string[], start: number): void {
    const batch = this.pool!.analyzeBatch(texts).then((analyses) => {
      for (let offset = 0; offset < analyses.length; offset++) this.results[start + offset] = analyses[offset]!;
      this.progress(analyses.length);
      for (const resolve of this.waiting.splice(0)) resolve();
    });
    // A failure surfaces in finish(); until then, a waiting reader must not hang.
    batch.catch(() => {
      for (const resolve of this.waiting.splice(0)) resolve();
    });
    this.batches.push(batch);
  }

  private progress(count: number): void {
    this.done += count;
    if (this.done % 64 < count || this.done === this.added) this.settings.onProgress?.(this.done);
  }
}

/** Options of {@link StreamingAnalysis.start}. */
export interface StreamingAnalysisOptions extends AnalyzeProgress {
  /** Worker threads; 1 analyzes on this thread; undefined: the cores, once the input is large enough. */
  jobs?: number;
  /** With `jobs` undefined: UTF-16 units of text below which everything is analyzed on this thread. */
  parallelMinChars?: number;
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
  const jobs = checkJobs(parallel.jobs ?? defaultJobs());
  validateRecords(records);
  const texts = records.map((record) => record.text);
  if (parallel.pool && !sameOptions(parallel.pool.options, resolved)) throw new SyndicError('the analysis pool was built with other options');
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
