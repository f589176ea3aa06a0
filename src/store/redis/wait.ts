/**
 * Waiting for the records a decision depends on (round.ts, step 4), and the lease that keeps a
 * crashed worker from blocking the others forever: a record that stops changing for `leaseMs` is
 * declared dead by the waiter (one write that succeeds only if it is still as the waiter saw it),
 * and its owner, should it be only slow, finds it dead and starts that record again.
 */
import type { FoundCells } from './cells.js';
import { header, HEADER_BYTES, type KeyLayout, parseHeader, STATE } from './layout.js';
import type { ScriptedClient } from './scripts.js';

/**
 * Whether a record of sequence number `sequence` must wait for the stored value of another
 * ticket: absent (pending: its pairs are written, its number not yet published), or sequenced
 * below `sequence` and not decided yet.
 */
export function undecided(value: Buffer | null, sequence: number): boolean {
  if (value === null) return true;
  const { state, sequence: theirs } = parseHeader(value);
  return state === STATE.sequenced && theirs < sequence;
}

/**
 * Wait until no record of a round depends on an undecided one (see {@link undecided}).
 * `sequences[i]` and `found[i]` are the number and the cells read of the round's i-th record;
 * tickets of the round itself (`own`) are skipped; `fetched` (ticket → stored value) is updated in
 * place. Values are polled with backoff; one unchanged for the lease is declared dead.
 */
export async function waitForEarlier(
  redis: ScriptedClient,
  keys: KeyLayout,
  leaseMs: number,
  sequences: readonly number[],
  found: readonly FoundCells[],
  fetched: Map<number, Buffer | null>,
  own: ReadonlyMap<number, number>,
): Promise<void> {
  const lease = new Lease(leaseMs);
  for (let attempt = 0; ; attempt++) {
    const waiting = new Set<number>();
    found.forEach((cells, i) => {
      for (const tickets of cells.values()) {
        for (const ticket of tickets) if (!own.has(ticket) && fetched.has(ticket) && undecided(fetched.get(ticket)!, sequences[i]!)) waiting.add(ticket);
      }
    });
    if (waiting.size === 0) return;
    await sleep(Math.min(1 << attempt, 50));
    await Promise.all(
      [...waiting].map(async (ticket) => {
        const key = keys.record(ticket);
        const before = fetched.get(ticket)!;
        const current = await redis.getBuffer(key);
        const headerOf = (value: Buffer | null): string => (value === null ? '' : value.toString('latin1', 0, HEADER_BYTES));
        const seen = headerOf(current);
        fetched.set(ticket, current);
        if (seen !== headerOf(before) || !lease.expired(ticket, seen)) return;
        if (current === null) {
          // Pending for the whole lease: its owner is gone before publishing. NX: unless it published meanwhile.
          const done = await redis.set(key, header(STATE.dead, 0), 'NX');
          fetched.set(ticket, done === 'OK' ? Buffer.from(header(STATE.dead, 0), 'latin1') : await redis.getBuffer(key));
        } else {
          const [done, after] = await redis.syndicState(key, '=' + seen, header(STATE.dead, parseHeader(seen).sequence));
          fetched.set(ticket, Buffer.from(done === 1 ? header(STATE.dead, 0) : after, 'latin1'));
        }
      }),
    );
  }
}

/** Remembers since when each ticket has shown the same header; a lease expires after `ms` of no change. */
class Lease {
  private readonly seen = new Map<number, { header: string; since: number }>();
  constructor(private readonly ms: number) {}

  expired(ticket: number, current: string): boolean {
    const now = Date.now();
    const last = this.seen.get(ticket);
    if (!last || last.header !== current) {
      this.seen.set(ticket, { header: current, since: now });
      return false;
    }
    return now - last.since >= this.ms;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
