/**
 * The bucket cells of a Redis index (layout.ts): the cell keys of a record, appending the
 * (cell key, ticket) pairs of a batch, removing the pairs of tickets, and reading the tickets
 * paired with keys. A write sends one script per shard it touches (layout.ts), a read one HMGET
 * per group, whatever the number of records: a step of a batch costs at most SHARDS or `groups`
 * commands, not one per key. The removals of a round ride with the next round's appends, so a
 * round copies each cell it touches once, not twice. Each group's state (which cells it has,
 * layout.ts) is known from the last reply that told it; a cell split meanwhile sends that group's
 * changes, or the reads of the keys it held, again.
 */
import { SyndicError } from '../../errors.js';
import type { Probe } from '../probe.js';
import { cellKey, cellLevel, cellName, cellNumber, isCellOf, KeyLayout, PAIR_BYTES, SPLIT_BLOCKS, STATE_FIELD } from './layout.js';
import type { StoredRecord } from './record.js';
import type { ScriptedClient } from './scripts.js';

/** The tickets of one key set, per cell key: ascending, each once. */
export type FoundCells = Map<number, readonly number[]>;

const NONE: readonly number[] = Object.freeze([]);

/** Keys and ticket of a record whose pairs go in or out. */
type Pairs = { keys: Uint32Array; ticket: number };

/** What one call of the update script does to one cell: tickets to remove, then pairs to append (u32 words). */
interface CellChange {
  tickets: number[];
  pairs: number[];
}

/** The cells of one index, on one (retrying) client. */
export class Cells {
  /** Pairs one key holds at most: one more than the largest bucket a decision reads (see UPDATE_CELLS). */
  private readonly mostPairs: number;
  /** Records whose pairs are to be removed with the next append (see {@link defer}). */
  private deferred: Pairs[] = [];
  /** The state of each group, as last seen. */
  private readonly states: Float64Array;

  constructor(
    private readonly redis: ScriptedClient,
    private readonly keys: KeyLayout,
    maxBucketSize: number,
  ) {
    this.mostPairs = maxBucketSize + 1;
    this.states = new Float64Array(keys.groups);
  }

  /**
   * Leave the removal of these records' pairs to the next {@link append} (or {@link flush}),
   * which then touches each cell once for both. Only for records already dead (tombstoned):
   * readers that find their pairs meanwhile leave them out.
   */
  defer(items: readonly Pairs[]): void {
    this.deferred.push(...items);
  }

  /** Append the pairs of `items` to their cells, and remove those deferred: one script per shard. */
  async append(items: readonly Pairs[]): Promise<void> {
    const removals = this.deferred;
    this.deferred = [];
    try {
      await this.update(items, removals);
    } catch (error) {
      this.deferred.push(...removals);
      throw error;
    }
  }

  /** Remove every pair of the given tickets from the cells of their keys now (and those deferred). */
  async remove(items: readonly Pairs[]): Promise<void> {
    this.defer(items);
    await this.flush();
  }

  /** Remove the pairs of the records deferred so far. */
  async flush(): Promise<void> {
    if (this.deferred.length > 0) await this.append([]);
  }

  /** Forget the deferred removals and the states seen (the index was deleted). */
  forget(): void {
    this.deferred = [];
    this.states.fill(0);
  }

  private async update(appends: readonly Pairs[], removals: readonly Pairs[]): Promise<void> {
    // A group whose changes name a cell split meanwhile (by another worker) is sent again, for
    // the state the reply gives; it is refused again only if yet another split came between.
    for (let only: Set<number> | null = null; only === null || only.size > 0; ) {
      const byGroup = this.changes(appends, removals, only);
      const calls = this.shards(byGroup);
      const replies = await Promise.all(
        calls.map(({ keys, groups }) => this.redis.syndicUpdate(keys.length, ...keys, this.mostPairs, SPLIT_BLOCKS, this.keys.maxLevel, packChanges(groups.map(([, cells]) => cells)))),
      );
      const again = new Set<number>();
      replies.forEach((reply, c) => {
        calls[c]!.groups.forEach(([group], g) => {
          this.states[group] = reply[2 * g + 1]!;
          if (reply[2 * g] === 0) again.add(group);
        });
      });
      only = again;
    }
  }

