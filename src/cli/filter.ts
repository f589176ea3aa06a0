/**
 * `syndic index build`, `syndic filter` and `syndic check`: the pre-ingest filter over a
 * persistent index (an index file, or Redis with --redis): their registration, and `check`. The
 * options they share are in filter-settings.ts; the two writers run in index-build.ts and
 * filter-stream.ts.
 */
import { Command } from 'commander';
import { openIndex } from '../store/open.js';
import { passes } from '../store/verdict.js';
import { readInputs } from '../input/sources.js';
import { EXIT, type CliIo, type CommandContext } from './io.js';
import { readOptionsFor } from './options.js';
import { addIndexOptions, parseFilterSettings, resolvePath, type FilterSettings, type RawFilterOptions } from './filter-settings.js';
import { guardStdout, runFilter } from './filter-stream.js';
import { runIndexBuild } from './index-build.js';
import { BATCH_RECORDS, readyBatches } from './ingest.js';
import { indexCommand } from './index-group.js';
import { checkExitCode, hintWhenStdinIsTerminal, summaryLine, VerdictTally } from './verdict-summary.js';

/** Register `index build`, `filter` and `check` on the program. */
export function registerFilterCommands(program: Command, context: CommandContext): void {
  const index = indexCommand(program);
  const build = index
    .command('build')
    .description('create an index, or extend it, with every record of the inputs')
    .argument('[inputs...]', "folders, .txt/.md, .jsonl/.jsonl.gz files, '-' for JSONL on stdin (default -)")
    .option('--save-every <n>', 'save the index file after every N records (default 10000)')
    .option('--verbose', 'report each save on stderr');
  // Relative index paths are resolved against the run's working directory once, here.
  const settingsOf = (command: string, raw: RawFilterOptions): FilterSettings => {
    const settings = parseFilterSettings(command, raw);
    return { ...settings, open: resolvePath(settings.open, context.io) };
  };
  addIndexOptions(build).action(async (inputs: string[], raw: RawFilterOptions) => {
    context.exitCode = await runIndexBuild(inputs.length > 0 ? inputs : ['-'], settingsOf('index build', raw), context.io, context.stop);
  });

  const filter = program
    .command('filter')
    .description('JSONL records on stdin → novel records on stdout (added to the index); rejects with their matches to --rejects')
    .option('--rejects <file>', 'write the verdicts of rejected records as JSONL to FILE')
    .option('--create', 'create the index file when it does not exist (otherwise a missing --index is an error)')
    .option(
      '--reject <verdicts>',
      'verdicts to hold back, comma-separated: duplicate (a near-duplicate of an indexed record), syndicated (a copy lying inside one), contains (new material around one) (default duplicate,syndicated)',
    )
    .option('--no-add', 'only filter: do not add novel records to the index')
    .option('--save-every <n>', 'save the index file after every N added records (default 10000)')
    .option('--save-interval <seconds>', 'and at least this often while records are added (default 30)')
    .option('--verbose', 'report each save on stderr');
  addIndexOptions(filter).action(async (raw: RawFilterOptions) => {
    context.exitCode = await runFilter(settingsOf('filter', raw), raw.rejects, raw.add ?? true, context.io, context.stop);
  });

  const check = program
    .command('check')
    .description('print a JSONL verdict for every input record; changes nothing')
    .argument('[inputs...]', "folders, .txt/.md, .jsonl/.jsonl.gz files, '-' for JSONL on stdin (default -)")
    .option('--fail-on-duplicates', 'exit with code 1 when some record is a duplicate or a syndicated copy');
  addIndexOptions(check).action(async (inputs: string[], raw: RawFilterOptions) => {
    context.exitCode = await runCheck(inputs.length > 0 ? inputs : ['-'], settingsOf('check', raw), context.io, raw.failOnDuplicates ?? false);
  });
}

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
