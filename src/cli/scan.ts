/**
 * `syndic scan`: read inputs → detect (analysis on worker threads) → render → exit code.
 */
import { checkHeap, collectReleased } from '../heap-budget.js';
import { Command, Option } from 'commander';
import { detectFromAnalyses, type RunHelpers } from '../detect/detect.js';
import type { DetectionResult } from '../detect/types.js';
import { clusterAnnotations, survivingRecords, type ClusterAnnotation } from '../detect/dedup.js';
import { SyndicError } from '../errors.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { readAndAnalyze } from '../parallel/driver.js';
import { anchorCandidatesInPool, groupInPool, measureInPool, measureParagraphsInPool } from '../parallel/measure-pool.js';
import { releaseSignatures } from '../parallel/codec.js';
import { TextStore, type StoredRecord } from '../parallel/textstore.js';
import type { DocumentRecord } from '../records.js';
import { CSV_TABLES, type CsvTable } from '../render/csv.js';
import { reportChunks, SCAN_FORMATS, type ScanFormat } from '../render/report.js';
import { TEXT_REPORT_LIMITS } from '../render/text.js';
import { EXIT, writeOutput, type CliIo, type CommandContext } from './io.js';
import {
  addDetectionOptions,
  addInputOptions,
  addProgressOptions,
  parseChoice,
  parseDetectOptions,
  parseInputSettings,
  parseJobs,
  parseNumberOption,
  readOptionsFor,
  reportSkipped,
  type InputSettings,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';
import { Progress, progressEnabled } from './progress.js';

/** Raw option values as commander hands them over (strings, booleans, undefined). */
export interface RawScanOptions extends RawDetectionOptions, RawInputOptions {
  format?: string;
  csvTable?: string;
  out?: string;
  dedupOut?: string;
  clean?: boolean;
  annotate?: boolean;
  top?: string;
  dropSyndicated?: boolean;
  jobs?: string;
  progress?: boolean;
  failOnDuplicates?: boolean;
}

/** Everything a scan run needs, validated. */
export interface ScanSettings extends InputSettings {
  inputs: string[];
  format: ScanFormat;
  /** With the csv format: which table. */
  csvTable: CsvTable;
  out: string | undefined;
  dedupOut: string | undefined;
  clean: boolean;
  /** With --dedup-out: each cluster's survivor carries `cluster: { index, size }`. */
  annotate: boolean;
  /** Entries per section of the text report. */
  top: number;
  dropSyndicated: boolean;
  detect: DetectOptions;
  /** Worker threads; undefined = the number of cores for large inputs, else 1. */
  jobs: number | undefined;
  progress: boolean | undefined;
  failOnDuplicates: boolean;
}

/** Validate the raw options of a scan; throws a usage {@link SyndicError} naming the option. */
export function parseScanSettings(inputs: string[], raw: RawScanOptions): ScanSettings {
  if (inputs.length === 0) throw new SyndicError('syndic: scan needs at least one input: a folder, a .txt/.md/.jsonl/.jsonl.gz file, or - for JSONL on stdin');
  const format = parseChoice('--format', raw.format ?? 'text', SCAN_FORMATS)!;
  const csvTable = parseChoice('--csv-table', raw.csvTable ?? 'pairs', CSV_TABLES)!;
  if (raw.csvTable !== undefined && format !== 'csv') throw new SyndicError('syndic: option --csv-table works with --format csv');
  if (raw.clean && !raw.dedupOut) throw new SyndicError('syndic: option --clean works with --dedup-out FILE (it cleans the deduplicated texts)');
  if (raw.annotate && !raw.dedupOut) throw new SyndicError('syndic: option --annotate works with --dedup-out FILE (it annotates the surviving records)');
  const top = parseNumberOption('--top', raw.top) ?? TEXT_REPORT_LIMITS.clusters;
  if (!Number.isInteger(top) || top < 0) throw new SyndicError(`syndic: option --top must be a whole number of entries (0 or more), got "${raw.top}"`);
  if (raw.dropSyndicated && !raw.dedupOut) throw new SyndicError('syndic: option --drop-syndicated works with --dedup-out FILE (it drops copies from the deduplicated output)');
  const jobs = parseJobs(raw.jobs);
  const detect = parseDetectOptions(raw);
  return {
    inputs,
    format,
    csvTable,
    out: raw.out,
    dedupOut: raw.dedupOut,
    clean: raw.clean ?? false,
    annotate: raw.annotate ?? false,
    top,
    dropSyndicated: raw.dropSyndicated ?? false,
    detect,
    jobs,
    progress: raw.progress,
    failOnDuplicates: raw.failOnDuplicates ?? false,
    ...parseInputSettings(raw),
  };
}

/**
 * Without --jobs, inputs smaller than this (bytes of JSONL or text files) are read and analyzed on
 * the main thread: about 16 M characters of Arabic text, below which starting workers costs more
 * than it saves (measured on the real data set: 6,228 articles, 2 cores).
 */
export const AUTO_PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** Exit code of a finished scan: 1 when `--fail-on-duplicates` and anything was found, else 0. */
export function scanExitCode(result: DetectionResult, failOnDuplicates: boolean): number {
  if (!failOnDuplicates) return EXIT.ok;
  return result.duplicates.pairs.length > 0 || result.syndication.length > 0 ? EXIT.duplicatesFound : EXIT.ok;
}

/**
 * Records as JSONL lines (the fields each record has, in a fixed order); with `clusters`, a
 * record that stands for a near-duplicate cluster carries `cluster: { index, size }`.
 */
export function recordsToJsonl(records: readonly DocumentRecord[], clusters?: ReadonlyMap<string, ClusterAnnotation>): string {
  return records
    .map((record) => {
      const { id, text, source, date, url, title } = record;
      return `${JSON.stringify({ id, source, date, url, title, cluster: clusters?.get(id), text })}\n`;
    })
    .join('');
}

/** Register `syndic scan` on the program. */
export function registerScan(program: Command, context: CommandContext): void {
  const command = program
    .command('scan')
    .description('find near-duplicate documents, syndicated copies and repeated paragraphs')
    .argument('[inputs...]', "folders (.txt/.md inside), .txt/.md files, .jsonl/.jsonl.gz files, '-' for JSONL on stdin")
    .addOption(new Option('--format <format>', 'report format').choices([...SCAN_FORMATS]).default('text'))
    .addOption(new Option('--csv-table <table>', 'with --format csv: the pairs, the stories (one row per member), the outlets or the outlet flows').choices([...CSV_TABLES]))
    .option('--out <file>', 'write the report to FILE instead of stdout')
    .option('--dedup-out <file>', 'write the surviving records (one per duplicate cluster) as JSONL to FILE')
    .option('--clean', 'with --dedup-out: drop internal repeats and boilerplate paragraphs from the texts')
    .option('--annotate', 'with --dedup-out: give the record kept for each duplicate cluster a "cluster": {"index", "size"} field')
    .option('--top <n>', 'entries listed per section of the text report (default 5)')
    .option('--drop-syndicated', 'with --dedup-out: drop syndicated copies too (the later document when it lies inside the other)')
    .addOption(new Option('--unit <unit>', 'compare documents, paragraphs or both').choices(['document', 'paragraph', 'both']))
    .option('--jobs <n>', 'worker threads for reading and analysis (default: number of cores, for inputs over 32 MB)')
    .option('--fail-on-duplicates', 'exit with code 1 when duplicates or syndication are found');
  addDetectionOptions(command);
  addInputOptions(command);
  addProgressOptions(command);
  command.action(async (inputs: string[], raw: RawScanOptions) => {
    context.exitCode = await runScan(parseScanSettings(inputs, raw), context.io);
  });
}

/**
 * Read the inputs and detect. The analyses are not needed past detection: they go out of scope
 * here, before the report is written (its full collections walk a smaller heap).
 */
async function readAndDetect(
  settings: ScanSettings,
  io: CliIo,
  skipped: { count: number },
  options: ResolvedOptions,
  store: TextStore,
  progress: Progress,
): Promise<{ records: StoredRecord[]; result: DetectionResult }> {
  progress.begin('reading');
  const { records, analyses, paragraphKeys, pool } = await readAndAnalyze(settings.inputs, readOptionsFor(settings, io, skipped), options, {
    ...(settings.jobs !== undefined && { jobs: settings.jobs }),
    parallelMinBytes: AUTO_PARALLEL_MIN_BYTES,
    onProgress: (done) => progress.update(done),
  }, store);
  progress.begin('comparing');
  try {
    const texts = { spill: store.spill.shareIfOpen(), spilledAt: (d: number) => records[d]!.spilledAt(), utf16: (d: number) => records[d]!.utf16() };
    const helpers: RunHelpers = pool
      ? {
          // First in the pool's queue: one worker finds them while this thread runs the passes.
          anchorCandidates: options.unit === 'document' ? undefined : anchorCandidatesInPool(pool, analyses),
          measurePairs: measureInPool(pool, texts, analyses, options),
          measureParagraphs: measureParagraphsInPool(pool, texts, analyses, options),
          groupBandKeys: groupInPool(pool),
        }
      : {};
    // Exact measures tell identical documents apart by their identity; estimates read signatures.
    if (options.verify === 'exact') {
      helpers.afterDocumentPass = () => {
        releaseSignatures(analyses);
        collectReleased();
      };
    }
    return { records, result: await detectFromAnalyses(records, analyses, options, { ...helpers, paragraphKeys }) };
  } finally {
    await pool?.close();
  }
}

/** Run a scan with validated settings; resolves to the exit code. */
export async function runScan(settings: ScanSettings, io: CliIo): Promise<number> {
  const progress = new Progress(io, progressEnabled(settings.progress, io));
  const skipped = { count: 0 };
  const options = resolveOptions(settings.detect);
  const store = new TextStore();
  try {
    const { records, result } = await readAndDetect(settings, io, skipped, options, store, progress);
    // The analyses are garbage now: collected before the report is made, not under its own garbage.
    collectReleased();
    store.readInOrder();
    warnAboutCaps(result, io);
    checkHeap('writing the report of', records.length);
    const report = reportChunks(settings.format, result, records, { top: settings.top, csvTable: settings.csvTable });
    await writeOutput(settings.out, report, io);
    if (settings.dedupOut) {
      const clusters = settings.annotate ? clusterAnnotations(result) : undefined;
      const lines = mapIterable(survivingRecords(records, result, { clean: settings.clean, dropSyndicated: settings.dropSyndicated }), (record) =>
        recordsToJsonl([record], clusters),
      );
      await writeOutput(settings.dedupOut, lines, io);
    }
    reportSkipped(skipped, io);
    progress.end(`${result.stats.documents} documents, ${result.stats.duplicatePairs} duplicate pairs, ${result.stats.syndicationPairs} syndication pairs`);
    return scanExitCode(result, settings.failOnDuplicates);
  } finally {
    store.close();
  }
}

/**
 * Name on stderr what a cap left out, so that no setting drops pairs silently: LSH buckets too
 * large to expand (identical documents in them are still grouped exactly).
 */
export function warnAboutCaps(result: DetectionResult, io: CliIo): void {
  const { oversizedBuckets, largestOversizedBucket } = result.stats;
  if (oversizedBuckets === 0) return;
  const { maxBucketSize } = result.params;
  io.stderr.write(
    `syndic: warning: ${oversizedBuckets.toLocaleString('en-US')} LSH bucket${oversizedBuckets === 1 ? '' : 's'} held more than --max-bucket-size ${maxBucketSize.toLocaleString('en-US')} ` +
      `documents or paragraphs (the largest ${largestOversizedBucket.toLocaleString('en-US')}) and were not expanded into pairs: identical texts in them are still grouped, ` +
      `near-duplicates found only through them are not (a mass-repeated text, or too few rows per band: see --num-perm, --bands, --rows)\n`,
  );
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}
