/**
 * The in-memory index of the embedded backend, column by column: ids, document signatures,
 * paragraph lengths / band keys / byte signatures, and two band-key multimaps (documents and
 * paragraphs). Rows are append-only; a removed row is marked dead and dropped at the next save.
 */
import { SyndicError } from '../../errors.js';
import { bandKeysInto } from '../../lsh/bands.js';
import type { ResolvedOptions } from '../../options.js';
import { BucketIndex, type ItemBuffer } from './buckets.js';
import { growableU32, growableU8, SegmentedColumn, type Growable } from '../../growable.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import type { Probe } from '../probe.js';
import { decide, type IndexedView, type ParagraphHits, type Verdict } from '../verdict.js';

/** The stored columns of live rows, as written to and read from an index file. */
export interface IndexColumnsData {
  ids: string[];
  /** documents × numPerm. */
  signatures: Uint32Array;
  /** documents + 1 offsets into the paragraph columns. */
  paragraphStart: Uint32Array;
  paragraphLengths: Uint32Array;
  /** paragraphs × bands. */
  paragraphBandKeys: Uint32Array;
  /** paragraphs × numPerm. */
  paragraphBytes: Uint8Array;
  /** documents × VERIFICATION_BYTES. */
  verification: Uint8Array;
}

/**
 * {@link IndexColumnsData} to be written: the large columns as consecutive parts (the loaded part
 * and the appended tail), so that saving copies them once, into the file's buffer.
 */
export interface IndexColumnsSnapshot {
  ids: string[];
  signatures: Uint32Array[];
  paragraphStart: Uint32Array;
  paragraphLengths: Uint32Array;
  paragraphBandKeys: Uint32Array[];
  paragraphBytes: Uint8Array[];
  verification: Uint8Array[];
}

/** Columnar index with candidate lookup and verdicts. */
export class IndexColumns {
  private readonly numPerm: number;
  private readonly bands: number;
  private readonly ids: string[];
  private readonly rowOf = new Map<string, number>();
  private readonly alive: Growable<Uint8Array>;
  private readonly signatures: SegmentedColumn<Uint32Array>;
  private readonly paragraphStart: Growable<Uint32Array>;
  private readonly paragraphLengths: Growable<Uint32Array>;
  private readonly paragraphBandKeys: SegmentedColumn<Uint32Array>;
  private readonly paragraphBytes: SegmentedColumn<Uint8Array>;
  private readonly verification: SegmentedColumn<Uint8Array>;
  private readonly paragraphDocument: Growable<Uint32Array>;
  private readonly documentBuckets: BucketIndex;
  private readonly paragraphBuckets: BucketIndex;
  private live = 0;
  /** Per row, the last check (`stamp`) that made it a candidate. */
  private documentSeen = new Uint32Array(0);
  private stamp = 0;
  // Scratch of check: the items of one record's or paragraph's band-key lookups, their counts per
  // band, the distinct ones' rows, and the table that finds the distinct ones.
  private readonly found: ItemBuffer = { items: new Uint32Array(1024) };
  private readonly counts: Int32Array;
  private rows = new Uint32Array(0);
  private distinct = new Uint32Array(0);

  constructor(
    private readonly options: ResolvedOptions,
    data: IndexColumnsData = emptyColumns(),
  ) {
    const { numPerm, bands, rows } = options;
    this.numPerm = numPerm;
    this.bands = bands;
    this.counts = new Int32Array(bands);
    const documents = data.ids.length;
    const paragraphs = data.paragraphLengths.length;
    this.ids = data.ids;
    for (let row = 0; row < documents; row++) {
      if (this.rowOf.has(data.ids[row]!)) throw new SyndicError(`duplicate id "${data.ids[row]}" in the index`, 'index');
      this.rowOf.set(data.ids[row]!, row);
    }
    this.live = documents;
    this.alive = growableU8(new Uint8Array(documents).fill(1));
    this.signatures = new SegmentedColumn(data.signatures, u32);
    this.paragraphStart = growableU32(data.paragraphStart);
    this.paragraphLengths = growableU32(data.paragraphLengths);
    this.paragraphBandKeys = new SegmentedColumn(data.paragraphBandKeys, u32);
    this.paragraphBytes = new SegmentedColumn(data.paragraphBytes, u8);
    this.verification = new SegmentedColumn(data.verification, u8);

    const documentKeys = new Uint32Array(documents * bands);
    for (let row = 0; row < documents; row++) bandKeysInto(data.signatures, row * numPerm, { bands, rows }, documentKeys, row * bands);
    this.documentBuckets = BucketIndex.fromColumn(documentKeys, bands);

    const paragraphDocument = new Uint32Array(paragraphs);
    for (let row = 0; row < documents; row++) paragraphDocument.fill(row, data.paragraphStart[row]!, data.paragraphStart[row + 1]!);
    this.paragraphDocument = growableU32(paragraphDocument);
    this.paragraphBuckets = BucketIndex.fromColumn(data.paragraphBandKeys, bands);
  }

