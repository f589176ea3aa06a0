/**
 * Text normalization: NFKC, case fold, whitespace collapse and Arabic folding, in one
 * table-driven pass that can keep a map from normalized offsets back to the original text.
 *
 * Full `String.prototype.normalize('NFKC')` runs at ~40 MB/s in V8. Here each code point is
 * folded once per option set and cached, so the common case is one array read per character.
 * Combining sequences (a starter followed by non-Arabic combining marks) are normalized as a
 * unit so that NFKC composition still happens (e + U+0301 → é).
 */
import {
  CODE_MARK,
  foldTableFor,
  resolveNormalizeOptions,
  type FoldTable,
  type NormalizeOptions,
} from './rules.js';
import {
  NO_OFFSETS,
  RUN_BASE_AT,
  RUN_BASE_LENGTH,
  RUN_BASE_PENDING,
  RUN_COLLAPSE,
  RUN_LENGTH,
  RUN_OFFSETS,
  RUN_OUT_START,
  RUN_PENDING,
  RUN_PENDING_AT,
  foldCollapsedRun,
  foldPlainRun,
} from './plain-run.js';

/** Normalized text, with `sourceStart[i]`/`sourceEnd[i]` = original range of normalized char i. */
export interface NormalizedText {
  text: string;
  sourceStart?: Uint32Array;
  sourceEnd?: Uint32Array;
}

/**
 * Normalized text as UTF-16 code units in a reusable buffer: `units[0..length)`. With offsets,
 * `sourceStart[i]`/`sourceEnd[i]` is the original range that produced normalized unit i.
 */
export interface NormalizedUnits {
  units: Uint16Array;
  length: number;
  sourceStart?: Uint32Array;
  sourceEnd?: Uint32Array;
}

/**
 * A reusable normalizer for one option set. The folding table is shared by every normalizer of
 * one option set; the output buffer belongs to this normalizer and is overwritten by each call.
 */
export interface Normalizer {
  readonly options: NormalizeOptions;
  /** The normalized text as a string. */
  normalize(text: string): string;
  /** Normalized UTF-16 units in the normalizer's buffer (valid until the next call). */
  normalizeToUnits(text: string): NormalizedUnits;
  /** Normalized text with a map from each normalized unit back to the original. */
  normalizeWithOffsets(text: string): Required<NormalizedText>;
}

/** Build a {@link Normalizer} for the given (or default) options. */
export function createNormalizer(options: Partial<NormalizeOptions> = {}): Normalizer {
  const resolved = resolveNormalizeOptions(options);
  const table = foldTableFor(resolved);
  const state = newFoldState();
  const reader = new UnitReader();
  return {
    options: resolved,
    normalize: (text) => {
      const length = fold(reader.read(text), 0, text.length, table, state, false, 0); // may replace state.units: read it after
      return unitsToString(state.units, length);
    },
    normalizeToUnits: (text) => {
      const length = fold(reader.read(text), 0, text.length, table, state, false, 0);
      return { units: state.units, length };
    },
    normalizeWithOffsets: (text) => {
      const length = fold(reader.read(text), 0, text.length, table, state, true, 0);
      return {
        text: unitsToString(state.units, length),
        sourceStart: state.starts!.slice(0, length),
        sourceEnd: state.ends!.slice(0, length),
      };
    },
  };
}

/**
 * Appends normalized ranges of texts to one growable buffer, without slicing the text: the
 * per-document stage builds the normalized document paragraph by paragraph with it. Internal.
 */
export interface UnitAppender {
  /** The buffer; replaced when it grows, so read it after each {@link append}. */
  readonly units: Uint16Array;
  /** Make `text` the source of the following {@link append} calls; returns its UTF-16 units (a view reused by the next load). */
  load(text: string): Uint16Array;
  /** Make `units` (a text's UTF-16 units) the source of the following {@link append} calls. */
  loadUnits(units: Uint16Array): void;
  /**
   * Normalize `text[start..end)` of the loaded text exactly as `normalize(text.slice(start, end))`
   * would, writing it at `units[at..)`; `units[0..at)` is kept. Returns the end of the written units.
   */
  append(start: number, end: number, at: number): number;
}

