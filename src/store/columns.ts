/**
 * The in-memory index of the embedded backend, column by column: ids, document signatures,
 * paragraph lengths / band keys / byte signatures, and two band-key multimaps (documents and
 * paragraphs). Rows are append-only; a removed row is marked dead and dropped at the next save.
 */
import { SyndicError } from '../errors.js';
import { bandKeysInto } from '../lsh.js';
import type { ResolvedOptions } from '../options.js';
import { BucketIndex } from './buckets.js';
import { growableU32, growableU8, SegmentedColumn, type Growable } from './growable.js';
import { VERIFICATION_BYTES, type Probe } from './probe.js';
import { decide, type IndexedView, type ParagraphHits, type Verdict } from './verdict.js';

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
  /** Per indexed paragraph and per row, the last lookup (`stamp`) that reached it. */
  private paragraphSeen = new Uint32Array(0);
  private documentSeen = new Uint32Array(0);
  private stamp = 0;
  /** Items of one bucket, maxBucketSize of them at most. */
  private found = new Uint32Array(0);

  constructor(
    private readonly options: ResolvedOptions,
    data: IndexColumnsData = emptyColumns(),
  ) {
    const { numPerm, bands, rows } = options;
    this.numPerm = numPerm;
    this.bands = bands;
    const documents = data.ids.length;
    const paragraphs = data.paragraphLengths.length;
    this.ids = data.ids;
    for (let row = 0; row < documents; row++) {
      if (this.rowOf.has(data.ids[row]!)) throw new SyndicError(`syndic: duplicate id "${data.ids[row]}" in the index`, 'index');
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
    const found = this.found.length >= maxBucketSize ? this.found : (this.found = new Uint32Array(maxBucketSize));
    if (this.documentSeen.length < alive.length) this.documentSeen = new Uint32Array(Math.max(1024, Math.ceil(alive.length * 1.5)));
    const documentSeen = this.documentSeen;
    const documentStamp = this.nextStamp();
    const documents: number[] = [];
    for (let band = 0; band < bands; band++) {
      const count = this.documentBuckets.lookup(probe.bandKeys[band]!, maxBucketSize, found);
      for (let i = 0; i < count; i++) {
        const row = found[i]!;
        if (alive[row] !== 1 || documentSeen[row] === documentStamp) continue;
        documentSeen[row] = documentStamp;
        documents.push(row);
      }
    }

    const hits: ParagraphHits<number> = { incoming: [], documents: [], paragraphs: [] };
    const paragraphDocument = this.paragraphDocument.view();
    const paragraphStart = this.paragraphStart.view();
    if (this.paragraphSeen.length < paragraphDocument.length) this.paragraphSeen = new Uint32Array(Math.max(1024, Math.ceil(paragraphDocument.length * 1.5)));
    const seen = this.paragraphSeen;
    const incomingCount = probe.paragraphLengths.length;
    for (let incoming = 0; incoming < incomingCount; incoming++) {
      // One hit per (incoming, indexed) paragraph pair, however many bands they share.
      const stamp = this.nextStamp();
      for (let band = 0; band < bands; band++) {
        const count = this.paragraphBuckets.lookup(probe.paragraphBandKeys[incoming * bands + band]!, maxBucketSize, found);
        for (let i = 0; i < count; i++) {
          const paragraph = found[i]!;
          if (seen[paragraph] === stamp) continue;
          seen[paragraph] = stamp;
          const row = paragraphDocument[paragraph]!;
          if (alive[row] !== 1) continue;
          hits.incoming.push(incoming);
          hits.documents.push(row);
          hits.paragraphs.push(paragraph - paragraphStart[row]!);
        }
      }
    }
    return decide(probe, this.options, documents, hits, (row) => this.view(row));
  }

  /** A stamp no entry of `documentSeen` or `paragraphSeen` holds yet. */
  private nextStamp(): number {
    if (++this.stamp === 0xffffffff) {
      this.documentSeen.fill(0);
      this.paragraphSeen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Add a probe as a new row; the id must not be indexed yet. */
  add(probe: Probe): void {
    if (this.rowOf.has(probe.id)) throw new SyndicError(`syndic: id "${probe.id}" is already in the index`, 'input');
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
  snapshot(): IndexColumnsData {
    const { numPerm, bands } = this;
    const signatures = this.signatures.all(u32);
    const paragraphStart = this.paragraphStart.length > 0 ? this.paragraphStart.view() : new Uint32Array([0]);
    const paragraphLengths = this.paragraphLengths.view();
    const paragraphBandKeys = this.paragraphBandKeys.all(u32);
    const paragraphBytes = this.paragraphBytes.all(u8);
    const verification = this.verification.all(u8);
    if (this.live === this.ids.length) return { ids: this.ids, signatures, paragraphStart, paragraphLengths, paragraphBandKeys, paragraphBytes, verification };
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
      signatures: keptSignatures.view(),
      paragraphStart: keptStart.view(),
      paragraphLengths: keptLengths.view(),
      paragraphBandKeys: keptKeys.view(),
      paragraphBytes: keptBytes.view(),
      verification: keptVerification.view(),
    };
  }

  private view(row: number): IndexedView {
    const { numPerm } = this;
    const start = this.paragraphStart.view()[row]!;
    const end = this.paragraphStart.view()[row + 1]!;
    return {
      id: this.ids[row]!,
      signature: this.signatures.range(row * numPerm, (row + 1) * numPerm),
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
