/**
 * The embedded backend: the whole index in memory, loaded from one binary file (the snapshot, see
 * format.ts) and the journal beside it (`FILE.journal`, see journal.ts). Every change is appended
 * to the journal, durable at {@link FileIndex.sync}; a save writes a new snapshot atomically
 * (temporary file, fsync, rename, folder fsync) and empties the journal, so a crash at any moment
 * leaves the previous or the new snapshot, whole, and a journal that brings it up to date.
 */
import { readFile } from 'node:fs/promises';
import { removeStaleTemporaries, writeFileAtomic } from '../../atomic.js';
import { SyndicError } from '../../errors.js';
import type { Fingerprinter } from '../../sketch/hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../../options.js';
import { IndexColumns } from './columns.js';
import { decodeIndex, encodeIndex } from './format.js';
import { Journal, readJournal, type JournalContents } from './journal.js';
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
  /** Throw when the file does not exist instead of creating an empty index (default false). */
  mustExist?: boolean;
  /**
   * What {@link FileIndex.sync} does with the journal: `fsync` (default) writes and fdatasyncs it,
   * so accepted records survive a power loss; `write` only writes it, so they survive a killed
   * process but not a crash of the machine.
   */
  durability?: Durability;
}

/** How durable a synced change is: see {@link FileIndexOptions.durability}. */
export type Durability = 'fsync' | 'write';

/** The journal beside an index file. */
export function journalPath(file: string): string {
  return `${file}.journal`;
}

/** An index held in memory and persisted to one file and its journal. */
export class FileIndex implements FilterIndex {
  /** Changes since the last snapshot (in the journal, or buffered for it). */
  private dirty: boolean;
  private closed = false;

  private constructor(
    readonly file: string,
    readonly options: ResolvedOptions,
    private readonly columns: IndexColumns,
    private readonly prober: Prober,
    private readonly release: (() => void) | null,
    private readonly journal: Journal | null,
    private epoch: number,
    replayed: boolean,
  ) {
    this.dirty = replayed;
  }

