/**
 * The work a worker thread does, and the main thread too when it runs a batch itself (`--jobs 1`,
 * small inputs): one function per task kind, so a parallel run and a single-threaded one share
 * every step. A task is analysis of texts, or reading records from a part of the input — a byte
 * range of a JSONL file (split at line ends), a chunk of JSONL bytes (gzip, stdin), or a list of
 * text files — and analyzing them, or measuring a chunk of candidate pairs.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createAnalyzer, type Analyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { LineDecoder } from '../input/line.js';
import { decodeLine, decodeTextFile, describeFsError, parseJsonRecord, type FieldMap } from '../input/parse.js';
import { loadFingerprinter } from '../sketch/hash.js';
import type { ResolvedOptions } from '../options.js';
import { measureChunk, type MeasureChunk } from './measure-task.js';
import { measureParagraphChunk, type ParagraphChunk } from './paragraph-task.js';
import { anchorCandidatesOf } from './anchor-task.js';
import type { ContainmentCandidates } from '../detect/containment-candidates.js';
import { packAnalyses, type AnchorParts, type InputProblem, type PackedAnalyses, type RecordBatch, type RecordFields } from './codec.js';
import { SpillFile, type SharedSpill } from './spill.js';
import { paragraphBandKeys } from '../analyze/paragraph-keys.js';
import { groupBandRange, type BatchCandidates, type BatchOptions } from '../lsh/group.js';
import { bandKeysFrom, type SharedBandKeys } from './band-key-spill.js';

/**
 * Where a task that reads records puts what the run keeps on disk: the texts of JSONL records
 * go to `spill`, and so do the batch's paragraph signatures unless `keepSignatures` (then they come
 * back with the analyses). `spill` is null for a files task that keeps its signatures.
 */
export interface BatchOutput {
  spill: SharedSpill | null;
  keepSignatures: boolean;
}

/** One unit of work for a worker. */
export type Task =
  | { kind: 'texts'; texts: string[] }
  /** The lines of `path` that start in [start, end) (a line belongs to the range holding its first byte). */
  | { kind: 'jsonl-range'; path: string; start: number; end: number; fields: FieldMap; output: BatchOutput }
  /** Whole lines of JSONL (a last line without '\n' included). */
  | { kind: 'jsonl-bytes'; bytes: Uint8Array; fields: FieldMap; output: BatchOutput }
  /** Text files, one record each; ids and sources are the main thread's. */
  | { kind: 'files'; paths: string[]; output: BatchOutput }
  /** Exact measures of candidate pairs (see measure-task.ts). */
  | { kind: 'measure'; chunk: MeasureChunk }
  /** The Jaccard of candidate pairs of paragraphs (see paragraph-task.ts). */
  | { kind: 'paragraphs'; chunk: ParagraphChunk }
  /** Syndication's anchor candidates (see anchor-task.ts). */
  | { kind: 'anchors'; anchors: AnchorParts | null }
  /** LSH candidates of bands [from, to) of band keys shared with the main thread (see measure-pool.ts). */
  | { kind: 'bands'; keys: SharedBandKeys; from: number; to: number; options: BatchOptions };

/** What a task produced: analyses of texts, or records read from input. */
export type TaskResult =
  | { kind: 'analyses'; analyses: PackedAnalyses }
  | { kind: 'records'; batch: RecordBatch }
  | { kind: 'measures'; values: Float64Array }
  | { kind: 'candidates'; candidates: ContainmentCandidates }
  | { kind: 'pairs'; candidates: BatchCandidates };

/** Runs tasks with one analyzer (not re-entrant). */
export interface TaskRunner {
  run(task: Task): TaskResult;
}

/** The failure of an input that could not be read (the reason in syndic's words); the caller names the input. */
export class InputReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Run `task`; a file system error (a file gone or unreadable since it was listed) is an
 * {@link InputReadError}, anything else a failure of syndic.
 */
export function runTask(runner: TaskRunner, task: Task): TaskResult {
  try {
    return runner.run(task);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) throw new InputReadError(describeFsError(error));
    throw error;
  }
}

/**
 * A runner for one option set. With `pack` false (a runner on the main thread), record batches
 * keep their analyses as made: packing is for the transfer from a worker.
 */
