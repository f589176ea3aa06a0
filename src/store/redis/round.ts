/**
 * Check-and-add on Redis without cross-slot transactions. A batch of records is handled in
 * rounds; in one round, for each record a worker
 *   1. takes a ticket T and appends a (cell key, T) pair for each of its band keys to the cells
 *      of the bucket groups (cells.ts); its record key NS:r:T does not exist yet (`pending`);
 *   2. once every one of those writes is acknowledged, takes a sequence number s (INCRBY NS:seq);
 *   3. publishes its record under NS:r:T in state `sequenced` with s (SET … NX: it fails only if
 *      a waiter gave T up, step 4) and reads the cells of its keys;
 *   4. fetches the records of the tickets found: those `accepted` with a sequence number below s
 *      are the index as the record sees it; one pending (absent), or `sequenced` below s, is
 *      waited for (wait.ts); those with a number above s, or dead, are left out;
 *   5. decides with the shared decision (verdict.ts) and, when the verdict passes and no earlier
 *      accepted record holds its id (the id is one more key of the record, found like the band
 *      keys), sets its state to `accepted` (compare-and-set on its own key); otherwise leaves a
 *      tombstone, and its pairs are removed with the next round's appends (one copy of each cell
 *      for both). A record is reported as accepted only after that write is acknowledged.
 * Why it is correct: let A and B be near-duplicates (they share a band key, that is what makes
 * them candidates) with sequence numbers a < b. A's pair was acknowledged before A took a, a was
 * taken before b (one counter), and B read its cells after taking b: B finds A's pair. B waits
 * until A's state is final, so B decides knowing whether A was accepted; A leaves B out (b > a).
 * So every record is decided against exactly the accepted records of smaller sequence number
 * that share a key with it — the verdicts of processing the records one by one in sequence-number
 * order. Taking the number before the inserts would be unsafe (A takes 1, B takes 2, B inserts and
 * reads before A inserts, A leaves B out as later: both accepted).
 * Waits end: a record waits only for records of smaller number, or for a pending one whose next
 * step (publishing its number) waits for nothing; a crashed worker's record is given up after the
 * lease (wait.ts). A tombstone expires (TOMBSTONE_SECONDS, long after its pairs are gone unless
 * the worker died holding them): a ticket found in a cell whose record is absent is pending, not
 * gone, and is given up after the lease.
 * The records of a round take consecutive numbers in input order and are decided in that order
 * (a record takes the verdicts of the earlier ones of its round from the worker, not from Redis),
 * so one worker's verdicts equal those of the file index fed the same stream. Every write is one
 * single-key command or script, safe to repeat (withRetry).
 */
import { SyndicError } from '../../errors.js';
import type { ResolvedOptions } from '../../options.js';
import type { Probe } from '../probe.js';
import { decide, passes, type IndexedView, type ParagraphHits, type Verdict, type VerdictKind } from '../verdict.js';
import { Cells, probeCellKeys, type FoundCells } from './cells.js';
import { header, HEADER_BYTES, type KeyLayout, parseHeader, STATE } from './layout.js';
import { decodeRecord, encodeRecord, recordId } from './record.js';
import type { ScriptedClient } from './scripts.js';
import { waitForEarlier } from './wait.js';

/** Records of a batch per round (more wait for the next round). */
const MAX_ROUND = 512;
/** How long a tombstone stays (a reader holding an older read of a cell finds it; nothing later can). */
export const TOMBSTONE_SECONDS = 3600;

/** What a round works with: the retrying client, the key names, the parameters. */
export interface RoundContext {
  redis: ScriptedClient;
  keys: KeyLayout;
  cells: Cells;
  options: ResolvedOptions;
  leaseMs: number;
}

/** One record of a batch on its way through the protocol. */
interface Item {
  probe: Probe;
  /** Cell keys (cells.ts, probeCellKeys): band keys, then the id's. */
  keys: Uint32Array;
  ticket: number;
  sequence: number;
  outcome: Verdict | SyndicError | null;
}

/**
 * Check-and-add a batch (add whatever it matches: `reject` null) in rounds; outcomes in input
 * order, and the index's size after the last record it accepted (null: none). The batch ends at
 * the first record with an input error (its outcome is the last one).
 */
