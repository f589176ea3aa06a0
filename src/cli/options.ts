/**
 * The options several commands share, declared and parsed in one place: detection parameters
 * (scan, explain, eval, bench, the index commands), input reading (fields, folders and globs,
 * --skip-invalid), --jobs and --progress. Commander hands option values over as strings; this
 * module turns them into library options and names the flag in every message.
 */
import { Command, Option } from 'commander';
import { CATEGORY_WORDS } from '../detect/policy.js';
import { SyndicError } from '../errors.js';
import { compileFolderFilter, type FolderFilter } from '../input/globs.js';
import type { FieldMap } from '../input/parse.js';
import type { ReadInputsOptions } from '../input/sources.js';
import { checkJobs, resolveOptions, type DetectOptions, type Unit } from '../options.js';
import { withProgramName, type CliIo } from './io.js';

/** The detection options as commander hands them over. */
export interface RawDetectionOptions {
  threshold?: string;
  containment?: string;
  shingleSize?: string;
  numPerm?: string;
  bands?: string;
  rows?: string;
  seed?: string;
  unit?: string;
  minParagraphChars?: string;
  maxBucketSize?: string;
  arabic?: boolean;
}

/** The field-name options of every command that reads JSONL. */
export interface FieldOptions {
  idField?: string | undefined;
  textField?: string | undefined;
  sourceField?: string | undefined;
  dateField?: string | undefined;
}

/** The folder-filter options as commander hands them over. */
export interface RawFolderOptions {
  include?: string[];
  exclude?: string[];
  defaultExclude?: boolean;
}

/** The input options ({@link addInputOptions}) as commander hands them over. */
export interface RawInputOptions extends FieldOptions, RawFolderOptions {
  sourceFrom?: string;
  skipInvalid?: boolean;
}

/** How a command reads its inputs, validated. */
export interface InputSettings {
  fields: Partial<FieldMap>;
  sourceFrom: 'dir' | undefined;
  /** Which files of folder inputs are read. */
  folderFilter: FolderFilter;
  skipInvalid: boolean;
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

/** Library option names and the flags that set them, for messages. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = Object.freeze({
  threshold: '--threshold',
  containment: '--containment',
  shingleSize: '--shingle-size',
  numPerm: '--num-perm',
  seed: '--seed',
  minParagraphChars: '--min-paragraph-chars',
  maxBucketSize: '--max-bucket-size',
  jobs: '--jobs',
});

/** Run a library check; its {@link SyndicError} names the CLI flag instead of the option. */
function withFlagNames<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof SyndicError)) throw error;
    const message = error.message.replace(/^option (\w+)/, (whole, name: string) => {
      const flag = FLAG_OF_OPTION[name];
      return flag ? `option ${flag}` : whole;
    });
    throw new SyndicError(message, error.kind);
  }
}

/** The detection options given, as numbers and choices, not yet checked against their ranges. */
export function detectOptionsFrom(raw: RawDetectionOptions): DetectOptions {
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

/** {@link detectOptionsFrom}, checked as the library checks them, the message naming the flag. */
export function parseDetectOptions(raw: RawDetectionOptions): DetectOptions {
  const detect = detectOptionsFrom(raw);
  withFlagNames(() => resolveOptions(detect));
  return detect;
}

/** `--jobs`: undefined when not given, else an integer the library accepts. */
export function parseJobs(value: string | undefined): number | undefined {
  const jobs = parseNumberOption('--jobs', value);
  return jobs === undefined ? undefined : withFlagNames(() => checkJobs(jobs));
}

/** Field names given by `--id-field` and friends; throws a usage error for an empty name. */
export function fieldsFromOptions(raw: FieldOptions): Partial<FieldMap> {
  const fields: Partial<FieldMap> = {};
  for (const [key, value] of [
    ['id', raw.idField],
    ['text', raw.textField],
    ['source', raw.sourceField],
    ['date', raw.dateField],
  ] as const) {
    if (value === undefined) continue;
    if (value === '') throw new SyndicError(`syndic: option --${key}-field needs a field name`);
    fields[key] = value;
  }
  return fields;
}

/** The folder filter of `--include`, `--exclude` and `--no-default-exclude`, its patterns checked. */
export function folderFilterFrom(raw: RawFolderOptions): FolderFilter {
  const filter: FolderFilter = {};
  if (raw.include && raw.include.length > 0) filter.include = raw.include;
  if (raw.exclude && raw.exclude.length > 0) filter.exclude = raw.exclude;
  if (raw.defaultExclude === false) filter.defaultExclude = false;
  compileFolderFilter(filter);
  return filter;
}

/** Commander's collector for a repeatable option: each use adds one value. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The input options, validated. */
export function parseInputSettings(raw: RawInputOptions): InputSettings {
  return {
    fields: fieldsFromOptions(raw),
    sourceFrom: parseChoice('--source-from', raw.sourceFrom, ['dir'] as const),
    folderFilter: folderFilterFrom(raw),
    skipInvalid: raw.skipInvalid ?? false,
  };
}

/** The input-reading options of parsed settings; with --skip-invalid each skipped record is named on stderr and counted. */
export function readOptionsFor(settings: InputSettings, io: CliIo, skipped: { count: number }): ReadInputsOptions {
  const options: ReadInputsOptions = {
    fields: settings.fields,
    stdin: io.stdin,
    cwd: io.cwd,
    folderFilter: settings.folderFilter,
    onNote: (message) => io.stderr.write(`syndic: note: ${message}\n`),
  };
  if (settings.sourceFrom) options.sourceFrom = settings.sourceFrom;
  if (settings.skipInvalid) {
    options.onInvalid = (message) => {
      skipped.count++;
      io.stderr.write(`${withProgramName(message)} (skipped)\n`);
    };
  }
  return options;
}

/** The closing count of records --skip-invalid left out, when there were any. */
export function reportSkipped(skipped: { count: number }, io: CliIo): void {
  if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
}

/** Add the detection options (scan, explain, eval, bench, the index commands). */
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

/** Add the input options of every command that reads records. */
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

/** Add `--progress` / `--no-progress`. */
export function addProgressOptions(command: Command): Command {
  return command.option('--progress', 'show progress on stderr (default: when stderr is a terminal)').option('--no-progress', 'never show progress');
}