  /**
   * Open the index at `file`: the snapshot, then the journal's changes replayed. A writable open
   * of a file that does not exist (and not `mustExist`) creates it, empty, at once, so that the
   * journal always extends a snapshot.
   */
  static async open(file: string, fingerprinter: Fingerprinter, settings: FileIndexOptions = {}): Promise<FileIndex> {
    const explicit = settings.options ?? {};
    const writable = !settings.readOnly;
    const release = writable ? acquireLock(`${file}.lock`, file) : null;
    try {
      if (writable) {
        // The lock is ours: temporary files left beside the index by writers killed earlier are garbage.
        removeStaleTemporaries(file);
        removeStaleTemporaries(journalPath(file));
      }
      let loaded = await load(file, explicit, settings.mustExist ?? false);
      // A reader can meet a save between its reads of the snapshot and of the journal: read both again.
      for (let attempt = 0; !writable && loaded?.found.newerEpoch !== undefined && attempt < 5; attempt++) loaded = await load(file, explicit, settings.mustExist ?? false);
      if (loaded?.found.newerEpoch !== undefined) {
        throw new SyndicError(
          `index ${file}: its journal extends snapshot ${loaded.found.newerEpoch} but the file is snapshot ${loaded.epoch} (was it replaced by an older copy? remove ${journalPath(file)} to use that copy as it is)`,
          'index',
        );
      }
      let options: ResolvedOptions;
      let columns: IndexColumns;
      let epoch = 0;
      let found: JournalContents = { entries: [], validBytes: 0, fileBytes: 0 };
      if (loaded === null) {
        // A new index has no journal of its own yet: whatever lies at its journal's path is not replayed.
        options = resolveOptions(explicit);
        columns = new IndexColumns(options);
        if (writable) await saveSnapshot(file, encodeIndex(options, columns.snapshot(), epoch));
      } else {
        ({ options, columns, epoch, found } = loaded);
        for (const entry of found.entries) {
          if (entry.kind === 'add') columns.add(entry.probe);
          else columns.remove(entry.id);
        }
      }
      const journal = writable ? await Journal.open(journalPath(file), epoch, found, (settings.durability ?? 'fsync') === 'fsync') : null;
      return new FileIndex(file, options, columns, new Prober(options, fingerprinter), release, journal, epoch, found.entries.length > 0);
    } catch (error) {
      release?.();
      const code = (error as { code?: string }).code;
      // File system failures (the journal or the new file cannot be written) are the user's to fix; anything else is a bug.
      if (error instanceof SyndicError || code === undefined) throw error;
      throw new SyndicError(`index ${file}: cannot open it (${code})`, 'index');
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
    const journal = this.assertWritable();
    const probe = this.prober.probe(record.id, record.text);
    this.columns.add(probe);
    journal.add(probe);
    this.dirty = true;
  }

  async checkAndAdd(record: { id: string; text: string }, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Verdict> {
    const journal = this.assertWritable();
    const probe = this.prober.probe(record.id, record.text);
    const verdict = this.columns.check(probe);
    if (passes(verdict, reject)) {
      this.columns.add(probe);
      journal.add(probe);
      this.dirty = true;
    }
    return verdict;
  }

  /** {@link checkAndAdd} one record after another (in memory: nothing to gain from a batch but the interface). */
  async checkAndAddMany(records: Array<{ id: string; text: string }>, reject: readonly VerdictKind[] = DEFAULT_REJECT): Promise<Array<Verdict | SyndicError>> {
    return untilInputError(records, (record) => this.checkAndAdd(record, reject));
  }

  async addMany(records: Array<{ id: string; text: string }>): Promise<Array<SyndicError | null>> {
    return untilInputError(records, async (record) => (await this.add(record), null));
  }

  async remove(id: string): Promise<boolean> {
    const journal = this.assertWritable();
    const removed = this.columns.remove(id);
    if (removed) {
      journal.remove(id);
      this.dirty = true;
    }
    return removed;
  }

  /** Make every change so far durable: one journal write (and fdatasync) for all of them. */
  async sync(): Promise<void> {
    // Not skipped when nothing is pending: after a failed write, the journal must say so again.
    if (!this.journal) return;
    try {
      await this.journal.commit();
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new SyndicError(`index ${this.file}: cannot write its journal ${this.journal.file} (${code ?? String(error)})`, 'index');
    }
  }

  /** Write a new snapshot atomically and empty the journal, when anything changed since the last snapshot. */
  async save(): Promise<void> {
    const journal = this.assertWritable();
    if (!this.dirty) return;
    // The snapshot holds every change whether or not the journal could take them (a full disk).
    await journal.commit().catch(() => {});
    const epoch = (this.epoch + 1) >>> 0;
    const bytes = encodeIndex(this.options, this.columns.snapshot(), epoch);
    // Changes buffered since the commit are in this snapshot: kept aside, not for the next journal, unless the save fails.
    const inSnapshot = journal.takeBuffered();
    this.dirty = false;
    try {
      await saveSnapshot(this.file, bytes);
      await journal.reset(epoch);
    } catch (error) {
      journal.restoreBuffered(inSnapshot);
      this.dirty = true;
      throw error;
    }
    this.epoch = epoch;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.journal && this.dirty) await this.save();
    } finally {
      this.closed = true;
      try {
        await this.journal?.close();
      } finally {
        this.release?.();
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new SyndicError(`index ${this.file} is closed`, 'usage');
  }

  private assertWritable(): Journal {
    this.assertOpen();
    if (!this.journal) throw new SyndicError(`index ${this.file} was opened read-only`, 'usage');
    return this.journal;
  }
}

/** `operation` on each record in order, until one fails with an input error: that error is the last outcome. */
async function untilInputError<T>(records: Array<{ id: string; text: string }>, operation: (record: { id: string; text: string }) => Promise<T>): Promise<Array<T | SyndicError>> {
  const outcomes: Array<T | SyndicError> = [];
  for (const record of records) {
    try {
      outcomes.push(await operation(record));
    } catch (error) {
      if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
      outcomes.push(error);
      break;
    }
  }
  return outcomes;
}

/** The snapshot at `file` and the journal beside it, or null when there is no file (and that is allowed). */
async function load(
  file: string,
  explicit: DetectOptions,
  mustExist: boolean,
): Promise<{ options: ResolvedOptions; columns: IndexColumns; epoch: number; found: JournalContents } | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ENOENT') throw new SyndicError(`index ${file}: cannot read it (${code ?? String(error)})`, 'index');
    if (mustExist) throw new SyndicError(`index ${file} does not exist (syndic index build, or filter --create, creates one)`, 'index');
    return null;
  }
  const decoded = decodeIndex(bytes, file);
  assertCompatible(decoded.options, explicit, `index ${file}`);
  const found = await readJournal(journalPath(file), decoded.epoch, decoded.options);
  return { options: decoded.options, columns: new IndexColumns(decoded.options, decoded.data), epoch: decoded.epoch, found };
}

/** Write snapshot bytes to `file` atomically. */
async function saveSnapshot(file: string, bytes: Buffer): Promise<void> {
  try {
    await writeFileAtomic(file, [bytes]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new SyndicError(`index ${file}: cannot save it (${code ?? String(error)})`, 'index');
  }
}
