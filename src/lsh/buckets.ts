/**
 * Bucket lookup: band key → the items filed under it, capped. The question every incremental
 * candidate source answers (the file index's BucketIndex has exactly this shape, and the Redis
 * index asks it of a server); {@link LshIndex} is the in-memory implementation.
 */
import { SyndicError } from '../errors.js';
import { bandKeysInto } from './bands.js';
import { validateLshParams, type LshParams } from './params.js';

/** A multimap from band keys to items, read with a bucket-size cap. */
export interface BucketLookup {
  /**
   * Write the items filed under band key `key` into `out`, oldest first, and return their count;
   * −1, without writing them all, when there are more than `maxBucketSize` (`out` holds at least
   * that many).
   */
  lookup(key: number, maxBucketSize: number, out: Uint32Array): number;
}

/**
 * Incremental in-memory LSH index over numeric item ids: add, query and remove signatures one at
 * a time. A query returns candidates; the caller verifies them. Band keys of different bands
 * differ, so one map holds every band.
 */
export class LshIndex implements BucketLookup {
  private readonly buckets = new Map<number, number[]>();
  private readonly keysOf = new Map<number, Uint32Array>();
  private readonly scratch: Uint32Array;

  constructor(
    readonly numPerm: number,
    readonly params: LshParams,
  ) {
    validateLshParams(params, numPerm);
    this.scratch = new Uint32Array(params.bands);
  }

  /** Number of items indexed. */
  get size(): number {
    return this.keysOf.size;
  }

  /** Index `item` under the bands of `signature` (numPerm values at `offset`). */
  add(item: number, signature: Uint32Array, offset = 0): void {
    if (this.keysOf.has(item)) throw new SyndicError(`item ${item} is already in the LSH index`);
    const keys = new Uint32Array(this.params.bands);
    bandKeysInto(signature, offset, this.params, keys);
    this.keysOf.set(item, keys);
    for (const key of keys) {
      const members = this.buckets.get(key);
      if (!members) this.buckets.set(key, [item]);
      else if (members[members.length - 1] !== item) members.push(item); // two bands of one item with one key
    }
  }

  lookup(key: number, maxBucketSize: number, out: Uint32Array): number {
    const members = this.buckets.get(key);
    if (!members) return 0;
    if (members.length > maxBucketSize) return -1;
    out.set(members);
    return members.length;
  }

  /** Items sharing at least one band with `signature`, ascending, without repeats. */
  query(signature: Uint32Array, offset = 0, maxBucketSize = Infinity): number[] {
    bandKeysInto(signature, offset, this.params, this.scratch);
    const found = new Set<number>();
    for (const key of this.scratch) {
      const members = this.buckets.get(key);
      if (!members || members.length > maxBucketSize) continue;
      for (const member of members) found.add(member);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** Remove `item`; returns false when it was not indexed. */
  remove(item: number): boolean {
    const keys = this.keysOf.get(item);
    if (!keys) return false;
    this.keysOf.delete(item);
    for (const key of keys) {
      const members = this.buckets.get(key);
      if (!members) continue;
      const at = members.indexOf(item);
      if (at >= 0) members.splice(at, 1);
      if (members.length === 0) this.buckets.delete(key);
    }
    return true;
  }
}
