/**
 * The Redis backend: the same index on a Redis server shared by many filter workers.
 *
 * Keys, all under `NAMESPACE:{PARAMHASH}:` (PARAMHASH = hash of the data parameters, so indexes
 * of other parameters never mix; the braces are a hash tag: every key of one index lives in one
 * Redis Cluster slot, so the Lua scripts work on a cluster — one index is then served by one
 * shard; run several indexes to spread load):
 *   meta          stored parameters (JSON)
 *   ids           set of indexed ids
 *   doc:ID        binary record: signature, paragraph lengths, band keys, byte signatures, verification sketch
 *   d:KEY         document band bucket: set of ids
 *   p:KEY         paragraph band bucket: set of "PARAGRAPH:ID"
 *   epoch         incremented by every removal
 *
 * Atomic check-and-add, by optimistic concurrency: a worker reads (one pipeline) every bucket its
 * record's band keys name — the document's and its paragraphs' — and the epoch, fetches the
 * candidates' records, decides, and, when the verdict is `new`, runs the commit script. The
 * script adds the record only if the epoch and the size of each of those buckets are unchanged.
 * Between removals, buckets only grow, so equal sizes mean equal contents: nothing that could
 * be a candidate of the record was added or removed since it was read, and the verdict still
 * holds at the moment of the write. Otherwise the script changes nothing and the worker reads
 * and decides again. Two workers with copies A and A′ (which share a bucket, that is what makes
 * them candidates) therefore cannot both commit: whichever commits second finds that bucket grown
 * and re-reads, seeing the first. Each failed commit means another worker's commit succeeded,
 * so the system as a whole always progresses. Redis runs a script alone, so the script itself is
 * the serialization point; the similarity math stays in one place (verdict.ts) for every backend.
 */
import { Redis } from 'ioredis';
import { SyndicError } from '../../errors.js';
import type { Fingerprinter } from '../../sketch/hash.js';
import { bandKeysInto } from '../../lsh/bands.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../../options.js';
import { assertCompatible, dataParamsHash, resolveStoredParams, storedParamsOf, type StoredParams } from '../params.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import { Prober, type Probe } from '../probe.js';
import type { FilterIndex } from '../types.js';
import { decide, DEFAULT_REJECT, passes, type IndexedView, type ParagraphHits, type Verdict, type VerdictKind } from '../verdict.js';

/** How to open a Redis index. */
export interface RedisIndexOptions {
  /** Explicit detection options; stored parameters win, conflicting explicit ones throw. */
  options?: DetectOptions;
  /** First part of every key (default `syndic`). */
  namespace?: string;
  /** Throw when no index with these parameters exists yet. */
  mustExist?: boolean;
  /** Give up a check-and-add after this many conflicting commits (default 1000). */
  maxAttempts?: number;
  /**
   * How long an outage is waited out before an operation fails, in milliseconds (default
   * {@link DEFAULT_REDIS_WAIT_MS}): reconnection with backoff, and a server that answers LOADING
   * while it reads its data back after a restart.
   */
  waitMs?: number;
}

/** Default of {@link RedisIndexOptions.waitMs}. */
export const DEFAULT_REDIS_WAIT_MS = 10_000;

const COMMIT_SCRIPT = `
-- KEYS: epoch, doc key, ids set, then the buckets read (R of them), then the buckets written.
-- ARGV: id, record, epoch read ('' = do not check), R, the R sizes read, then one member per written bucket.
local read = tonumber(ARGV[4])
if ARGV[3] ~= '' then
  local epoch = redis.call('GET', KEYS[1]) or '0'
  if epoch ~= ARGV[3] then return 0 end
  for i = 1, read do
    if redis.call('SCARD', KEYS[3 + i]) ~= tonumber(ARGV[4 + i]) then return 0 end
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
for i = 4 + read, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[4 + read + (i - 3 - read)])
end
return 1
`;

const REMOVE_SCRIPT = `
-- KEYS: epoch, doc key, ids set, buckets; ARGV: id, then one member per bucket.
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
for i = 4, #KEYS do redis.call('SREM', KEYS[i], ARGV[i - 2]) end
redis.call('INCR', KEYS[1])
return 1
`;

