/**
 * `syndic index build`, `syndic filter` and `syndic check`: the pre-ingest filter over a
 * persistent index (an index file, or Redis with --redis): their registration. The options they
 * share are in filter-settings.ts; they run in index-build.ts, filter-stream.ts and check.ts,
 * imported when the command runs, so that other commands do not load the index code.
 */
import { Command } from 'commander';
import type { CommandContext } from './io.js';
import { addIndexOptions, parseFilterSettings, resolvePath, type FilterSettings, type RawFilterOptions } from './filter-settings.js';
import { indexCommand } from './index-group.js';

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
    const { runIndexBuild } = await import('./index-build.js');
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
    const { runFilter } = await import('./filter-stream.js');
    context.exitCode = await runFilter(settingsOf('filter', raw), raw.rejects, raw.add ?? true, context.io, context.stop);
  });

  const check = program
    .command('check')
    .description('print a JSONL verdict for every input record; changes nothing')
    .argument('[inputs...]', "folders, .txt/.md, .jsonl/.jsonl.gz files, '-' for JSONL on stdin (default -)")
    .option('--fail-on-duplicates', 'exit with code 1 when some record is a duplicate or a syndicated copy');
  addIndexOptions(check).action(async (inputs: string[], raw: RawFilterOptions) => {
    const { runCheck } = await import('./check.js');
    context.exitCode = await runCheck(inputs.length > 0 ? inputs : ['-'], settingsOf('check', raw), context.io, raw.failOnDuplicates ?? false);
  });
}
