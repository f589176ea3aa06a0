/**
 * The pre-ingest filter: a persistent near-duplicate index, embedded (one file) or shared
 * (Redis). Every incoming record gets a verdict — new, duplicate or syndicated — naming the
 * indexed records it matches; `checkAndAdd` adds the new ones.
 */
import type { Redis } from 'ioredis';
import { SyndicError } from '../errors.js';
import { loadFingerprinter } from '../sketch/hash.js';
import type { DetectOptions } from '../options.js';
import { FileIndex, type Durability } from './file/file.js';
import { RedisIndex } from './redis/redis.js';
import type { FilterIndex } from './types.js';

export type { FilterIndex } from './types.js';
export type { Verdict, VerdictKind, VerdictMatch } from './verdict.js';
export { FileIndex } from './file/file.js';
export type { Durability } from './file/file.js';
export { RedisIndex } from './redis/redis.js';

/** Where the index lives and how to open it: exactly one of `path` and `redis`. */
export interface OpenIndexOptions {
  /** Index file (created, empty, by a writable open when it does not exist, unless `mustExist`). */
  path?: string;
  /** Redis URL (`redis://host:port/db`) or an ioredis client (duplicated, not taken over). */
  redis?: string | Redis;
  /** Detection options; when the index exists, its stored parameters win and conflicting explicit ones throw. */
  options?: DetectOptions;
  /** Embedded only: no lock, no writes (for `check`). */
  readOnly?: boolean;
  /** Throw when the index does not exist yet. */
  mustExist?: boolean;
  /** Redis only: first part of every key (default `syndic`). */
  namespace?: string;
  /** Embedded only: how durable {@link FilterIndex.sync} makes changes (default `fsync`). */
  durability?: Durability;
  /** Redis only: how long an outage or a loading server is waited out, in milliseconds (default 10 000). */
  redisWaitMs?: number;
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
  return RedisIndex.open(settings.redis!, fingerprinter, {
    ...common,
    ...(settings.namespace !== undefined && { namespace: settings.namespace }),
    ...(settings.redisWaitMs !== undefined && { waitMs: settings.redisWaitMs }),
  });
}