export async function runBatch(
  context: RoundContext,
  probes: Array<Probe | SyndicError>,
  reject: readonly VerdictKind[] | null,
): Promise<{ outcomes: Array<Verdict | SyndicError | null>; size: number | null }> {
  const items: Item[] = [];
  let failed: SyndicError | null = null;
  for (const probe of probes) {
    if (probe instanceof SyndicError) {
      failed = probe;
      break;
    }
    items.push({ probe, keys: probeCellKeys(probe), ticket: 0, sequence: 0, outcome: null });
  }
  let size: number | null = null;
  let next = 0;
  while (next < items.length) {
    const round: Item[] = [];
    const ids = new Set<string>();
    // A repeated id starts the next round: the second record must find the first one settled.
    for (; next < items.length && round.length < MAX_ROUND && !ids.has(items[next]!.probe.id); next++) {
      ids.add(items[next]!.probe.id);
      round.push(items[next]!);
    }
    // Records found dead (another worker gave them up) go round again.
    for (let pending = round; pending.length > 0; ) {
      const result = await runRound(context, pending, reject);
      pending = result.restart;
      size = result.size ?? size;
    }
    const stop = round.findIndex((item) => item.outcome instanceof SyndicError);
    if (stop >= 0) {
      items.length = items.indexOf(round[stop]!) + 1;
      failed = null;
      break;
    }
  }
  const outcomes: Array<Verdict | SyndicError | null> = items.map((item) => item.outcome);
  if (failed) outcomes.push(failed);
  return { outcomes, size };
}

/**
 * One round (module comment, steps 1–5); resolves to the records that must start again. The
 * records of a round are decided in their order: one finds the earlier ones of its round in
 * its cells (their numbers are smaller) and takes their verdicts from here, not from Redis.
 */
async function runRound(context: RoundContext, items: Item[], reject: readonly VerdictKind[] | null): Promise<{ restart: Item[]; size: number | null }> {
  const force = reject === null;
  const { redis, keys, cells } = context;
  const count = items.length;
  const lastTicket = await redis.incrby(keys.tickets, count);
  items.forEach((item, i) => (item.ticket = lastTicket - count + 1 + i));
  await cells.append(items);
  const lastSequence = await redis.incrby(keys.sequence, count);
  items.forEach((item, i) => (item.sequence = lastSequence - count + 1 + i));
  const [published, found] = await Promise.all([
    Promise.all(items.map((item) => redis.set(keys.record(item.ticket), encodeRecord(header(STATE.sequenced, item.sequence), item.probe), 'NX'))),
    // An add reads only the cell of its id key: whatever it matches, an id already indexed is refused.
    cells.read(items.map((item) => (force ? item.keys.subarray(item.keys.length - 1) : item.keys))),
  ]);
  const inRound = new Map(items.map((item, i) => [item.ticket, i]));
  const others = new Set<number>();
  for (const cellsOf of found) for (const tickets of cellsOf.values()) for (const ticket of tickets) if (!inRound.has(ticket)) others.add(ticket);
  const fetched = await fetchRecords(context, others);
  await waitForEarlier(redis, keys, context.leaseMs, items.map((item) => item.sequence), found, fetched, inRound);

  const restart: Item[] = [];
  const dropped: Item[] = [];
  const accepted: Item[] = [];
  /** Per record of the round: whether it is accepted so far. */
  const live = new Array<boolean>(count).fill(false);
  /** The stored value or probe of a ticket that counts for the round's i-th record, else null. */
  const admittedFor = (i: number) => (ticket: number): Buffer | Probe | null => {
    const k = inRound.get(ticket);
    if (k !== undefined) return k < i && live[k] ? items[k]!.probe : null;
    const value = fetched.get(ticket);
    if (!value || value.length <= HEADER_BYTES) return null;
    const { state, sequence } = parseHeader(value);
    return state === STATE.accepted && sequence < items[i]!.sequence ? value : null;
  };
  for (let i = 0; i < count; i++) {
    const item = items[i]!;
    if (published[i] !== 'OK') {
      restart.push(item);
      continue;
    }
    const admitted = admittedFor(i);
    const verdict: Verdict = force ? { id: item.probe.id, verdict: 'new', matches: [] } : decideAgainst(context, item.probe, item.keys, found[i]!, admitted);
    item.outcome = verdict;
    const pass = force || passes(verdict, reject);
    // An earlier record of the same id that counts (accepted, or live earlier in this round): the id is taken.
    const taken =
      pass &&
      (found[i]!.get(item.keys[item.keys.length - 1]!) ?? []).some((ticket) => {
        const value = admitted(ticket);
        return value !== null && (Buffer.isBuffer(value) ? recordId(value) : value.id) === item.probe.id;
      });
    if (taken) {
      item.outcome = new SyndicError(`id "${item.probe.id}" is already in the index`, 'input');
      dropped.push(item);
      // The batch ends here: later records of the round are left as they were before it.
      for (const later of items.slice(i + 1)) {
        if (restart.includes(later)) restart.splice(restart.indexOf(later), 1);
        dropped.push(later);
        later.outcome = null;
      }
      break;
    }
    if (pass) {
      live[i] = true;
      accepted.push(item);
    } else dropped.push(item);
  }
  const finals = await Promise.all(accepted.map((item) => redis.syndicState(keys.record(item.ticket), STATE.sequenced, header(STATE.accepted, item.sequence))));
  let newlyAdded = 0;
  let firstLost = count;
  accepted.forEach((item, a) => {
    if (finals[a]![0] === 1) newlyAdded++;
    else {
      // Given up while this worker was deciding (it stalled longer than the lease).
      restart.push(item);
      firstLost = Math.min(firstLost, inRound.get(item.ticket)!);
    }
  });
  // Later records of the round rejected while a lost one counted as accepted are decided again.
  for (const item of dropped.filter((item) => inRound.get(item.ticket)! > firstLost && item.outcome !== null && !(item.outcome instanceof SyndicError))) {
    dropped.splice(dropped.indexOf(item), 1);
    restart.push(item);
  }
  const gone = [...dropped, ...restart];
  // The tombstones first; their pairs go with the next append (cells.defer), so until then a
  // reader finds a dead ticket and leaves it out.
  const [size] = await Promise.all([
    newlyAdded > 0 ? redis.incrby(keys.count, newlyAdded) : Promise.resolve(null),
    ...gone.map((item) => redis.set(keys.record(item.ticket), header(STATE.dead, 0), 'EX', TOMBSTONE_SECONDS)),
  ]);
  cells.defer(gone);
  for (const item of restart) item.outcome = null;
  restart.sort((a, b) => inRound.get(a.ticket)! - inRound.get(b.ticket)!);
  return { restart, size };
}

