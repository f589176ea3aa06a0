/**
 * The Redis backend: one index shared by many filter workers, on a standalone server or sharded
 * over a Redis Cluster (key layout: layout.ts; no hash tag, so every key lands in its own slot).
 *
 * Check-and-add without cross-slot transactions. A batch of records is handled in rounds; in one
 * round, for each record a worker
 *   1. takes a ticket T and writes the record under NS:r:T in state `pending`, and appends a
 *      (cell key, T) pair for each of its band keys to the cells of the bucket groups;
 *   2. once every one of those writes is acknowledged, takes a sequence number s (INCRBY NS:seq);
 *   3. publishes s in the record's header (state `sequenced`) and reads the cells of its keys;
 *   4. fetches the records of the tickets found: those `accepted` with a sequence number below s
 *      are the index as the record sees it; one `pending`, or `sequenced` below s, is waited for;
 *      those with a number above s, or dead, are left out;
 *   5. decides with the shared decision (verdict.ts) and, when the verdict passes and no earlier
 *      accepted record holds its id (the id is one more key of the record, found like the band
 *      keys), sets its state to `accepted` (compare-and-set on its own key); otherwise removes its
 *      record and pairs. A record is reported as accepted only after that write is acknowledged.
 * Why it is correct: let A and B be near-duplicates (they share a band key, that is what makes
 * them candidates) with sequence numbers a < b. A's pair was acknowledged before A took a, a was
 * taken before b (one counter), and B read its cells after taking b: B finds A's pair. B waits
 * until A's state is final, so B decides knowing whether A was accepted; A leaves B out (b > a).
 * So every record is decided against exactly the accepted records of smaller sequence number
 * that share a key with it — the verdicts of processing the records one by one in sequence-number
 * order. Taking the number before the inserts would be unsafe (A takes 1, B takes 2, B inserts and
 * reads before A inserts, A leaves B out as later: both accepted).
 * Waits end: a record waits only for records of smaller number, or for a pending one whose next
 * step (publishing its number) waits for nothing. A worker that crashed leaves a record that stops
 * changing: after `leaseMs` without change a waiter marks it dead (compare-and-set on the header
 * it saw), and a slow owner that finds its record dead starts that record again.
 * The records of a round take consecutive numbers in input order and are decided in that order
 * (a record takes the verdicts of the earlier ones of its round from the worker, not from Redis),
 * so one worker's verdicts equal those of the file index fed the same stream. Every write is one
 * single-key command or script, safe to repeat (withRetry).
 */
import { Cluster } from 'ioredis';
import { SyndicError } from '../../errors.js';
import { bandKeysInto } from '../../lsh/bands.js';
import type { Fingerprinter } from '../../sketch/hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../../options.js';
import { assertCompatible, resolveStoredParams, stableJson, storedParamsOf, type StoredParams } from '../params.js';
import { Prober, type Probe } from '../probe.js';
import type { FilterIndex } from '../types.js';
import { decide, DEFAULT_REJECT, passes, type IndexedView, type ParagraphHits, type Verdict, type VerdictKind } from '../verdict.js';
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
import { cellKey, DEFAULT_GROUPS, header, HEADER_BYTES, KeyLayout, PAIR_BYTES, pairsBytes, parseHeader, STATE, ticketBytes } from './layout.js';
import { decodeRecord, encodeRecord, recordId, type StoredRecord } from './record.js';
import { SCRIPTS } from './scripts.js';

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
  /** Bucket groups of a new index (a power of two; default 2048). Stored with the index. */
  groups?: number;
}

/** Version of the key layout and record encoding, stored in NS:meta. */
const LAYOUT_VERSION = 3;

/** What NS:meta holds. */
interface Meta {
  layout: number;
  groups: number;
  params: StoredParams;
}

type ScriptArg = string | Buffer | number;
type ScriptedClient = RedisClient & {
  syndicAppend(key: string, ...args: ScriptArg[]): Promise<number>;
  syndicRemovePairs(key: string, ...args: ScriptArg[]): Promise<number>;
  syndicState(key: string, allowed: string, next: string): Promise<[number, string]>;
  syndicRelease(key: string, id: string, ticket: string): Promise<number>;
};

