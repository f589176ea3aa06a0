/**
 * SIGINT (Ctrl-C), SIGTERM (kill, systemd stop) and SIGHUP (terminal closed) end a run cleanly,
 * with exit code 128 + the signal's number (130, 143, 129).
 *
 * A command that holds state worth saving (`filter`, `index build`) calls
 * {@link StopRequest.handleGracefully}: the first signal then only aborts
 * {@link StopRequest.signal}; the command stops reading, saves the index, releases its lock and
 * returns the signal's exit code. Any other command (`scan`, `check`) is ended at once:
 * `process.exit` runs the exit handlers, which remove the temporary files of unfinished outputs
 * (see atomic.ts) and the index lock. A second signal always ends the process at once.
 */
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How a command learns that the user asked the run to stop. */
export interface StopRequest {
  /** Aborted at the first signal when the command handles it gracefully; its `reason` is the exit code. */
  readonly signal: AbortSignal;
  /** The command ends cleanly by itself when {@link StopRequest.signal} aborts (instead of being ended at once). */
  handleGracefully(): void;
}

/** Exit code of a run ended by `signal`: 128 + its number. */
export function signalExitCode(signal: (typeof SIGNALS)[number]): number {
  return 128 + constants.signals[signal];
}

/** A request that never comes (runs in-process, tests). */
export function neverStop(): StopRequest {
  return { signal: new AbortController().signal, handleGracefully: () => {} };
}

/**
 * Listen for the stop signals on this process. `onGracefulStop` is told which signal arrived
 * (for a message on stderr).
 */
export function listenForStop(onGracefulStop: (signal: string) => void): StopRequest {
  const controller = new AbortController();
  let graceful = false;
  for (const name of SIGNALS) {
    process.on(name, () => {
      const code = signalExitCode(name);
      if (!graceful || controller.signal.aborted) process.exit(code);
      onGracefulStop(name);
      controller.abort(code);
    });
  }
  return {
    signal: controller.signal,
    handleGracefully: () => {
      graceful = true;
    },
  };
}

/**
 * The items of `source` until `signal` aborts. A read in progress at that moment is abandoned,
 * not awaited: a stop must not wait for the next line of an idle stdin.
 */
export async function* untilStopped<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  const stopped = new Promise<typeof STOPPED>((resolve) => signal.addEventListener('abort', () => resolve(STOPPED), { once: true }));
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    // `stopped` first: when both have settled, the stop wins.
    const result = await Promise.race([stopped, iterator.next()]);
    if (result === STOPPED || result.done) return;
    yield result.value;
  }
}

const STOPPED = Symbol('stopped');
