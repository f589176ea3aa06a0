/**
 * A scan's paragraph band keys, kept band by band outside the heap. The main thread gathers the
 * kept records' keys as their batches arrive and writes each full chunk of them, band-major, to the
 * run's spill; a grouping task reads one band of every item with one read per chunk, and only the
 * last chunk (all the keys of a small run) stays in memory, shared with the workers. At a million
 * documents the keys are 665 MB that were held from reading to the paragraph pass.
 */
import { ItemMajorKeys, type BandKeys } from '../lsh/group.js';
import { SpillFile, type SharedSpill } from './spill.js';

/** Keys per spilled chunk (4 MiB): at a million documents ~160 chunks, each read once per band. */
export const BAND_KEYS_PER_CHUNK = 2 ** 20;

/** Spilled band keys as plain data, which a task on another thread can be given. */
export interface SpilledKeyTable {
  count: number;
  bands: number;
  /** The spill that holds the chunks (null when none was written). */
  spill: SharedSpill | null;
  /** Per chunk, its items and its offset in the spill: [items₀, offset₀, items₁, offset₁, …]. */
  chunks: Float64Array;
  /** The keys of the items after the chunks, band-major (`tail[band · tailItems + i]`), in shared memory. */
  tail: Uint32Array;
}

/** Band keys a task on another thread can read without a copy: in shared memory, or spilled. */
export type SharedBandKeys = { layout: 'items'; keys: Uint32Array; count: number; bands: number } | { layout: 'spilled'; table: SpilledKeyTable };

/** Gathers band keys item by item (in input order) and spills them by chunks. */
export class BandKeyWriter {
  private readonly chunkItems: number;
  // One buffer for the items of the chunk being gathered, one for it band-major: reused, so a run
  // maps two blocks, not two per chunk.
  private pending: Uint32Array;
  private readonly transposed: Uint32Array;
  private pendingItems = 0;
  private readonly chunks: number[] = [];
  private count = 0;
  private spent = false;

  constructor(
    private readonly spill: SpillFile,
    private readonly bands: number,
    keysPerChunk = BAND_KEYS_PER_CHUNK,
  ) {
    this.chunkItems = Math.max(1, Math.floor(keysPerChunk / bands));
    this.pending = new Uint32Array(this.chunkItems * bands);
    this.transposed = new Uint32Array(this.chunkItems * bands);
  }

  /** Append the keys of items (`keys[item · bands + band]`, whole items). */
  add(keys: Uint32Array): void {
    const { bands, chunkItems } = this;
    if (this.spent) throw new Error('band keys added after the writer finished');
    if (keys.length % bands !== 0) throw new Error(`${keys.length} band keys are not whole items of ${bands} bands`);
    for (let at = 0; at < keys.length; ) {
      const take = Math.min(keys.length - at, (chunkItems - this.pendingItems) * bands);
      this.pending.set(keys.subarray(at, at + take), this.pendingItems * bands);
      this.pendingItems += take / bands;
      this.count += take / bands;
      at += take;
      if (this.pendingItems === chunkItems) this.flush();
    }
  }

  /** The keys gathered; the writer is spent. */
  finish(): SpilledBandKeys {
    if (this.spent) throw new Error('a band key writer finished twice');
    this.spent = true;
    const tail = bandMajor(this.pending, this.pendingItems, this.bands, new Uint32Array(new SharedArrayBuffer(this.pendingItems * this.bands * 4)));
    this.pending = new Uint32Array(0);
    const spill = this.chunks.length > 0 ? this.spill.share() : null;
    return new SpilledBandKeys({ count: this.count, bands: this.bands, spill, chunks: Float64Array.from(this.chunks), tail });
  }

  private flush(): void {
    const chunk = bandMajor(this.pending, this.pendingItems, this.bands, this.transposed);
    this.chunks.push(this.pendingItems, this.spill.append(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    this.pendingItems = 0;
  }
}

/** Band keys written by a {@link BandKeyWriter}, on any thread. */
export class SpilledBandKeys implements BandKeys {
  readonly count: number;
  readonly bands: number;
  private readonly file: SpillFile | null;
  private readonly tailItems: number;

  constructor(readonly table: SpilledKeyTable) {
    this.count = table.count;
    this.bands = table.bands;
    this.file = table.spill === null ? null : new SpillFile(table.spill);
    this.tailItems = table.tail.length / table.bands;
  }

  readBand(band: number, into: Uint32Array): void {
    const { chunks, tail } = this.table;
    let at = 0;
    for (let c = 0; c < chunks.length; c += 2) {
      const items = chunks[c]!;
      this.file!.readInto(new Uint8Array(into.buffer, into.byteOffset + at * 4, items * 4), chunks[c + 1]! + band * items * 4);
      at += items;
    }
    into.set(tail.subarray(band * this.tailItems, (band + 1) * this.tailItems), at);
  }
}

/** `keys` as a task on another thread can read them; keys in memory are copied into shared memory unless they are there. */
export function shareBandKeys(keys: BandKeys): SharedBandKeys {
  if (keys instanceof SpilledBandKeys) return { layout: 'spilled', table: keys.table };
  if (!(keys instanceof ItemMajorKeys)) throw new Error('band keys of an unknown kind cannot be shared');
  let shared = keys.keys;
  if (!(shared.buffer instanceof SharedArrayBuffer)) (shared = new Uint32Array(new SharedArrayBuffer(shared.byteLength))).set(keys.keys);
  return { layout: 'items', keys: shared, count: keys.count, bands: keys.bands };
}

/** The band keys a task was given by {@link shareBandKeys}. */
export function bandKeysFrom(shared: SharedBandKeys): BandKeys {
  return shared.layout === 'items' ? new ItemMajorKeys(shared.keys, shared.count, shared.bands) : new SpilledBandKeys(shared.table);
}

/** The first `items` rows of item-major `keys`, band by band, in `out` (returned, as long as they are). */
function bandMajor(keys: Uint32Array, items: number, bands: number, out: Uint32Array): Uint32Array {
  for (let item = 0; item < items; item++) for (let band = 0; band < bands; band++) out[band * items + item] = keys[item * bands + band]!;
  return out.subarray(0, items * bands);
}
