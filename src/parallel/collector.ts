/**
 * The main thread's side of reading the input: record batches taken in input order become stored
 * records and their analyses, with the first bad record or duplicate id reported by input
 * position, and each task is told where to put what the run keeps on disk.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { checkHeap } from '../heap-budget.js';
import { SyndicError } from '../errors.js';
import { IdRegistry } from '../input/parse.js';
import type { InputUnit } from '../input/sources.js';
import { longParagraphs } from '../analyze/paragraph-keys.js';
import { batchChars, packAnalyses, SignatureBlocks, unpackAnalyses, type RecordBatch } from './codec.js';
import { SignatureReader } from './signature-spill.js';
import { BAND_KEYS_PER_CHUNK, BandKeyWriter } from './band-key-spill.js';
import type { BatchOutput } from './tasks.js';
import { StoredRecord, type TextStore } from './textstore.js';

/** Paragraph signatures a run keeps in memory before it spills the rest (../shared/data holds 10.6 MiB). */
export const SIGNATURES_IN_MEMORY = 16 * 2 ** 20;

/** Takes record batches in input order and turns them into stored records and their analyses. */
export class RecordCollector {
  readonly records: StoredRecord[] = [];
  readonly analyses: DocumentAnalysis[] = [];
  /** The band keys of the kept records' long paragraphs, in order (none when only documents are compared). */
  readonly paragraphKeys: BandKeyWriter;
  private readonly ids = new IdRegistry();
  private readonly signatures: SignatureReader;
  private readonly documentSignatures = new SignatureBlocks();
  private signatureBytesHeld = 0;
  // Outlet names repeat across records: one string each instead of one per record.
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly numPerm: number,
    private readonly bands: number,
    private readonly store: TextStore,
    private readonly onInvalid: ((message: string) => void) | undefined,
    private readonly onProgress: ((records: number) => void) | undefined,
    private readonly signaturesInMemory: number,
    bandKeysPerChunk = BAND_KEYS_PER_CHUNK,
  ) {
    this.signatures = new SignatureReader(store.spill);
    this.paragraphKeys = new BandKeyWriter(store.spill, bands, bandKeysPerChunk);
  }

  /**
   * Where the next task puts texts (`texts`: it reads JSONL) and signatures: those of the tasks
   * submitted before the run holds `signaturesInMemory` bytes of them stay in memory, so a small
   * run never reads one back from disk (tasks in flight may take it a few batches over).
   */
  output(texts: boolean): BatchOutput {
    const keepSignatures = this.signatureBytesHeld < this.signaturesInMemory;
    return { spill: texts || !keepSignatures ? this.store.spill.share() : null, keepSignatures };
  }

  /** A batch of JSONL records; `lines.before` counts the lines of the file's earlier batches. */
  jsonl(batch: RecordBatch, shown: string, lines: { before: number }): void {
    const analyses = this.unpack(batch);
    const keys = new BatchKeys(batch.paragraphKeys, this.bands);
    let textAt = batch.textsAt!;
    let problem = 0;
    for (let r = 0; r < batch.fields.length; r++) {
      while (problem < batch.problems.length && batch.problems[problem]!.before === r) this.jsonlProblem(batch, problem++, shown, lines.before);
      const bytes = batchChars(batch.analyses, r) * 2;
      const text = textAt;
      textAt += bytes;
      const recordKeys = keys.next(analyses[r]!);
      const where = `${shown}:${lines.before + batch.positions[r]!}`;
      if (!this.unique(batch.fields[r]!.id, where)) continue;
      this.keep(batch.fields[r]!, this.store.addSpilled(text, bytes), analyses[r]!, recordKeys);
    }
    while (problem < batch.problems.length) this.jsonlProblem(batch, problem++, shown, lines.before);
    lines.before += batch.lines;
    this.onProgress?.(this.records.length);
    checkHeap('reading', this.records.length);
  }

  /** A batch of text files, `units` the files of its task. */
  files(batch: RecordBatch, units: ReadonlyArray<Extract<InputUnit, { kind: 'text' }>>): void {
    const analyses = this.unpack(batch);
    const keys = new BatchKeys(batch.paragraphKeys, this.bands);
    let problem = 0;
    for (let r = 0; r < batch.fields.length; r++) {
      while (problem < batch.problems.length && batch.problems[problem]!.before === r) this.fileProblem(batch, problem++, units);
      const unit = units[batch.positions[r]!]!;
      const recordKeys = keys.next(analyses[r]!);
      if (!this.unique(unit.id, unit.shown, unit.shown !== unit.id)) continue;
      const fields = unit.source === undefined ? { id: unit.id } : { id: unit.id, source: unit.source };
      this.keep(fields, this.store.addFile(unit.file, batchChars(batch.analyses, r)), analyses[r]!, recordKeys);
    }
    while (problem < batch.problems.length) this.fileProblem(batch, problem++, units);
    this.onProgress?.(this.records.length);
    checkHeap('reading', this.records.length);
  }

  /**
   * A batch's analyses, packed (a task run on this thread made them one by one); those whose
   * signatures its task spilled read them back when asked.
   */
  private unpack(batch: RecordBatch): DocumentAnalysis[] {
    const spilledAt = batch.signaturesAt;
    const packed = Array.isArray(batch.analyses) ? packAnalyses(batch.analyses, this.numPerm, { signatures: spilledAt === null }) : batch.analyses;
    if (spilledAt === null) this.signatureBytesHeld += packed.signatures.byteLength;
    const analyses = unpackAnalyses(packed, this.numPerm, spilledAt === null ? null : { reader: this.signatures, offset: spilledAt });
    this.documentSignatures.adopt(analyses);
    return analyses;
  }

  private keep(fields: RecordBatch['fields'][number], index: number, analysis: DocumentAnalysis, keys: Uint32Array): void {
    const source = fields.source === undefined ? undefined : this.intern(fields.source);
    this.records.push(new StoredRecord(this.store, index, fields.id, source, fields.date, fields.url, fields.title));
    this.analyses.push(analysis);
    this.paragraphKeys.add(keys);
  }

  private intern(source: string): string {
    const known = this.sources.get(source);
    if (known !== undefined) return known;
    this.sources.set(source, source);
    return source;
  }

  private unique(id: string, where: string, folderFile = false): boolean {
    const message = this.ids.duplicate(id, where, folderFile);
    if (message === null) return true;
    this.invalid(message);
    return false;
  }

  private jsonlProblem(batch: RecordBatch, problem: number, shown: string, linesBefore: number): void {
    const { at, reason } = batch.problems[problem]!;
    this.invalid(`${shown}:${linesBefore + at}: ${reason}`);
  }

  private fileProblem(batch: RecordBatch, problem: number, units: ReadonlyArray<Extract<InputUnit, { kind: 'text' }>>): void {
    const { at, reason } = batch.problems[problem]!;
    this.invalid(`${units[at]!.shown}: ${reason}`);
  }

  /** Input problems in the words of the sequential reader (input/sources.ts). */
  private invalid(problem: string): void {
    if (!this.onInvalid) throw new SyndicError(problem, 'input');
    this.onInvalid(problem);
  }
}

/** A batch's paragraph band keys, record by record (none when the batch has none). */
class BatchKeys {
  private at = 0;

  constructor(
    private readonly keys: Uint32Array,
    private readonly bands: number,
  ) {}

  /** The keys of the next record, whose analysis is `analysis`. */
  next(analysis: DocumentAnalysis): Uint32Array {
    if (this.keys.length === 0) return this.keys;
    const end = this.at + longParagraphs(analysis.signatureRow) * this.bands;
    const keys = this.keys.subarray(this.at, end);
    this.at = end;
    return keys;
  }
}
