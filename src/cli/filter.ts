/**
 * `syndic index build`, `syndic filter` and `syndic check`: the pre-ingest filter over a
 * persistent index (an index file, or Redis with --redis).
 */
import path from 'node:path';
import { Command } from 'commander';
import type { AtomicFile } from '../atomic.js';
import { SyndicError } from '../errors.js';
import { openIndex, type FilterIndex, type OpenIndexOptions } from '../store/open.js';
import { parseRedisTarget } from '../store/redis/connection.js';
import { DEFAULT_REJECT, passes, type VerdictKind } from '../store/verdict.js';
import type { DetectOptions } from '../options.js';
import type { FolderFilter } from '../input/globs.js';
import { DEFAULT_FIELDS, recordFromJsonLine, type FieldMap } from '../input/parse.js';
import { readInputs, readLines } from '../input/sources.js';
import { cannotWrite, EXIT, openOutput, type CliIo, type CommandContext } from './io.js';
import { formatCount } from '../render/shared.js';
import {
  addDetectionOptions,
  addInputOptions,
  detectOptionsFrom,
  fieldsFromOptions,
  folderFilterFrom,
  parseNumberOption,
  readOptionsFor,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';
import { untilStopped, type StopRequest } from './signals.js';
import { indexCommand } from './index-group.js';
import { checkExitCode, hintWhenStdinIsTerminal, summaryLine, VerdictTally } from './verdict-summary.js';

/** Raw options of the three commands as commander hands them over. */
export interface RawFilterOptions extends RawDetectionOptions, RawInputOptions {
  index?: string;
  redis?: string;
  redisNamespace?: string;
  redisCluster?: boolean;
  redisWait?: string;
  rejects?: string;
  add?: boolean;
  saveEvery?: string;
  saveInterval?: string;
  verbose?: boolean;
  reject?: string;
  failOnDuplicates?: boolean;
  create?: boolean;
}

/** Validated settings shared by the three commands. */
export interface FilterSettings {
  open: OpenIndexOptions;
  /** How the index is named in messages. */
  name: string;
  fields: FieldMap;
  folderFilter: FolderFilter;
  skipInvalid: boolean;
  saveEvery: number;
  saveIntervalMs: number;
  verbose: boolean;
  /** Verdicts that `filter` rejects. */
  reject: readonly VerdictKind[];
}

/** `--reject duplicate,syndicated`: verdicts to reject; `new` never is. */
function parseReject(value: string | undefined): readonly VerdictKind[] {
  if (value === undefined) return DEFAULT_REJECT;
  const choices = ['duplicate', 'syndicated', 'contains'] as const;
  const kinds = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const kind of kinds) {
    if (!(choices as readonly string[]).includes(kind)) throw new SyndicError(`syndic: option --reject takes a comma-separated list of ${choices.join(', ')}, got "${value}"`);
  }
  return kinds as VerdictKind[];
}

