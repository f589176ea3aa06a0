/**
 * An append-only temporary file for what a run keeps on disk instead of in memory (texts, the
 * paragraph signatures of analyses): bytes are appended in chunks and read back by offset. The
 * file is unlinked as soon as it is open (on POSIX systems), else deleted when the spill is
 * closed or the process exits, so nothing is left behind.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyndicError } from '../errors.js';

/** Appended bytes are written in chunks of this many bytes. */
const CHUNK_BYTES = 1 << 20;

/** A temporary file of appended bytes; close it when done. */
export class SpillFile {
  private path: string | null = null;
  private descriptor: number | null = null;
  private bytes = 0;
  private chunk = Buffer.alloc(CHUNK_BYTES);
  private chunkUsed = 0;
  private readBuffer = Buffer.alloc(1 << 16);
  private readonly removeOnExit = (): void => this.remove();

  /** Bytes appended so far. */
  get size(): number {
    return this.bytes;
  }

  /** Append `bytes`; returns their offset. */
  append(bytes: Uint8Array): number {
    const offset = this.bytes;
    if (this.chunkUsed + bytes.length > this.chunk.length) this.flush();
    if (bytes.length > this.chunk.length) this.write(bytes);
    else this.chunk.set(bytes, this.chunkUsed), (this.chunkUsed += bytes.length);
    this.bytes += bytes.length;
    return offset;
  }

  /** Append the UTF-16 units of `text`; returns their offset. */
  appendUtf16(text: string): number {
    const length = text.length * 2;
    if (length > this.chunk.length) return this.append(Buffer.from(text, 'utf16le'));
    const offset = this.bytes;
    if (this.chunkUsed + length > this.chunk.length) this.flush();
    this.chunkUsed += this.chunk.write(text, this.chunkUsed, 'utf16le');
    this.bytes += length;
    return offset;
  }

  /** `length` bytes at `offset`, in a buffer that the next read reuses. */
  read(offset: number, length: number): Buffer {
    if (offset + length > this.bytes - this.chunkUsed) this.flush();
    if (this.readBuffer.length < length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    let done = 0;
    while (done < length) {
      const read = readSync(this.descriptor!, this.readBuffer, done, length - done, offset + done);
      if (read === 0) throw new Error('unexpected end of file');
      done += read;
    }
    return this.readBuffer.subarray(0, length);
  }

  /** Delete the file; the spill cannot be used after. */
  close(): void {
    this.remove();
  }

  private flush(): void {
    if (this.chunkUsed === 0) return;
    this.write(this.chunk.subarray(0, this.chunkUsed));
    this.chunkUsed = 0;
  }

  private write(bytes: Uint8Array): void {
    try {
      this.writeOrThrow(bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new SyndicError(`cannot write a temporary file in ${tmpdir()} (${code}); set TMPDIR to a writable folder with room for the texts`, 'input');
    }
  }

  private writeOrThrow(bytes: Uint8Array): void {
    if (this.descriptor === null) {
      this.path = path.join(tmpdir(), `syndic-texts-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.tmp`);
      this.descriptor = openSync(this.path, 'wx+', 0o600);
      try {
        // Unlinked at once where the system allows it (POSIX): the open descriptor still reads
        // and writes it, and nothing is left behind even when the process is killed.
        unlinkSync(this.path);
        this.path = null;
      } catch {
        process.once('exit', this.removeOnExit);
      }
    }
    let done = 0;
    while (done < bytes.length) done += writeSync(this.descriptor, bytes, done, bytes.length - done);
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
