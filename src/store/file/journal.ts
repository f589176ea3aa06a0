/**
 * The journal of an index file: `FILE.journal`, an append-only log of the records added and
 * removed since the last snapshot (the index file itself), like a database's write-ahead log.
 * Little-endian, 4-byte aligned:
 *
 *   header   magic "SYNDICJL" (8 bytes), version u32, epoch u32 (the snapshot it extends)
 *   entries  payload bytes u32, CRC-32 of the payload u32, payload:
 *     add     kind u8 = 1, 3 zero bytes, id bytes u32, paragraphs u32, id UTF-8 padded to 4,
 *             signature u32 × numPerm, band keys u32 × bands, paragraph lengths u32 × P,
 *             paragraph band keys u32 × P × bands, verification u8 × VERIFICATION_BYTES,
 *             paragraph byte signatures u8 × P × numPerm, padded to 4
 *     remove  kind u8 = 2, 3 zero bytes, id bytes u32, id UTF-8 padded to 4
 *
 * Why nothing accepted is lost, and nothing is replayed twice:
 * - A record is appended, and the appended bytes written (and fdatasync'ed: group commit, one per
 *   batch) *before* the caller reports it as accepted. Opening replays the entries after the
 *   snapshot; a crash in the middle of an append leaves a torn last entry, which fails its length
 *   or CRC check and is cut off: it was never reported as accepted.
 * - A save writes the snapshot with epoch E + 1 (atomically: temporary file, rename), then
 *   replaces the journal (atomically too) by an empty one of epoch E + 1. A crash between the two
 *   leaves a journal of epoch E beside a snapshot of epoch E + 1: that journal is stale (all of
 *   it is in the snapshot) and is discarded, not replayed. A journal of an epoch *newer* than the
 *   snapshot means the index file was replaced by an older copy: refused, not guessed at.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../../atomic.js';
import { SyndicError } from '../../errors.js';
import type { ResolvedOptions } from '../../options.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import type { Probe } from '../probe.js';

const JOURNAL_MAGIC = 'SYNDICJL';
const JOURNAL_VERSION = 1;
const HEADER_BYTES = 16;
const ENTRY_HEADER_BYTES = 8;
const ADD = 1;
const REMOVE = 2;
const pad4 = (n: number): number => (n + 3) & ~3;

/** One replayed change. */
export type JournalEntry = { kind: 'add'; probe: Probe } | { kind: 'remove'; id: string };

/** What {@link readJournal} found beside a snapshot of some epoch. */
export interface JournalContents {
  /** The entries to replay, in order (none when the journal is missing or stale). */
  entries: JournalEntry[];
  /** Bytes of the journal up to the end of its last whole entry; 0 when it must be replaced. */
  validBytes: number;
  /** Bytes of the file (more than `validBytes` when the last entry is torn). */
  fileBytes: number;
  /**
   * The journal's epoch when it is newer than the snapshot's (nothing read): for a reader, a save
   * between its reading the snapshot and the journal; for the lock holder, an index file
   * replaced by an older copy.
   */
  newerEpoch?: number;
}

function journalHeader(epoch: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(JOURNAL_MAGIC, 0, 'latin1');
  header.writeUInt32LE(JOURNAL_VERSION, 8);
  header.writeUInt32LE(epoch, 12);
  return header;
}

/**
 * Read the journal `file` that extends a snapshot of `epoch`. Missing, shorter than its header
 * (a crash while it was first written) or of an older epoch: nothing to replay. Throws an
 * `index` error for a foreign file or another version.
 */
export async function readJournal(file: string, epoch: number, options: ResolvedOptions): Promise<JournalContents> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return { entries: [], validBytes: 0, fileBytes: 0 };
    throw new SyndicError(`journal ${file}: cannot read it (${code ?? String(error)})`, 'index');
  }
  const fail = (what: string): never => {
    throw new SyndicError(`journal ${file}: ${what}; the file was left untouched`, 'index');
  };
  if (bytes.length < HEADER_BYTES) return { entries: [], validBytes: 0, fileBytes: bytes.length };
  if (bytes.toString('latin1', 0, 8) !== JOURNAL_MAGIC) fail('not a syndic journal (bad magic bytes)');
  const version = bytes.readUInt32LE(8);
  if (version !== JOURNAL_VERSION) fail(`journal version ${version}, this syndic reads version ${JOURNAL_VERSION}`);
  const journalEpoch = bytes.readUInt32LE(12);
  if (journalEpoch < epoch) return { entries: [], validBytes: 0, fileBytes: bytes.length };
  if (journalEpoch > epoch) return { entries: [], validBytes: 0, fileBytes: bytes.length, newerEpoch: journalEpoch };
  if (bytes.byteOffset % 4 !== 0) bytes = Buffer.from(bytes);
  const entries: JournalEntry[] = [];
  let at = HEADER_BYTES;
  while (at + ENTRY_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const start = at + ENTRY_HEADER_BYTES;
    if (length % 4 !== 0 || start + length > bytes.length) break;
    const payload = bytes.subarray(start, start + length);
    if (crc32(payload) !== bytes.readUInt32LE(at + 4)) break;
    const entry = decodeEntry(payload, options);
    if (entry === null) break;
    entries.push(entry);
    at = start + length;
  }
  return { entries, validBytes: at, fileBytes: bytes.length };
}

