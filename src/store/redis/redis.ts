/**
 * The Redis backend: one index shared by many filter workers, on a standalone server or sharded
 * over a Redis Cluster (key layout: layout.ts; records carry no hash tag and the bucket groups one
 * of 64 per index, so the keys spread over the slots).
 * Check-and-add runs the round protocol of round.ts, whose module comment says why it is correct.
 */
import { Cluster } from 'ioredis';
import { SyndicError } from '../../errors.js';
import type { Fingerprinter } from '../../sketch/hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../../options.js';
import { assertCompatible, resolveStoredParams, stableJson, storedParamsOf, type StoredParams } from '../params.js';
import { Prober, type Probe } from '../probe.js';
import type { FilterIndex } from '../types.js';
import { DEFAULT_REJECT, type Verdict, type VerdictKind } from '../verdict.js';
import { Cells, idCellKey, probeCellKeys, storedCellKeys } from './cells.js';
import {
  connectClient,
  createClient,
  DEFAULT_WAIT_MS,
  describeRedisError,
  duplicateClient,
  isRedisFailure,
  parseRedisTarget,
  retrying,
  withRetry,
  type RedisClient,
} from './connection.js';
import { DEFAULT_GROUPS, header, HEADER_BYTES, KeyLayout, parseHeader, STATE } from './layout.js';
import { decodeRecord, recordId } from './record.js';
import { decideAgainst, fetchRecords, runBatch, TOMBSTONE_SECONDS, type RoundContext } from './round.js';
import { SCRIPTS, type ScriptedClient } from './scripts.js';

/** How to open a Redis index. */
export interface RedisIndexOptions {
  /** Explicit detection options; stored parameters win, conflicting explicit ones throw. */
  options?: DetectOptions;
  /** First part of every key (default `syndic`). */
  namespace?: string;
  /** Throw when no index exists under the namespace yet. */
  mustExist?: boolean;
  /** Treat a single URL as a seed node of a Redis Cluster (several URLs always are). */
  cluster?: boolean;
  /** How long to wait out a restarting server, an outage, a migration or failover (default 10 s). */
  waitMs?: number;
  /** How long another worker's unfinished record may block a decision before it is declared dead (default 5 s). */
  leaseMs?: number;
  /** Bucket groups of a new index (a power of two; default 128, see layout.ts). Stored with the index. */
  groups?: number;
}

/**
 * Version of the key layout and record encoding, stored in NS:meta (4: a pending record is absent,
 * removed ones are tombstones; 5: groups under shard hash tags, records hold band keys instead of
 * the signature, no id hashes; 7: groups split their cells one at a time as they fill, their state
 * being level × 2^32 + split pointer — 6 was an earlier form of it, whole groups doubling).
 */
const LAYOUT_VERSION = 7;

/** What NS:meta holds. */
interface Meta {
  layout: number;
  groups: number;
  params: StoredParams;
}

/** An index on Redis; see the module comment for the protocol and why it is correct. */
export class RedisIndex implements FilterIndex {
  private cachedSize = 0;
  private closed = false;
  private lastError: Error | null = null;

  /** The client, its commands retried one by one on transient failures (see `retrying`). */
  private readonly redis: ScriptedClient;
  /** What the round protocol works with. */
  private readonly context: RoundContext;

  private constructor(
    private readonly client: ScriptedClient,
    readonly options: ResolvedOptions,
    private readonly keys: KeyLayout,
    private readonly prober: Prober,
    private readonly where: string,
    private readonly waitMs: number,
    leaseMs: number,
  ) {
    this.redis = retrying(client, waitMs);
    this.context = { redis: this.redis, keys, cells: new Cells(this.redis, keys, options.maxBucketSize), options, leaseMs };
  }