export async function createTaskRunner(options: ResolvedOptions, pack = true): Promise<TaskRunner> {
  const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
  const packer: Packer = (analyses) => packAnalyses(analyses, options.numPerm);
  // Made here, where the signatures are, so that a scan never reads them back for the keys.
  const keys = (analyses: readonly DocumentAnalysis[]): Uint32Array => (options.unit === 'document' ? NO_KEYS : paragraphBandKeys(analyses, options));
  const builder = (keepTexts: boolean, output: BatchOutput): BatchBuilder => new BatchBuilder(packer, keys, pack, keepTexts, output);
  return {
    run(task) {
      switch (task.kind) {
        case 'texts':
          return { kind: 'analyses', analyses: packer(task.texts.map((text) => analyzer.analyze(text))) };
        case 'jsonl-range': {
          const { bytes, first, stop } = readRange(task.path, task.start, task.end);
          return { kind: 'records', batch: parseJsonl(bytes, first, stop, task.fields, analyzer, builder(true, task.output)) };
        }
        case 'jsonl-bytes':
          return { kind: 'records', batch: parseJsonl(task.bytes, 0, task.bytes.length, task.fields, analyzer, builder(true, task.output)) };
        case 'files':
          return { kind: 'records', batch: readFiles(task.paths, analyzer, builder(false, task.output)) };
        case 'measure':
          return { kind: 'measures', values: measureChunk(task.chunk, options) };
        case 'paragraphs':
          return { kind: 'measures', values: measureParagraphChunk(task.chunk, options) };
        case 'anchors':
          return { kind: 'candidates', candidates: anchorCandidatesOf(task) };
        case 'bands':
          return { kind: 'pairs', candidates: groupBandRange(bandKeysFrom(task.keys), task.from, task.to, task.options) };
      }
    },
  };
}

/**
 * The bytes of a file from just before `start` to the end of the last line starting before
 * `end`; `first` is where the first line starting at or after `start` begins in them, `stop` where
 * the lines end (past `end` when the last line runs on; a huge line is read whole).
 */
function readRange(path: string, start: number, end: number): { bytes: Buffer; first: number; stop: number } {
  const descriptor = openSync(path, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const from = start > 0 ? start - 1 : 0;
    const target = Math.min(end, size) - from;
    let bytes = Buffer.allocUnsafe(Math.min(size - from, target + (1 << 16)));
    let length = readFully(descriptor, bytes, 0, bytes.length, from);
    // The last line of the range ends at the first '\n' at or after end − 1.
    let newline = target > 0 ? bytes.subarray(0, length).indexOf(10, target - 1) : -1;
    while (newline < 0 && from + length < size && target > 0) {
      const grown = Buffer.allocUnsafe(Math.min(size - from, bytes.length * 2));
      bytes.copy(grown, 0, 0, length);
      const searchFrom = length;
      length += readFully(descriptor, grown, length, grown.length - length, from + length);
      bytes = grown;
      newline = bytes.subarray(0, length).indexOf(10, searchFrom);
    }
    bytes = bytes.subarray(0, length);
    const stop = newline >= 0 ? newline + 1 : length;
    // From start − 1: the first line of the range begins after the first '\n' seen.
    const first = start > 0 ? bytes.indexOf(10) + 1 || length : 0;
    return { bytes, first: Math.min(first, stop), stop };
  } finally {
    closeSync(descriptor);
  }
}