  /** Live documents. */
  get size(): number {
    return this.live;
  }

  /** Whether `id` is indexed. */
  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** The verdict of `probe` against the index (changes nothing). */
  check(probe: Probe): Verdict {
    const { maxBucketSize } = this.options;
    const bands = this.bands;
    const alive = this.alive.view();
    const counts = this.counts;
    if (this.documentSeen.length < alive.length) this.documentSeen = new Uint32Array(Math.max(1024, Math.ceil(alive.length * 1.5)));
    const documentSeen = this.documentSeen;
    if (++this.stamp === 0xffffffff) (this.documentSeen.fill(0), (this.stamp = 1));
    const stamp = this.stamp;
    const documents: number[] = [];
    const documentItems = this.documentBuckets.lookupAll(probe.bandKeys, 0, bands, maxBucketSize, this.found, counts);
    let found = this.found.items;
    for (let i = 0; i < documentItems; i++) {
      const row = found[i]!;
      if (alive[row] !== 1 || documentSeen[row] === stamp) continue;
      documentSeen[row] = stamp;
      documents.push(row);
    }

    const hits: ParagraphHits<number> = { incoming: [], documents: [], paragraphs: [] };
    const paragraphDocument = this.paragraphDocument.view();
    const paragraphStart = this.paragraphStart.view();
    const incomingCount = probe.paragraphLengths.length;
    for (let incoming = 0; incoming < incomingCount; incoming++) {
      const total = this.paragraphBuckets.lookupAll(probe.paragraphBandKeys, incoming * bands, bands, maxBucketSize, this.found, counts);
      found = this.found.items;
      // One hit per (incoming, indexed) paragraph pair, however many bands they share, in the order first found.
      const unique = this.firstOccurrences(found, total);
      const rows = this.rows.length >= unique ? this.rows : (this.rows = new Uint32Array(2 * unique));
      for (let i = 0; i < unique; i++) rows[i] = paragraphDocument[found[i]!]!;
      for (let i = 0; i < unique; i++) {
        const row = rows[i]!;
        if (alive[row] !== 1) continue;
        hits.incoming.push(incoming);
        hits.documents.push(row);
        hits.paragraphs.push(found[i]! - paragraphStart[row]!);
      }
    }
    return decide(probe, this.options, documents, hits, (row) => this.view(row));
  }

