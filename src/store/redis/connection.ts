/**
 * Connecting to Redis: the client built for a target (target.ts) with syndic's policies (automatic pipelining, bounded waits), and one retry loop that waits out
 * what a healthy deployment goes through — a server LOADING its data after a restart, a short
 * outage, a cluster that is resharding (TRYAGAIN) or electing (CLUSTERDOWN) — within a time
 * budget, then gives up with a message naming the server.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { SyndicError } from '../../errors.js';
import { SHARD_SCRIPTS } from './scripts.js';
import type { RedisTarget } from './target.js';

export { parseRedisTarget, type RedisTarget } from './target.js';

/** A client syndic can run its commands on: a standalone client or a cluster client. */
export type RedisClient = Redis | Cluster;

/** Default budget for waiting out LOADING, TRYAGAIN, CLUSTERDOWN and lost connections. */
export const DEFAULT_WAIT_MS = 10_000;

/** The reconnection delay after `attempt` failed tries: doubling from 50 ms, at most 1 s. */
export function backoffMs(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 1000);
}

/** syndic's policies for every client it creates: pipelining, offline queue, bounded reconnection. */
function clientPolicies(waitMs: number): Partial<RedisOptions> {
  // Reconnection keeps trying for the wait budget (a restart, a failover); then the client gives up
  // and the pending commands fail, so a filter in a pipeline ends instead of hanging.
  let since = 0;
  return {
    lazyConnect: true,
    enableAutoPipelining: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectTimeout: Math.min(5000, waitMs),
    retryStrategy: (times: number) => {
      if (times === 1) since = Date.now();
      return Date.now() - since > waitMs ? null : backoffMs(times - 1);
    },
  };
}

/** A new client for `target` (not yet connected). */
export function createClient(target: RedisTarget, waitMs: number): RedisClient {
  const policies = clientPolicies(waitMs);
  const auth = (node: RedisTarget['nodes'][number]): Partial<RedisOptions> => ({
    ...(node.username !== undefined ? { username: node.username } : {}),
    ...(node.password !== undefined ? { password: node.password } : {}),
    ...(node.tls ? { tls: {} } : {}),
  });
  const first = target.nodes[0]!;
  if (!target.cluster) return new Redis({ ...policies, ...auth(first), host: first.host, port: first.port, db: first.db });
  return new Cluster(
    target.nodes.map((node) => ({ host: node.host, port: node.port })),
    clusterPolicies({ ...policies, ...auth(first) }, waitMs),
  );
}

/** Options of the cluster's node connections (the cluster client owns reconnection and queueing). */
function nodeOptions(options: Partial<RedisOptions>): ClusterOptions['redisOptions'] {
  const { retryStrategy: _retry, enableOfflineQueue: _queue, host: _host, port: _port, path: _path, readOnly: _readOnly, sentinels: _sentinels, ...rest } = options;
  return rest;
}

function clusterPolicies(redisOptions: Partial<RedisOptions>, waitMs: number): ClusterOptions {
  let since = 0;
  return {
    lazyConnect: true,
    enableAutoPipelining: true,
    // ioredis groups an automatic pipeline by the first argument of a command it does not know,
    // which for a script of several keys is their count: those go alone, routed by their keys.
    autoPipeliningIgnoredCommands: [...SHARD_SCRIPTS],
    enableOfflineQueue: true,
    // MOVED and ASK are followed by the client; TRYAGAIN (a multi-key command during a slot
    // migration) and CLUSTERDOWN are retried after these delays, and again by withRetry.
    maxRedirections: 64,
    retryDelayOnMoved: 0,
    retryDelayOnTryAgain: 50,
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    slotsRefreshTimeout: Math.min(2000, waitMs),
    clusterRetryStrategy: (times: number) => {
      if (times === 1) since = Date.now();
      return Date.now() - since > waitMs ? null : backoffMs(times - 1);
    },
    redisOptions: nodeOptions(redisOptions),
  };
}

