/**
 * What the CLI touches of its process, as an object, so tests can run the program in-process:
 * the streams, the exit codes, and the one writer of every output (a file, atomically, or stdout).
 */
import path from 'node:path';
import { AtomicFile } from '../atomic.js';
import { SyndicError } from '../errors.js';
import type { StopRequest } from './signals.js';

/** Streams and environment of one CLI run. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress is shown by default only then). */
  stderrIsTTY: boolean;
  /** Whether stdin is a terminal (`filter` and `check` then say that they wait for JSONL). */
  stdinIsTTY?: boolean;
  cwd: string;
}

/** Shared by the commands of one run: the process streams and the exit code to return. */
export interface CommandContext {
  io: CliIo;
  /** Set by a command that ends with a code other than 0 without throwing (e.g. 1 for duplicates found). */
  exitCode: number;
  /** SIGINT / SIGTERM / SIGHUP, for the commands that end cleanly by themselves. */
  stop: StopRequest;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    cwd: process.cwd(),
  };
}

/** Exit codes of the contract. */
export const EXIT = Object.freeze({ ok: 0, duplicatesFound: 1, usage: 2, internal: 3 });

/** Exit code for an error thrown by a command: 2 for user mistakes, 3 for anything else. */
export function exitCodeForError(error: unknown): number {
  if (error instanceof SyndicError) return EXIT.usage;
  return EXIT.internal;
}

/** A message prefixed with the program's name once (library messages have none, CLI ones may). */
export function withProgramName(message: string): string {
  return message.startsWith('syndic:') ? message : `syndic: ${message}`;
}

/** One-line message for an error; a stack trace only for internal failures. */
export function messageForError(error: unknown): string {
  if (error instanceof SyndicError) return withProgramName(error.message);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `syndic: internal error (please report it): ${detail}`;
}

/** Write a chunk, waiting for the stream to drain when its buffer is full (backpressure). */
export function writeChunk(stream: NodeJS.WritableStream, chunk: string): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

/** The message for an output file that cannot be written, by its error code. */
export function cannotWrite(file: string, error: unknown): SyndicError {
  if (error instanceof SyndicError) return error;
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ENOENT'
      ? 'no such directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'ENOSPC'
            ? 'no space left on the device (the earlier file, if any, is untouched)'
            : (code ?? String(error));
  return new SyndicError(`syndic: cannot write ${file}: ${reason}`, 'input');
}

/**
 * Start writing the output file `file` (relative to the run's folder): nothing appears at its
 * name until `commit` (see atomic.ts). An unwritable place is a {@link cannotWrite} error.
 */
export async function openOutput(file: string, io: CliIo): Promise<AtomicFile> {
  try {
    return await AtomicFile.create(path.resolve(io.cwd, file));
  } catch (error) {
    throw cannotWrite(file, error);
  }
}

/**
 * Write `content` to the output file `file` atomically (on any failure the earlier file stays as
 * it was), or to stdout when no file is given.
 */
export async function writeOutput(file: string | undefined, content: string | Iterable<string>, io: CliIo): Promise<void> {
  if (file === undefined) return writeStdout(io.stdout, content);
  const output = await openOutput(file, io);
  try {
    for (const chunk of typeof content === 'string' ? [content] : content) await output.write(chunk);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw cannotWrite(file, error);
  }
}

/** Pieces of output are gathered up to this many UTF-16 units before each write. */
const WRITE_CHUNK_CHARS = 1 << 20;

/** `pieces` joined into strings of about {@link WRITE_CHUNK_CHARS} (fewer, larger writes). */
function* gathered(pieces: Iterable<string>): Generator<string> {
  let chunk: string[] = [];
  let chars = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    chars += piece.length;
    if (chars >= WRITE_CHUNK_CHARS) {
      yield chunk.join('');
      chunk = [];
      chars = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/**
 * Write the whole report to stdout, piece by piece, and wait until it is flushed. A reader that
 * went away (EPIPE: `syndic scan … | head`) ends the output quietly instead of crashing with a
 * stack trace.
 */
async function writeStdout(stream: NodeJS.WritableStream, content: string | Iterable<string>): Promise<void> {
  let closed = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const isClosedPipe = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'EPIPE';
  const onError = (error: unknown): void => {
    if (isClosedPipe(error)) closed = true;
    else failure ??= error;
    wake?.();
  };
  // Stays attached: the stream emits 'error' after the write callback has seen it.
  stream.on('error', onError);
  for (const chunk of typeof content === 'string' ? [content] : gathered(content)) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      stream.write(chunk, (error) => (error ? onError(error) : resolve()));
    });
    if (failure !== null) throw failure;
    if (closed) return;
  }
}
