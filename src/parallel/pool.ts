/**
 * Worker threads that run {@link Task}s. Tasks queue up and go to whichever worker is free; each
 * result comes back to its own caller, so the order in which workers finish never shows in a
 * result: a parallel run is byte-identical to a single-threaded one.
 *
 * The worker script is the built JavaScript: Node 20 cannot run TypeScript in a worker, so from
 * the sources (tests) this module starts dist/parallel/worker.js, and the test setup builds dist/
 * first when a source file is newer than it (test/setup/global.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { SyndicError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { unpackAnalyses } from './codec.js';
import { InputReadError, type Task, type TaskResult } from './tasks.js';
import type { TaskReply, TaskRequest } from './worker.js';

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../../dist/parallel/worker.js' : './worker.js', import.meta.url);

/** A batch closes when it reaches either bound (texts or UTF-16 units). */
const BATCH_TEXTS = 256;
const BATCH_CHARS = 1 << 20;
/** Small inputs are cut finer, so that every worker gets several batches (load balance). */
const BATCHES_PER_WORKER = 4;

/** A task waiting for a worker, or being run by one. */
interface PoolJob {
  task: Task;
  transfer: ArrayBuffer[];
  resolve: (result: TaskResult) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads running tasks with one option set. Close it when done. A task
 * that fails fails the pool: every task queued or running after it is rejected too.
 */
export class TaskPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: PoolJob[] = [];
  private readonly running = new Map<Worker, PoolJob>();
  private failure: Error | null = null;
  /** True once {@link close} was called. */
  protected closed = false;
  private nextId = 0;

  /** Start `size` workers (at least 1). */
  constructor(
    /** The options every worker's analyzer was built with. */
    readonly options: ResolvedOptions,
    size: number,
  ) {
    const count = Math.max(1, Math.floor(size));
    for (let w = 0; w < count; w++) {
      const worker = new Worker(WORKER_URL, { workerData: { options } });
      worker.on('message', (reply: TaskReply) => this.settle(worker, reply));
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

  /** Tasks queued or running. */
  get pending(): number {
    return this.queue.length + this.running.size;
  }

  /** Run `task` on the next free worker; `transfer` lists its buffers to move rather than copy. */
  run(task: Task, transfer: ArrayBuffer[] = []): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new SyndicError('the analysis pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Stop the workers; tasks not finished are rejected. */
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
      const request: TaskRequest = { id: this.nextId++, task: job.task };
      worker.postMessage(request, job.transfer);
    }
  }

  private settle(worker: Worker, reply: TaskReply): void {
    const job = this.running.get(worker);
    if (!job) return;
    this.running.delete(worker);
    this.idle.push(worker);
    if ('result' in reply) job.resolve(reply.result);
    else if ('inputError' in reply) job.reject(new InputReadError(reply.inputError));
    else if ('syndicError' in reply) job.reject(new SyndicError(reply.syndicError, reply.errorKind));
    else this.fail(new Error(`analysis worker failed: ${reply.error}`), job);
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

/** Options of {@link AnalysisPool.analyze}. */
export interface AnalyzeProgress {
  /** Called with the number of texts analyzed so far. */
  onProgress?: (done: number) => void;
}

/**
 * A {@link TaskPool} analyzing texts held in memory (the library's {@link findDuplicatesParallel}):
 * texts go out in batches, analyses come back in the order of the texts.
 */
export class AnalysisPool extends TaskPool {
  /** Analyze one batch of texts on the next free worker; the analyses are in the order of the texts. */
  async analyzeBatch(texts: string[]): Promise<DocumentAnalysis[]> {
    if (texts.length === 0 && !this.closed) return [];
    const result = await this.run({ kind: 'texts', texts });
    if (result.kind !== 'analyses') throw new Error('a text batch came back as records');
    return unpackAnalyses(result.analyses, this.options.numPerm);
  }

  /** Analyze `texts`; the analyses are in the order of the texts. */
  async analyze(texts: readonly string[], progress: AnalyzeProgress = {}): Promise<DocumentAnalysis[]> {
    if (this.closed) throw new SyndicError('the analysis pool is closed');
    let done = 0;
    const parts = await Promise.all(
      splitBatches(texts, this.size).map(async ({ start, end }) => {
        const analyses = await this.analyzeBatch(texts.slice(start, end));
        done += analyses.length;
        progress.onProgress?.(done);
        return analyses;
      }),
    );
    return parts.flat();
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

/** Default worker count: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}
