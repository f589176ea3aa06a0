/**
 * `syndic check`: a JSONL verdict for every input record against an index, which stays unchanged.
 */
import { openIndex } from '../store/open.js';
import { passes } from '../store/verdict.js';
import { readInputs } from '../input/sources.js';
import { EXIT, type CliIo } from './io.js';
import { readOptionsFor } from './options.js';
import type { FilterSettings } from './filter-settings.js';
import { guardStdout } from './filter-stream.js';
import { BATCH_RECORDS, readyBatches } from './ingest.js';
import { checkExitCode, hintWhenStdinIsTerminal, summaryLine, VerdictTally } from './verdict-summary.js';

/** Print a JSONL verdict for every input record. */
export async function runCheck(inputs: string[], settings: FilterSettings, io: CliIo, failOnDuplicates = false): Promise<number> {
  const skipped = { count: 0 };
  const tally = new VerdictTally();
  const index = await openIndex({ ...settings.open, readOnly: true, mustExist: true });
  try {
    const readOptions = readOptionsFor({ ...settings, sourceFrom: undefined }, io, skipped);
    const stdout = guardStdout(io.stdout);
    hintWhenStdinIsTerminal('check', io, inputs.includes('-'));
    // Checked in batches of what is ready: one round trip per batch on Redis.
    for await (const batch of readyBatches(readInputs(inputs, readOptions), () => BATCH_RECORDS)) {
      const verdicts = await Promise.all(batch.map((item) => index.check(item.record)));
      for (const verdict of verdicts) tally.add(verdict, passes(verdict, settings.reject));
      if (!(await stdout.write(verdicts.map((verdict) => `${JSON.stringify(verdict)}\n`).join('')))) return EXIT.ok;
    }
  } finally {
    await index.close();
  }
  if (skipped.count > 0) io.stderr.write(`syndic: skipped ${skipped.count} invalid record${skipped.count === 1 ? '' : 's'}\n`);
  io.stderr.write(summaryLine('check', tally));
  return checkExitCode(tally, failOnDuplicates);
}
