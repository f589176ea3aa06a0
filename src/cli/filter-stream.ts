/**
 * `syndic filter`: JSONL from stdin through the index, novel lines to stdout, verdicts of rejected
 * lines to --rejects. Lines are taken in batches of what is ready (ingest.ts) and each batch goes to
 * the index in one call, so a Redis index answers a whole batch in a few round trips.
 *
 * Group commit: the accepted lines of a batch are printed only once the index holds them durably
 * — after `index.sync()` (the file index's journal write and fdatasync; for Redis, the replies to
 * the batch's accept writes already say so) — so a record printed as accepted is never lost,
 * whatever kills the process. Output and verdicts keep the input order.
 */
import type { AtomicFile } from '../atomic.js';
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { formatCount } from '../render/shared.js';
import { openIndex, type FilterIndex } from '../store/open.js';
import { passes, type Verdict } from '../store/verdict.js';
import type { FilterSettings } from './filter-settings.js';
import { BATCH_RECORDS, readyBatches, SavePolicy, stoppedCode } from './ingest.js';
import { recordFromJsonLine } from '../input/parse.js';
import { cannotWrite, EXIT, openOutput, type CliIo } from './io.js';
import { untilStopped, type StopRequest } from './signals.js';
import { readLines } from '../input/sources.js';
import { hintWhenStdinIsTerminal, summaryLine, VerdictTally } from './verdict-summary.js';

/**
 * Run `filter` over stdin. A stop signal ends the reading; the batch in hand is decided, synced
 * and printed, the index saved, and the signal's exit code returned. A bad line is exit 2 naming
 * it (after the lines before it are decided and printed), or with --skip-invalid a warning.
 */
export async function runFilter(settings: FilterSettings, rejectsFile: string | undefined, add: boolean, io: CliIo, stop: StopRequest): Promise<number> {
  const open = { ...settings.open };
  if (!add && open.path !== undefined) open.readOnly = true;
  // An unwritable --rejects file stops the run before any record is accepted.
  const rejects = rejectsFile === undefined ? null : await openOutput(rejectsFile, io);
  let index: FilterIndex;
  try {
    index = await openIndex(open);
  } catch (error) {
    await rejects?.abort();
    throw error;
  }
  stop.handleGracefully();
  const stdout = guardStdout(io.stdout);
  const counts = { accepted: 0, skipped: 0 };
  const tally = new VerdictTally();
  const saves = new SavePolicy(settings.saveEvery, settings.saveIntervalMs);
  hintWhenStdinIsTerminal('filter', io, true);
  const inHand: string[] = [];
  const commit = async (): Promise<void> => {
    await index.sync();
    const lines = inHand.join('');
    inHand.length = 0;
    if (lines !== '') await stdout.write(lines, counts.accepted);
  };
  /** An input error of a line: skipped with a warning (null), or the error to end the run with. */
  const skipOrFail = (error: unknown, lineNumber: number): SyndicError | null => {
    if (!(error instanceof SyndicError) || error.kind !== 'input') throw error;
    const message = error.message.includes('<stdin>:') ? error.message : `syndic: <stdin>:${lineNumber}: ${error.message.replace(/^syndic: /, '')}`;
    if (!settings.skipInvalid) return new SyndicError(message, 'input');
    counts.skipped++;
    io.stderr.write(`${message} (skipped)\n`);
    return null;
  };
  try {
    const lines = untilStopped(readLines(io.stdin, '<stdin>'), stop.signal);
    for await (const batch of readyBatches(lines, () => (add ? Math.min(BATCH_RECORDS, saves.room) : BATCH_RECORDS))) {
      const records: DocumentRecord[] = [];
      const sources: Array<{ lineNumber: number; text: string }> = [];
      // A bad line ends the batch; the records before it are decided and printed first.
      let badLine: SyndicError | null = null;
      for (const { line: lineNumber, text, problem } of batch) {
        if (text !== undefined && text.trim() === '') continue;
        try {
          if (text === undefined) throw new SyndicError(`syndic: <stdin>:${lineNumber}: ${problem}`, 'input');
          records.push(recordFromJsonLine(text, { file: '<stdin>', line: lineNumber }, settings.fields));
          sources.push({ lineNumber, text });
        } catch (error) {
          if ((badLine = skipOrFail(error, lineNumber))) break;
        }
      }
      let failure: SyndicError | null = null;
      // A record with an input error ends a batch call; after a skip, the records behind it go again.
      for (let at = 0; at < records.length && failure === null; ) {
        const outcomes = add ? await index.checkAndAddMany(records.slice(at), settings.reject) : await checkAll(index, records.slice(at));
        for (const outcome of outcomes) {
          const { lineNumber, text } = sources[at++]!;
          if (outcome instanceof SyndicError) {
            failure = skipOrFail(outcome, lineNumber);
            continue;
          }
          const passed = passes(outcome, settings.reject);
          tally.add(outcome, passed);
          if (passed) {
            counts.accepted++;
            inHand.push(`${text}\n`);
            if (add) saves.added(1);
          } else await writeRejected(rejects, rejectsFile, `${JSON.stringify(outcome)}\n`);
        }
      }
      await commit();
      if (failure ?? badLine) throw failure ?? badLine;
      if (add && saves.due) await saves.save(index, settings.name, settings.verbose && open.path !== undefined, io);
    }
    await stdout.flush(counts.accepted);
  } finally {
    // Lines accepted before a failure are in the index: they are printed (once durable) all the same.
    try {
      if (inHand.length > 0) await commit();
    } finally {
      try {
        await index.close();
      } finally {
        await finishRejects(rejects, rejectsFile);
      }
    }
  }
  if (counts.skipped > 0) io.stderr.write(`syndic: skipped ${counts.skipped} invalid record${counts.skipped === 1 ? '' : 's'}\n`);
  io.stderr.write(summaryLine('filter', tally, `; ${settings.name} holds ${formatCount(index.size)} documents`));
  return stoppedCode(stop) ?? EXIT.ok;
}