/** One record of a batch on its way through the protocol. */
interface Item {
  probe: Probe;
  /** Cell keys: `bands` document keys, then `bands` per paragraph (none for an empty text). */
  keys: Uint32Array;
  ticket: number;
  sequence: number;
  outcome: Verdict | SyndicError | null;
}

/** Records of a batch per round (more wait for the next round). */
const MAX_ROUND = 512;

/** An index on Redis; see the module comment for the protocol and why it is correct. */
export class RedisIndex implements FilterIndex {
  private cachedSize = 0;
  private closed = false;
  private lastError: Error | null = null;

  /** The client, its commands retried one by one on transient failures (see `retrying`). */
  private readonly redis: ScriptedClient;

  private constructor(
    private readonly client: ScriptedClient,
    readonly options: ResolvedOptions,
    private readonly keys: KeyLayout,
    private readonly prober: Prober,
    private readonly where: string,
    private readonly waitMs: number,
    private readonly leaseMs: number,
  ) {
    this.redis = retrying(client, waitMs);
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
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
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
      const keys = this.cellKeysOf(probe);
      const [found] = await this.readCells([keys]);
      const fetched = await this.fetchRecords(new Set([...found!.values()].flat()));
      return this.decideAgainst(probe, keys, found!, (ticket) => {
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
    return this.guard(async () => {
      const holder = await this.redis.hget(this.keys.idGroup(id), id);
      if (holder === null) return false;
      return parseHeader(await this.redis.getrange(this.keys.record(Number(holder)), 0, HEADER_BYTES - 1)).state === STATE.accepted;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.guard(async () => {
      const holder = await this.redis.hget(this.keys.idGroup(id), id);
      if (holder === null) return false;
      const ticket = Number(holder);
      const value = await this.redis.getBuffer(this.keys.record(ticket));
      if (value === null) return false;
      const { state, sequence } = parseHeader(value);
      if (state !== STATE.accepted) return false;
      const [done] = await this.redis.syndicState(this.keys.record(ticket), '=' + header(state, sequence), header(STATE.dead, sequence));
      if (done !== 1) return false;
      const stored = decodeRecord(value, this.options.numPerm, this.options.bands, this.keys.namespace);
      const keys = Uint32Array.of(...cellKeys(documentBandKeys(stored, this.options), stored.paragraphBandKeys), idCellKey(id));
      await this.removePairs([{ keys, ticket }]);
      await Promise.all([this.redis.del(this.keys.record(ticket)), this.redis.syndicRelease(this.keys.idGroup(id), id, holder), this.redis.decr(this.keys.count)]);
      this.cachedSize--;
      return true;
    });
  }

  /** Redis persists by itself (RDB/AOF as configured on the server): nothing to sync here. */
  async sync(): Promise<void> {}

  async save(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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

  /** Cell keys of a probe: its document band keys, then each paragraph's (none for an empty text). */
  private cellKeysOf(probe: Probe): Uint32Array {
    const bands = probe.empty ? new Uint32Array(0) : cellKeys(probe.bandKeys, probe.paragraphBandKeys);
    // Last, the key of the id: two records of one id always find each other, in sequence order like copies.
    const keys = new Uint32Array(bands.length + 1);
    keys.set(bands);
    keys[bands.length] = idCellKey(probe.id);
    return keys;
  }

  /** Check-and-add a batch (add whatever it matches: `reject` null) in rounds; outcomes in input order. */
  private async batch(records: Array<{ id: string; text: string }>, reject: readonly VerdictKind[] | null): Promise<Array<Verdict | SyndicError | null>> {
    // The batch ends at the first record with an input error (its outcome is the last one).
    let failed: SyndicError | null = null;
    const items: Item[] = [];
    for (const record of records) {
      try {
        const probe = this.prober.probe(record.id, record.text);
        items.push({ probe, keys: this.cellKeysOf(probe), ticket: 0, sequence: 0, outcome: null });
      } catch (error) {
        if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
        failed = error;
        break;
      }
    }
    await this.guard(async () => {
      let next = 0;
      while (next < items.length) {
        const round: Item[] = [];
        const ids = new Set<string>();
        // A repeated id starts the next round: the second record must find the first one's claim settled.
        for (; next < items.length && round.length < MAX_ROUND && !ids.has(items[next]!.probe.id); next++) {
          ids.add(items[next]!.probe.id);
          round.push(items[next]!);
        }
        let pending = round;
        // Records found dead (another worker declared them stuck) go round again.
        while (pending.length > 0) pending = await this.round(pending, reject);
        const stop = round.findIndex((item) => item.outcome instanceof SyndicError);
        if (stop >= 0) {
          items.length = items.indexOf(round[stop]!) + 1;
          failed = null;
          break;
        }
      }
    });
    const outcomes: Array<Verdict | SyndicError | null> = items.map((item) => item.outcome);
    if (failed) outcomes.push(failed);
    return outcomes;
  }

  /**
   * One round (module comment, steps 1–5); resolves to the records that must start again. The
   * records of a round are decided in their order: one finds the earlier ones of its round in
   * its cells (their numbers are smaller) and takes their verdicts from here, not from Redis.
   */
  private async round(items: Item[], reject: readonly VerdictKind[] | null): Promise<Item[]> {
    const force = reject === null;
    const { redis, keys } = this;
    const count = items.length;
    const lastTicket = await redis.incrby(keys.tickets, count);
    items.forEach((item, i) => (item.ticket = lastTicket - count + 1 + i));
    await Promise.all([...items.map((item) => redis.set(keys.record(item.ticket), encodeRecord(header(STATE.pending, 0), item.probe))), this.appendPairs(items)]);
    const lastSequence = await redis.incrby(keys.sequence, count);
    items.forEach((item, i) => (item.sequence = lastSequence - count + 1 + i));
    const [published, found] = await Promise.all([
      Promise.all(items.map((item) => redis.syndicState(keys.record(item.ticket), STATE.pending, header(STATE.sequenced, item.sequence)))),
      // An add reads only the cell of its id key: whatever it matches, an id already indexed is refused.
      this.readCells(items.map((item) => (force ? item.keys.subarray(item.keys.length - 1) : item.keys))),
    ]);
    const inRound = new Map(items.map((item, i) => [item.ticket, i]));
    const others = new Set<number>();
    for (const cells of found) for (const tickets of cells.values()) for (const ticket of tickets) if (!inRound.has(ticket)) others.add(ticket);
    const fetched = await this.fetchRecords(others);
    await this.waitForEarlier(items, found, fetched, inRound);

    const restart: Item[] = [];
    const dropped: Item[] = [];
    const accepted: Item[] = [];
    /** Per record of the round: whether it is accepted so far. */
    const live = new Array<boolean>(count).fill(false);
    for (let i = 0; i < count; i++) {
      const item = items[i]!;
      if (published[i]![0] !== 1) {
        restart.push(item);
        continue;
      }
      const verdict: Verdict = force
        ? { id: item.probe.id, verdict: 'new', matches: [] }
        : this.decideAgainst(item.probe, item.keys, found[i]!, (ticket) => {
            const k = inRound.get(ticket);
            if (k !== undefined) return k < i && live[k] ? items[k]!.probe : null;
            const value = fetched.get(ticket);
            if (!value || value.length <= HEADER_BYTES) return null;
            const { state, sequence } = parseHeader(value);
            return state === STATE.accepted && sequence < item.sequence ? value : null;
          });
      item.outcome = verdict;
      const pass = force || passes(verdict, reject);
      // An earlier record of the same id that counts (accepted, or live earlier in this round): the id is taken.
      const taken = pass && (found[i]!.get(item.keys[item.keys.length - 1]!) ?? []).some((ticket) => {
        const k = inRound.get(ticket);
        if (k !== undefined) return k < i && live[k] && items[k]!.probe.id === item.probe.id;
        const value = fetched.get(ticket);
        if (!value || value.length <= HEADER_BYTES) return false;
        const { state, sequence } = parseHeader(value);
        return state === STATE.accepted && sequence < item.sequence && recordId(value) === item.probe.id;
      });
      const claim = taken ? new SyndicError(`id "${item.probe.id}" is already in the index`, 'input') : null;
      if (claim !== null) item.outcome = claim;
      if (pass && claim === null) {
        live[i] = true;
        accepted.push(item);
      } else dropped.push(item);
      if (claim !== null) {
        // The batch ends here: later records of the round are left as they were before it.
        for (const later of items.slice(i + 1)) {
          if (restart.includes(later)) restart.splice(restart.indexOf(later), 1);
          dropped.push(later);
          later.outcome = null;
        }
        break;
      }
    }
    const finals = await Promise.all(
      accepted.map(async (item) => {
        await redis.hset(keys.idGroup(item.probe.id), item.probe.id, String(item.ticket));
        return redis.syndicState(keys.record(item.ticket), STATE.sequenced, header(STATE.accepted, item.sequence));
      }),
    );
    let added = 0;
    let firstLost = count;
    accepted.forEach((item, a) => {
      if (finals[a]![0] === 1) added++;
      else {
        // Declared dead while this worker was deciding (it stalled longer than the lease).
        restart.push(item);
        firstLost = Math.min(firstLost, inRound.get(item.ticket)!);
      }
    });
    // Later records of the round rejected while a lost one counted as accepted are decided again.
    for (const item of dropped.filter((item) => inRound.get(item.ticket)! > firstLost && item.outcome !== null && !(item.outcome instanceof SyndicError))) {
      dropped.splice(dropped.indexOf(item), 1);
      restart.push(item);
    }
    const gone = [...dropped, ...restart];
    await Promise.all([
      this.removePairs(gone),
      ...gone.map((item) => redis.del(keys.record(item.ticket))),
      ...gone.map((item) => redis.syndicRelease(keys.idGroup(item.probe.id), item.probe.id, String(item.ticket))),
      added > 0 ? redis.incrby(keys.count, added).then((n) => (this.cachedSize = n)) : Promise.resolve(0),
    ]);
    for (const item of restart) item.outcome = null;
    restart.sort((a, b) => inRound.get(a.ticket)! - inRound.get(b.ticket)!);
    return restart;
  }

  /** Append the pairs of `items` to their cells: one script per bucket group. */
  private async appendPairs(items: Item[]): Promise<void> {
    const byGroup = new Map<number, Map<string, number[]>>();
    for (const item of items) {
      for (const key of item.keys) {
        const group = this.keys.group(key);
        let cells = byGroup.get(group);
        if (!cells) byGroup.set(group, (cells = new Map()));
        const cell = this.keys.cell(key);
        const list = cells.get(cell);
        if (list) list.push(key, item.ticket);
        else cells.set(cell, [key, item.ticket]);
      }
    }
    await Promise.all(
      [...byGroup].map(([group, cells]) => {
        const args: ScriptArg[] = [];
        for (const [cell, pairs] of cells) args.push(cell, pairsBytes(pairs));
        return this.redis.syndicAppend(this.keys.groupKey(group), ...args);
      }),
    );
  }

  /** Remove every pair of the given tickets from the cells of their keys: one script per bucket group. */
  private async removePairs(items: Array<{ keys: Uint32Array; ticket: number }>): Promise<void> {
    const byGroup = new Map<number, { tickets: Set<number>; cells: Set<string> }>();
    for (const item of items) {
      for (const key of item.keys) {
        const group = this.keys.group(key);
        let entry = byGroup.get(group);
        if (!entry) byGroup.set(group, (entry = { tickets: new Set(), cells: new Set() }));
        entry.tickets.add(item.ticket);
        entry.cells.add(this.keys.cell(key));
      }
    }
    await Promise.all(
      [...byGroup].map(([group, { tickets, cells }]) =>
        this.redis.syndicRemovePairs(this.keys.groupKey(group), tickets.size, ...[...tickets].map(ticketBytes), ...cells),
      ),
    );
  }

  /** For each key set, the tickets (ascending, each once) paired with each of its keys: one HMGET per bucket group. */
  private async readCells(keySets: Uint32Array[]): Promise<Array<Map<number, number[]>>> {
    const byGroup = new Map<number, Set<string>>();
    for (const keys of keySets) {
      for (const key of keys) {
        const group = this.keys.group(key);
        let cells = byGroup.get(group);
        if (!cells) byGroup.set(group, (cells = new Set()));
        cells.add(this.keys.cell(key));
      }
    }
    const values = new Map<string, Buffer>();
    await Promise.all(
      [...byGroup].map(async ([group, cells]) => {
        const names = [...cells];
        const replies = await this.redis.hmgetBuffer(this.keys.groupKey(group), ...names);
        names.forEach((cell, i) => {
          const value = replies[i];
          if (value) values.set(`${group}:${cell}`, value);
        });
      }),
    );
    return keySets.map((keys) => {
      const found = new Map<number, number[]>();
      for (const key of keys) {
        if (found.has(key)) continue;
        const value = values.get(`${this.keys.group(key)}:${this.keys.cell(key)}`);
        const tickets: number[] = [];
        if (value) {
          for (let at = 0; at + PAIR_BYTES <= value.length; at += PAIR_BYTES) {
            if (value.readUInt32LE(at) === key) tickets.push(value.readUInt32LE(at + 4));
          }
        }
        found.set(key, [...new Set(tickets)].sort((a, b) => a - b));
      }
      return found;
    });
  }

  /** The stored values of some tickets (null: gone). */
  private async fetchRecords(tickets: Set<number>): Promise<Map<number, Buffer | null>> {
    const fetched = new Map<number, Buffer | null>();
    await Promise.all([...tickets].map(async (ticket) => fetched.set(ticket, await this.redis.getBuffer(this.keys.record(ticket)))));
    return fetched;
  }

  /**
   * Wait until no record of the round depends on an undecided one: a pending ticket, or one
   * sequenced before it. Their headers are polled with backoff; one unchanged for the lease is
   * declared dead. `fetched` is updated in place.
   */
  private async waitForEarlier(items: Item[], found: Array<Map<number, number[]>>, fetched: Map<number, Buffer | null>, own: Map<number, number>): Promise<void> {
    const lease = new Lease(this.leaseMs);
    for (let attempt = 0; ; attempt++) {
      const waiting = new Set<number>();
      items.forEach((item, i) => {
        for (const tickets of found[i]!.values()) {
          for (const ticket of tickets) {
            const value = fetched.get(ticket);
            if (!value || own.has(ticket)) continue;
            const { state, sequence } = parseHeader(value);
            if (state === STATE.pending || (state === STATE.sequenced && sequence < item.sequence)) waiting.add(ticket);
          }
        }
      });
      if (waiting.size === 0) return;
      await sleep(Math.min(1 << attempt, 50));
      await Promise.all(
        [...waiting].map(async (ticket) => {
          const key = this.keys.record(ticket);
          const current = await this.redis.getrange(key, 0, HEADER_BYTES - 1);
          if (current === '') return fetched.set(ticket, null);
          const before = fetched.get(ticket)!;
          if (current !== before.toString('latin1', 0, HEADER_BYTES)) {
            const { state } = parseHeader(current);
            // Final now: fetch the whole record (a decision may read it).
            return fetched.set(ticket, state === STATE.accepted ? await this.redis.getBuffer(key) : Buffer.from(current, 'latin1'));
          }
          if (lease.expired(String(ticket), current)) {
            const [done, after] = await this.redis.syndicState(key, '=' + current, header(STATE.dead, parseHeader(current).sequence));
            return fetched.set(ticket, Buffer.from(done === 1 ? header(STATE.dead, 0) : after, 'latin1'));
          }
          return fetched;
        }),
      );
    }
  }

  /**
   * The shared decision (verdict.ts) over the candidates found in the probe's document and
   * paragraph buckets; `admitted` gives the stored value (or the probe, for a record of the same
   * round) of a ticket that counts, null for one that does not. Buckets over maxBucketSize are
   * skipped, as in the file index.
   */
  private decideAgainst(probe: Probe, keys: Uint32Array, found: Map<number, number[]>, admitted: (ticket: number) => Buffer | Probe | null): Verdict {
    const { bands, numPerm, maxBucketSize } = this.options;
    const views = new Map<number, IndexedView & { paragraphBandKeys: Uint32Array }>();
    const view = (ticket: number): IndexedView & { paragraphBandKeys: Uint32Array } => {
      let record = views.get(ticket);
      if (!record) {
        const value = admitted(ticket)!;
        views.set(ticket, (record = Buffer.isBuffer(value) ? decodeRecord(value, numPerm, bands, this.keys.namespace) : value));
      }
      return record;
    };
    const live = (key: number): number[] => (found.get(key) ?? []).filter((ticket) => admitted(ticket) !== null);
    const documents = new Set<number>();
    const hits: ParagraphHits<number> = { incoming: [], documents: [], paragraphs: [] };
    if (!probe.empty) {
      for (let band = 0; band < bands; band++) {
        const tickets = live(keys[band]!);
        if (tickets.length <= maxBucketSize) for (const ticket of tickets) documents.add(ticket);
      }
      const paragraphs = probe.paragraphLengths.length;
      for (let x = 0; x < paragraphs; x++) {
        for (let band = 0; band < bands; band++) {
          const bandKey = probe.paragraphBandKeys[x * bands + band]!;
          const entries: Array<[number, number]> = [];
          for (const ticket of live(keys[bands + x * bands + band]!)) {
            const stored = view(ticket);
            for (let y = 0; y < stored.paragraphLengths.length; y++) if (stored.paragraphBandKeys[y * bands + band] === bandKey) entries.push([ticket, y]);
          }
          if (entries.length > maxBucketSize) continue;
          for (const [ticket, y] of entries) hits.incoming.push(x), hits.documents.push(ticket), hits.paragraphs.push(y);
        }
      }
    }
    return decide(probe, this.options, documents, hits, view);
  }
}

/** Remembers since when each ticket has shown the same header; a lease expires after `ms` of no change. */
class Lease {
  private readonly seen = new Map<string, { header: string; since: number }>();
  constructor(private readonly ms: number) {}

  expired(ticket: string, current: string): boolean {
    const now = Date.now();
    const last = this.seen.get(ticket);
    if (!last || last.header !== current) {
      this.seen.set(ticket, { header: current, since: now });
      return false;
    }
    return now - last.since >= this.ms;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The cell key of an id (FNV-1a over its UTF-16 units, mixed like a band key). */
function idCellKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return cellKey(h >>> 0, true) ^ 0x5bd1e995;
}

/** Cell keys of document band keys followed by paragraph band keys. */
function cellKeys(bandKeys: Uint32Array, paragraphBandKeys: Uint32Array): Uint32Array {
  const keys = new Uint32Array(bandKeys.length + paragraphBandKeys.length);
  for (let b = 0; b < bandKeys.length; b++) keys[b] = cellKey(bandKeys[b]!, false);
  for (let k = 0; k < paragraphBandKeys.length; k++) keys[bandKeys.length + k] = cellKey(paragraphBandKeys[k]!, true);
  return keys;
}

/** The document band keys of a stored record (its signature banded again). */
function documentBandKeys(stored: StoredRecord, options: ResolvedOptions): Uint32Array {
  const keys = new Uint32Array(options.bands);
  bandKeysInto(stored.signature, 0, { bands: options.bands, rows: options.rows }, keys);
  return keys;
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
