/**
 * The `syndic index` command group: `index build` (filter.ts), `index info` and `index remove`
 * (their own files) add themselves to it, whichever registers first creates it.
 */
import type { Command } from 'commander';

/** The program's `index` command, created on first use. */
export function indexCommand(program: Command): Command {
  return program.commands.find((command) => command.name() === 'index') ?? program.command('index').description('manage a persistent near-duplicate index');
}