/** Parse the options of `index build`, `filter` and `check`; throws a usage error naming the option. */
export function parseFilterSettings(command: string, raw: RawFilterOptions): FilterSettings {
  if ((raw.index === undefined) === (raw.redis === undefined)) {
    throw new SyndicError(`syndic: ${command} needs exactly one of --index FILE or --redis URL`);
  }
  const detect: DetectOptions = detectOptionsFrom(raw);
  const open: OpenIndexOptions = raw.index !== undefined ? { path: raw.index, options: detect } : { redis: raw.redis!, options: detect };
  if (raw.redis !== undefined) {
    // A malformed value is a usage error here, before anything connects.
    const target = parseRedisTarget(raw.redis, raw.redisCluster ?? false, 'option --redis');
    open.cluster = target.cluster;
    const wait = parseNumberOption('--redis-wait', raw.redisWait) ?? 10;
    if (!(wait >= 0)) throw new SyndicError(`syndic: option --redis-wait must be a number of seconds ≥ 0, got "${raw.redisWait}"`);
    open.waitMs = wait * 1000;
  } else if (raw.redisCluster || raw.redisWait !== undefined) {
    throw new SyndicError(`syndic: ${command}: --redis-cluster and --redis-wait need --redis`);
  }
  if (raw.redisNamespace !== undefined) open.namespace = raw.redisNamespace;
  // A mistyped --index must not silently start a new, empty index: only `index build` and `filter --create` create one.
  if (raw.index !== undefined && command !== 'index build' && !raw.create) open.mustExist = true;
  const saveEvery = parseNumberOption('--save-every', raw.saveEvery) ?? 10_000;
  if (!Number.isInteger(saveEvery) || saveEvery < 1) throw new SyndicError(`syndic: option --save-every must be a positive integer, got "${raw.saveEvery}"`);
  const saveInterval = parseNumberOption('--save-interval', raw.saveInterval) ?? 30;
  if (!(saveInterval > 0)) throw new SyndicError(`syndic: option --save-interval must be a positive number of seconds, got "${raw.saveInterval}"`);
  const fields: FieldMap = { ...DEFAULT_FIELDS, ...fieldsFromOptions(raw) };
  return {
    open,
    name: raw.index !== undefined ? raw.index : 'the Redis index',
    fields,
    folderFilter: folderFilterFrom(raw),
    skipInvalid: raw.skipInvalid ?? false,
    saveEvery,
    saveIntervalMs: saveInterval * 1000,
    verbose: raw.verbose ?? false,
    reject: parseReject(raw.reject),
  };
}

/** Add the options that say where the index is: --index FILE, or --redis URL and its namespace. */
export function addIndexLocationOptions(command: Command): Command {
  return command
    .option('--index <file>', 'index file (embedded backend)')
    .option('--redis <url>', 'Redis index instead of a file: redis://host:port/db, or cluster nodes redis://host:port,redis://host:port')
    .option('--redis-cluster', 'the one --redis URL is a node of a Redis Cluster')
    .option('--redis-namespace <name>', 'first part of the Redis keys (default syndic)')
    .option('--redis-wait <seconds>', 'wait this long for a restarting (LOADING), unreachable or resharding Redis before giving up (default 10)');
}

function addIndexOptions(command: Command): Command {
  addIndexLocationOptions(command);
  addDetectionOptions(command);
  addInputOptions(command);
  return command;
}

/** Register `index build`, `filter` and `check` on the program. */
export function registerFilterCommands(program: Command, context: CommandContext): void {
  const index = indexCommand(program);
  const build = index
    .command('build')
    .description('create an index, or extend it, with every record of the inputs')
    .argument('[inputs...]', "folders, .txt/.md, .jsonl/.jsonl.gz files, '-' for JSONL on stdin (default -)")
    .option('--save-every <n>', 'save the index file after every N records (default 10000)')
    .option('--verbose', 'report each save on stderr');
  addIndexOptions(build).action(async (inputs: string[], raw: RawFilterOptions) => {
    context.exitCode = await runIndexBuild(inputs.length > 0 ? inputs : ['-'], parseFilterSettings('index build', raw), context.io, context.stop);
  });

  const filter = program
    .command('filter')
    .description('JSONL records on stdin → novel records on stdout (added to the index); rejects with their matches to --rejects')
    .option('--rejects <file>', 'write the verdicts of rejected records as JSONL to FILE')
    .option('--create', 'create the index file when it does not exist (otherwise a missing --index is an error)')
    .option(
      '--reject <verdicts>',
      'verdicts to hold back, comma-separated: duplicate (a near-duplicate of an indexed record), syndicated (a copy lying inside one), contains (new material around one) (default duplicate,syndicated)',
    )
    .option('--no-add', 'only filter: do not add novel records to the index')
    .option('--save-every <n>', 'save the index file after every N added records (default 10000)')
    .option('--save-interval <seconds>', 'and at least this often while records are added (default 30)')
    .option('--verbose', 'report each save on stderr');
  addIndexOptions(filter).action(async (raw: RawFilterOptions) => {
    context.exitCode = await runFilter(parseFilterSettings('filter', raw), raw.rejects, raw.add ?? true, context.io, context.stop);
  });

  const check = program
    .command('check')
    .description('print a JSONL verdict for every input record; changes nothing')
    .argument('[inputs...]', "folders, .txt/.md, .jsonl/.jsonl.gz files, '-' for JSONL on stdin (default -)")
    .option('--fail-on-duplicates', 'exit with code 1 when some record is a duplicate or a syndicated copy');
  addIndexOptions(check).action(async (inputs: string[], raw: RawFilterOptions) => {
    context.exitCode = await runCheck(inputs.length > 0 ? inputs : ['-'], parseFilterSettings('check', raw), context.io, raw.failOnDuplicates ?? false);
  });
}

