/**
 * Runs the built CLI (dist/cli/main.js) as a real child process and collects its output.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Root of the repository. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built binary. */
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * The built CLI with a pause in its atomic writes (test/support/pause-in-write.mjs): spawn
 * `node ...pausedInWrite(marker, n, ending), ...args` to stop the n-th commit of a file ending with
 * `ending` half written, MARKER created.
 */
export function pausedInWrite(marker: string, nth: number, ending: string): string[] {
  return [fileURLToPath(new URL('../support/pause-in-write.mjs', import.meta.url)), marker, String(nth), ending];
}

/** What a run printed and how it ended. */
export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Options of {@link runSyndic}. */
export interface RunOptions {
  cwd?: string;
  /** Written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  env?: Record<string, string>;
}

/** Run `node dist/cli/main.js ...args`. NO_COLOR is set and progress is off unless asked for. */
export function runSyndic(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code }));
    // A command that fails early stops reading: the rest of the input meets a closed pipe.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
