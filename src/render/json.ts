/**
 * `--format json`: the DESIGN contract, one object, two-space indented, with a final newline.
 */
import type { DetectionResult } from '../detect/types.js';

/** The result as the contract's JSON document. */
export function renderJson(result: DetectionResult): string {
  return [...renderJsonChunks(result)].join('');
}

/**
 * {@link renderJson} in pieces (runs of up to {@link RUN_ELEMENTS} documents, pairs or clusters),
 * whose concatenation is the same text: the report of a million documents is longer than the
 * longest string V8 can make.
 */
export function* renderJsonChunks(result: DetectionResult): Generator<string> {
  const { version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets } = result;
  yield* jsonChunks({ version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets }, '', 0);
  yield '\n';
}

/** Arrays are split up to this depth (top level 0), objects above it; deeper values are stringified whole. */
const SPLIT_DEPTH = 3;
/** Elements of a split array stringified in one call (a piece of the output): at most, and in the first run. */
const RUN_ELEMENTS = 256;
const FIRST_RUN_ELEMENTS = 16;
/**
 * Length a run's text is kept near, in UTF-16 units: a string over V8's large-object size (128 KB,
 * 64K units of Arabic) is made in the old generation and stays there as garbage until a full
 * collection, so a report made of such pieces grew the heap by more than its own size.
 */
const RUN_CHARS = 1 << 14;

/** `JSON.stringify(value, null, 2)` at indentation `indent`, in pieces. */
function* jsonChunks(value: unknown, indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  if (splitsArray(value, depth)) {
    yield '[\n';
    // Elements written whole go out in runs: one native stringify per run, not one per element;
    // after a short first run, the number per run follows the length of the last run's text (see RUN_CHARS).
    let run: unknown[] = [];
    let runElements = FIRST_RUN_ELEMENTS;
    const emit = function* (last: boolean): Generator<string> {
      const chars = yield* wholeRun(run, inner, last);
      runElements = Math.max(1, Math.min(RUN_ELEMENTS, Math.floor((run.length * RUN_CHARS) / Math.max(1, chars))));
      run = [];
    };
    for (let i = 0; i < value.length; i++) {
      const last = i + 1 === value.length;
      const element: unknown = value[i];
      if (splitsArray(element, depth + 1) || splitsObject(element, depth + 1)) {
        if (run.length > 0) yield* emit(false);
        yield inner;
        yield* jsonChunks(element, inner, depth + 1);
        yield last ? '\n' : ',\n';
        continue;
      }
      run.push(element);
      if (run.length >= runElements || last) yield* emit(last);
    }
    yield `${indent}]`;
    return;
  }
  if (splitsObject(value, depth)) {
    const entries = Object.entries(value).filter(([, member]) => member !== undefined && typeof member !== 'function' && typeof member !== 'symbol');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [key, member] = entries[i]!;
      yield `${inner}${JSON.stringify(key)}: `;
      yield* jsonChunks(member, inner, depth + 1);
      yield i + 1 < entries.length ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  yield whole(value, indent);
}

function splitsArray(value: unknown, depth: number): value is unknown[] {
  return Array.isArray(value) && depth < SPLIT_DEPTH && value.length > 0;
}

function splitsObject(value: unknown, depth: number): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && depth < SPLIT_DEPTH - 1 && !('toJSON' in value);
}

/**
 * Consecutive elements of an array, each stringified whole at indentation `inner`, with the
 * separators that follow them (`,` after each but the array's last). Nested in as many arrays as
 * `inner` has levels, JSON.stringify indents them itself; the wrapper's lines are cut off. An
 * element JSON cannot represent becomes null, as JSON.stringify writes it inside an array. A run
 * longer than the longest string V8 can make (huge clusters side by side) is written in halves.
 */
function* wholeRun(elements: unknown[], inner: string, endsArray: boolean): Generator<string, number> {
  let nested: unknown = elements;
  for (let level = 1; level < inner.length / 2; level++) nested = [nested];
  let text: string;
  try {
    text = JSON.stringify(nested, null, 2);
  } catch (error) {
    if (!(error instanceof RangeError) || elements.length < 2) throw error;
    const half = elements.length >>> 1;
    return (yield* wholeRun(elements.slice(0, half), inner, false)) + (yield* wholeRun(elements.slice(half), inner, endsArray));
  }
  // A line `[` per array level before the first element, a line `]` per level after the last.
  const wrapper = inner.length / 2;
  let head = 0;
  for (let level = 0; level < wrapper; level++) head = text.indexOf('\n', head) + 1;
  let tail = text.length;
  for (let level = 0; level < wrapper; level++) tail = text.lastIndexOf('\n', tail - 1);
  yield text.slice(head, tail);
  yield endsArray ? '\n' : ',\n';
  return text.length;
}

/** A value stringified whole, its lines indented by `indent`. */
function whole(value: unknown, indent: string): string {
  // A JSON string holds no raw line break, so every line break is between lines of the layout.
  const text = JSON.stringify(value, null, 2);
  return indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
}
