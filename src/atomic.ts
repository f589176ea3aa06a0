/**
 * How every file syndic writes (reports, deduplicated output, rejects, the index, its journal)
 * reaches the disk: into `TARGET.tmp-PID-N` in the same folder, fsynced, renamed over TARGET,
 * and the folder fsynced. A rename within one folder is atomic, so TARGET is at every moment
 * either the earlier file, whole, or the new one, whole: a full disk, an error or a kill in the
 * middle of writing leaves the earlier file untouched.
 *
 * Leftovers: the temporary files of this process are removed when it exits (also through
 * `process.exit` after a signal); a writer killed with SIGKILL cannot do that, so creating a
 * temporary file for TARGET first removes those of TARGET whose writer's pid no longer runs.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { chmod, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Temporary files of this process not yet renamed or removed. */
const inFlight = new Set<string>();
let exitHookInstalled = false;
let counter = 0;

/** Awaited at the start of every {@link AtomicFile.commit}; see {@link setBeforeCommit}. */
let beforeCommit: ((file: AtomicFile) => Promise<void>) | null = null;

/**
 * Install (or, with null, remove) a function awaited at the start of every commit, before the
 * rest is written. syndic installs none; a crash test's entry script (test/support/
 * pause-in-write.mjs) installs one that stops a commit with its file half written, so that the
 * test can kill or signal the process at that exact moment.
 */
export function setBeforeCommit(hook: ((file: AtomicFile) => Promise<void>) | null): void {
  beforeCommit = hook;
}

function removeInFlight(): void {
  for (const file of inFlight) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  }
  inFlight.clear();
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Remove `TARGET.tmp-PID…` files whose writer (PID) is no longer running; returns their names.
 * Best effort: an unreadable folder removes nothing.
 */
export function removeStaleTemporaries(target: string): string[] {
  const folder = path.dirname(target);
  const prefix = `${path.basename(target)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (!(pid > 0) || pid === process.pid || processExists(pid)) continue;
    try {
      unlinkSync(path.join(folder, name));
      removed.push(name);
    } catch {
      // Removed by someone else first.
    }
  }
  return removed;
}

/** Bytes gathered before each write to the file. */
const WRITE_BYTES = 1 << 20;

/** A file being written atomically: nothing is visible at `target` until {@link AtomicFile.commit}. */
export class AtomicFile {
  /** What was written but not yet sent to the file: `buffered[0..used)`, made when first needed. */
  private buffered = Buffer.alloc(0);
  private used = 0;
  private closed = false;
  private state: 'writing' | 'committed' | 'aborted' = 'writing';

  private constructor(
    /** The file that {@link AtomicFile.commit} replaces. */
    readonly target: string,
    /** The temporary file written meanwhile (null: the target is written directly). */
    readonly temporary: string | null,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Start writing `target` (an absolute or cwd-relative path); throws the `open` error (ENOENT,
   * EACCES…). A symlink's file is replaced, not the link, and keeps its permissions. A target
   * that is not a regular file (`/dev/stdout`, a FIFO) has no earlier content to protect and
   * cannot be renamed over: it is written directly.
   */
  static async create(target: string): Promise<AtomicFile> {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', removeInFlight);
    }
    const existing = await stat(target).catch(() => null);
    // The rename at the end would fail on a folder: say so before anything is written.
    if (existing?.isDirectory()) throw Object.assign(new Error(`${target} is a directory`), { code: 'EISDIR' });
    if (existing && !existing.isFile()) return new AtomicFile(target, null, await open(target, 'w'));
    const file = existing ? await realpath(target) : target;
    removeStaleTemporaries(file);
    const temporary = `${file}.tmp-${process.pid}-${counter++}`;
    const handle = await open(temporary, 'w');
    inFlight.add(temporary);
    if (existing) await chmod(temporary, existing.mode & 0o7777).catch(() => {});
    return new AtomicFile(file, temporary, handle);
  }

  /**
   * Append a chunk (buffered; written in pieces of about 1 MB, not one per chunk: reports come as
   * many small strings). A string is encoded into the buffer at once, so that it dies young: held
   * until a megabyte had gathered, each one outlived collections of the young generation and was
   * left in the old one, garbage that grew the heap by more than the report's size.
   */
  async write(chunk: string | Uint8Array): Promise<void> {
    const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length; // UTF-8 bytes, at most
    if (this.used + most > this.buffered.length) {
      await this.flush();
      // Bytes as large as the buffer go out as they are (an index file's columns: no copy).
      if (typeof chunk !== 'string' && chunk.length >= WRITE_BYTES) return this.writeFully(chunk, chunk.length);
      if (most > this.buffered.length) this.buffered = Buffer.allocUnsafe(Math.max(most, WRITE_BYTES));
    }
    if (typeof chunk === 'string') {
      this.used += this.buffered.write(chunk, this.used, 'utf8');
      return;
    }
    this.buffered.set(chunk, this.used);
    this.used += chunk.length;
  }

  /** Whether {@link AtomicFile.commit} or {@link AtomicFile.abort} ended this file. */
  get ended(): boolean {
    return this.state !== 'writing';
  }

  /** Write what is left, fsync, rename over the target and fsync the folder. On failure the temporary file is removed and the error thrown. */
  async commit(): Promise<void> {
    if (this.state !== 'writing') throw new Error(`${this.target}: commit after ${this.state}`);
    try {
      if (beforeCommit) await beforeCommit(this);
      await this.flush();
      if (this.temporary === null) {
        await this.close();
        this.state = 'committed';
        return;
      }
      await this.handle.sync();
      await this.close();
      await rename(this.temporary, this.target);
      inFlight.delete(this.temporary);
      this.state = 'committed';
    } catch (error) {
      await this.abort();
      throw error;
    }
    await syncDirectory(path.dirname(path.resolve(this.target)));
  }

  /** Give up: close and remove the temporary file; the target stays as it was. */
  async abort(): Promise<void> {
    if (this.state === 'committed') return;
    this.state = 'aborted';
    await this.close().catch(() => {});
    if (this.temporary === null || !inFlight.delete(this.temporary)) return;
    await unlink(this.temporary).catch(() => {});
  }

  /** Write the first half of what is buffered (for a {@link setBeforeCommit} hook that stops a commit half written). */
  async drainHalf(): Promise<void> {
    await this.handle.writeFile(this.buffered.subarray(0, this.used >>> 1));
  }

  private async flush(): Promise<void> {
    const used = this.used;
    this.used = 0;
    if (used > 0) await this.writeFully(this.buffered, used);
  }

  /** Write the first `length` bytes of `bytes` (write may take fewer at a time). */
  private async writeFully(bytes: Uint8Array, length: number): Promise<void> {
    for (let done = 0; done < length; ) done += (await this.handle.write(bytes, done, length - done)).bytesWritten;
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Write `content` to `target` atomically (see {@link AtomicFile}). */
export async function writeFileAtomic(target: string, content: Iterable<string | Uint8Array>): Promise<void> {
  const file = await AtomicFile.create(target);
  try {
    for (const chunk of content) await file.write(chunk);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}

/** fsync a folder so a rename inside it is durable (not supported everywhere: best effort). */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename itself is atomic.
  } finally {
    await handle?.close();
  }
}