/** Verdicts of `records` (checked together: one round trip on Redis), up to the first input error, as checkAndAddMany. */
async function checkAll(index: FilterIndex, records: DocumentRecord[]): Promise<Array<Verdict | SyndicError>> {
  const outcomes = await Promise.all(
    records.map((record) =>
      index.check(record).catch((error: unknown) => {
        if (error instanceof SyndicError && error.kind === 'input') return error;
        throw error;
      }),
    ),
  );
  const failed = outcomes.findIndex((outcome) => outcome instanceof SyndicError);
  return failed < 0 ? outcomes : outcomes.slice(0, failed + 1);
}

async function writeRejected(rejects: AtomicFile | null, file: string | undefined, line: string): Promise<void> {
  if (!rejects) return;
  try {
    await rejects.write(line);
  } catch (error) {
    await rejects.abort();
    throw cannotWrite(file!, error);
  }
}

/** Commit the rejects file (every verdict in it is whole), or remove it when it could not be written. */
async function finishRejects(rejects: AtomicFile | null, file: string | undefined): Promise<void> {
  if (!rejects || rejects.ended) return;
  try {
    await rejects.commit();
  } catch (error) {
    throw cannotWrite(file!, error);
  }
}

/**
 * Stdout that turns a reader going away (EPIPE) into a result instead of an unhandled 'error'
 * event. `write` resolves to false once the reader is gone; given the number of records accepted
 * so far (filter), it throws instead: records were added to the index that nobody received.
 */
export function guardStdout(stream: NodeJS.WritableStream): { write(chunk: string, accepted?: number): Promise<boolean>; flush(accepted?: number): Promise<boolean> } {
  let failure: Error | null = null;
  stream.on('error', (error: Error) => void (failure ??= error));
  const fail = (accepted: number | undefined): boolean => {
    if (accepted === undefined) return false;
    const code = (failure as { code?: string } | null)?.code ?? failure!.message;
    throw new SyndicError(
      `syndic: cannot write to stdout (${code}) after ${accepted} accepted record${accepted === 1 ? '' : 's'}; the ones the reader did not receive are in the index all the same`,
      'input',
    );
  };
  const settle = (accepted: number | undefined, wait: (done: () => void) => void): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      const onError = (): void => {
        try {
          resolve(fail(accepted));
        } catch (error) {
          reject(error);
        }
      };
      stream.once('error', onError);
      wait(() => {
        stream.off('error', onError);
        if (failure) onError();
        else resolve(true);
      });
    });
  return {
    async write(chunk, accepted) {
      if (failure) return fail(accepted);
      if (stream.write(chunk)) return true;
      return settle(accepted, (done) => stream.once('drain', done));
    },
    async flush(accepted) {
      if (failure) return fail(accepted);
      return settle(accepted, (done) => stream.write('', () => done()));
    },
  };
}
