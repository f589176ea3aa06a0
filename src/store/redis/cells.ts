/**
 * The bucket cells of a Redis index (layout.ts): the cell keys of a record, appending the
 * (cell key, ticket) pairs of a batch, removing the pairs of tickets, and reading the tickets
 * paired with keys. Each call sends one script per shard it touches (layout.ts), whatever the
 * number of records, so a step of a batch costs at most SHARDS commands, not one per key.
 */
import type { Probe } from '../probe.js';
import { cellKey, CELL_BITS, KeyLayout, PAIR_BYTES, pairsBytes, ticketBytes } from './layout.js';
import type { StoredRecord } from './record.js';
import type { ScriptArg, ScriptedClient } from './scripts.js';

/** The tickets of one key set, per cell key: ascending, each once. */
export type FoundCells = Map<number, readonly number[]>;

const NONE: readonly number[] = Object.freeze([]);
const CELL_NAMES = Array.from({ length: 1 << CELL_BITS }, (_, cell) => String(cell));

/** The cells of one index, on one (retrying) client. */
export class Cells {
  /** Pairs one key holds at most: one more than the largest bucket a decision reads (see APPEND_CELLS). */
  private readonly mostPairs: number;

  constructor(
    private readonly redis: ScriptedClient,
    private readonly keys: KeyLayout,
    maxBucketSize: number,
  ) {
    this.mostPairs = maxBucketSize + 1;
  }

  /** Per bucket group, per cell: what `add` gathers from the (key, ticket) pairs of `items` that fall in it. */
  private byCell<T>(items: ReadonlyArray<{ keys: Uint32Array; ticket: number }>, start: () => T, add: (into: T, key: number, ticket: number) => void): Map<number, Map<number, T>> {
    const byGroup = new Map<number, Map<number, T>>();
    for (const item of items) {
      for (const key of item.keys) {
        const group = this.keys.group(key);
        let cells = byGroup.get(group);
        if (!cells) byGroup.set(group, (cells = new Map()));
        const cell = this.keys.cellIndex(key);
        let into = cells.get(cell);
        if (into === undefined) cells.set(cell, (into = start()));
        add(into, key, item.ticket);
      }
    }
    return byGroup;
  }

  /** Append the pairs of `items` to their cells: one script per shard. */
  async append(items: ReadonlyArray<{ keys: Uint32Array; ticket: number }>): Promise<void> {
    const byGroup = this.byCell(items, (): number[] => [], (pairs, key, ticket) => void pairs.push(key, ticket));
    await Promise.all(
      this.shards(byGroup).map(({ keys, groups }) => {
        const args: ScriptArg[] = [this.mostPairs];
        for (const [, cells] of groups) {
          args.push(cells.size);
          for (const [cell, pairs] of cells) args.push(CELL_NAMES[cell]!, pairsBytes(pairs));
        }
        return this.redis.syndicAppend(keys.length, ...keys, ...args);
      }),
    );
  }

  /** Remove every pair of the given tickets from the cells of their keys: one script per shard. */
  async remove(items: ReadonlyArray<{ keys: Uint32Array; ticket: number }>): Promise<void> {
    const byGroup = this.byCell(items, () => new Set<number>(), (tickets, _key, ticket) => void tickets.add(ticket));
    await Promise.all(
      this.shards(byGroup).map(({ keys, groups }) => {
        const args: ScriptArg[] = [];
        for (const [, cells] of groups) {
          args.push(cells.size);
          for (const [cell, tickets] of cells) args.push(CELL_NAMES[cell]!, Buffer.concat([...tickets].map(ticketBytes)));
        }
        return this.redis.syndicRemovePairs(keys.length, ...keys, ...args);
      }),
    );
  }

  /** For each key set, the tickets paired with each of its keys: one script per shard. */
  async read(keySets: readonly Uint32Array[]): Promise<FoundCells[]> {
    const byGroup = new Map<number, Set<number>>();
    for (const keys of keySets) {
      for (const key of keys) {
        const group = this.keys.group(key);
        let cells = byGroup.get(group);
        if (!cells) byGroup.set(group, (cells = new Set()));
        cells.add(this.keys.cellIndex(key));
      }
    }
    // Cell values by (group << CELL_BITS | cell).
    const values = new Map<number, Buffer>();
    await Promise.all(
      this.shards(byGroup).map(async ({ keys, groups }) => {
        const args: ScriptArg[] = [];
        const asked: number[] = [];
        for (const [group, cells] of groups) {
          args.push(cells.size);
          for (const cell of cells) {
            args.push(CELL_NAMES[cell]!);
            asked.push((group << CELL_BITS) | cell);
          }
        }
        const replies = await this.redis.syndicReadBuffer(keys.length, ...keys, ...args);
        asked.forEach((at, i) => {
          const value = replies[i];
          if (value) values.set(at, value);
        });
      }),
    );
    return keySets.map((keys) => {
      const found: FoundCells = new Map();
      for (const key of keys) {
        if (found.has(key)) continue;
        const value = values.get((this.keys.group(key) << CELL_BITS) | this.keys.cellIndex(key));
        let tickets: number[] | null = null;
        if (value) {
          for (let at = 0; at + PAIR_BYTES <= value.length; at += PAIR_BYTES) {
            if (value.readUInt32LE(at) !== key) continue;
            const ticket = value.readUInt32LE(at + 4);
            if (!tickets) tickets = [ticket];
            else if (!tickets.includes(ticket)) tickets.push(ticket);
          }
        }
        found.set(key, tickets === null ? NONE : tickets.length === 1 ? tickets : tickets.sort((a, b) => a - b));
      }
      return found;
    });
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
  return cellKey(h >>> 0, true) ^ 0x5bd1e995;
}