/** The stored values of some tickets (null: absent, that is pending). */
export async function fetchRecords(context: RoundContext, tickets: Iterable<number>): Promise<Map<number, Buffer | null>> {
  const fetched = new Map<number, Buffer | null>();
  await Promise.all([...tickets].map(async (ticket) => fetched.set(ticket, await context.redis.getBuffer(context.keys.record(ticket)))));
  return fetched;
}

/**
 * The shared decision (verdict.ts) over the candidates found in the probe's document and
 * paragraph buckets; `admitted` gives the stored value (or the probe, for a record of the same
 * round) of a ticket that counts, null for one that does not. Buckets over maxBucketSize are
 * skipped, as in the file index.
 */
export function decideAgainst(
  context: Pick<RoundContext, 'options' | 'keys'>,
  probe: Probe,
  keys: Uint32Array,
  found: FoundCells,
  admitted: (ticket: number) => Buffer | Probe | null,
): Verdict {
  const { options } = context;
  const { bands, numPerm, maxBucketSize } = options;
  const views = new Map<number, IndexedView & { paragraphBandKeys: Uint32Array }>();
  const view = (ticket: number): IndexedView & { paragraphBandKeys: Uint32Array } => {
    let record = views.get(ticket);
    if (!record) {
      const value = admitted(ticket)!;
      views.set(ticket, (record = Buffer.isBuffer(value) ? decodeRecord(value, numPerm, bands, context.keys.namespace) : value));
    }
    return record;
  };
  const live = (key: number): readonly number[] => {
    const tickets = found.get(key) ?? [];
    return tickets.length === 0 ? tickets : tickets.filter((ticket) => admitted(ticket) !== null);
  };
  const documents = new Set<number>();
  const hits: ParagraphHits<number> = { incoming: [], documents: [], paragraphs: [] };
  if (!probe.empty) {
    for (let band = 0; band < bands; band++) {
      const tickets = live(keys[band]!);
      if (tickets.length <= maxBucketSize) for (const ticket of tickets) documents.add(ticket);
    }
    const paragraphs = probe.paragraphLengths.length;
    for (let x = 0; x < paragraphs; x++) {
      for (let band = 0; band < bands; band++) {
        const tickets = live(keys[bands + x * bands + band]!);
        if (tickets.length === 0) continue;
        const bandKey = probe.paragraphBandKeys[x * bands + band]!;
        const entries: Array<[number, number]> = [];
        for (const ticket of tickets) {
          const stored = view(ticket);
          for (let y = 0; y < stored.paragraphLengths.length; y++) if (stored.paragraphBandKeys[y * bands + band] === bandKey) entries.push([ticket, y]);
        }
        if (entries.length > maxBucketSize) continue;
        for (const [ticket, y] of entries) hits.incoming.push(x), hits.documents.push(ticket), hits.paragraphs.push(y);
      }
    }
  }
  return decide(probe, options, documents, hits, view);
}
