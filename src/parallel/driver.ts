/**
 * The streaming driver of a scan: the inputs are cut into tasks (byte ranges of a JSONL file split
 * at line ends, chunks of a gzipped or piped JSONL stream, lists of text files) that workers read,
 * parse and analyze themselves. The main thread only hands out the tasks and takes their results
 * in input order (collector.ts): it numbers lines, reports the first bad record and duplicate ids
 * by input position and keeps each record's metadata (the tasks write texts to the run's spill).
 * Results are taken in task order, whatever order the workers finish in, so the output is the
 * same for any number of workers — and a run on this thread executes the very same tasks.
 *
 * Also {@link findDuplicatesParallel}, the library's entry for records held in memory.
 */
import { statSync } from 'node:fs';
import { createAnalyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { detectFromAnalyses } from '../detect/detect.js';
import type { DetectionResult } from '../detect/types.js';
import { ParagraphKeys } from '../detect/paragraph-pass.js';
import { SyndicError } from '../errors.js';
import { fieldMapOf, inputUnits, readLineChunks, type InputUnit, type ReadInputsOptions } from '../input/sources.js';
import { checkJobs, resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { validateRecords, type DocumentRecord } from '../records.js';
import { loadFingerprinter } from '../sketch/hash.js';
import type { RecordBatch } from './codec.js';
import { groupInPool, measureInPool, measureParagraphsInPool } from './measure-pool.js';
import { inMemoryTexts } from './measure-task.js';
import { AnalysisPool, defaultJobs, TaskPool, type AnalyzeProgress } from './pool.js';
import { createTaskRunner, InputReadError, runTask, type Task, type TaskResult, type TaskRunner } from './tasks.js';
import { RecordCollector, SIGNATURES_IN_MEMORY } from './collector.js';
import type { BAND_KEYS_PER_CHUNK } from './band-key-spill.js';
import type { StoredRecord, TextStore } from './textstore.js';

/** A JSONL file is cut into ranges of at most this many bytes (fewer for small files: see {@link rangeBytes}). */
const RANGE_BYTES = 4 << 20;
/** Chunks of a JSONL stream (gzip, stdin) handed to a worker. */
const CHUNK_BYTES = 4 << 20;
/** Text files per task. */
const FILES_PER_TASK = 64;

/** Options of {@link readAndAnalyze}. */
export interface InputAnalysisOptions {
  /** Worker threads; 1 runs every task on this thread; undefined: the cores, once the input is large enough. */
  jobs?: number;
  /** With `jobs` undefined: input bytes below which everything runs on this thread. */
  parallelMinBytes?: number;
  /** Called with the number of records read and analyzed so far. */
  onProgress?: (records: number) => void;
  /** Bytes of paragraph signatures kept in memory before the rest are spilled (default 16 MiB). */
  signaturesInMemory?: number;
  /** Paragraph band keys per chunk spilled to disk (default {@link BAND_KEYS_PER_CHUNK}). */
  bandKeysPerChunk?: number;
}

/**
 * Read every input and analyze its records (on worker threads for large inputs), keeping per
 * record only its metadata and where its text is (in `store`). Bad records and duplicate ids are
 * reported as a sequential read would: the first one in input order throws a {@link SyndicError}
 * naming file and line, or each goes to `read.onInvalid` and is skipped.
 */
export async function readAndAnalyze(
  inputs: readonly string[],
  read: ReadInputsOptions,
  options: ResolvedOptions,
  settings: InputAnalysisOptions,
  store: TextStore,
): Promise<AnalyzedInput> {
  const runner = new OrderedRunner(options, settings, await createTaskRunner(options, false));
  const collector = new RecordCollector(options.numPerm, options.bands, store, read.onInvalid, settings.onProgress, settings.signaturesInMemory ?? SIGNATURES_IN_MEMORY, settings.bandKeysPerChunk);
  const fields = fieldMapOf(read);
  const jobs = settings.jobs ?? defaultJobs();
  let files: Array<Extract<InputUnit, { kind: 'text' }>> = [];
  const submitFiles = async (): Promise<void> => {
    if (files.length === 0) return;
    const units = files;
    files = [];
    // The size decides whether workers start; once decided it is not needed.
    const bytes = runner.undecided ? units.reduce((sum, unit) => sum + sizeOf(unit.file), 0) : 0;
    const task: Task = { kind: 'files', paths: units.map((unit) => unit.file), output: collector.output(false) };
    await runner.submit(task, bytes, units[0]!.shown, (batch) => collector.files(batch, units));
  };
  try {
    for await (const unit of inputUnits(inputs, read)) {
      if (unit.kind === 'text') {
        files.push(unit);
        if (files.length >= FILES_PER_TASK) await submitFiles();
        continue;
      }
      await submitFiles();
      const lines = { before: 0 };
      const consume = (batch: RecordBatch): void => collector.jsonl(batch, unit.shown, lines);
      if (unit.file !== null) {
        const step = rangeBytes(unit.size, jobs);
        for (let start = 0; start < unit.size; start += step) {
          const task: Task = { kind: 'jsonl-range', path: unit.file, start, end: Math.min(unit.size, start + step), fields, output: collector.output(true) };
          await runner.submit(task, Math.min(step, unit.size - start), unit.shown, consume);
        }
      } else {
        for await (const bytes of readLineChunks(unit.open(), unit.shown, CHUNK_BYTES)) {
          await runner.submit({ kind: 'jsonl-bytes', bytes, fields, output: collector.output(true) }, bytes.length, unit.shown, consume);
        }
      }
    }
    await submitFiles();
    await runner.finish();
  } catch (error) {
    await runner.close();
    throw error;
  }
  // The workers that read the input measure the candidate pairs next.
  const paragraphKeys = new ParagraphKeys(options.unit === 'document' ? null : collector.paragraphKeys.finish());
  return { records: collector.records, analyses: collector.analyses, paragraphKeys, pool: runner.release() };
}

/** What {@link readAndAnalyze} read: the records, their analyses, and the pool that made them (or null: they were made on this thread), for the caller to use and close. */
export interface AnalyzedInput {
  records: StoredRecord[];
  analyses: DocumentAnalysis[];
  /** The band keys of their long paragraphs, made by the tasks (for detectFromAnalyses). */
  paragraphKeys: ParagraphKeys;
  pool: TaskPool | null;
}

/** Range size for a file of `size` bytes: every worker gets several ranges, none is over {@link RANGE_BYTES}. */
function rangeBytes(size: number, jobs: number): number {
  return Math.max(1 << 16, Math.min(RANGE_BYTES, Math.ceil(size / (4 * jobs))));
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reported when the file is read
  }
}

/** A submitted task whose result is not taken yet. */
interface Submitted {
  id: number;
  task: Task;
  shown: string;
  consume: (batch: RecordBatch) => void;
}

/**
 * Runs tasks on a pool or on this thread and hands each result to its consumer in the order the
 * tasks were submitted. The first failure (a consumer's error, an unreadable input, a worker's
 * failure) is kept, later results are dropped, and {@link submit} or {@link finish} throws it.
 */
class OrderedRunner {
  private pool: TaskPool | null = null;
  private held: Submitted[] = [];
  private heldBytes = 0;
  private submitted = 0;
  private taken = 0;
  private readonly pending = new Map<number, Submitted>();
  private readonly ready = new Map<number, TaskResult | Error>();
  private failure: unknown = null;
  private wake: Array<() => void> = [];

  constructor(
    private readonly options: ResolvedOptions,
    private readonly settings: InputAnalysisOptions,
    private readonly inline: TaskRunner,
  ) {
    const jobs = settings.jobs === undefined ? undefined : checkJobs(settings.jobs);
    if (jobs !== undefined && jobs > 1) this.pool = new TaskPool(options, jobs);
  }

  /** True while it is not known yet whether tasks run on workers (jobs undefined, input still small). */
  get undecided(): boolean {
    return this.settings.jobs === undefined && this.pool === null;
  }

  /**
   * Submit a task of about `bytes` input bytes. Resolves at once, or once the workers are less
   * than two tasks each behind: reading waits instead of piling input up in memory.
   */
  async submit(task: Task, bytes: number, shown: string, consume: (batch: RecordBatch) => void): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const submitted: Submitted = { id: this.submitted++, task, shown, consume };
    this.pending.set(submitted.id, submitted);
    if (this.settings.jobs === 1) {
      this.runHere(submitted);
    } else if (this.pool === null) {
      this.held.push(submitted);
      this.heldBytes += bytes;
      if (this.heldBytes < (this.settings.parallelMinBytes ?? 0)) return;
      this.pool = new TaskPool(this.options, defaultJobs());
      for (const waiting of this.held.splice(0)) this.send(waiting);
    } else {
      this.send(submitted);
    }
    while (this.failure === null && this.pool !== null && this.submitted - this.taken >= 2 * this.pool.size) {
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Wait for every result; throws the first failure. */
  async finish(): Promise<void> {
    // Input too small for workers: its tasks run here.
    for (const waiting of this.held.splice(0)) this.runHere(waiting);
    while (this.taken < this.submitted) await new Promise<void>((resolve) => this.wake.push(resolve));
    if (this.failure !== null) throw this.failure;
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** The workers, handed over to the caller (null when every task ran on this thread). */
  release(): TaskPool | null {
    const pool = this.pool;
    this.pool = null;
    return pool;
  }

  private runHere(submitted: Submitted): void {
    let result: TaskResult | Error;
    try {
      result = runTask(this.inline, submitted.task);
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    this.complete(submitted.id, result);
  }

  private send(submitted: Submitted): void {
    this.pool!.run(submitted.task).then(
      (result) => this.complete(submitted.id, result),
      (error: unknown) => this.complete(submitted.id, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private complete(id: number, result: TaskResult | Error): void {
    this.ready.set(id, result);
    while (this.ready.has(this.taken)) {
      const next = this.ready.get(this.taken)!;
      const submitted = this.pending.get(this.taken)!;
      this.ready.delete(this.taken);
      this.pending.delete(this.taken);
      this.taken++;
      if (this.failure !== null) continue;
      try {
        if (next instanceof InputReadError) throw new SyndicError(`${submitted.shown}: ${next.reason}`, 'input');
        if (next instanceof Error) throw next;
        if (next.kind !== 'records') throw new Error('an input task came back without records');
        submitted.consume(next.batch);
      } catch (error) {
        this.failure = error;
      }
    }
    for (const resolve of this.wake.splice(0)) resolve();
  }
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
  if (parallel.pool && JSON.stringify(parallel.pool.options) !== JSON.stringify(resolved)) throw new SyndicError('the analysis pool was built with other options');
  const workers = Math.min(jobs, texts.length);
  if (!parallel.pool && workers <= 1) {
    const analyzer = createAnalyzer(resolved, await loadFingerprinter(), { keepHashes: false });
    const analyses = texts.map((text, index) => {
      const analysis = analyzer.analyze(text);
      if ((index + 1) % 64 === 0 || index + 1 === texts.length) parallel.onProgress?.(index + 1);
      return analysis;
    });
    return detectFromAnalyses(records, analyses, resolved);
  }
  const pool = parallel.pool ?? new AnalysisPool(resolved, workers);
  try {
    const analyses = await pool.analyze(texts, parallel);
    const measureTexts = inMemoryTexts(texts);
    return await detectFromAnalyses(records, analyses, resolved, {
      measurePairs: measureInPool(pool, measureTexts, analyses, resolved),
      measureParagraphs: measureParagraphsInPool(pool, measureTexts, analyses, resolved),
      groupBandKeys: groupInPool(pool),
    });
  } finally {
    if (!parallel.pool) await pool.close();
  }
}