/**
 * A client for an ioredis client the caller gave: a duplicate (the caller's client is neither
 * taken over nor changed), lazily connected whatever the original's `lazyConnect`.
 */
export function duplicateClient(client: RedisClient, waitMs: number): RedisClient {
  const policies = clientPolicies(waitMs);
  if (client instanceof Cluster) {
    const own = clusterPolicies({ ...client.options.redisOptions, ...policies }, waitMs);
    return client.duplicate([], own);
  }
  return client.duplicate({ ...policies });
}

/** Connect `client` and resolve once it is ready (a cluster: once it knows the slots). */
export async function connectClient(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    await client.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('end', () => reject(new Error('Connection is closed.')));
  });
}

/** Replies that mean "not now": the server is loading, the cluster is migrating a slot or recovering. */
const TRANSIENT = /^(LOADING|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|BUSY |READONLY|NOREPLICAS|MOVED|ASK)/;

/** Errors of the connection or the server, as opposed to bugs. */
export function isRedisFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return (
    error.name === 'ReplyError' ||
    error.name === 'MaxRetriesPerRequestError' ||
    error.name === 'ClusterAllFailedError' ||
    (typeof code === 'string' && code.startsWith('E')) ||
    /connection is closed|stream isn't writeable|connect|none of startup nodes|failed to refresh slots/i.test(error.message)
  );
}

/** ioredis' automatic pipeline in a cluster, when slots moved between queueing a command and sending it. */
const REGROUPED = /All keys in the pipeline should belong to the same slots allocation group/;

/** Whether a failed command may succeed when tried again a little later. */
export function isTransient(error: unknown): boolean {
  return error instanceof Error && (TRANSIENT.test(error.message) || REGROUPED.test(error.message) || (error.name !== 'ReplyError' && isRedisFailure(error)));
}

/**
 * Run `operation`, trying again with backoff while it fails with a transient error and the
 * budget of `waitMs` since the first failure lasts. Operations given here must be safe to repeat
 * (every write of the index is idempotent: see the scripts).
 */
export async function withRetry<T>(operation: () => Promise<T>, waitMs: number, client: RedisClient): Promise<T> {
  let since = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error) || client.status === 'end') throw error;
      if (attempt === 0) since = Date.now();
      if (Date.now() - since > waitMs) throw error;
      // A MOVED that reached here came back inside an automatic pipeline, which ioredis does not
      // redirect when only some of its commands moved: learn the new slot owners, then repeat.
      if (client instanceof Cluster && (/^(MOVED|ASK)/.test((error as Error).message) || REGROUPED.test((error as Error).message))) client.refreshSlotsCache();
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}

/** Commands of a client syndic sends through {@link withRetry} when it is wrapped by {@link retrying}. */
const RETRIED = new Set(['incrby', 'set', 'hset', 'get', 'getBuffer', 'getrange', 'hget', 'hmgetBuffer', 'del', 'decr', 'unlink', 'scan']);

/**
 * The client with every command in RETRIED, and every command whose name starts with `syndic`
 * (the scripts), repeated on transient failures by {@link withRetry}. Each of them is safe to
 * repeat, so one command is retried, never a sequence (a sequence repeated would redo steps
 * whose effects were already reported).
 */
export function retrying<C extends RedisClient>(client: C, waitMs: number): C {
  return new Proxy(client, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string' || !(RETRIED.has(name) || name.startsWith('syndic'))) return value;
      return (...args: unknown[]) => withRetry(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), waitMs, target);
    },
  });
}

/** What went wrong, with the underlying network error when ioredis only says the connection closed. */
export function describeRedisError(error: unknown, lastError: Error | null, waitMs: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'ReplyError' && !TRANSIENT.test(message)) return message;
  const lost = error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || /connection is closed/i.test(message));
  const shown = lost ? 'connection lost' : message;
  const reason = lastError && lastError.message !== shown && lastError.message !== message ? `${shown} (${lastError.message})` : shown;
  return `${reason}; gave up after waiting ${(waitMs / 1000).toFixed(1)} s (--redis-wait)`;
}
