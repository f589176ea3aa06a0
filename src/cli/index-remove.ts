/**
 * `syndic index remove ID…`: take records out of an index by id (`-` reads ids from stdin, one a
 * line). Ids that are not indexed are named on stderr and change nothing; the index is saved once.
 */
import type { Command } from 'commander';
import { SyndicError } from '../errors.js';
import { formatCount } from '../render/shared.js';
import { addIndexLocationOptions, parseFilterSettings, resolvePath, type RawFilterOptions } from './filter-settings.js';
import { EXIT, type CliIo, type CommandContext } from './io.js';
import { indexCommand } from './index-group.js';
import { readLines } from '../input/sources.js';

/** Register `syndic index remove` on the program. */
export function registerIndexRemove(program: Command, context: CommandContext): void {
  const remove = indexCommand(program)
    .command('remove')
    .description("remove records from an index by id ('-' reads ids from stdin, one per line)")
    .argument('<ids...>', "ids of indexed records, or '-' for ids on stdin");
  addIndexLocationOptions(remove).action(async (ids: string[], raw: RawFilterOptions) => {
    context.exitCode = await runIndexRemove(ids, raw, context.io);
  });
}

/** Remove `ids` from the index named by `raw`; resolves to the exit code. */
export async function runIndexRemove(ids: readonly string[], raw: RawFilterOptions, io: CliIo): Promise<number> {
  const settings = parseFilterSettings('index remove', raw);
  // The index code is loaded when an index command runs, not for every command.
  const { openIndex } = await import('../store/open.js');
  const index = await openIndex({ ...resolvePath(settings.open, io), mustExist: true });
  let removed = 0;
  const missing: string[] = [];
  try {
    for await (const id of idsOf(ids, io)) {
      if (await index.remove(id)) removed++;
      else missing.push(id);
    }
    if (removed > 0) await index.save();
  } finally {
    await index.close();
  }
  const shown = missing.slice(0, 10).map((id) => JSON.stringify(id)).join(', ');
  const more = missing.length > 10 ? ` and ${formatCount(missing.length - 10)} more` : '';
  const notIndexed = missing.length > 0 ? ` (${formatCount(missing.length)} not indexed: ${shown}${more})` : '';
  io.stderr.write(`syndic: removed ${formatCount(removed)} record${removed === 1 ? '' : 's'}${notIndexed}; ${settings.name} holds ${formatCount(index.size)} documents\n`);
  return EXIT.ok;
}

/** The ids given, with `-` replaced by the non-blank lines of stdin. */
async function* idsOf(ids: readonly string[], io: CliIo): AsyncGenerator<string> {
  for (const id of ids) {
    if (id !== '-') {
      yield id;
      continue;
    }
    for await (const { line, text, problem } of readLines(io.stdin, '<stdin>')) {
      if (text === undefined) throw new SyndicError(`<stdin>:${line}: ${problem}`, 'input');
      const trimmed = text.trim();
      if (trimmed) yield trimmed;
    }
  }
}
