/**
 * `syndic scan`: read inputs → detect (analysis on worker threads) → render → exit code.
 */
import { Command, Option } from 'commander';
import { detectFromAnalyses } from '../detect/detect.js';
import { CATEGORY_WORDS } from '../detect/policy.js';
import type { DetectionResult } from '../detect/types.js';
import { clusterAnnotations, survivingRecords, type ClusterAnnotation } from '../detect/dedup.js';
import { SyndicError } from '../errors.js';
import { resolveOptions, type DetectOptions, type Unit } from '../options.js';
import { readAndAnalyze } from '../parallel/driver.js';
import { measureInPool } from '../parallel/measure-pool.js';
import type { DocumentRecord } from '../records.js';
import { renderHtml } from '../render/html/html.js';
import { TextStore } from '../parallel/textstore.js';
import { fieldsFromOptions, type FieldMap } from './input.js';
import { EXIT, withProgramName, writeOutput, type CliIo } from './io.js';
import type { CommandContext } from './main.js';
import { Progress, progressEnabled } from './progress.js';
import { CSV_TABLES, renderCsv, type CsvTable } from '../render/csv.js';
import { renderJson, renderJsonChunks } from '../render/json.js';
import { renderJsonl, renderJsonlLines } from '../render/jsonl.js';
import { renderText, textReportLimits, TEXT_REPORT_LIMITS } from '../render/text.js';
import type { ReadInputsOptions } from './sources.js';
import { collect, folderFilterFrom, type FolderFilter, type RawFolderOptions } from './globs.js';

/** Output formats of `scan`. */
export const SCAN_FORMATS = ['text', 'json', 'jsonl', 'csv', 'html'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** Raw option values as commander hands them over (strings, booleans, undefined). */
export interface RawScanOptions extends RawFolderOptions {
  format?: string;
  csvTable?: string;
  out?: string;
  dedupOut?: string;
  clean?: boolean;
  annotate?: boolean;
  top?: string;
  dropSyndicated?: boolean;
  maxBucketSize?: string;
  threshold?: string;
  containment?: string;
  shingleSize?: string;
  numPerm?: string;
  bands?: string;
  rows?: string;
  seed?: string;
  unit?: string;
  minParagraphChars?: string;
  arabic?: boolean;
  jobs?: string;
  progress?: boolean;
  idField?: string;
  textField?: string;
  sourceField?: string;
  dateField?: string;
  sourceFrom?: string;
  skipInvalid?: boolean;
  failOnDuplicates?: boolean;
}

/** Everything a scan run needs, validated. */
export interface ScanSettings {
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
  fields: Partial<FieldMap>;
  sourceFrom: 'dir' | undefined;
  /** Which files of folder inputs are read. */
  folderFilter: FolderFilter;
  skipInvalid: boolean;
  failOnDuplicates: boolean;
}

/** Parse a numeric option; the library checks the range, this checks it is a number at all. */
export function parseNumberOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new SyndicError(`syndic: option ${flag} expects a number, got "${value}"`);
  return number;
}

