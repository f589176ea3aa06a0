/** The index interface every backend implements. */
import type { SyndicError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import type { Verdict, VerdictKind } from './verdict.js';

/** A persistent near-duplicate index: check records against it, add them, remove them. */
export interface FilterIndex {
  /** The index's parameters (stored ones win over the options it was opened with). */
  readonly options: ResolvedOptions;
  /** Indexed documents (for Redis: as of the last operation of this client). */
  readonly size: number;
  /** The verdict of `record` against the index; changes nothing. */
  check(record: Pick<DocumentRecord, 'id' | 'text'>): Promise<Verdict>;
  /** Add `record` whatever it matches; its id must not be indexed yet. */
  add(record: Pick<DocumentRecord, 'id' | 'text'>): Promise<void>;
  /**
   * Check `record` and add it when its verdict passes (is not one of `reject`, by default
   * `duplicate` and `syndicated`), atomically with respect to other writers.
   */
  checkAndAdd(record: Pick<DocumentRecord, 'id' | 'text'>, reject?: readonly VerdictKind[]): Promise<Verdict>;
  /**
   * {@link checkAndAdd} of several records, in order, with the verdicts of adding them one by one
   * (the Redis index sends the whole batch in a few round trips). The batch ends at the first
   * record with an input error (an id already indexed, an id that is not valid Unicode): that
   * error is the last outcome and the records after it are left untouched, to be sent again.
   */
  checkAndAddMany(records: Array<Pick<DocumentRecord, 'id' | 'text'>>, reject?: readonly VerdictKind[]): Promise<Array<Verdict | SyndicError>>;
  /** {@link add} of several records, in order; null for each record added. Ends at the first input error, as {@link checkAndAddMany}. */
  addMany(records: Array<Pick<DocumentRecord, 'id' | 'text'>>): Promise<Array<SyndicError | null>>;
  /** Whether a record with this id is indexed. */
  contains(id: string): Promise<boolean>;
  /** Remove a record by id; resolves to false when it was not indexed. */
  remove(id: string): Promise<boolean>;
  /**
   * Make every change so far durable before it is reported (the embedded file's journal: one
   * write and fdatasync for all changes since the last sync; a no-op for Redis, where each
   * command's reply already means the server has it).
   */
  sync(): Promise<void>;
  /** Persist changes as a new snapshot (the embedded file; a no-op for Redis, which persists by itself). */
  save(): Promise<void>;
  /** Save pending changes and release the index (lock file, connection). */
  close(): Promise<void>;
}