type ScriptedRedis = Redis & {
  syndicCommit(...args: Array<string | Buffer | number>): Promise<number>;
  syndicRemove(...args: Array<string | Buffer | number>): Promise<number>;
};

/** What one read of the buckets found. */
interface ReadState {
  epoch: string;
  buckets: string[];
  sizes: number[];
  verdict: Verdict;
}

/** An index on Redis; see the module comment for the layout and the atomicity argument. */
export class RedisIndex implements FilterIndex {
  private cachedSize = 0;
  private closed = false;
  /** The server as named in messages (password hidden). */
  private where = '';
  /** The last error the client reported (the reason behind a generic "Connection is closed."). */
  private lastError: Error | null = null;

  private constructor(
    private readonly redis: ScriptedRedis,
    readonly options: ResolvedOptions,
    private readonly prefix: string,
    private readonly prober: Prober,
    private readonly maxAttempts: number,
    private readonly waitMs: number,
  ) {}

  /** Connect to `url` (redis://host:port/db) or use a given client, and open the index. */
  static async open(connection: string | Redis, fingerprinter: Fingerprinter, settings: RedisIndexOptions = {}): Promise<RedisIndex> {
    const explicit = settings.options ?? {};
    const wanted = resolveOptions(explicit);
    const waitMs = settings.waitMs ?? DEFAULT_REDIS_WAIT_MS;
    if (!(waitMs >= 0)) throw new SyndicError(`Redis wait must be a number of milliseconds >= 0, got ${waitMs}`, 'usage');
    // ioredis reconnects forever by default; a filter in a pipeline must wait out a short outage
    // (commands queue meanwhile), then fail, clearly. No ready check: it would wait for a loading
    // server without bound; LOADING replies are waited out by `withinBudget` instead.
    let outageSince: number | null = null;
    const redis = (
      typeof connection === 'string'
        ? new Redis(connection, {
            lazyConnect: true,
            maxRetriesPerRequest: null,
            enableOfflineQueue: true,
            enableReadyCheck: false,
            connectTimeout: Math.min(5000, Math.max(waitMs, 1000)),
            retryStrategy: (times) => {
              outageSince ??= Date.now();
              return Date.now() - outageSince >= waitMs ? null : Math.min(100 * 2 ** (times - 1), 1000);
            },
          })
        : connection.duplicate()
    ) as ScriptedRedis;
    redis.on('connect', () => (outageSince = null));
    let lastError: Error | null = null;
    let index: RedisIndex | null = null;
    // Without a listener ioredis prints every connection error with its stack trace.
    redis.on('error', (error: Error) => {
      lastError = error;
      if (index) index.lastError = error;
    });
    try {
      try {
        await redis.connect();
      } catch (error) {
        throw new SyndicError(`cannot connect to Redis at ${describeConnection(connection)}: ${describeRedisError(lastError ?? error, null, waitMs)}`, 'index');
      }
      redis.defineCommand('syndicCommit', { lua: COMMIT_SCRIPT });
      redis.defineCommand('syndicRemove', { lua: REMOVE_SCRIPT });
      const prefix = `${settings.namespace ?? 'syndic'}:{${dataParamsHash(wanted)}}:`;
      const stored = await withinBudget(() => redis.get(`${prefix}meta`), waitMs);
      let options: ResolvedOptions;
      if (stored === null) {
        if (settings.mustExist) throw new SyndicError(`Redis ${describeConnection(connection)} holds no index with these parameters (key prefix ${prefix})`, 'index');
        await withinBudget(() => redis.set(`${prefix}meta`, JSON.stringify(storedParamsOf(wanted)), 'NX'), waitMs);
        options = resolveStoredParams(JSON.parse((await withinBudget(() => redis.get(`${prefix}meta`), waitMs))!) as StoredParams);
      } else {
        options = resolveStoredParams(JSON.parse(stored) as StoredParams);
      }
      assertCompatible(options, explicit, `Redis index ${prefix}`);
      index = new RedisIndex(redis, options, prefix, new Prober(options, fingerprinter), settings.maxAttempts ?? 1000, waitMs);
      index.where = describeConnection(connection);
      index.cachedSize = await withinBudget(() => redis.scard(`${prefix}ids`), waitMs);
      return index;
    } catch (error) {
      redis.disconnect();
      if (error instanceof SyndicError || !isRedisFailure(error)) throw error;
      throw new SyndicError(`Redis at ${describeConnection(connection)}: ${describeRedisError(error, lastError, waitMs)}`, 'index');
    }
  }

