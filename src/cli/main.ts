#!/usr/bin/env node
/**
 * The `syndic` command: parse → call the library → render → exit code. Each command lives in
 * its own module and registers itself on the program built by {@link createProgram}.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeForError, messageForError, processIo, type CliIo, type CommandContext } from './io.js';
import { registerExplain } from './explain.js';
import { registerScan } from './scan.js';
import { registerFilterCommands } from './filter.js';
import { registerIndexInfo } from './index-info.js';
import { registerIndexRemove } from './index-remove.js';
import { registerBench } from './bench.js';
import { registerEval } from './eval.js';
import { registerTruth } from './truth.js';
import { listenForStop, neverStop, type StopRequest } from './signals.js';

/**
 * Build the program for one run; commands write to `context.io`, never to `process` directly.
 * Each command module adds itself here with one `registerX(program, context)` line.
 */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('syndic')
    .description('Find near-duplicate and syndicated news text: character shingles, MinHash and LSH.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  registerScan(program, context);
  registerFilterCommands(program, context);
  registerIndexInfo(program, context);
  registerIndexRemove(program, context);
  registerExplain(program, context);
  registerTruth(program, context);
  registerEval(program, context);
  registerBench(program, context);
  return program;
}

/**
 * The version in package.json: the first one up from this module, wherever it was built to
 * (dist/cli/, src/cli/ under vitest, dist-bench/src/cli/ for the benchmarks).
 */
function packageVersion(): string {
  for (let folder = new URL('.', import.meta.url); ; folder = new URL('..', folder)) {
    const file = new URL('package.json', folder);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (new URL('..', folder).href === folder.href) throw new Error('no package.json above the CLI module');
  }
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo(), stop: StopRequest = neverStop()): Promise<number> {
  const context: CommandContext = { io, exitCode: EXIT.ok, stop };
  const program = createProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr.write(`${messageForError(error)}\n`);
    return exitCodeForError(error);
  }
}

function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Run the CLI as the process: its streams, its stop signals, its exit code. */
export function main(argv: string[] = process.argv.slice(2)): void {
  const stop = listenForStop((signal) => process.stderr.write(`syndic: ${signal}: finishing the record in hand, saving the index and stopping\n`));
  runCli(argv, processIo(), stop).then((code) => {
    process.exitCode = code;
    // Stopped by a signal: stdin may still be open, and would keep the process alive.
    if (stop.signal.aborted) process.exit(code);
  });
}

if (isMain()) main();