/**
 * Add every input record to the index (creating it when needed). A stop signal ends the reading;
 * what was added is saved, and the signal's exit code returned.
 */
export async function runIndexBuild(inputs: string[], settings: FilterSettings, io: CliIo, stop: StopRequest): Promise<number> {
  const skipped = { count: 0 };
  const index = await openIndex(resolvePath(settings.open, io));
  stop.handleGracefully();
  let added = 0;
  let alreadyIndexed = 0;
  try {
    const readOptions = readOptionsFor({ ...settings, sourceFrom: undefined }, io, skipped);
    for await (const item of untilStopped(readInputs(inputs, readOptions), stop.signal)) {
      // Extending an index with an input it already holds is a re-run, not an error.
      if (await index.contains(item.record.id)) {
        alreadyIndexed++;
        continue;
      }
      try {
        await index.add(item.record);
      } catch (error) {
        if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
        const message = `syndic: ${item.line === undefined ? item.file : `${item.file}:${item.line}`}: ${error.message.replace(/^syndic: /, '')}`;
        if (!settings.skipInvalid) throw new SyndicError(message, 'input');
        skipped.count++;
        io.stderr.write(`${message} (skipped)\n`);
        continue;
      }
      // Synced in groups, so that a killed build loses little (and the journal's buffer stays small).
      if (++added % GROUP_MAX_RECORDS === 0) await index.sync();
      if (added % settings.saveEvery === 0) await saveWithReport(index, settings, io);
    }
    await index.save();
  } finally {
    await index.close();
  }
  if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
  const known = alreadyIndexed > 0 ? ` (${alreadyIndexed} already indexed, left as they were)` : '';
  io.stderr.write(`syndic: added ${added} record${added === 1 ? '' : 's'}${known}; ${settings.name} holds ${index.size} documents\n`);
  return stoppedCode(stop) ?? EXIT.ok;
}

/** Accepted records wait for one journal sync (group commit) until this many are pending… */
const GROUP_MAX_RECORDS = 256;
/** …or the oldest has waited this long, or the input has nothing more ready. */
const GROUP_MAX_MS = 50;

/**
 * Stream JSONL from stdin through the index: novel lines to stdout, rejected verdicts to
 * `rejects`. A novel line is printed only once the index's journal holds it (group commit: one
 * sync for the lines accepted while the next input was ready), so a record printed as accepted
 * is never lost, whatever kills the process. A stop signal ends the reading; the lines in hand
 * are synced and printed, the index saved, and the signal's exit code returned.
 */