/** Build a {@link UnitAppender} for resolved options. Internal (not in the public API). */
export function createUnitAppender(options: NormalizeOptions): UnitAppender {
  const table = foldTableFor(options);
  const state = newFoldState();
  const reader = new UnitReader();
  let input: Uint16Array = new Uint16Array(0);
  return {
    get units() {
      return state.units;
    },
    load: (text) => (input = reader.read(text)),
    loadUnits: (units) => void (input = units),
    append: (start, end, at) => fold(input, start, end, table, state, false, at),
  };
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The UTF-16 units of a string in a reusable buffer. `Buffer#write(text, 'utf16le')` copies them
 * natively (lone surrogates included), ~10× faster than a `charCodeAt` loop, which made reading
 * the input the largest cost of normalization.
 */
class UnitReader {
  private bytes = Buffer.alloc(0);
  private view = new Uint16Array(0);

  read(text: string): Uint16Array {
    if (this.view.length < text.length) {
      this.bytes = Buffer.allocUnsafeSlow(Math.max(4096, text.length * 2) * 2);
      this.view = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length >> 1);
    }
    if (isLittleEndian) this.bytes.write(text, 0, text.length * 2, 'utf16le');
    else for (let i = 0; i < text.length; i++) this.view[i] = text.charCodeAt(i);
    return this.view;
  }
}

const defaultNormalizers = new Map<string, Normalizer>();

/** Normalize one text with the given (or default) options. */
export function normalize(text: string, options: Partial<NormalizeOptions> = {}): string {
  const resolved = resolveNormalizeOptions(options);
  const key = JSON.stringify(resolved);
  let normalizer = defaultNormalizers.get(key);
  if (!normalizer) defaultNormalizers.set(key, (normalizer = createNormalizer(resolved)));
  return normalizer.normalize(text);
}

const utf16Decoder = new TextDecoder('utf-16le');

/** Decode `units[0..length)` to a string. */
export function unitsToString(units: Uint16Array, length: number): string {
  return utf16Decoder.decode(units.subarray(0, length));
}

interface FoldState {
  units: Uint16Array;
  starts: Uint32Array | null;
  ends: Uint32Array | null;
  /** Output position and pending collapsed space, shared with the out-of-line slow path. */
  length: number;
  pendingSpace: boolean;
  pendingSpaceAt: number;
  /** State passed in and out of {@link foldPlainRun} (RUN_* slots). */
  run: Int32Array;
}

function newFoldState(): FoldState {
  return { units: new Uint16Array(4096), starts: null, ends: null, length: 0, pendingSpace: false, pendingSpaceAt: 0, run: new Int32Array(9) };
}

/**
 * Units the buffers of `state` can hold: with offsets, the offset arrays count too (they grow
 * on their own schedule, and a write past a typed array's end is silently dropped).
 */
function room(state: FoldState, withOffsets: boolean): number {
  return withOffsets ? Math.min(state.units.length, state.starts?.length ?? 0) : state.units.length;
}

/** Grow the buffers of `state` to at least `capacity`, keeping `[0, keep)`. */
function reserve(state: FoldState, capacity: number, keep: number, withOffsets: boolean): void {
  if (state.units.length < capacity) {
    // Grow at least 2×: the appender extends one buffer paragraph by paragraph, and growing to the
    // exact need copied the whole document again for every paragraph of a huge one (quadratic).
    const grown = new Uint16Array(Math.max(capacity, state.units.length * 2));
    grown.set(state.units.subarray(0, keep));
    state.units = grown;
  }
  if (withOffsets && (!state.starts || state.starts.length < capacity)) {
    const size = Math.max(capacity, (state.starts?.length ?? 0) * 2);
    const starts = new Uint32Array(size);
    const ends = new Uint32Array(size);
    if (state.starts) starts.set(state.starts.subarray(0, keep)), ends.set(state.ends!.subarray(0, keep));
    state.starts = starts;
    state.ends = ends;
  }
}

/**
 * Fold `text[start..end)` into `state.units` from `outStart`, return the end of the output; with
 * offsets, also record in `state.starts`/`state.ends` the original range of each output unit.
 * One state machine for both: plain units go through {@link foldPlainRun}, everything else through
 * {@link foldSlow}, and the state between them lives in `state.run`.
 *
 * One table read per unit and no look-ahead: a kept combining mark is rare, so instead of checking
 * whether the next unit is one, the run remembers its state before its last unit and, when a mark
 * comes, the fold rewinds to that base and folds base and marks as one sequence.
 */
