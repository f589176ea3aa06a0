/**
 * The fast loops of the fold (normalize.ts): runs of units that fold to one unit, a space or
 * nothing each, with the state they take in and give back in one Int32Array (RUN_* slots).
 */
import { CODE_DROP, CODE_SPACE, UNIT_BASE } from './rules.js';

/** Slots of {@link FoldState.run}: the state a plain run takes in and gives back. */
export const RUN_LENGTH = 0;
export const RUN_PENDING = 1;
export const RUN_BASE_AT = 2;
export const RUN_BASE_LENGTH = 3;
export const RUN_BASE_PENDING = 4;
export const RUN_COLLAPSE = 5;
export const RUN_OUT_START = 6;
/** Input position of the space a pending collapsed space stands for (its offset). */
export const RUN_PENDING_AT = 7;
/** 1 when the run records offsets. */
export const RUN_OFFSETS = 8;
/** The offset arrays of a fold without offsets: never written (a typed array, not null, keeps the run's parameter types one). */
export const NO_OFFSETS = new Uint32Array(0);

/**
 * The codes {@link foldPlainRun} tests, as this module's own constants: TurboFan folds a module's
 * own `const` into the loop but re-reads an imported binding, with a hole check, on every use
 * (the plain run measured ~15% slower with the imports).
 */
const DROP = CODE_DROP;
const SPACE = CODE_SPACE;
const PLAIN_BASE = UNIT_BASE;

/**
 * Fold plain units (one output unit, a space or nothing each) from `i` until the end or the first
 * unit that needs more (unknown, surrogate, multi-unit fold, kept combining mark); returns where it
 * stopped. Keeps, for a mark that may follow, the output state before the last unit it folded.
 * With offsets (RUN_OFFSETS), records in `starts`/`ends` the input range of every unit it writes.
 *
 * The loop has no calls in it: with the slow paths in the same function V8 kept its state in
 * memory rather than registers, at half the speed. Recording offsets is a test of a loop-invariant
 * local, so both modes share this one loop.
 */
export function foldPlainRun(
  input: Uint16Array,
  i: number,
  end: number,
  codes: Uint32Array,
  units: Uint16Array,
  starts: Uint32Array,
  ends: Uint32Array,
  run: Int32Array,
): number {
  const collapse = run[RUN_COLLAPSE] === 1;
  const offsets = run[RUN_OFFSETS] === 1;
  const outStart = run[RUN_OUT_START]!;
  let length = run[RUN_LENGTH]!;
  let pendingSpace = run[RUN_PENDING] === 1;
  let pendingSpaceAt = run[RUN_PENDING_AT]!;
  let baseLength = 0;
  let basePending = false;
  const from = i;
  for (; i < end; i++) {
    const code = codes[input[i]!]!;
    if (code < DROP) break;
    baseLength = length;
    basePending = pendingSpace;
    if (code >= PLAIN_BASE) {
      if (pendingSpace) {
        pendingSpace = false;
        if (offsets) (starts[length] = pendingSpaceAt), (ends[length] = pendingSpaceAt + 1);
        units[length++] = 32;
      }
      if (offsets) (starts[length] = i), (ends[length] = i + 1);
      units[length++] = code - PLAIN_BASE;
    } else if (code === SPACE) {
      if (!collapse) {
        if (offsets) (starts[length] = i), (ends[length] = i + 1);
        units[length++] = 32;
      } else if (length > outStart && !pendingSpace) (pendingSpace = true), (pendingSpaceAt = i);
    }
  }
  run[RUN_PENDING_AT] = pendingSpaceAt;
  return endRun(run, from, i, length, pendingSpace ? 1 : 0, baseLength, basePending ? 1 : 0);
}

/**
 * {@link foldPlainRun} for the common mode (spaces collapsed, no offsets), without a branch per
 * unit: a letter after a space and a space after a letter were each a mispredicted branch, two
 * per word, a third of the fold. Where a pending space began is left alone: only offsets need it.
 * Every unit writes a space and its letter at `length` (what lies
 * past `length` is scratch) and moves `length` by what it really wrote.
 */
export function foldCollapsedRun(input: Uint16Array, i: number, end: number, codes: Uint32Array, units: Uint16Array, run: Int32Array): number {
  const outStart = run[RUN_OUT_START]!;
  let length = run[RUN_LENGTH]!;
  let pending = run[RUN_PENDING]!;
  let baseLength = 0;
  let basePending = 0;
  const from = i;
  for (; i < end; i++) {
    const code = codes[input[i]!]!;
    if (code < DROP) break;
    baseLength = length;
    basePending = pending;
    const plain = +(code >= PLAIN_BASE);
    // A space (not at the start) becomes pending; a letter writes the pending space, then itself.
    const opens = +(code === SPACE) & +(length > outStart) & (pending ^ 1);
    units[length] = 32;
    units[length + pending] = code - PLAIN_BASE;
    length += plain * (pending + 1);
    pending = (pending | opens) & (plain ^ 1);
  }
  return endRun(run, from, i, length, pending, baseLength, basePending);
}

/** Give a run's state back in `run` (see {@link foldPlainRun}); returns where it stopped, `i`. */
function endRun(run: Int32Array, from: number, i: number, length: number, pending: number, baseLength: number, basePending: number): number {
  run[RUN_LENGTH] = length;
  run[RUN_PENDING] = pending;
  if (i > from) {
    run[RUN_BASE_AT] = i - 1;
    run[RUN_BASE_LENGTH] = baseLength;
    run[RUN_BASE_PENDING] = basePending;
  }
  return i;
}