/** Parse a choice option against its allowed values. */
export function parseChoice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new SyndicError(`syndic: option ${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

/** The detection options shared by `scan` and `explain`. */
export function detectOptionsFrom(raw: RawScanOptions): DetectOptions {
  const detect: DetectOptions = {};
  const numbers = [
    ['threshold', '--threshold', raw.threshold],
    ['containment', '--containment', raw.containment],
    ['shingleSize', '--shingle-size', raw.shingleSize],
    ['numPerm', '--num-perm', raw.numPerm],
    ['bands', '--bands', raw.bands],
    ['rows', '--rows', raw.rows],
    ['seed', '--seed', raw.seed],
    ['minParagraphChars', '--min-paragraph-chars', raw.minParagraphChars],
    ['maxBucketSize', '--max-bucket-size', raw.maxBucketSize],
  ] as const;
  for (const [key, flag, value] of numbers) {
    const number = parseNumberOption(flag, value);
    if (number !== undefined) detect[key] = number;
  }
  const unit = parseChoice<Unit>('--unit', raw.unit, ['document', 'paragraph', 'both']);
  if (unit !== undefined) detect.unit = unit;
  if (raw.arabic === false) detect.normalize = { arabic: false };
  return detect;
}

/** Library option names and the flags that set them, for messages. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = Object.freeze({
  threshold: '--threshold',
  containment: '--containment',
  shingleSize: '--shingle-size',
  numPerm: '--num-perm',
  seed: '--seed',
  minParagraphChars: '--min-paragraph-chars',
  maxBucketSize: '--max-bucket-size',
});

/** Validate detection options as the library does, naming the CLI flag in the message. */
export function checkDetectOptions(detect: DetectOptions): void {
  try {
    resolveOptions(detect);
  } catch (error) {
    if (!(error instanceof SyndicError)) throw error;
    const message = error.message.replace(/^option (\w+)/, (whole, name: string) => {
      const flag = FLAG_OF_OPTION[name];
      return flag ? `option ${flag}` : whole;
    });
    throw new SyndicError(message, error.kind);
  }
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
  const jobs = parseNumberOption('--jobs', raw.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024)) throw new SyndicError(`syndic: option --jobs must be an integer from 1 to 1024, got "${raw.jobs}"`);
  const detect = detectOptionsFrom(raw);
  checkDetectOptions(detect);
  const fields = fieldsFromOptions(raw);
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
    fields,
    sourceFrom: parseChoice('--source-from', raw.sourceFrom, ['dir'] as const),
    folderFilter: folderFilterFrom(raw),
    skipInvalid: raw.skipInvalid ?? false,
    failOnDuplicates: raw.failOnDuplicates ?? false,
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

/** Presentation options of a report. */
export interface ReportOptions {
  /** Entries per section of the text report (default 5). */
  top?: number;
  /** The table of a CSV report (default the pairs). */
  csvTable?: CsvTable;
}

/** The report in the chosen format. */
export function renderReport(format: ScanFormat, result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, records, options.top === undefined ? TEXT_REPORT_LIMITS : textReportLimits(options.top));
    case 'json':
      return renderJson(result);
    case 'jsonl':
      return renderJsonl(result);
    case 'csv':
      return renderCsv(result, options.csvTable);
    case 'html':
      return renderHtml(result, records);
  }
}

/**
 * The report in pieces whose concatenation is {@link renderReport}'s: JSON and JSONL reports of
 * a million documents are longer than the longest string V8 can make.
 */
export function reportChunks(format: ScanFormat, result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): Iterable<string> {
  if (format === 'json') return renderJsonChunks(result);
  if (format === 'jsonl') return renderJsonlLines(result);
  return [renderReport(format, result, records, options)];
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

/** Add options the scan and explain commands share. */
export function addDetectionOptions(command: Command): Command {
  return command
    .option('--threshold <number>', `${CATEGORY_WORDS.duplicate} (default 0.8)`)
    .option('--containment <number>', `${CATEGORY_WORDS.syndicated} (default 0.8)`)
    .option('--shingle-size <n>', 'character k-gram size (default 5)')
    .option('--num-perm <n>', 'MinHash signature length (default 128)')
    .option('--bands <n>', 'LSH bands (default derived from --threshold)')
    .option('--rows <n>', 'LSH rows per band (default derived from --threshold)')
    .option('--seed <n>', 'seed of every hash (default 1)')
    .option('--min-paragraph-chars <n>', 'shorter paragraphs are matched exactly; the smallest content of a syndicated copy (default 40)')
    .option('--max-bucket-size <n>', 'LSH buckets with more members are not expanded into pairs, and named on stderr (default 1000)')
    .option('--no-arabic', 'do not fold Arabic letter variants and diacritics');
}

/** Add the input options shared by scan and explain. */
export function addInputOptions(command: Command): Command {
  return command
    .option('--id-field <name>', 'JSONL field holding the id', 'id')
    .option('--text-field <name>', 'JSONL field holding the text', 'text')
    .option('--source-field <name>', 'JSONL field holding the outlet', 'source')
    .option('--date-field <name>', 'JSONL field holding the date', 'date')
    .addOption(new Option('--source-from <how>', 'take the outlet of folder files from the first path segment').choices(['dir']))
    .option('--include <glob>', 'folders: read only files matching GLOB (repeatable; default *.txt and *.md)', collect)
    .option('--exclude <glob>', 'folders: leave out files or folders matching GLOB (repeatable; added to the defaults)', collect)
    .option('--no-default-exclude', 'folders: also read hidden files, README, LICENSE, CHANGELOG and CONTRIBUTING files')
    .option('--skip-invalid', 'warn about invalid records on stderr and skip them');
}

/** The input-reading options of parsed settings, with the warning counter for --skip-invalid. */
export function readOptionsFor(
  settings: Pick<ScanSettings, 'fields' | 'sourceFrom' | 'skipInvalid' | 'folderFilter'>,
  io: CliIo,
  skipped: { count: number },
): ReadInputsOptions {
  const options: ReadInputsOptions = { fields: settings.fields, stdin: io.stdin, cwd: io.cwd, folderFilter: settings.folderFilter };
  if (settings.sourceFrom) options.sourceFrom = settings.sourceFrom;
  if (settings.skipInvalid) {
    options.onInvalid = (message) => {
      skipped.count++;
      io.stderr.write(`${withProgramName(message)} (skipped)\n`);
    };
  }
  return options;
}

/** {@link readOptionsFor} from the raw input options of any command that reads records. */
export function readOptionsFromRaw(raw: RawScanOptions, io: CliIo, skipped: { count: number }): ReadInputsOptions {
  return readOptionsFor({ fields: fieldsFromOptions(raw), sourceFrom: parseChoice('--source-from', raw.sourceFrom, ['dir'] as const), skipInvalid: raw.skipInvalid ?? false, folderFilter: folderFilterFrom(raw) }, io, skipped);
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
    .option('--progress', 'show progress on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'never show progress')
    .option('--fail-on-duplicates', 'exit with code 1 when duplicates or syndication are found');
  addDetectionOptions(command);
  addInputOptions(command);
  command.action(async (inputs: string[], raw: RawScanOptions) => {
    context.exitCode = await runScan(parseScanSettings(inputs, raw), context.io);
  });
}

/** Run a scan with validated settings; resolves to the exit code. */
export async function runScan(settings: ScanSettings, io: CliIo): Promise<number> {
  const progress = new Progress(io, progressEnabled(settings.progress, io));
  const skipped = { count: 0 };
  const options = resolveOptions(settings.detect);
  const store = new TextStore();
  try {
    progress.begin('reading');
    const { records, analyses, pool } = await readAndAnalyze(settings.inputs, readOptionsFor(settings, io, skipped), options, {
      ...(settings.jobs !== undefined && { jobs: settings.jobs }),
      parallelMinBytes: AUTO_PARALLEL_MIN_BYTES,
      onProgress: (done) => progress.update(done),
    }, store);
    progress.begin('comparing');
    let result;
    try {
      result = await detectFromAnalyses(records, analyses, options, pool ? measureInPool(pool, (d) => records[d]!.text, analyses, options) : undefined);
    } finally {
      await pool?.close();
    }
    warnAboutCaps(result, io);
    const report = reportChunks(settings.format, result, records, { top: settings.top, csvTable: settings.csvTable });
    if (settings.out) await writeOutput(settings.out, report, io);
    else await writeStdout(io.stdout, report);
    if (settings.dedupOut) {
      const clusters = settings.annotate ? clusterAnnotations(result) : undefined;
      const lines = mapIterable(survivingRecords(records, result, { clean: settings.clean, dropSyndicated: settings.dropSyndicated }), (record) =>
        recordsToJsonl([record], clusters),
      );
      await writeOutput(settings.dedupOut, lines, io);
    }
    if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
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

/** Pieces of output are gathered up to this many UTF-16 units before each write. */
const WRITE_CHUNK_CHARS = 1 << 20;

/** `pieces` joined into strings of about {@link WRITE_CHUNK_CHARS} (fewer, larger writes). */
function* gathered(pieces: Iterable<string>): Generator<string> {
  let chunk: string[] = [];
  let chars = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    chars += piece.length;
    if (chars >= WRITE_CHUNK_CHARS) {
      yield chunk.join('');
      chunk = [];
      chars = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/**
 * Write the whole report to stdout, piece by piece, and wait until it is flushed. A reader that
 * went away (EPIPE: `syndic scan … | head`) ends the output quietly instead of crashing with a
 * stack trace.
 */
export async function writeStdout(stream: NodeJS.WritableStream, content: string | Iterable<string>): Promise<void> {
  let closed = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const isClosedPipe = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'EPIPE';
  const onError = (error: unknown): void => {
    if (isClosedPipe(error)) closed = true;
    else failure ??= error;
    wake?.();
  };
  // Stays attached: the stream emits 'error' after the write callback has seen it.
  stream.on('error', onError);
  for (const chunk of typeof content === 'string' ? [content] : gathered(content)) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      stream.write(chunk, (error) => (error ? onError(error) : resolve()));
    });
    if (failure !== null) throw failure;
    if (closed) return;
  }
}
