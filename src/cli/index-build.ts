/**
 * `syndic index build`: add every input record to an index (created when needed), in batches of
 * what is ready (ingest.ts): one journal sync per batch for the file index, a few round trips
 * per batch for Redis. Ids already indexed are skipped: extending an index with an input it
 * already holds is a re-run, not an error.
 */
import { SyndicError } from '../errors.js';
import { openIndex } from '../store/open.js';
import type { FilterSettings } from './filter-settings.js';
import { BATCH_RECORDS, readyBatches, SavePolicy, stoppedCode } from './ingest.js';
import { EXIT, type CliIo } from './io.js';
import { readOptionsFor } from './options.js';
import { untilStopped, type StopRequest } from './signals.js';
import { readInputs } from '../input/sources.js';

/**
 * Add every input record to the index. A stop signal ends the reading; the batch in hand is
 * added, the index saved, and the signal's exit code returned.
 */
export async function runIndexBuild(inputs: string[], settings: FilterSettings, io: CliIo, stop: StopRequest): Promise<number> {
  const skipped = { count: 0 };
  const index = await openIndex(settings.open);
  stop.handleGracefully();
  const saves = new SavePolicy(settings.saveEvery, Infinity);
  let added = 0;
  let alreadyIndexed = 0;
  try {
    const readOptions = readOptionsFor({ ...settings, sourceFrom: undefined }, io, skipped);
    for await (const batch of readyBatches(untilStopped(readInputs(inputs, readOptions), stop.signal), () => Math.min(BATCH_RECORDS, saves.room))) {
      const known = await Promise.all(batch.map((item) => index.contains(item.record.id)));
      const fresh = batch.filter((_, i) => !known[i]);
      alreadyIndexed += batch.length - fresh.length;
      let failure: SyndicError | null = null;
      // An input error ends an addMany call; after a skip, the records behind it go again.
      for (let at = 0; at < fresh.length && failure === null; ) {
        for (const outcome of await index.addMany(fresh.slice(at).map((item) => item.record))) {
          const item = fresh[at++]!;
          if (outcome === null) {
            added++;
            saves.added(1);
            continue;
          }
          const message = `syndic: ${item.line === undefined ? item.file : `${item.file}:${item.line}`}: ${outcome.message.replace(/^syndic: /, '')}`;
          if (!settings.skipInvalid) failure = new SyndicError(message, 'input');
          else {
            skipped.count++;
            io.stderr.write(`${message} (skipped)\n`);
          }
        }
      }
      // Synced per batch, so that a killed build loses little (and the journal's buffer stays small).
      await index.sync();
      if (failure) throw failure;
      if (saves.due) await saves.save(index, settings.name, settings.verbose && settings.open.path !== undefined, io);
    }
    await index.save();
  } finally {
    await index.close();
  }
  if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
  const known = alreadyIndexed > 0 ? ` (${alreadyIndexed} already indexed, left as they were)` : '';
  io.stderr.write(`syndic: added ${added} record${added === 1 ? '' : 's'}${known}; ${settings.name} holds ${index.size} documents\n`);
  return stoppedCode(stop) ?? EXIT.ok;
}
