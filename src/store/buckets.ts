/**
 * A multimap from 32-bit band keys to 32-bit items, built for fast loading: a sorted base (two
 * typed arrays, sorted by one radix sort at load) plus a small map of recent additions that is
 * merged into the base when it grows. Items are never removed here; the store skips dead ones.
 */
import { radixSortPairs } from '../lsh.js';

const MIN_MERGE = 1 << 16;

/** Band key → items, with bucket-size capping on lookup. */
export class BucketIndex {
  private keys: Uint32Array;
  private items: Uint32Array;
  private delta = new Map<number, number[]>();
  private deltaCount = 0;

  /** Build from parallel (key, item) arrays; both are taken over and sorted in place. */
  constructor(keys: Uint32Array = new Uint32Array(0), items: Uint32Array = new Uint32Array(0)) {
    radixSortPairs(keys, items, new Uint32Array(keys.length), new Uint32Array(items.length));
    this.keys = keys;
    this.items = items;
  }

  /** Number of (key, item) entries. */
  get entries(): number {
    return this.keys.length + this.deltaCount;
  }

  /** Add one entry. */
  add(key: number, item: number): void {
    const list = this.delta.get(key);
    if (list) list.push(item);
    else this.delta.set(key, [item]);
    if (++this.deltaCount >= Math.max(MIN_MERGE, this.keys.length >>> 1)) this.merge();
  }

  /**
   * Call `visit` for each item under `key`; a bucket with more than `maxBucketSize` items is
   * skipped (it holds boilerplate or artefacts). Returns false when skipped.
   */
  forEach(key: number, maxBucketSize: number, visit: (item: number) => void): boolean {
    const keys = this.keys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    let end = low;
    while (end < keys.length && keys[end] === key) end++;
    const recent = this.delta.get(key);
    if (end - low + (recent?.length ?? 0) > maxBucketSize) return false;
    for (let i = low; i < end; i++) visit(this.items[i]!);
    if (recent) for (const item of recent) visit(item);
    return true;
  }

  /** Merge the recent additions into the sorted base. */
  merge(): void {
    if (this.deltaCount === 0) return;
    const total = this.keys.length + this.deltaCount;
    const keys = new Uint32Array(total);
    const items = new Uint32Array(total);
    keys.set(this.keys);
    items.set(this.items);
    let at = this.keys.length;
    for (const [key, list] of this.delta) {
      for (const item of list) (keys[at] = key), (items[at++] = item);
    }
    radixSortPairs(keys, items, new Uint32Array(total), new Uint32Array(total));
    this.keys = keys;
    this.items = items;
    this.delta.clear();
    this.deltaCount = 0;
  }
}
