/**
 * Texts of a run kept on disk instead of in memory. A scan reads every text once to analyze it;
 * later stages (verification of candidates, syndication, quotes in reports, `--dedup-out`) need
 * only some of them, again and again. A record that is a whole text file is read again from that
 * file; any other text (JSONL, plain or gzipped, stdin) is spilled to a temporary file
 * ({@link SpillFile}) as UTF-16 as it streams by. UTF-16 because reading it back is a copy:
 * reading a JSONL line back in place cost a UTF-8 decode and a JSON parse per text, 3.5 s of CPU in
 * a 100k-document scan that reads 160k texts back. The tasks that read JSONL write their texts to
 * the spill themselves ({@link addSpilled}), and the paragraph signatures of the run's analyses go
 * to the same spill.
 */
import { readFileSync } from 'node:fs';
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { decodeStrictUtf8 } from '../text/utf8.js';
import { SpillFile } from './spill.js';

/** `fileOf` of a spilled text. */
const SPILLED = 0xffffffff;

/**
 * UTF-16 units of texts read back that are kept for the next requests, least recently used out
 * first: verification reads the texts of a connected component of candidates, often several
 * times each (a pair, then its shingle sets, then paragraph by paragraph).
 */
const RECENT_CHARS = 16 * 1024 * 1024;

/** Texts by index, on disk; see the module comment. Close it when done. */
export class TextStore {
  /** The spill of the texts, and of the paragraph signatures of the run's analyses (see parallel/driver.ts). */
  readonly spill = new SpillFile();
  private readonly paths: string[] = [];
  private fileOf = new Uint32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private readonly recent = new Map<number, string>();
  private recentChars = 0;
  private recentLimit = RECENT_CHARS;
  private closed = false;

  /** Number of texts stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes spilled to the temporary file so far. */
  get spilledBytes(): number {
    return this.spill.size;
  }

  /**
   * Store one text; returns its index (0, 1, 2, ...). With `textFile`, the absolute path of a
   * UTF-8 file whose whole content is `text`, only the path is kept; without, the text is spilled.
   */
  add(text: string, textFile?: string): number {
    if (textFile !== undefined) return this.addFile(textFile, text.length);
    // UTF-16 keeps any string exactly, lone surrogates included (UTF-8 would replace them).
    return this.spilled(this.spill.appendUtf16(text), text.length * 2);
  }

  /** Store a text that a task wrote to {@link spill}: `bytes` bytes of UTF-16 at `offset`. Returns its index. */
  addSpilled(offset: number, bytes: number): number {
    return this.spilled(offset, bytes);
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

  private spilled(offset: number, bytes: number): number {
    const index = this.next();
    this.fileOf[index] = SPILLED;
    this.offsets[index] = offset;
    this.lengths[index] = bytes;
    return index;
  }

  /**
   * From now on the texts are read in order, each about once (quoted in the report, written out
   * deduplicated): only the last one read is kept. Kept longer, each text outlived collections of
   * the young generation and was left in the old one as garbage, a gigabyte of heap at a million
   * documents before a full collection came.
   */
  readInOrder(): void {
    this.recentLimit = 0;
    this.recent.clear();
    this.recentChars = 0;
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
      if (this.recentChars <= this.recentLimit || oldest === index) break;
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
    return this.spill.read(this.offsets[index]!, this.lengths[index]!);
  }

  /** Offset of the spilled text at `index` in {@link spill} (its UTF-16, `text.length`·2 bytes), or −1 when it is not spilled. */
  spilledAt(index: number): number {
    return this.fileOf[index] === SPILLED ? this.offsets[index]! : -1;
  }

  /** Delete the temporary files; the store cannot be used after. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.spill.close();
    this.recent.clear();
    this.recentChars = 0;
  }

  private read(index: number): string {
    const file = this.fileOf[index]!;
    if (file === SPILLED) return this.spill.read(this.offsets[index]!, this.lengths[index]!).toString('utf16le');
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

  /** Where the text is in the store's spill (see {@link TextStore.spilledAt}). */
  spilledAt(): number {
    return this.store.spilledAt(this.index);
  }
}