  get size(): number {
    return this.cachedSize;
  }

  /** Exact size, asked from Redis. */
  async count(): Promise<number> {
    this.cachedSize = await this.guard(() => this.redis.scard(`${this.prefix}ids`));
    return this.cachedSize;
  }

  async check(record: { id: string; text: string }): Promise<Verdict> {
    const probe = this.prober.probe(record.id, record.text);
    return (await this.guard(() => this.read(probe))).verdict;
  }

  async add(record: { id: string; text: string }): Promise<void> {
    const probe = this.prober.probe(record.id, record.text);
    const result = await this.guard(() => this.commit(probe, null));
    if (result === -1) throw new SyndicError(`id "${record.id}" is already in the index`, 'input');
  }

  async checkAndAdd(record: { id: string; text: string }, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Verdict> {
    const probe = this.prober.probe(record.id, record.text);
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const state = await this.guard(() => this.read(probe));
      if (!passes(state.verdict, reject)) return state.verdict;
      // A reply lost with the connection leaves the outcome unknown: the record may be stored, but it is never reported as accepted.
      const result = await this.guard(() => this.commit(probe, state));
      if (result === 1) return state.verdict;
      if (result === -1) throw new SyndicError(`id "${record.id}" is already in the index`, 'input');
    }
    throw new SyndicError(`Redis index ${this.prefix}: check-and-add of "${record.id}" conflicted ${this.maxAttempts} times in a row`, 'index');
  }

  async contains(id: string): Promise<boolean> {
    return (await this.guard(() => this.redis.sismember(`${this.prefix}ids`, id))) === 1;
  }

  async remove(id: string): Promise<boolean> {
    return this.guard(() => this.removeRecord(id));
  }

  private async removeRecord(id: string): Promise<boolean> {
    const blob = await this.redis.getBuffer(this.docKey(id));
    if (blob === null) return false;
    const view = this.decodeRecord(id, blob);
    const { bands, rows } = this.options;
    const keys = new Uint32Array(bands);
    bandKeysInto(view.signature, 0, { bands, rows }, keys);
    const buckets: string[] = [];
    const members: string[] = [];
    for (const key of keys) buckets.push(this.bucketKey('d', key)), members.push(id);
    for (let p = 0; p < view.paragraphLengths.length; p++) {
      for (let band = 0; band < bands; band++) buckets.push(this.bucketKey('p', view.paragraphBandKeys[p * bands + band]!)), members.push(`${p}:${id}`);
    }
    const removed = await this.redis.syndicRemove(3 + buckets.length, `${this.prefix}epoch`, this.docKey(id), `${this.prefix}ids`, ...buckets, id, ...members);
    if (removed === 1) this.cachedSize--;
    return removed === 1;
  }

  /** Redis persists by itself (RDB/AOF as configured on the server). */
  async sync(): Promise<void> {}