export async function runFilter(settings: FilterSettings, rejectsFile: string | undefined, add: boolean, io: CliIo, stop: StopRequest): Promise<number> {
  const open = resolvePath(settings.open, io);
  if (!add && open.path !== undefined) open.readOnly = true;
  // An unwritable --rejects file stops the run before any record is accepted.
  const rejects = rejectsFile === undefined ? null : await openOutput(rejectsFile, io);
  let index: FilterIndex;
  try {
    index = await openIndex({ ...open });
  } catch (error) {
    await rejects?.abort();
    throw error;
  }
  stop.handleGracefully();
  const stdout = guardStdout(io.stdout);
  const counts = { accepted: 0, skipped: 0 };
  const tally = new VerdictTally();
  hintWhenStdinIsTerminal('filter', io, true);
  const inHand: string[] = [];
  let oldestInHand = 0;
  const commit = async (): Promise<void> => {
    await index.sync();
    const lines = inHand.join('');
    inHand.length = 0;
    if (lines !== '') await stdout.write(lines, counts.accepted);
  };
  let sinceSave = 0;
  let lastSave = Date.now();
  const skipOrThrow = (error: unknown, lineNumber: number): void => {
    if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
    const message = error.message.includes('<stdin>:') ? error.message : `syndic: <stdin>:${lineNumber}: ${error.message.replace(/^syndic: /, '')}`;
    if (!settings.skipInvalid) throw new SyndicError(message, 'input');
    counts.skipped++;
    io.stderr.write(`${message} (skipped)\n`);
  };
  try {
    const lines = untilStopped(readLines(io.stdin, '<stdin>'), stop.signal)[Symbol.asyncIterator]();
    for (;;) {
      const next = lines.next();
      if (inHand.length > 0 && (inHand.length >= GROUP_MAX_RECORDS || Date.now() - oldestInHand >= GROUP_MAX_MS || (await Promise.race([next, nextTurn()])) === IDLE)) {
        await commit();
      }
      const item = await next;
      if (item.done) break;
      const { line: lineNumber, text: line, problem } = item.value;
      if (line !== undefined && line.trim() === '') continue;
      const where = { file: '<stdin>', line: lineNumber };
      let verdict;
      try {
        if (line === undefined) throw new SyndicError(`syndic: <stdin>:${lineNumber}: ${problem}`, 'input');
        const record = recordFromJsonLine(line, where, settings.fields);
        verdict = add ? await index.checkAndAdd(record, settings.reject) : await index.check(record);
      } catch (error) {
        skipOrThrow(error, lineNumber);
        continue;
      }
      const passed = passes(verdict, settings.reject);
      tally.add(verdict, passed);
      if (passed) {
        counts.accepted++;
        if (inHand.length === 0) oldestInHand = Date.now();
        inHand.push(`${line}\n`);
        if (add) sinceSave++;
      } else await writeRejected(rejects, rejectsFile, `${JSON.stringify(verdict)}\n`);
      if (add && sinceSave > 0 && (sinceSave >= settings.saveEvery || Date.now() - lastSave >= settings.saveIntervalMs)) {
        await commit();
        await saveWithReport(index, settings, io);
        sinceSave = 0;
        lastSave = Date.now();
      }
    }
    await commit();
    await stdout.flush(counts.accepted);
  } finally {
    // Lines accepted before a failure are in the index: they are printed (once durable) all the same.
    try {
      if (inHand.length > 0) await commit();
    } finally {
      try {
        await index.close();
      } finally {
        await finishRejects(rejects, rejectsFile);
      }
    }
  }
  if (counts.skipped > 0) io.stderr.write(`syndic: skipped ${counts.skipped} invalid record${counts.skipped === 1 ? '' : 's'}\n`);
  io.stderr.write(summaryLine('filter', tally, `; ${settings.name} holds ${formatCount(index.size)} documents`));
  return stoppedCode(stop) ?? EXIT.ok;
}

const IDLE = Symbol('idle');

/** Resolves after the pending I/O callbacks: a read that needs more input than is buffered loses the race against it. */
function nextTurn(): Promise<typeof IDLE> {
  return new Promise((resolve) => setImmediate(resolve, IDLE));
}

