/**
 * A multimap from 32-bit band keys to 32-bit items, built for fast loading and cache-friendly
 * lookup: (key, item) pairs grouped by a hash of the key into slots of about four pairs by a
 * counting sort (no comparison sort; a lookup reads one slot offset and one short run of
 * interleaved pairs, usually one cache line), plus an open-addressing table of recent additions
 * that is folded in by a rebuild when it grows. Items are never removed here; the store skips
 * dead ones.
 */

const MIN_MERGE = 1 << 16;
const MIN_SLOT_BITS = 4;
const MAX_SLOT_BITS = 22;
/** Pairs per slot the table is sized for. */
const RUN = 4;
const MIN_RECENT_BITS = 10;
const MAX_RECENT_BITS = 20;
/** Slot bits of the first scatter pass of a build. */
const TOP_BITS = 8;
const GOLDEN = 0x9e3779b1;
/** A free slot of the table of recent additions (as its item: no index reaches 2^32 − 1 items). */
const NONE = 0xffffffff;

/** Where {@link BucketIndex.lookupAll} writes items: `items` is replaced by a larger array when full. */
export interface ItemBuffer {
  items: Uint32Array;
}

/** A copy of the first `filled` values of `items` in an array twice as long. */
function grow(items: Uint32Array, filled: number): Uint32Array {
  const grown = new Uint32Array(Math.max(1024, 2 * items.length));
  grown.set(items.subarray(0, filled));
  return grown;
}

/** Band key → items, with bucket-size capping on lookup. */
export class BucketIndex {
  private shift = 32 - MIN_SLOT_BITS;
  /** slots + 1 offsets, in pairs, into `pairs`. */
  private slotStart = new Uint32Array((1 << MIN_SLOT_BITS) + 1);
  /** key, item, key, item, … grouped by slot. */
  private pairs = new Uint32Array(0);

  // Recent additions, twice: in order of addition (recentLog: key, item, …; for rebuilds), and in
  // an open-addressing table of (key, item) slots, item NONE when free, at most half full. Linear
  // probing from the key's home slot with nothing ever removed keeps the entries of a key in
  // order of addition along the probe sequence, and a lookup usually reads one cache line.
  private recentShift = 32 - MIN_RECENT_BITS;
  private recentTable = new Uint32Array(2 << MIN_RECENT_BITS).fill(NONE);
  private recentLog = new Uint32Array(2 << (MIN_RECENT_BITS - 1));
  private recentCount = 0;