  /** What the script is to do to each cell (by number), per group (of `only`, or every group), in the states last seen. */
  private changes(appends: readonly Pairs[], removals: readonly Pairs[], only: Set<number> | null): Map<number, Map<number, CellChange>> {
    const byGroup = new Map<number, Map<number, CellChange>>();
    const change = (key: number): CellChange | null => {
      const group = this.keys.group(key);
      if (only !== null && !only.has(group)) return null;
      let cells = byGroup.get(group);
      if (!cells) byGroup.set(group, (cells = new Map()));
      const cell = this.keys.cellOf(key, this.states[group]!);
      let into = cells.get(cell);
      if (into === undefined) cells.set(cell, (into = { tickets: [], pairs: [] }));
      return into;
    };
    // Removals come record by record, so a ticket already listed for a cell is its last one.
    for (const item of removals) {
      for (const key of item.keys) {
        const tickets = change(key)?.tickets;
        if (tickets && tickets.at(-1) !== item.ticket) tickets.push(item.ticket);
      }
    }
    for (const item of appends) for (const key of item.keys) change(key)?.pairs.push(key, item.ticket);
    return byGroup;
  }

  /** For each key set, the tickets paired with each of its keys: one HMGET per group, each cell read and decoded once. */
  async read(keySets: readonly Uint32Array[]): Promise<FoundCells[]> {
    const byGroup = new Map<number, number[]>();
    for (const keys of keySets) {
      for (const key of keys) {
        const group = this.keys.group(key);
        let groupKeys = byGroup.get(group);
        if (!groupKeys) byGroup.set(group, (groupKeys = []));
        groupKeys.push(key);
      }
    }
    // The cell of each key, per group. Reads are native HMGETs, one per group: Redis spends
    // about half the CPU of one script per shard, which copies every value through Lua.
    const values = new Map<number, Map<number, Buffer | null>>();
    await Promise.all([...byGroup].map(async ([group, groupKeys]) => values.set(group, await this.readGroup(group, groupKeys))));
    return keySets.map((keys) => {
      const found: FoundCells = new Map();
      for (const key of keys) {
        if (found.has(key)) continue;
        const value = values.get(this.keys.group(key))!.get(key);
        found.set(key, value ? ticketsIn(value, key) : NONE);
      }
      return found;
    });
  }

  /**
   * The cell holding each of a group's keys: one HMGET of their cells in the state last seen and
   * of the group's state; the keys whose cell was split meanwhile are read again.
   */
  private async readGroup(group: number, keys: readonly number[]): Promise<Map<number, Buffer | null>> {
    const found = new Map<number, Buffer | null>();
    for (let pending = keys; pending.length > 0; ) {
      const state = this.states[group]!;
      // Each cell asked once: its position among the replies.
      const asked = new Map<number, number>();
      const cellOfKey = pending.map((key) => {
        const number = this.keys.cellOf(key, state);
        if (!asked.has(number)) asked.set(number, asked.size);
        return number;
      });
      const replies = await this.redis.hmgetBuffer(this.keys.groupKey(group), STATE_FIELD, ...[...asked.keys()].map(cellName));
      const actual = replies[0] ? Number(replies[0].toString('latin1')) : 0;
      if (!Number.isSafeInteger(actual) || actual < 0) throw new SyndicError(`Redis index ${this.keys.namespace}: bucket group ${group} is damaged (state "${replies[0]!.toString('latin1')}")`, 'index');
      this.states[group] = actual;
      const again: number[] = [];
      pending.forEach((key, i) => {
        const number = cellOfKey[i]!;
        if (actual === state || isCellOf(number, actual)) found.set(key, replies[1 + asked.get(number)!] ?? null);
        else again.push(key);
      });
      pending = again;
    }
    return found;
  }

  /** The groups of `byGroup` by shard, with their keys: what one script call of each shard reaches. */
  private shards<T>(byGroup: Map<number, T>): Array<{ keys: string[]; groups: Array<[number, T]> }> {
    const calls = new Map<number, { keys: string[]; groups: Array<[number, T]> }>();
    for (const entry of byGroup) {
      const shard = this.keys.shard(entry[0]);
      let call = calls.get(shard);
      if (!call) calls.set(shard, (call = { keys: [], groups: [] }));
      call.keys.push(this.keys.groupKey(entry[0]));
      call.groups.push(entry);
    }
    return [...calls.values()];
  }
}

