/**
 * A map from pair keys (`a · count + b`, integers below 2^53) to measures, in typed arrays: a JS
 * `Map` of millions of candidate pairs grew past Node's default heap on a million documents (each
 * entry a hash-table slot plus a heap number for keys over 2^31), and is capped at 2^24 entries.
 * Here an entry costs 16 bytes in a log kept in insertion order (iteration follows it, as a `Map`'s
 * does) and two 4-byte slots of an open-addressing index at most half full, all outside the JS heap.
 */

/** `Map<number, number>` for pair keys: get, has, set, size and iteration in insertion order. */
export class PairMap implements Iterable<[number, number]> {
  private keys = new Float64Array(1024);
  private values = new Float64Array(1024);
  /** Log index + 1 of the entry in each slot; 0 = empty. */
  private slots = new Int32Array(2048);
  private count = 0;

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** The value of `key`, or undefined. */
  get(key: number): number | undefined {
    const slot = this.find(key);
    const entry = this.slots[slot]!;
    return entry === 0 ? undefined : this.values[entry - 1];
  }

  /** True when `key` has a value. */
  has(key: number): boolean {
    return this.slots[this.find(key)] !== 0;
  }

  /** Set the value of `key` (an existing key keeps its place in the order). */
  set(key: number, value: number): this {
    const slot = this.find(key);
    const entry = this.slots[slot]!;
    if (entry !== 0) {
      this.values[entry - 1] = value;
      return this;
    }
    if (this.count === this.keys.length) this.growLog();
    this.keys[this.count] = key;
    this.values[this.count] = value;
    this.count++;
    if (2 * this.count > this.slots.length) this.rehash(this.slots.length * 2);
    else this.slots[slot] = this.count;
    return this;
  }

  /** Visit every entry in insertion order (no array per entry, as the iterator makes). */
  forEach(visit: (value: number, key: number) => void): void {
    for (let i = 0; i < this.count; i++) visit(this.values[i]!, this.keys[i]!);
  }

  *[Symbol.iterator](): Iterator<[number, number]> {
    for (let i = 0; i < this.count; i++) yield [this.keys[i]!, this.values[i]!];
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private find(key: number): number {
    const mask = this.slots.length - 1;
    let slot = hashKey(key) & mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0 || this.keys[entry - 1] === key) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private growLog(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hashKey(this.keys[i]!) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    }
  }
}

/** A 32-bit mix of both halves of an integer key below 2^53. */
function hashKey(key: number): number {
  const low = key >>> 0;
  const high = (key - low) / 4294967296;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