  async save(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Delete every key of this index (tests, benchmarks). */
  async destroy(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
    this.cachedSize = 0;
  }

  /** Run one operation; a lost connection or a server error becomes an `index` error naming the server. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await withinBudget(operation, this.waitMs);
    } catch (error) {
      if (error instanceof SyndicError || !isRedisFailure(error)) throw error;
      throw new SyndicError(`Redis at ${this.where}: ${describeRedisError(error, this.lastError, this.waitMs)}`, 'index');
    }
  }

  private docKey(id: string): string {
    return `${this.prefix}doc:${id}`;
  }

  private bucketKey(kind: 'd' | 'p', key: number): string {
    return `${this.prefix}${kind}:${key.toString(16)}`;
  }

  /** The distinct buckets of a probe: its document's, then its paragraphs'. */
  private bucketsOf(probe: Probe): { documentBuckets: string[]; paragraphBuckets: string[] } {
    const documentBuckets = [...new Set(Array.from(probe.bandKeys, (key) => this.bucketKey('d', key)))];
    const paragraphBuckets = [...new Set(Array.from(probe.paragraphBandKeys, (key) => this.bucketKey('p', key)))];
    return { documentBuckets, paragraphBuckets };
  }

  /** Read the buckets and the candidates' records, decide. Two pipelined round trips. */
  private async read(probe: Probe): Promise<ReadState> {
    const { maxBucketSize, bands } = this.options;
    const { documentBuckets, paragraphBuckets } = this.bucketsOf(probe);
    const buckets = [...documentBuckets, ...paragraphBuckets];
    const pipeline = this.redis.pipeline();
    pipeline.get(`${this.prefix}epoch`);
    pipeline.scard(`${this.prefix}ids`);
    for (const bucket of buckets) pipeline.smembers(bucket);
    const replies = await execPipeline(pipeline);
    const epoch = (replies[0] as string | null) ?? '0';
    this.cachedSize = replies[1] as number;
    const members = replies.slice(2) as string[][];
    const sizes = members.map((list) => list.length);

    const documents = new Set<string>();
    for (let b = 0; b < documentBuckets.length; b++) {
      if (members[b]!.length <= maxBucketSize) for (const id of members[b]!) documents.add(id);
    }
    const membersOf = new Map<string, string[]>();
    for (let b = documentBuckets.length; b < buckets.length; b++) membersOf.set(buckets[b]!, members[b]!);
    const found: ParagraphHits<string> = { incoming: [], documents: [], paragraphs: [] };
    const count = probe.paragraphLengths.length;
    for (let x = 0; x < count; x++) {
      for (let band = 0; band < bands; band++) {
        const list = membersOf.get(this.bucketKey('p', probe.paragraphBandKeys[x * bands + band]!))!;
        if (list.length > maxBucketSize) continue;
        for (const member of list) {
          const colon = member.indexOf(':');
          found.incoming.push(x);
          found.paragraphs.push(Number(member.slice(0, colon)));
          found.documents.push(member.slice(colon + 1));
        }
      }
    }

    const candidates = new Set(documents);
    for (const id of found.documents) candidates.add(id);
    const views = new Map<string, IndexedView>();
    if (candidates.size > 0) {
      const fetch = this.redis.pipeline();
      const order = [...candidates];
      for (const id of order) fetch.getBuffer(this.docKey(id));
      const blobs = await execPipeline(fetch);
      order.forEach((id, i) => {
        const blob = blobs[i] as Buffer | null;
        if (blob) views.set(id, this.decodeRecord(id, blob));
      });
    }
    // A candidate removed between the two round trips is dropped; the epoch check catches it.
    for (const id of documents) if (!views.has(id)) documents.delete(id);
    const hits: ParagraphHits<string> = { incoming: [], documents: [], paragraphs: [] };
    for (let h = 0; h < found.incoming.length; h++) {
      if (!views.has(found.documents[h]!)) continue;
      hits.incoming.push(found.incoming[h]!);
      hits.documents.push(found.documents[h]!);
      hits.paragraphs.push(found.paragraphs[h]!);
    }
    const verdict = decide(probe, this.options, documents, hits, (id) => views.get(id)!);
    return { epoch, buckets, sizes, verdict };
  }

  /** Run the commit script; `state` null adds without checking. Resolves to 1, 0 (conflict) or −1 (id exists). */
  private async commit(probe: Probe, state: ReadState | null): Promise<number> {
    const { bands } = this.options;
    const written: string[] = [];
    const members: string[] = [];
    for (const key of probe.bandKeys) written.push(this.bucketKey('d', key)), members.push(probe.id);
    for (let p = 0; p < probe.paragraphLengths.length; p++) {
      for (let band = 0; band < bands; band++) written.push(this.bucketKey('p', probe.paragraphBandKeys[p * bands + band]!)), members.push(`${p}:${probe.id}`);
    }
    const read = state?.buckets ?? [];
    const result = await this.redis.syndicCommit(
      3 + read.length + written.length,
      `${this.prefix}epoch`,
      this.docKey(probe.id),
      `${this.prefix}ids`,
      ...read,
      ...written,
      probe.id,
      encodeRecord(probe),
      state ? state.epoch : '',
      read.length,
      ...(state?.sizes ?? []),
      ...members,
    );
    if (result === 1) this.cachedSize++;
    return result;
  }

  private decodeRecord(id: string, blob: Buffer): IndexedView & { paragraphBandKeys: Uint32Array } {
    const { numPerm, bands } = this.options;
    const aligned = blob.byteOffset % 4 === 0 ? blob : Buffer.from(blob);
    const count = aligned.readUInt32LE(0);
    const expected = 4 + 4 * numPerm + 4 * count + 4 * count * bands + count * numPerm + VERIFICATION_BYTES;
    if (aligned.length !== expected) throw new SyndicError(`Redis index ${this.prefix}: record of "${id}" is damaged (${aligned.length} bytes, expected ${expected})`, 'index');
    let at = aligned.byteOffset + 4;
    const u32 = (n: number): Uint32Array => {
      const view = new Uint32Array(aligned.buffer, at, n);
      at += 4 * n;
      return view;
    };
    const signature = u32(numPerm);
    const paragraphLengths = u32(count);
    const paragraphBandKeys = u32(count * bands);
    const paragraphBytes = new Uint8Array(aligned.buffer, at, count * numPerm);
    const verification = new Uint8Array(aligned.buffer, at + count * numPerm, VERIFICATION_BYTES);
    return { id, signature, paragraphLengths, paragraphBandKeys, paragraphBytes, verification };
  }
}

/** A probe as the binary value stored under `doc:ID`. */
function encodeRecord(probe: Probe): Buffer {
  const count = probe.paragraphLengths.length;
  const size = 4 + 4 * probe.signature.length + 4 * count + 4 * probe.paragraphBandKeys.length + probe.paragraphBytes.length + probe.verification.length;
  const buffer = Buffer.alloc(size);
  buffer.writeUInt32LE(count, 0);
  let at = 4;
  for (const section of [probe.signature, probe.paragraphLengths, probe.paragraphBandKeys]) {
    Buffer.from(section.buffer, section.byteOffset, section.byteLength).copy(buffer, at);
    at += section.byteLength;
  }
  Buffer.from(probe.paragraphBytes.buffer, probe.paragraphBytes.byteOffset, probe.paragraphBytes.byteLength).copy(buffer, at);
  buffer.set(probe.verification, at + probe.paragraphBytes.byteLength);
  return buffer;
}

async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** Reconnection attempts (with backoff: 0.1, 0.2, 0.4, 0.8, 1 s) before the client gives up. */
/**
 * Run `operation`, again after a backoff while the server answers LOADING (it is reading its data
 * back after a restart and executed nothing), for at most `waitMs` in all.
 */
async function withinBudget<T>(operation: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const loading = error instanceof Error && error.name === 'ReplyError' && error.message.startsWith('LOADING');
      if (!loading || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000, Math.max(deadline - Date.now(), 1))));
    }
  }
}

/** Errors of the connection or the server, as opposed to bugs. */
function isRedisFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return (
    error.name === 'ReplyError' ||
    error.name === 'MaxRetriesPerRequestError' ||
    (typeof code === 'string' && code.startsWith('E')) ||
    /connection is closed|stream isn't writeable|connect/i.test(error.message)
  );
}

/** What went wrong, with the underlying network error when ioredis only says the connection closed. */
function describeRedisError(error: unknown, lastError: Error | null, waitMs: number): string {
  if (error instanceof Error && error.name === 'ReplyError') return error.message;
  const lost = error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || /connection is closed/i.test(error.message));
  const message = lost ? 'connection lost' : error instanceof Error ? error.message : String(error);
  const reason = lastError && lastError.message !== message ? `${message} (${lastError.message})` : message;
  return `${reason}; gave up after waiting ${waitMs / 1000} s for it (--redis-wait)`;
}

function describeConnection(connection: string | Redis): string {
  if (typeof connection !== 'string') return 'the given client';
  return connection.replace(/\/\/[^@/]*@/, '//***@');
}