  /** Keep the first occurrence of each value of `values[0 .. count)`, in order, at its front; return their number. */
  private firstOccurrences(values: Uint32Array, count: number): number {
    let bits = 4;
    while (1 << bits < 2 * count) bits++;
    if (this.distinct.length < 1 << bits) this.distinct = new Uint32Array(1 << bits);
    // Open addressing over value + 1 (0: free), cleared for each use: a table of ~2 × count stays in cache.
    const table = this.distinct.fill(0, 0, 1 << bits);
    const mask = (1 << bits) - 1;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i]!;
      let at = Math.imul(value, 0x9e3779b1) >>> (32 - bits);
      while (table[at] !== 0 && table[at] !== value + 1) at = (at + 1) & mask;
      if (table[at] !== 0) continue;
      table[at] = value + 1;
      values[kept++] = value;
    }
    return kept;
  }

  /** Add a probe as a new row; the id must not be indexed yet. */
  add(probe: Probe): void {
    if (this.rowOf.has(probe.id)) throw new SyndicError(`id "${probe.id}" is already in the index`, 'input');
    const row = this.ids.length;
    this.ids.push(probe.id);
    this.rowOf.set(probe.id, row);
    this.alive.push(1);
    this.live++;
    this.signatures.append(probe.signature);
    this.verification.append(probe.verification);
    for (let band = 0; band < this.bands; band++) this.documentBuckets.add(probe.bandKeys[band]!, row);
    if (this.paragraphStart.length === 0) this.paragraphStart.push(0);
    const first = this.paragraphLengths.length;
    const count = probe.paragraphLengths.length;
    this.paragraphLengths.append(probe.paragraphLengths);
    this.paragraphBandKeys.append(probe.paragraphBandKeys);
    this.paragraphBytes.append(probe.paragraphBytes);
    for (let p = 0; p < count; p++) {
      this.paragraphDocument.push(row);
      for (let band = 0; band < this.bands; band++) this.paragraphBuckets.add(probe.paragraphBandKeys[p * this.bands + band]!, first + p);
    }
    this.paragraphStart.push(first + count);
  }

  /** Mark `id` removed; false when it was not indexed. */
  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.rowOf.delete(id);
    this.alive.view()[row] = 0;
    this.live--;
    return true;
  }

  /** The live rows' columns, for saving (views when nothing was removed, else compacted copies). */
  snapshot(): IndexColumnsSnapshot {
    const { numPerm, bands } = this;
    const paragraphStart = this.paragraphStart.length > 0 ? this.paragraphStart.view() : new Uint32Array([0]);
    const paragraphLengths = this.paragraphLengths.view();
    if (this.live === this.ids.length) {
      return {
        ids: this.ids,
        signatures: this.signatures.parts(),
        paragraphStart,
        paragraphLengths,
        paragraphBandKeys: this.paragraphBandKeys.parts(),
        paragraphBytes: this.paragraphBytes.parts(),
        verification: this.verification.parts(),
      };
    }
    const signatures = this.signatures.all(u32);
    const paragraphBandKeys = this.paragraphBandKeys.all(u32);
    const paragraphBytes = this.paragraphBytes.all(u8);
    const verification = this.verification.all(u8);
    const alive = this.alive.view();
    const ids: string[] = [];
    const keptSignatures = growableU32();
    const keptStart = growableU32(new Uint32Array([0]));
    const keptLengths = growableU32();
    const keptKeys = growableU32();
    const keptBytes = growableU8();
    const keptVerification = growableU8();
    for (let row = 0; row < this.ids.length; row++) {
      if (alive[row] !== 1) continue;
      ids.push(this.ids[row]!);
      keptSignatures.append(signatures.subarray(row * numPerm, (row + 1) * numPerm));
      keptVerification.append(verification.subarray(row * VERIFICATION_BYTES, (row + 1) * VERIFICATION_BYTES));
      const start = paragraphStart[row]!;
      const end = paragraphStart[row + 1]!;
      keptLengths.append(paragraphLengths.subarray(start, end));
      keptKeys.append(paragraphBandKeys.subarray(start * bands, end * bands));
      keptBytes.append(paragraphBytes.subarray(start * numPerm, end * numPerm));
      keptStart.push(keptLengths.length);
    }
    return {
      ids,
      signatures: [keptSignatures.view()],
      paragraphStart: keptStart.view(),
      paragraphLengths: keptLengths.view(),
      paragraphBandKeys: [keptKeys.view()],
      paragraphBytes: [keptBytes.view()],
      verification: [keptVerification.view()],
    };
  }

  private view(row: number): IndexedView {
    const { numPerm } = this;
    const start = this.paragraphStart.view()[row]!;
    const end = this.paragraphStart.view()[row + 1]!;
    return {
      id: this.ids[row]!,
      paragraphLengths: this.paragraphLengths.view().subarray(start, end),
      paragraphBytes: this.paragraphBytes.range(start * numPerm, end * numPerm),
      verification: this.verification.range(row * VERIFICATION_BYTES, (row + 1) * VERIFICATION_BYTES),
    };
  }
}

const u32 = (size: number): Uint32Array => new Uint32Array(size);
const u8 = (size: number): Uint8Array => new Uint8Array(size);

/** Columns of an empty index. */
export function emptyColumns(): IndexColumnsData {
  return {
    ids: [],
    signatures: new Uint32Array(0),
    paragraphStart: new Uint32Array([0]),
    paragraphLengths: new Uint32Array(0),
    paragraphBandKeys: new Uint32Array(0),
    paragraphBytes: new Uint8Array(0),
    verification: new Uint8Array(0),
  };
}