  /**
   * Connect to `connection` — a URL (redis://host:port/db), several URLs of cluster nodes (an
   * array or comma-separated), or an ioredis client (duplicated, never taken over) — and open the index.
   */
  static async open(connection: string | string[] | RedisClient, fingerprinter: Fingerprinter, settings: RedisIndexOptions = {}): Promise<RedisIndex> {
    const explicit = settings.options ?? {};
    const wanted = resolveOptions(explicit);
    const waitMs = settings.waitMs ?? DEFAULT_WAIT_MS;
    const groups = settings.groups ?? DEFAULT_GROUPS;
    if (!Number.isInteger(Math.log2(groups)) || groups < 2 || groups > 1 << 20) {
      throw new SyndicError(`option groups must be a power of two from 2 to 1048576, got ${groups}`, 'usage');
    }
    let where = 'the given client';
    let redis: ScriptedClient;
    if (typeof connection === 'string' || Array.isArray(connection)) {
      const target = parseRedisTarget(connection, settings.cluster ?? false, 'redis');
      where = target.shown;
      redis = createClient(target, waitMs) as ScriptedClient;
    } else {
      redis = duplicateClient(connection, waitMs) as ScriptedClient;
    }
    for (const [name, { lua, keys }] of Object.entries(SCRIPTS)) redis.defineCommand(name, keys === null ? { lua } : { numberOfKeys: keys, lua });
    const state = { lastError: null as Error | null, index: null as RedisIndex | null };
    // Without a listener ioredis prints every connection error with its stack trace.
    redis.on('error', (error: Error) => {
      state.lastError = error;
      if (state.index) state.index.lastError = error;
    });
    const namespace = settings.namespace ?? 'syndic';
    const keys0 = new KeyLayout(namespace, groups);
    try {
      try {
        await withRetry(() => connectClient(redis), waitMs, redis);
      } catch (error) {
        throw new SyndicError(`cannot connect to Redis at ${where}: ${describeRedisError(state.lastError ?? error, null, waitMs)}`, 'index');
      }
      const retry = <T>(operation: () => Promise<T>): Promise<T> => withRetry(operation, waitMs, redis);
      let stored = await retry(() => redis.get(keys0.meta));
      if (stored === null) {
        if (settings.mustExist) throw new SyndicError(`Redis ${where} holds no index under namespace "${namespace}"`, 'index');
        const meta: Meta = { layout: LAYOUT_VERSION, groups, params: storedParamsOf(wanted) };
        await retry(() => redis.set(keys0.meta, stableJson(meta), 'NX'));
        stored = (await retry(() => redis.get(keys0.meta)))!;
      }
      const meta = parseMeta(stored, `Redis index "${namespace}" at ${where}`);
      const options = resolveStoredParams(meta.params);
      assertCompatible(options, explicit, `Redis index "${namespace}" at ${where}`);
      const index = new RedisIndex(redis, options, new KeyLayout(namespace, meta.groups), new Prober(options, fingerprinter), where, waitMs, settings.leaseMs ?? 5000);
      state.index = index;
      index.lastError = state.lastError;
      index.cachedSize = Number((await retry(() => redis.get(index.keys.count))) ?? 0);
      return index;
    } catch (error) {
      redis.disconnect();
      if (error instanceof SyndicError || !isRedisFailure(error)) throw error;
      throw new SyndicError(`Redis at ${where}: ${describeRedisError(error, state.lastError, waitMs)}`, 'index');
    }
  }

  get size(): number {
    return this.cachedSize;
  }

  /** Exact number of accepted records, asked from Redis. */
  async count(): Promise<number> {
    this.cachedSize = Number((await this.guard(() => this.redis.get(this.keys.count))) ?? 0);
    return this.cachedSize;
  }

  async check(record: { id: string; text: string }): Promise<Verdict> {
    const probe = this.prober.probe(record.id, record.text);
    return this.guard(async () => {
      const keys = probeCellKeys(probe);
      const [found] = await this.context.cells.read([keys]);
      const fetched = await fetchRecords(this.context, new Set([...found!.values()].flat()));
      return decideAgainst(this.context, probe, keys, found!, (ticket) => {
        const value = fetched.get(ticket);
        return value && value.length > HEADER_BYTES && parseHeader(value).state === STATE.accepted ? value : null;
      });
    });
  }

  async add(record: { id: string; text: string }): Promise<void> {
    const [outcome] = await this.addMany([record]);
    if (outcome instanceof SyndicError) throw outcome;
  }

  /** Add records whatever they match, in one batch; it ends at the first input error, returned last (see checkAndAddMany). */
  async addMany(records: Array<{ id: string; text: string }>): Promise<Array<SyndicError | null>> {
    const outcomes = await this.batch(records, null);
    return outcomes.map((outcome) => (outcome instanceof SyndicError ? outcome : null));
  }