function fold(input: Uint16Array, start: number, end: number, table: FoldTable, state: FoldState, withOffsets: boolean, outStart: number): number {
  const run = state.run;
  run[RUN_COLLAPSE] = table.options.whitespace ? 1 : 0;
  run[RUN_OFFSETS] = withOffsets ? 1 : 0;
  run[RUN_OUT_START] = outStart;
  run[RUN_LENGTH] = outStart;
  run[RUN_PENDING] = 0;
  run[RUN_BASE_AT] = -1;
  // A plain run writes at most one unit per input unit (a collapsed space consumed at least one),
  // so it needs no bound check while the buffers hold `length + remaining input`; the slow path
  // may write more and the bound is restored after it returns.
  reserve(state, outStart + (end - start) * 2 + 16, outStart, withOffsets);
  const collapsedRun = table.options.whitespace && !withOffsets;
  let i = start;
  while (i < end) {
    i = collapsedRun
      ? foldCollapsedRun(input, i, end, table.codes, state.units, run)
      : foldPlainRun(input, i, end, table.codes, state.units, state.starts ?? NO_OFFSETS, state.ends ?? NO_OFFSETS, run);
    if (i >= end) break;
    const code = table.codes[input[i]!]!;
    if (code === 0) {
      table.code(input[i]!); // first sight of this unit: learn it, then fold it as usual
      continue;
    }
    let from = i;
    // A kept combining mark right after a unit the run folded: take that unit back and fold it
    // with its marks as one sequence, so that it composes under NFKC. (A pending space before the
    // base is still the one at RUN_PENDING_AT: the base did not move it.)
    if (code === CODE_MARK && i > start && run[RUN_BASE_AT] === i - 1) {
      from = i - 1;
      run[RUN_LENGTH] = run[RUN_BASE_LENGTH]!;
      run[RUN_PENDING] = run[RUN_BASE_PENDING]!;
    }
    state.length = run[RUN_LENGTH]!;
    state.pendingSpace = run[RUN_PENDING] === 1;
    state.pendingSpaceAt = run[RUN_PENDING_AT]!;
    i = foldSlow(input, from, end, table, state, withOffsets, outStart);
    const length = state.length;
    if (room(state, withOffsets) < length + (end - i) + 16) reserve(state, length + (end - i) * 2 + 16, length, withOffsets);
    run[RUN_LENGTH] = length;
    run[RUN_PENDING] = state.pendingSpace ? 1 : 0;
    run[RUN_PENDING_AT] = state.pendingSpaceAt;
    run[RUN_BASE_AT] = -1;
  }
  return run[RUN_LENGTH]!;
}

/**
 * A surrogate pair, a multi-unit fold or a base with combining marks at `i`: fold it with the
 * marks that follow as a unit; returns where it ends.
 */
function foldSlow(input: Uint16Array, i: number, end: number, table: FoldTable, state: FoldState, withOffsets: boolean, outStart: number): number {
  const codePoint = codePointIn(input, i, end);
  const width = codePoint > 0xffff ? 2 : 1;
  let stop = i + width;
  while (stop < end) {
    const mark = codePointIn(input, stop, end);
    if (!table.isKeptCombiningMark(mark)) break;
    stop += mark > 0xffff ? 2 : 1;
  }
  const piece = stop > i + width ? table.foldSequence(unitsSlice(input, i, stop)) : table.foldToString(codePoint);
  emitString(piece, i, stop, state, table.options.whitespace, withOffsets, outStart);
  return stop;
}

/** Code point at `i`, as `text.slice(.., end).codePointAt(i)` sees it (a pair cut at `end` is a lone surrogate). */
function codePointIn(input: Uint16Array, i: number, end: number): number {
  const unit = input[i]!;
  if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < end) {
    const low = input[i + 1]!;
    if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return unit;
}

/** Emit a folded piece (from original `[start, end)`) at `state.length`, collapsing spaces. */
function emitString(piece: string, start: number, end: number, state: FoldState, collapse: boolean, withOffsets: boolean, outStart: number): void {
  for (let k = 0; k < piece.length; k++) {
    const unit = piece.charCodeAt(k);
    if (collapse && unit === 32) {
      if (state.length > outStart && !state.pendingSpace) (state.pendingSpace = true), (state.pendingSpaceAt = start);
      continue;
    }
    if (state.length + 3 > room(state, withOffsets)) reserve(state, (state.length + 3) * 2, state.length, withOffsets);
    if (state.pendingSpace) {
      state.pendingSpace = false;
      if (withOffsets) (state.starts![state.length] = state.pendingSpaceAt), (state.ends![state.length] = state.pendingSpaceAt + 1);
      state.units[state.length++] = 32;
    }
    if (withOffsets) (state.starts![state.length] = start), (state.ends![state.length] = end);
    state.units[state.length++] = unit;
  }
}

/** `input[start..end)` as a string, lone surrogates kept (a decoder would replace them). */
function unitsSlice(input: Uint16Array, start: number, end: number): string {
  let out = '';
  // Chunked: `fromCharCode` spreads its arguments on the stack.
  for (let at = start; at < end; at += 4096) out += String.fromCharCode(...input.subarray(at, Math.min(end, at + 4096)));
  return out;
}
