/**
 * The embedded backend: the whole index in memory, loaded from and saved to one binary file
 * (see format.ts). Saving writes a temporary file, fsyncs it, renames it over the index and
 * fsyncs the directory, so a crash at any moment leaves the previous or the new index, whole.
 */
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SyndicError } from '../../errors.js';
import type { Fingerprinter } from '../../sketch/hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../../options.js';
import { IndexColumns } from './columns.js';
import { decodeIndex, encodeIndex } from './format.js';
import { acquireLock } from './lock.js';
import { assertCompatible } from '../params.js';
import { Prober } from '../probe.js';
import type { FilterIndex } from '../types.js';
import { DEFAULT_REJECT, passes, type VerdictKind, type Verdict } from '../verdict.js';

/** How to open an index file. */
export interface FileIndexOptions {
  /** Explicit detection options; stored parameters win, conflicting explicit ones throw. */
  options?: DetectOptions;
  /** Open without the writer lock; `add`, `remove` and `save` then throw. */
  readOnly?: boolean;
  /** Throw when the file does not exist instead of starting an empty index (default false). */
  mustExist?: boolean;
}

/**
 * Test hook, read from the environment: `SYNDIC_TEST_PAUSE_IN_SAVE=MARKER[:N]` makes the N-th
 * save (default 2) stop halfway through writing its temporary file, create MARKER and wait
 * forever, so a test can SIGKILL the process in the middle of a save.
 */
function pauseHook(): { marker: string; save: number } | null {
  const value = process.env.SYNDIC_TEST_PAUSE_IN_SAVE;
  if (!value) return null;
  const match = /^(.*?)(?::(\d+))?$/.exec(value)!;
  return { marker: match[1]!, save: match[2] ? Number(match[2]) : 2 };
}

/** An index held in memory and persisted to one file. */
export class FileIndex implements FilterIndex {
  private dirty = false;
  private saves = 0;
  /** Whether the file on disk holds the current state (false for a new index never saved). */
  private persisted: boolean;
  private closed = false;

  private constructor(
    readonly file: string,
    readonly options: ResolvedOptions,
    private readonly columns: IndexColumns,
    private readonly prober: Prober,
    private readonly release: (() => void) | null,
    persisted: boolean,
  ) {
    this.persisted = persisted;
  }

  /** Open (or start) the index at `file`. */
  static async open(file: string, fingerprinter: Fingerprinter, settings: FileIndexOptions = {}): Promise<FileIndex> {
    const explicit = settings.options ?? {};
    const release = settings.readOnly ? null : acquireLock(`${file}.lock`, file);
    try {
      let bytes: Buffer | null = null;
      try {
        bytes = await readFile(file);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== 'ENOENT') throw new SyndicError(`index ${file}: cannot read it (${code ?? String(error)})`, 'index');
        if (settings.mustExist) throw new SyndicError(`index ${file} does not exist`, 'index');
      }
      let options: ResolvedOptions;
      let columns: IndexColumns;
      if (bytes === null) {
        options = resolveOptions(explicit);
        columns = new IndexColumns(options);
      } else {
        const decoded = decodeIndex(bytes, file);
        assertCompatible(decoded.options, explicit, `index ${file}`);
        options = decoded.options;
        columns = new IndexColumns(options, decoded.data);
      }
      return new FileIndex(file, options, columns, new Prober(options, fingerprinter), release, bytes !== null);
    } catch (error) {
      release?.();
      throw error;
    }
  }

  get size(): number {
    return this.columns.size;
  }

  /** Whether `id` is indexed. */
  has(id: string): boolean {
    return this.columns.has(id);
  }

  async contains(id: string): Promise<boolean> {
    return this.columns.has(id);
  }

  async check(record: { id: string; text: string }): Promise<Verdict> {
    this.assertOpen();
    return this.columns.check(this.prober.probe(record.id, record.text));
  }

  async add(record: { id: string; text: string }): Promise<void> {
    this.assertWritable();
    this.columns.add(this.prober.probe(record.id, record.text));
    this.dirty = true;
  }

  async checkAndAdd(record: { id: string; text: string }, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Verdict> {
    this.assertWritable();
    const probe = this.prober.probe(record.id, record.text);
    const verdict = this.columns.check(probe);
    if (passes(verdict, reject)) {
      this.columns.add(probe);
      this.dirty = true;
    }
    return verdict;
  }

  async remove(id: string): Promise<boolean> {
    this.assertWritable();
    const removed = this.columns.remove(id);
    this.dirty ||= removed;
    return removed;
  }

  /** Write the index atomically when anything changed since the last save (or it was never written). */
  async save(): Promise<void> {
    this.assertWritable();
    if (!this.dirty && this.persisted) return;
    const bytes = encodeIndex(this.options, this.columns.snapshot());
    const temporary = `${this.file}.tmp-${process.pid}`;
    const hook = pauseHook();
    this.saves++;
    try {
      const handle = await open(temporary, 'w');
      try {
        if (hook && this.saves === hook.save) {
          await handle.write(bytes, 0, bytes.length >>> 1);
          await writeFile(hook.marker, `${process.pid}\n`);
          // A timer keeps the event loop alive: with stdin at its end, a bare pending promise lets the process exit.
          await new Promise(() => setInterval(() => {}, 1 << 30));
        }
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      const code = (error as { code?: string }).code;
      throw new SyndicError(`index ${this.file}: cannot save it (${code ?? String(error)})`, 'index');
    }
    await syncDirectory(path.dirname(path.resolve(this.file)));
    this.dirty = false;
    this.persisted = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.release && this.dirty) await this.save();
    } finally {
      this.closed = true;
      this.release?.();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new SyndicError(`index ${this.file} is closed`, 'usage');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (!this.release) throw new SyndicError(`index ${this.file} was opened read-only`, 'usage');
  }
}

/** fsync a directory so a rename inside it is durable (not supported everywhere: best effort). */
async function syncDirectory(directory: string): Promise<void> {
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