  async checkAndAdd(record: { id: string; text: string }, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Verdict> {
    const [outcome] = await this.checkAndAddMany([record], reject);
    if (outcome instanceof SyndicError) throw outcome;
    return outcome!;
  }

  /**
   * {@link checkAndAdd} for a batch, in order: the verdicts equal those of the records checked
   * and added one by one (added when their verdict is not in `reject`). The batch ends at the
   * first record with an input error (a lone surrogate in its id, an id already indexed): its
   * error is the last outcome, and the records after it are left untouched.
   */
  async checkAndAddMany(records: Array<{ id: string; text: string }>, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Array<Verdict | SyndicError>> {
    return (await this.batch(records, reject)) as Array<Verdict | SyndicError>;
  }

  async contains(id: string): Promise<boolean> {
    return this.guard(async () => (await this.holder(id)) !== null);
  }

  async remove(id: string): Promise<boolean> {
    return this.guard(async () => {
      const held = await this.holder(id);
      if (held === null) return false;
      const { ticket, value } = held;
      const { sequence } = parseHeader(value);
      const [done] = await this.redis.syndicState(this.keys.record(ticket), '=' + header(STATE.accepted, sequence), header(STATE.dead, sequence));
      if (done !== 1) return false;
      const stored = decodeRecord(value, this.options.numPerm, this.options.bands, this.keys.namespace);
      // Pairs first, then the tombstone (round.ts: an absent record is a pending one).
      await this.context.cells.remove([{ keys: storedCellKeys(stored), ticket }]);
      await Promise.all([this.redis.set(this.keys.record(ticket), header(STATE.dead, 0), 'EX', TOMBSTONE_SECONDS), this.redis.decr(this.keys.count)]);
      this.cachedSize--;
      return true;
    });
  }

  /** The ticket and stored value of the accepted record of `id`, found through the cell of the id's key (null: none). */
  private async holder(id: string): Promise<{ ticket: number; value: Buffer } | null> {
    const key = idCellKey(id);
    const [found] = await this.context.cells.read([Uint32Array.of(key)]);
    for (const [ticket, value] of await fetchRecords(this.context, found!.get(key) ?? [])) {
      if (value && value.length > HEADER_BYTES && parseHeader(value).state === STATE.accepted && recordId(value) === id) return { ticket, value };
    }
    return null;
  }

  /** Redis persists by itself (RDB/AOF as configured on the server): nothing to sync here. */
  async sync(): Promise<void> {}

  async save(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The pairs of the last round's dead records (round.ts), unless the connection is down: left
    // there, they expire as a crashed worker's would (round.ts), and closing does not wait.
    if (this.client.status === 'ready') await this.guard(() => this.context.cells.flush()).catch(() => {});
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Delete every key of this index (tests, benchmarks). */
  async destroy(): Promise<void> {
    await this.guard(async () => {
      const nodes = this.client instanceof Cluster ? this.client.nodes('master').map((node) => retrying(node, this.waitMs)) : [this.redis];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', this.keys.pattern, 'COUNT', 1000);
          cursor = next;
          await Promise.all(found.map((key) => this.redis.unlink(key)));
        } while (cursor !== '0');
      }
    });
    this.context.cells.forget();
    this.cachedSize = 0;
  }

  /** Run one operation (its commands retried one by one); a failure becomes an `index` error naming the server. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof SyndicError || !isRedisFailure(error)) throw error;
      throw new SyndicError(`Redis at ${this.where}: ${describeRedisError(error, this.lastError, this.waitMs)}`, 'index');
    }
  }

  /** Check-and-add a batch (add whatever it matches: `reject` null); outcomes in input order (round.ts). */
  private async batch(records: Array<{ id: string; text: string }>, reject: readonly VerdictKind[] | null): Promise<Array<Verdict | SyndicError | null>> {
    // The batch ends at the first record with an input error (its outcome is the last one).
    const probes: Array<Probe | SyndicError> = [];
    for (const record of records) {
      try {
        probes.push(this.prober.probe(record.id, record.text));
      } catch (error) {
        if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
        probes.push(error);
        break;
      }
    }
    const { outcomes, size } = await this.guard(() => runBatch(this.context, probes, reject));
    if (size !== null) this.cachedSize = size;
    return outcomes;
  }
}

function parseMeta(text: string, where: string): Meta {
  let meta: Meta;
  try {
    meta = JSON.parse(text) as Meta;
  } catch {
    throw new SyndicError(`${where}: its stored parameters (key meta) are not JSON`, 'index');
  }
  if (meta.layout !== LAYOUT_VERSION) {
    throw new SyndicError(`${where} has key layout ${String(meta.layout)}, this syndic reads layout ${LAYOUT_VERSION}; use another --redis-namespace or rebuild it`, 'index');
  }
  return meta;
}
