/**
 * An append-only temporary file for what a run keeps on disk instead of in memory (texts, the
 * paragraph signatures of analyses), read back by offset. Any thread may append to it: the tasks
 * that read the input write their batch's texts and signatures themselves, so those bytes never
 * pass through the main thread. An append reserves its range by an atomic add on the file's end,
 * shared by every thread ({@link SharedSpill}), then writes there. The file is unlinked as soon as
 * it is open (on POSIX systems), else deleted when the spill is closed or the process exits, so
 * nothing is left behind.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyndicError } from '../errors.js';

/** What a task on another thread needs to append to a spill: its descriptor and its shared end. */
export interface SharedSpill {
  descriptor: number;
  /** One 64-bit count: bytes reserved so far. */
  end: SharedArrayBuffer;
}

/** A temporary file of appended bytes; close it (on the thread that made it) when done. */
export class SpillFile {
  private path: string | null = null;
  private descriptor: number | null = null;
  private end = new BigInt64Array(new SharedArrayBuffer(8));
  private readBuffer = Buffer.alloc(1 << 16);
  private readonly owner: boolean;
  private readonly removeOnExit = (): void => this.remove();

  /** A new spill (no file until the first append or {@link share}); or, given `shared`, another thread's. */
  constructor(shared?: SharedSpill) {
    this.owner = shared === undefined;
    if (shared) (this.descriptor = shared.descriptor), (this.end = new BigInt64Array(shared.end));
  }

  /** Bytes appended so far, on any thread. */
  get size(): number {
    return Number(Atomics.load(this.end, 0));
  }

  /** The spill for appends on other threads (the file is made now if it is not yet). */
  share(): SharedSpill {
    return { descriptor: this.open(), end: this.end.buffer as SharedArrayBuffer };
  }

  /** {@link share}, or null when nothing was ever written (and no file made). */
  shareIfOpen(): SharedSpill | null {
    return this.descriptor === null ? null : this.share();
  }

  /** Append `bytes`; returns their offset. */
  append(bytes: Uint8Array): number {
    const descriptor = this.open();
    const offset = Number(Atomics.add(this.end, 0, BigInt(bytes.length)));
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(descriptor, bytes, done, bytes.length - done, offset + done);
    } catch (error) {
      throw writeError(error);
    }
    return offset;
  }

  /** Append the UTF-16 units of `text`; returns their offset. */
  appendUtf16(text: string): number {
    return this.append(Buffer.from(text, 'utf16le'));
  }

  /** `length` bytes at `offset`, in a buffer that the next read reuses. */
  read(offset: number, length: number): Buffer {
    if (this.readBuffer.length < length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    return this.readInto(this.readBuffer.subarray(0, length), offset);
  }

  /** Fill `target` with the bytes at `offset`; returns it. */
  readInto<T extends Uint8Array>(target: T, offset: number): T {
    let done = 0;
    while (done < target.length) {
      const read = readSync(this.descriptor!, target, done, target.length - done, offset + done);
      if (read === 0) throw new Error('unexpected end of file');
      done += read;
    }
    return target;
  }

  /** Delete the file; the spill cannot be used after. A spill shared by another thread is left to its owner. */
  close(): void {
    if (this.owner) this.remove();
  }

  private open(): number {
    if (this.descriptor !== null) return this.descriptor;
    try {
      this.path = path.join(tmpdir(), `syndic-texts-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.tmp`);
      this.descriptor = openSync(this.path, 'wx+', 0o600);
    } catch (error) {
      this.path = null;
      throw writeError(error);
    }
    try {
      // Unlinked at once where the system allows it (POSIX): the open descriptor still reads
      // and writes it, and nothing is left behind even when the process is killed.
      unlinkSync(this.path);
      this.path = null;
    } catch {
      process.once('exit', this.removeOnExit);
    }
    return this.descriptor;
  }

  private remove(): void {
    if (this.descriptor !== null) {
      closeSync(this.descriptor);
      this.descriptor = null;
    }
    if (this.path !== null) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
      this.path = null;
    }
    process.off('exit', this.removeOnExit);
  }
}

function writeError(error: unknown): SyndicError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new SyndicError(`cannot write a temporary file in ${tmpdir()} (${code}); set TMPDIR to a writable folder with room for the texts`, 'input');
}