async function writeRejected(rejects: AtomicFile | null, file: string | undefined, line: string): Promise<void> {
  if (!rejects) return;
  try {
    await rejects.write(line);
  } catch (error) {
    await rejects.abort();
    throw cannotWrite(file!, error);
  }
}

/** Commit the rejects file (every verdict in it is whole), or remove it when it could not be written. */
async function finishRejects(rejects: AtomicFile | null, file: string | undefined): Promise<void> {
  if (!rejects || rejects.ended) return;
  try {
    await rejects.commit();
  } catch (error) {
    throw cannotWrite(file!, error);
  }
}

/** The exit code of the signal that stopped the run, if one did. */
function stoppedCode(stop: StopRequest): number | undefined {
  return stop.signal.aborted ? (stop.signal.reason as number) : undefined;
}

/** Print a JSONL verdict for every input record. */
export async function runCheck(inputs: string[], settings: FilterSettings, io: CliIo, failOnDuplicates = false): Promise<number> {
  const skipped = { count: 0 };
  const tally = new VerdictTally();
  const index = await openIndex({ ...resolvePath(settings.open, io), readOnly: true, mustExist: true });
  try {
    const readOptions = readOptionsFor({ ...settings, sourceFrom: undefined }, io, skipped);
    const stdout = guardStdout(io.stdout);
    hintWhenStdinIsTerminal('check', io, inputs.includes('-'));
    for await (const item of readInputs(inputs, readOptions)) {
      const verdict = await index.check(item.record);
      tally.add(verdict, passes(verdict, settings.reject));
      if (!(await stdout.write(`${JSON.stringify(verdict)}\n`))) return EXIT.ok;
    }
  } finally {
    await index.close();
  }
  if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
  io.stderr.write(summaryLine('check', tally));
  return checkExitCode(tally, failOnDuplicates);
}

/**
 * Stdout that turns a reader going away (EPIPE) into a result instead of an unhandled 'error'
 * event. `write` resolves to false once the reader is gone; given the number of records accepted
 * so far (filter), it throws instead: records were added to the index that nobody received.
 */
function guardStdout(stream: NodeJS.WritableStream): { write(chunk: string, accepted?: number): Promise<boolean>; flush(accepted?: number): Promise<boolean> } {
  let failure: Error | null = null;
  stream.on('error', (error: Error) => void (failure ??= error));
  const fail = (accepted: number | undefined): boolean => {
    if (accepted === undefined) return false;
    const code = (failure as { code?: string } | null)?.code ?? failure!.message;
    throw new SyndicError(
      `syndic: cannot write to stdout (${code}) after ${accepted} accepted record${accepted === 1 ? '' : 's'}; the ones the reader did not receive are in the index all the same`,
      'input',
    );
  };
  const settle = (accepted: number | undefined, wait: (done: () => void) => void): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      const onError = (): void => {
        try {
          resolve(fail(accepted));
        } catch (error) {
          reject(error);
        }
      };
      stream.once('error', onError);
      wait(() => {
        stream.off('error', onError);
        if (failure) onError();
        else resolve(true);
      });
    });
  return {
    async write(chunk, accepted) {
      if (failure) return fail(accepted);
      if (stream.write(chunk)) return true;
      return settle(accepted, (done) => stream.once('drain', done));
    },
    async flush(accepted) {
      if (failure) return fail(accepted);
      return settle(accepted, (done) => stream.write('', () => done()));
    },
  };
}

async function saveWithReport(index: FilterIndex, settings: FilterSettings, io: CliIo): Promise<void> {
  await index.save();
  if (settings.verbose && settings.open.path !== undefined) io.stderr.write(`syndic: saved ${settings.name}: ${index.size} documents\n`);
}

/** `open` with a relative index path made absolute against the run's working directory. */
export function resolvePath(open: OpenIndexOptions, io: CliIo): OpenIndexOptions {
  return open.path === undefined ? { ...open } : { ...open, path: path.resolve(io.cwd, open.path) };
}
