/**
 * A multimap from 32-bit band keys to 32-bit items, built for fast loading and cache-friendly
 * lookup: entries grouped by a hash of the key into at most 2^18 slots by one counting-sort pass
 * (no comparison sort; a lookup scans one short contiguous run of keys) plus a small map of recent additions
 * that is folded in by a rebuild when it grows. Items are never removed here; the store skips
 * dead ones.
 */

const MIN_MERGE = 1 << 16;
const MIN_SLOT_BITS = 4;
const MAX_SLOT_BITS = 18;

/** Band key → items, with bucket-size capping on lookup. */
export class BucketIndex {
  private shift = 32 - MIN_SLOT_BITS;
  /** slots + 1 offsets into `keys`/`items`. */
  private slotStart = new Uint32Array((1 << MIN_SLOT_BITS) + 1);
  private keys = new Uint32Array(0);
  private items = new Uint32Array(0);
  private delta = new Map<number, number[]>();
  private deltaCount = 0;

  /**
   * Build from a key column where `keys[i]` belongs to item `⌊i / stride⌋` (a row of band keys
   * per item). The column is only read.
   */
  static fromColumn(keys: Uint32Array, stride: number): BucketIndex {
    const index = new BucketIndex();
    index.build(keys, (i) => Math.floor(i / stride));
    return index;
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
   * Call `visit` for each item under `key` (oldest first); a bucket with more than
   * `maxBucketSize` items is skipped (it holds boilerplate or artefacts). Returns false when skipped.
   */
  forEach(key: number, maxBucketSize: number, visit: (item: number) => void): boolean {
    const keys = this.keys;
    const slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    const begin = this.slotStart[slot]!;
    const end = this.slotStart[slot + 1]!;
    let count = 0;
    for (let i = begin; i < end; i++) if (keys[i] === key) count++;
    const recent = this.delta.get(key);
    if (count + (recent?.length ?? 0) > maxBucketSize) return false;
    if (count > 0) for (let i = begin; i < end; i++) if (keys[i] === key) visit(this.items[i]!);
    if (recent) for (const item of recent) visit(item);
    return true;
  }

  /** Fold the recent additions into the table. */
  merge(): void {
    if (this.deltaCount === 0) return;
    const base = this.keys.length;
    const keys = new Uint32Array(base + this.deltaCount);
    const items = new Uint32Array(base + this.deltaCount);
    keys.set(this.keys);
    items.set(this.items);
    let at = base;
    for (const [key, list] of this.delta) {
      for (const item of list) (keys[at] = key), (items[at++] = item);
    }
    this.delta.clear();
    this.deltaCount = 0;
    this.build(keys, (i) => items[i]!);
  }

  private build(keys: Uint32Array, itemAt: (i: number) => number): void {
    const count = keys.length;
    // Runs of ~32 entries (one or two cache lines of keys to scan) and at most 2^18 slots, so the
    // scatter below writes through a table of cursors that stays in cache.
    let bits = MIN_SLOT_BITS;
    while (bits < MAX_SLOT_BITS && (1 << (bits + 1)) * 16 <= count) bits++;
    const shift = 32 - bits;
    const slots = 1 << bits;
    const slotStart = new Uint32Array(slots + 1);
    for (let i = 0; i < count; i++) slotStart[(Math.imul(keys[i]!, 0x9e3779b1) >>> shift) + 1]!++;
    for (let s = 0; s < slots; s++) slotStart[s + 1]! += slotStart[s]!;
    // Fill back to front, taking each slot's end down to its start: runs keep items in input order.
    const placedKeys = new Uint32Array(count);
    const placedItems = new Uint32Array(count);
    for (let i = count - 1; i >= 0; i--) {
      const key = keys[i]!;
      const at = --slotStart[(Math.imul(key, 0x9e3779b1) >>> shift) + 1]!;
      placedKeys[at] = key;
      placedItems[at] = itemAt(i);
    }
    // Each slotStart[s + 1] now holds the start of slot s; shift them back into place.
    slotStart.copyWithin(0, 1);
    slotStart[slots] = count;
    this.shift = shift;
    this.slotStart = slotStart;
    this.keys = placedKeys;
    this.items = placedItems;
  }
}
