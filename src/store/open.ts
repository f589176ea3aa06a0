/**
 * The pre-ingest filter: a persistent near-duplicate index, embedded (one file) or shared
 * (Redis). Every incoming record gets a verdict — new, duplicate or syndicated — naming the
 * indexed records it matches; `checkAndAdd` adds the new ones.
 */
import { SyndicError } from '../errors.js';
import { loadFingerprinter } from '../sketch/hash.js';
import type { DetectOptions } from '../options.js';
import { FileIndex, type Durability } from './file/file.js';
import type { RedisClient } from './redis/connection.js';
import type { RedisIndexOptions } from './redis/redis.js';
import type { FilterIndex } from './types.js';
import { DEFAULT_REJECT, type Verdict, type VerdictKind } from './verdict.js';

export type { FilterIndex } from './types.js';
export type { Verdict, VerdictKind, VerdictMatch } from './verdict.js';
export { FileIndex } from './file/file.js';
export type { Durability } from './file/file.js';

/** Where the index lives and how to open it: exactly one of `path` and `redis`. */
export interface OpenIndexOptions {
  /** Index file (created, empty, by a writable open when it does not exist, unless `mustExist`). */
  path?: string;
  /**
   * Redis: a URL (`redis://host:port/db`); cluster nodes (an array of URLs, or one string of
   * comma-separated URLs); or an ioredis `Redis` or `Cluster` client (duplicated, not taken over).
   */
  redis?: string | string[] | RedisClient;
  /** Redis only: a single URL names a seed node of a Redis Cluster. */
  cluster?: boolean;
  /** Redis only: how long to wait out a restart (LOADING), an outage, a slot migration or failover, in ms (default 10,000). */
  waitMs?: number;
  /** Redis only: how long an unfinished record of a crashed worker may delay others, in ms (default 5,000). */
  leaseMs?: number;
  /** Detection options; when the index exists, its stored parameters win and conflicting explicit ones throw. */
  options?: DetectOptions;
  /** Embedded only: no lock, no writes (for `check`). */
  readOnly?: boolean;
  /** Throw when the index does not exist yet. */
  mustExist?: boolean;
  /** Redis only: first part of every key (default `syndic`). */
  namespace?: string;
  /** Redis only: bucket groups of a new index (a power of two, default 128; each grows its cells as it fills). */
  groups?: number;
  /** Embedded only: how durable {@link FilterIndex.sync} makes changes (default `fsync`). */
  durability?: Durability;
}

/** Open an index file or a Redis index. */
export async function openIndex(settings: OpenIndexOptions): Promise<FilterIndex> {
  if ((settings.path === undefined) === (settings.redis === undefined)) {
    throw new SyndicError('openIndex needs exactly one of { path } or { redis }', 'usage');
  }
  const fingerprinter = await loadFingerprinter();
  const common = { options: settings.options ?? {}, mustExist: settings.mustExist ?? false };
  if (settings.path !== undefined) {
    return FileIndex.open(settings.path, fingerprinter, { ...common, readOnly: settings.readOnly ?? false, durability: settings.durability ?? 'fsync' });
  }
  const redisSettings: RedisIndexOptions = { ...common };
  if (settings.namespace !== undefined) redisSettings.namespace = settings.namespace;
  if (settings.cluster !== undefined) redisSettings.cluster = settings.cluster;
  if (settings.waitMs !== undefined) redisSettings.waitMs = settings.waitMs;
  if (settings.leaseMs !== undefined) redisSettings.leaseMs = settings.leaseMs;
  if (settings.groups !== undefined) redisSettings.groups = settings.groups;
  // Loaded here, not above: ioredis costs a scan or a file-index filter ~0.15 s of start-up.
  const { RedisIndex } = await import('./redis/redis.js');
  return RedisIndex.open(settings.redis!, fingerprinter, redisSettings);
}

/** `index.checkAndAddMany(records, reject)`: kept for callers of the first batch API. */
export async function checkAndAddBatch(
  index: FilterIndex,
  records: Array<{ id: string; text: string }>,
  reject: readonly VerdictKind[] = DEFAULT_REJECT,
): Promise<Array<Verdict | SyndicError>> {
  return index.checkAndAddMany(records, reject);
}
