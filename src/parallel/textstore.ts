/**
 * Texts of a run kept on disk instead of in memory. A scan reads every text once to analyze it;
 * later stages (verification of candidates, syndication, quotes in reports, `--dedup-out`) need
 * only some of them, again and again. A record that is a whole text file is read again from that
 * file; any other text (JSONL, plain or gzipped, stdin) is spilled to a temporary file as UTF-16
 * as it streams by: unlinked as soon as it is open (on POSIX systems), else deleted when the store
 * is closed or the process exits. UTF-16 because reading
 * it back is a copy: reading a JSONL line back in place cost a UTF-8 decode and a JSON parse per
 * text, 3.5 s of CPU in a 100k-document scan that reads 160k texts back.
 */
import { closeSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { decodeStrictUtf8 } from '../text/utf8.js';

/** `fileOf` of a spilled text. */
const SPILLED = 0xffffffff;

/** Spilled texts are written in chunks of this many bytes. */
const SPILL_CHUNK_BYTES = 1 << 20;
/**
 * UTF-16 units of texts read back that are kept for the next requests, least recently used out
 * first: verification reads the texts of a connected component of candidates, often several
 * times each (a pair, then its shingle sets, then paragraph by paragraph).
 */
const RECENT_CHARS = 16 * 1024 * 1024;

/** Texts by index, on disk; see the module comment. Close it when done. */
export class TextStore {
  private readonly paths: string[] = [];
  private fileOf = new Uint32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private spillPath: string | null = null;
  private spillDescriptor: number | null = null;
  private spillBytes = 0;
  private chunk = Buffer.alloc(SPILL_CHUNK_BYTES);
  private chunkUsed = 0;
  private readBuffer = Buffer.alloc(1 << 16);
  private readonly recent = new Map<number, string>();
  private recentChars = 0;
  private readonly removeOnExit = (): void => this.removeSpill();
  private closed = false;

  /** Number of texts stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes spilled to the temporary file so far. */
  get spilledBytes(): number {
    return this.spillBytes;
  }

  /**
   * Store one text; returns its index (0, 1, 2, ...). With `textFile`, the absolute path of a
   * UTF-8 file whose whole content is `text`, only the path is kept; without, the text is spilled.
   */
  add(text: string, textFile?: string): number {
    if (textFile !== undefined) return this.addFile(textFile, text.length);
    // UTF-16 keeps any string exactly, lone surrogates included (UTF-8 would replace them).
    const bytes = text.length * 2;
    const index = this.reserve(bytes);
    if (bytes > this.chunk.length) this.writeSpill(Buffer.from(text, 'utf16le'));
    else this.chunkUsed += this.chunk.write(text, this.chunkUsed, 'utf16le');
    this.spillBytes += bytes;
    return index;
  }

  /** Store a text given as its UTF-16 bytes (as a worker sends them); returns its index. */
  addUtf16(bytes: Uint8Array): number {
    const index = this.reserve(bytes.length);
    if (bytes.length > this.chunk.length) this.writeSpill(bytes);
    else this.chunkUsed += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).copy(this.chunk, this.chunkUsed);
    this.spillBytes += bytes.length;
    return index;
  }

  /**
   * Store a text that is the whole content of the UTF-8 file `textFile` (an absolute path), `length`
   * UTF-16 units long: only the path is kept. Returns its index.
   */
  addFile(textFile: string, length: number): number {
    const index = this.next();
    this.fileOf[index] = this.paths.push(textFile) - 1;
    // Its length, to notice a file rewritten during the run (a report written into the folder
    // being scanned): offsets computed from the first read must not be applied to other text.
    this.lengths[index] = length;
    return index;
  }

  private next(): number {
    if (this.closed) throw new SyndicError('the text store is closed');
    const index = this.count++;
    if (index === this.fileOf.length) this.grow();
    return index;
  }

  /** A new spilled text of `bytes` bytes at the end of the spill; flushes the chunk if it would not fit. */
  private reserve(bytes: number): number {
    const index = this.next();
    this.fileOf[index] = SPILLED;
    this.offsets[index] = this.spillBytes;
    this.lengths[index] = bytes;
    if (this.chunkUsed + bytes > this.chunk.length) this.flush();
    return index;
  }

  /** The text at `index`, read again from where it was stored. */
  text(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`no text ${index} (the store holds ${this.count})`);
    const cached = this.recent.get(index);
    if (cached !== undefined) {
      this.recent.delete(index);
      this.recent.set(index, cached);
      return cached;
    }
    const text = this.read(index);
    this.recent.set(index, text);
    this.recentChars += text.length;
    for (const [oldest, old] of this.recent) {
      if (this.recentChars <= RECENT_CHARS) break;
      this.recent.delete(oldest);
      this.recentChars -= old.length;
    }
    return text;
  }

  /**
   * The UTF-16 bytes of the text at `index`, as {@link text} would decode them; a view that the next
   * read may overwrite. A spilled text is copied from the spill as it is, without making a string.
   */
  utf16(index: number): Uint8Array {
    if (index < 0 || index >= this.count) throw new RangeError(`no text ${index} (the store holds ${this.count})`);
    if (this.fileOf[index] !== SPILLED || this.recent.has(index)) return Buffer.from(this.text(index), 'utf16le');
    const offset = this.offsets[index]!;
    const length = this.lengths[index]!;
    if (offset + length > this.spillBytes - this.chunkUsed) this.flush();
    return this.readBytes(this.spillDescriptor!, offset, length);
  }

  /** Delete the temporary file; the store cannot be used after. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.removeSpill();
    this.recent.clear();
    this.recentChars = 0;
  }

  private read(index: number): string {
    const file = this.fileOf[index]!;
    if (file === SPILLED) {
      const offset = this.offsets[index]!;
      const length = this.lengths[index]!;
      if (offset + length > this.spillBytes - this.chunkUsed) this.flush();
      return this.readBytes(this.spillDescriptor!, offset, length).toString('utf16le');
    }
    const textFile = this.paths[file]!;
    let text: string | null = null;
    let reason = '';
    try {
      text = decodeStrictUtf8(readFileSync(textFile));
    } catch (error) {
      reason = `: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (text !== null && text.length !== this.lengths[index]) {
      reason = ` (${this.lengths[index]} characters when first read, ${text.length} now)`;
      text = null;
    }
    if (text === null) throw new SyndicError(`${textFile}: changed or removed while it was being scanned${reason}`, 'input');
    return text;
  }

  /** `length` bytes at `offset` of a file, in a buffer reused by the next read. */
  private readBytes(descriptor: number, offset: number, length: number): Buffer {
    if (this.readBuffer.length < length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    let done = 0;
    while (done < length) {
      const read = readSync(descriptor, this.readBuffer, done, length - done, offset + done);
      if (read === 0) throw new Error('unexpected end of file');
      done += read;
    }
    return this.readBuffer.subarray(0, length);
  }

  private flush(): void {
    if (this.chunkUsed === 0) return;
    this.writeSpill(this.chunk.subarray(0, this.chunkUsed));
    this.chunkUsed = 0;
  }

  private writeSpill(bytes: Uint8Array): void {
    try {
      this.writeSpillOrThrow(bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new SyndicError(`cannot write a temporary file in ${tmpdir()} (${code}); set TMPDIR to a writable folder with room for the texts`, 'input');
    }
  }

  private writeSpillOrThrow(bytes: Uint8Array): void {
    if (this.spillDescriptor === null) {
      this.spillPath = path.join(tmpdir(), `syndic-texts-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.tmp`);
      this.spillDescriptor = openSync(this.spillPath, 'wx+', 0o600);
      try {
        // Unlinked at once where the system allows it (POSIX): the open descriptor still reads
        // and writes it, and nothing is left behind even when the process is killed.
        unlinkSync(this.spillPath);
        this.spillPath = null;
      } catch {
        process.once('exit', this.removeOnExit);
      }
    }
    let done = 0;
    while (done < bytes.length) done += writeSync(this.spillDescriptor, bytes, done, bytes.length - done);
  }

  private removeSpill(): void {
    if (this.spillDescriptor !== null) {
      closeSync(this.spillDescriptor);
      this.spillDescriptor = null;
    }
    if (this.spillPath !== null) {
      try {
        unlinkSync(this.spillPath);
      } catch {
        // Already gone.
      }
      this.spillPath = null;
    }
    process.off('exit', this.removeOnExit);
  }

  private grow(): void {
    const size = this.fileOf.length * 2;
    const grown = <T extends Uint32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(array as never);
      return next;
    };
    this.fileOf = grown(this.fileOf, (n) => new Uint32Array(n));
    this.offsets = grown(this.offsets, (n) => new Float64Array(n));
    this.lengths = grown(this.lengths, (n) => new Uint32Array(n));
  }
}

/**
 * A record whose text lives in a {@link TextStore}: reading `text` reads it from the store, so a
 * million of them hold ids and metadata only.
 */
export class StoredRecord implements DocumentRecord {
  constructor(
    private readonly store: TextStore,
    private readonly index: number,
    readonly id: string,
    readonly source: string | undefined,
    readonly date: string | undefined,
    readonly url: string | undefined,
    readonly title: string | undefined,
  ) {}

  get text(): string {
    return this.store.text(this.index);
  }

  /** The text's UTF-16 bytes (see {@link TextStore.utf16}). */
  utf16(): Uint8Array {
    return this.store.utf16(this.index);
  }
}
