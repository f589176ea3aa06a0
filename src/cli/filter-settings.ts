/**
 * The options that `index build`, `filter`, `check` and the other index commands share: the
 * index's location, the detection and input options, and how they become one settings object.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { SyndicError } from '../errors.js';
import type { OpenIndexOptions } from '../store/open.js';
import { parseRedisTarget } from '../store/redis/target.js';
import { DEFAULT_REJECT, type VerdictKind } from '../store/verdict.js';
import type { DetectOptions } from '../options.js';
import type { FolderFilter } from '../input/globs.js';
import { DEFAULT_FIELDS, type FieldMap } from '../input/parse.js';
import type { CliIo } from './io.js';
import {
  addDetectionOptions,
  addInputOptions,
  detectOptionsFrom,
  fieldsFromOptions,
  folderFilterFrom,
  parseNumberOption,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';

/** Raw options of the three commands as commander hands them over. */
export interface RawFilterOptions extends RawDetectionOptions, RawInputOptions {
  index?: string;
  redis?: string;
  redisNamespace?: string;
  redisCluster?: boolean;
  redisWait?: string;
  redisGroups?: string;
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
  /** Where the index is (a relative path is resolved against the run's directory when the command starts). */
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
    const groups = parseNumberOption('--redis-groups', raw.redisGroups);
    if (groups !== undefined) {
      if (!Number.isInteger(Math.log2(groups)) || groups < 2 || groups > 1 << 20) throw new SyndicError(`syndic: option --redis-groups must be a power of two from 2 to 1048576, got "${raw.redisGroups}"`);
      open.groups = groups;
    }
  } else if (raw.redisCluster || raw.redisWait !== undefined || raw.redisGroups !== undefined) {
    throw new SyndicError(`syndic: ${command}: --redis-cluster, --redis-wait and --redis-groups need --redis`);
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
    .option('--redis-wait <seconds>', 'wait this long for a restarting (LOADING), unreachable or resharding Redis before giving up (default 10)')
    .option('--redis-groups <n>', 'bucket groups of a new Redis index, a power of two (default 128; each grows its cells as it fills)');
}

export function addIndexOptions(command: Command): Command {
  addIndexLocationOptions(command);
  addDetectionOptions(command);
  addInputOptions(command);
  return command;
}

/** `open` with a relative index path made absolute against the run's working directory. */
export function resolvePath(open: OpenIndexOptions, io: CliIo): OpenIndexOptions {
  return open.path === undefined ? { ...open } : { ...open, path: path.resolve(io.cwd, open.path) };
}