/** Decode one payload whose CRC matched; null when its sizes do not add up (not written by these parameters). */
function decodeEntry(payload: Buffer, options: ResolvedOptions): JournalEntry | null {
  if (payload.length < 12) return null;
  const kind = payload[0];
  const idBytes = payload.readUInt32LE(4);
  const paragraphs = payload.readUInt32LE(8);
  let at = 12;
  if (at + idBytes > payload.length) return null;
  const id = payload.toString('utf8', at, at + idBytes);
  at += pad4(idBytes);
  if (kind === REMOVE) return at === payload.length ? { kind: 'remove', id } : null;
  if (kind !== ADD) return null;
  const { numPerm, bands } = options;
  const size = at + 4 * (numPerm + bands + paragraphs + paragraphs * bands) + VERIFICATION_BYTES + pad4(paragraphs * numPerm);
  if (size !== payload.length) return null;
  // Copies, not views: the columns keep nothing of the probe, but the replay must not pin the whole file.
  const u32 = (count: number): Uint32Array => {
    const values = new Uint32Array(count);
    new Uint8Array(values.buffer).set(payload.subarray(at, at + 4 * count));
    at += 4 * count;
    return values;
  };
  const u8 = (count: number): Uint8Array => {
    const values = Uint8Array.from(payload.subarray(at, at + count));
    at += count;
    return values;
  };
  const signature = u32(numPerm);
  const bandKeys = u32(bands);
  const paragraphLengths = u32(paragraphs);
  const paragraphBandKeys = u32(paragraphs * bands);
  const verification = u8(VERIFICATION_BYTES);
  const paragraphBytes = u8(paragraphs * numPerm);
  return { kind: 'add', probe: { id, signature, bandKeys, paragraphLengths, paragraphBandKeys, paragraphBytes, empty: false, verification } };
}

function encodeEntry(kind: number, id: string, parts: ArrayBufferView[], paragraphs: number): Buffer {
  const idBytes = Buffer.byteLength(id, 'utf8');
  let length = 12 + pad4(idBytes);
  for (const part of parts) length += part.byteLength;
  length = pad4(length);
  const entry = Buffer.alloc(ENTRY_HEADER_BYTES + length);
  const payload = entry.subarray(ENTRY_HEADER_BYTES);
  payload[0] = kind;
  payload.writeUInt32LE(idBytes, 4);
  payload.writeUInt32LE(paragraphs, 8);
  payload.write(id, 12, 'utf8');
  let at = 12 + pad4(idBytes);
  for (const part of parts) {
    payload.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  entry.writeUInt32LE(length, 0);
  entry.writeUInt32LE(crc32(payload), 4);
  return entry;
}

/**
 * The journal's writer: entries are buffered by {@link Journal.add} / {@link Journal.remove} and
 * reach the file at {@link Journal.commit}. File operations run one at a time, in call order.
 */
export class Journal {
  private buffered: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** A failed write may have left part of an entry: appending after it would hide what follows from the replay. */
  private failure: unknown = null;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    /** fdatasync at each commit (survives a power loss), or only write (survives a killed process). */
    private readonly fsync: boolean,
  ) {}

  /**
   * Open `file` for appending after what {@link readJournal} found: a journal with a torn tail is
   * cut back to its last whole entry; a missing, stale or headerless one is replaced by an
   * empty journal of `epoch`.
   */
  static async open(file: string, epoch: number, found: JournalContents, fsync: boolean): Promise<Journal> {
    if (found.validBytes === 0) await writeFileAtomic(file, [journalHeader(epoch)]);
    const handle = await open(file, 'r+');
    try {
      if (found.validBytes > 0 && found.fileBytes > found.validBytes) await handle.truncate(found.validBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
    await handle.close();
    return new Journal(file, await open(file, 'a'), fsync);
  }

  /** Buffer the addition of `probe`. */
  add(probe: Probe): void {
    const parts = [probe.signature, probe.bandKeys, probe.paragraphLengths, probe.paragraphBandKeys, probe.verification, probe.paragraphBytes];
    this.buffered.push(encodeEntry(ADD, probe.id, parts, probe.paragraphLengths.length));
  }

  /** Buffer the removal of `id`. */
  remove(id: string): void {
    this.buffered.push(encodeEntry(REMOVE, id, [], 0));
  }

  /**
   * Write the buffered entries (one write) and, unless opened without fsync, fdatasync them. After
   * a failure every commit fails (until {@link Journal.reset}): the entries are not durable.
   */
  commit(): Promise<void> {
    const entries = this.buffered;
    this.buffered = [];
    return this.serially(async () => {
      if (this.failure !== null) throw this.failure;
      if (entries.length === 0) return;
      try {
        await this.handle.writeFile(entries.length === 1 ? entries[0]! : Buffer.concat(entries));
        if (this.fsync) await this.handle.datasync();
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
  }

  /**
   * Take the buffered entries out: a snapshot holding them was just taken, so they do not belong
   * in the journal that {@link Journal.reset} starts (entries added after this call do).
   */
  takeBuffered(): Buffer[] {
    const entries = this.buffered;
    this.buffered = [];
    return entries;
  }

  /** Put entries taken by {@link Journal.takeBuffered} back in front (the snapshot holding them was not written). */
  restoreBuffered(entries: Buffer[]): void {
    this.buffered = [...entries, ...this.buffered];
  }

  /** Replace the journal by an empty one extending snapshot `epoch` (atomically). */
  reset(epoch: number): Promise<void> {
    return this.serially(async () => {
      await this.handle.close();
      await writeFileAtomic(this.file, [journalHeader(epoch)]);
      this.handle = await open(this.file, 'a');
      this.failure = null;
    });
  }

  /** Close the file (buffered entries not committed are dropped). */
  close(): Promise<void> {
    return this.serially(() => this.handle.close());
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => {});
    return result;
  }
}