/**
 * The changes of a shard's groups as the one binary argument of the update script (scripts.ts):
 * u32 words, per group its number of cells, then per cell its level and number within the level,
 * its count of tickets and of pairs, the tickets and the pairs.
 * One argument instead of three per cell: the client encodes, and Redis parses, a few dozen
 * arguments per round instead of ~50,000.
 */
function packChanges(groups: ReadonlyArray<Map<number, CellChange>>): Buffer {
  let words = 0;
  for (const cells of groups) {
    words += 1;
    for (const { tickets, pairs } of cells.values()) words += 4 + tickets.length + pairs.length;
  }
  const bytes = Buffer.allocUnsafe(4 * words);
  const out = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  const put = (word: number): void => {
    out.setUint32(at, word, true);
    at += 4;
  };
  for (const cells of groups) {
    put(cells.size);
    for (const [number, { tickets, pairs }] of cells) {
      const level = cellLevel(number);
      put(level);
      put(number - cellNumber(level, 0));
      put(tickets.length);
      put(pairs.length / 2);
      for (const word of tickets) put(word);
      for (const word of pairs) put(word);
    }
  }
  return bytes;
}

/** The tickets paired with `key` in a cell's pairs: ascending, each once. */
function ticketsIn(value: Buffer, key: number): readonly number[] {
  let tickets: number[] | null = null;
  // Compared byte by byte (little-endian): most pairs differ in the first byte.
  const k0 = key & 0xff;
  const k1 = (key >>> 8) & 0xff;
  const k2 = (key >>> 16) & 0xff;
  const k3 = key >>> 24;
  for (let at = 0; at + PAIR_BYTES <= value.length; at += PAIR_BYTES) {
    if (value[at] !== k0 || value[at + 1] !== k1 || value[at + 2] !== k2 || value[at + 3] !== k3) continue;
    const ticket = value.readUInt32LE(at + 4);
    if (tickets) tickets.push(ticket);
    else tickets = [ticket];
  }
  if (tickets === null) return NONE;
  if (tickets.length > 1) {
    // A pair appended twice (a repeated command) is read once.
    tickets.sort((a, b) => a - b);
    let kept = 1;
    for (let i = 1; i < tickets.length; i++) if (tickets[i] !== tickets[kept - 1]) tickets[kept++] = tickets[i]!;
    tickets.length = kept;
  }
  return tickets;
}

/** Cell keys of a probe: its document band keys, then each paragraph's (none for an empty text), then its id's. */
export function probeCellKeys(probe: Probe): Uint32Array {
  const bands = probe.empty ? 0 : probe.bandKeys.length + probe.paragraphBandKeys.length;
  const keys = new Uint32Array(bands + 1);
  if (!probe.empty) fillCellKeys(keys, probe.bandKeys, probe.paragraphBandKeys);
  // Last, the key of the id: two records of one id always find each other, in sequence order like copies.
  keys[bands] = idCellKey(probe.id);
  return keys;
}

/** Cell keys of a stored record, as {@link probeCellKeys} gave them when it was added. */
export function storedCellKeys(stored: StoredRecord): Uint32Array {
  const keys = new Uint32Array(stored.bandKeys.length + stored.paragraphBandKeys.length + 1);
  fillCellKeys(keys, stored.bandKeys, stored.paragraphBandKeys);
  keys[keys.length - 1] = idCellKey(stored.id);
  return keys;
}

function fillCellKeys(keys: Uint32Array, bandKeys: Uint32Array, paragraphBandKeys: Uint32Array): void {
  for (let b = 0; b < bandKeys.length; b++) keys[b] = cellKey(bandKeys[b]!, false);
  for (let k = 0; k < paragraphBandKeys.length; k++) keys[bandKeys.length + k] = cellKey(paragraphBandKeys[k]!, true);
}

/** The cell key of an id (FNV-1a over its UTF-16 units, mixed like a band key). */
export function idCellKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (cellKey(h >>> 0, true) ^ 0x5bd1e995) >>> 0;
}