function readFully(descriptor: number, buffer: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const read = readSync(descriptor, buffer, offset + done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

/** Packs a batch's analyses for the reply of a worker. */
type Packer = (analyses: readonly DocumentAnalysis[]) => PackedAnalyses;

const NO_SIGNATURES = new ArrayBuffer(0);
const NO_KEYS = new Uint32Array(0);

/**
 * Accumulates a batch's records, analyses and texts, and writes what goes to disk to the run's
 * spill; unless `packed`, the analyses stay as made (or are packed when their signatures are spilled).
 */
class BatchBuilder {
  readonly fields: RecordFields[] = [];
  readonly positions: number[] = [];
  readonly problems: InputProblem[] = [];
  readonly analyses: DocumentAnalysis[] = [];
  private texts: Buffer | null;
  private textBytes = 0;

  constructor(
    private readonly pack: Packer,
    private readonly keys: (analyses: readonly DocumentAnalysis[]) => Uint32Array,
    private readonly packed: boolean,
    keepTexts: boolean,
    private readonly output: BatchOutput,
  ) {
    this.texts = keepTexts ? Buffer.allocUnsafe(1 << 16) : null;
  }

  add(at: number, fields: RecordFields, text: string, analysis: DocumentAnalysis): void {
    this.push(at, fields, analysis);
    // UTF-16 keeps any string exactly, lone surrogates included.
    if (this.texts) this.textBytes += this.room(text.length * 2).write(text, this.textBytes, 'utf16le');
  }

  /** {@link add} of a text given as its UTF-16 units. */
  addUnits(at: number, fields: RecordFields, units: Uint16Array, length: number, analysis: DocumentAnalysis): void {
    this.push(at, fields, analysis);
    if (!this.texts) return;
    const bytes = new Uint8Array(units.buffer, units.byteOffset, length * 2);
    this.room(bytes.length).set(bytes, this.textBytes);
    this.textBytes += bytes.length;
  }

  private push(at: number, fields: RecordFields, analysis: DocumentAnalysis): void {
    this.fields.push(fields);
    this.positions.push(at);
    this.analyses.push(analysis);
  }

  /** The text buffer, grown to hold `bytes` more. */
  private room(bytes: number): Buffer {
    let texts = this.texts!;
    if (this.textBytes + bytes > texts.length) {
      const grown = Buffer.allocUnsafe(Math.max(texts.length * 2, this.textBytes + bytes));
      texts.copy(grown, 0, 0, this.textBytes);
      this.texts = texts = grown;
    }
    return texts;
  }

  problem(at: number, reason: string): void {
    this.problems.push({ at, before: this.fields.length, reason });
  }

  finish(lines: number): RecordBatch {
    const { keepSignatures } = this.output;
    const spill = this.output.spill ? new SpillFile(this.output.spill) : null;
    const textsAt = this.texts ? spill!.append(this.texts.subarray(0, this.textBytes)) : null;
    const paragraphKeys = this.keys(this.analyses);
    let analyses: RecordBatch['analyses'] = this.analyses;
    let signaturesAt: number | null = null;
    if (!keepSignatures) {
      // Packed to have the signatures in one piece, written as such.
      const packed = this.pack(this.analyses);
      signaturesAt = spill!.append(new Uint8Array(packed.signatures));
      analyses = { ...packed, signatures: NO_SIGNATURES };
    } else if (this.packed) {
      analyses = this.pack(this.analyses);
    }
    return { fields: this.fields, positions: Uint32Array.from(this.positions), problems: this.problems, lines, analyses, textsAt, signaturesAt, paragraphKeys };
  }
}

/** Records of the lines in bytes[first, stop), numbered from 1; blank lines skipped but counted. */
function parseJsonl(bytes: Uint8Array, first: number, stop: number, fieldMap: FieldMap, analyzer: Analyzer, batch: BatchBuilder): RecordBatch {
  const decoder = new LineDecoder(fieldMap);
  let line = 0;
  let at = first;
  while (at < stop) {
    const newline = bytes.indexOf(10, at);
    const end = newline < 0 || newline >= stop ? stop : newline;
    line++;
    const lineBytes = bytes.subarray(at, end);
    at = end + 1;
    const crlf = lineBytes.length > 0 && lineBytes[lineBytes.length - 1] === 13;
    const fast = decoder.decode(crlf ? lineBytes.subarray(0, lineBytes.length - 1) : lineBytes);
    if (fast) {
      batch.addUnits(line, fast.fields, decoder.units, fast.length, analyzer.analyzeUnits(decoder.units, fast.length));
      continue;
    }
    const decoded = decodeLine(lineBytes);
    if (typeof decoded !== 'string') {
      batch.problem(line, decoded.problem);
      continue;
    }
    if (decoded.trim() === '') continue;
    const record = parseJsonRecord(decoded, fieldMap);
    if (typeof record === 'string') {
      batch.problem(line, record);
      continue;
    }
    const { id, text, ...rest } = record;
    batch.add(line, { id, ...rest }, text, analyzer.analyze(text));
  }
  return batch.finish(line);
}

/** Records of whole text files (a file that cannot be read or is not text is a problem). */
function readFiles(paths: readonly string[], analyzer: Analyzer, batch: BatchBuilder): RecordBatch {
  paths.forEach((path, index) => {
    let decoded: string | { problem: string };
    try {
      decoded = decodeTextFile(readFileSync(path));
    } catch (error) {
      decoded = { problem: describeFsError(error) };
    }
    if (typeof decoded === 'string') batch.add(index, { id: '' }, decoded, analyzer.analyze(decoded));
    else batch.problem(index, decoded.problem);
  });
  return batch.finish(0);
}