  // Scratch of lookupAll, per key of a batch.
  private runStart = new Uint32Array(0);
  private runEnd = new Uint32Array(0);
  private home = new Uint32Array(0);
  private touched = new Uint32Array(0);

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
    return (this.pairs.length >>> 1) + this.recentCount;
  }

  /** Add one entry. */
  add(key: number, item: number): void {
    if (2 * this.recentCount === this.recentLog.length) this.growRecent();
    const entry = this.recentCount++;
    this.recentLog[2 * entry] = key;
    this.recentLog[2 * entry + 1] = item;
    this.place(key, item);
    if (this.recentCount >= Math.max(MIN_MERGE, this.pairs.length >>> 2)) this.merge();
  }

  /**
   * Write the items under `key` (oldest first) to `out` and return their number, or −1 without
   * writing them all when there are more than `maxBucketSize` (`out` holds at least that many).
   */
  lookup(key: number, maxBucketSize: number, out: Uint32Array): number {
    const counts = new Int32Array(1);
    const buffer = { items: new Uint32Array(16) };
    this.lookupAll(Uint32Array.of(key), 0, 1, maxBucketSize, buffer, counts);
    if (counts[0]! > 0) out.set(buffer.items.subarray(0, counts[0]!));
    return counts[0]!;
  }

  /**
   * {@link lookup} for each of `keys[from .. from + n)`: the items of key j follow those of key
   * j − 1 in `out.items` (replaced by a larger array when full), `counts[j]` is their number or −1
   * (then none of them is written). Returns the number of items written. The slots of all n keys are
   * read first, then the first pair of each run, then the runs: the memory reads of the n lookups
   * (each a likely cache miss in a large index) overlap instead of waiting on one another.
   */
  lookupAll(keys: Uint32Array, from: number, n: number, maxBucketSize: number, out: ItemBuffer, counts: Int32Array): number {
    if (this.runStart.length < n) {
      this.runStart = new Uint32Array(n);
      this.runEnd = new Uint32Array(n);
      this.home = new Uint32Array(n);
      this.touched = new Uint32Array(n);
    }
    const { slotStart, pairs, recentTable, runStart, runEnd, home, touched } = this;
    const recentMask = recentTable.length - 1;
    for (let j = 0; j < n; j++) {
      const hash = Math.imul(keys[from + j]!, GOLDEN);
      const slot = hash >>> this.shift;
      runStart[j] = 2 * slotStart[slot]!;
      runEnd[j] = 2 * slotStart[slot + 1]!;
      home[j] = 2 * (hash >>> this.recentShift);
    }
    for (let j = 0; j < n; j++) {
      // Kept (stored), so that the reads are not dropped as dead code.
      touched[j] = (runStart[j]! < runEnd[j]! ? pairs[runStart[j]!]! : 0) ^ recentTable[home[j]! + 1]!;
    }
    let items = out.items;
    let written = 0;
    for (let j = 0; j < n; j++) {
      const key = keys[from + j]!;
      const first = written;
      let count = 0;
      const end = runEnd[j]!;
      for (let i = runStart[j]!; i < end && count >= 0; i += 2) {
        if (pairs[i] !== key) continue;
        if (count === maxBucketSize) count = -1;
        else {
          if (written === items.length) items = out.items = grow(items, written);
          items[written++] = pairs[i + 1]!;
          count++;
        }
      }
      for (let at = home[j]!; recentTable[at + 1] !== NONE && count >= 0; at = (at + 2) & recentMask) {
        if (recentTable[at] !== key) continue;
        if (count === maxBucketSize) count = -1;
        else {
          if (written === items.length) items = out.items = grow(items, written);
          items[written++] = recentTable[at + 1]!;
          count++;
        }
      }
      if (count < 0) written = first;
      counts[j] = count;
    }
    return written;
  }

  /** Fold the recent additions into the table. */
  merge(): void {
    if (this.recentCount === 0) return;
    const base = this.pairs.length >>> 1;
    const count = base + this.recentCount;
    const keys = new Uint32Array(count);
    const items = new Uint32Array(count);
    for (let i = 0; i < base; i++) (keys[i] = this.pairs[2 * i]!), (items[i] = this.pairs[2 * i + 1]!);
    for (let entry = 0; entry < this.recentCount; entry++) (keys[base + entry] = this.recentLog[2 * entry]!), (items[base + entry] = this.recentLog[2 * entry + 1]!);
    this.build(keys, (i) => items[i]!);
  }

  private place(key: number, item: number): void {
    const table = this.recentTable;
    const mask = table.length - 1;
    let at = 2 * (Math.imul(key, GOLDEN) >>> this.recentShift);
    while (table[at + 1] !== NONE) at = (at + 2) & mask;
    table[at] = key;
    table[at + 1] = item;
  }

  /** Double the room for entries and the table (placing the entries again in order of addition). */
  private growRecent(): void {
    const log = new Uint32Array(2 * this.recentLog.length);
    log.set(this.recentLog);
    this.recentLog = log;
    const bits = 32 - this.recentShift + 1;
    this.recentShift = 32 - bits;
    this.recentTable = new Uint32Array(2 << bits).fill(NONE);
    for (let entry = 0; entry < this.recentCount; entry++) this.place(log[2 * entry]!, log[2 * entry + 1]!);
  }

  /** An empty table of recent additions, sized for 1/64 of the entries of the table built (growing from there costs rehashing). */
  private resetRecent(): void {
    let bits = MIN_RECENT_BITS;
    while (bits < MAX_RECENT_BITS && 1 << bits < (this.pairs.length >>> 1) / 32) bits++;
    this.recentShift = 32 - bits;
    this.recentTable = new Uint32Array(2 << bits).fill(NONE);
    this.recentLog = new Uint32Array(2 << (bits - 1));
    this.recentCount = 0;
  }

  /**
   * Group (keys[i], itemAt(i)) by slot, keeping input order inside each slot. Two stable scatter
   * passes, as in a radix sort: by the top TOP_BITS bits of the slot into a temporary array, then
   * each of those groups by the rest of the slot. Each pass writes through few cursors and counts
   * into a small range, so it stays in cache; one pass over millions of slots would miss on
   * nearly every entry.
   */
  private build(keys: Uint32Array, itemAt: (i: number) => number): void {
    const count = keys.length;
    let bits = MIN_SLOT_BITS;
    while (bits < MAX_SLOT_BITS && (1 << (bits + 1)) * RUN <= count) bits++;
    const shift = 32 - bits;
    const slots = 1 << bits;
    const topBits = Math.min(TOP_BITS, bits);
    const topShift = 32 - topBits;
    const groups = 1 << topBits;
    const groupStart = new Uint32Array(groups + 1);
    for (let i = 0; i < count; i++) groupStart[(Math.imul(keys[i]!, GOLDEN) >>> topShift) + 1]!++;
    for (let g = 0; g < groups; g++) groupStart[g + 1]! += groupStart[g]!;
    const grouped = new Uint32Array(2 * count);
    const cursor = groupStart.slice(0, groups);
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      const at = cursor[Math.imul(key, GOLDEN) >>> topShift]!++;
      grouped[2 * at] = key;
      grouped[2 * at + 1] = itemAt(i);
    }
    // Slots of group g are [g · perGroup, (g + 1) · perGroup): its entries fill pairs[groupStart[g] ..).
    const perGroup = slots / groups;
    const slotStart = new Uint32Array(slots + 1);
    const pairs = new Uint32Array(2 * count);
    for (let g = 0; g < groups; g++) {
      const first = groupStart[g]!;
      const end = groupStart[g + 1]!;
      const firstSlot = g * perGroup;
      for (let j = first; j < end; j++) slotStart[(Math.imul(grouped[2 * j]!, GOLDEN) >>> shift) + 1]!++;
      // slotStart[s + 1] becomes the end of slot s; filling back to front takes it down to the start.
      let slotEnd = first;
      for (let s = firstSlot; s < firstSlot + perGroup; s++) slotStart[s + 1] = slotEnd += slotStart[s + 1]!;
      for (let j = end - 1; j >= first; j--) {
        const key = grouped[2 * j]!;
        const at = --slotStart[(Math.imul(key, GOLDEN) >>> shift) + 1]!;
        pairs[2 * at] = key;
        pairs[2 * at + 1] = grouped[2 * j + 1]!;
      }
    }
    // Each slotStart[s + 1] now holds the start of slot s; shift them back into place.
    slotStart.copyWithin(0, 1);
    slotStart[slots] = count;
    this.shift = shift;
    this.slotStart = slotStart;
    this.pairs = pairs;
    this.resetRecent();
  }

}
