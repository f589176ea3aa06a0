/**
 * `--format json`: the DESIGN contract, one object, two-space indented, with a final newline.
 */
import type { DetectionResult } from '../detect/types.js';

/** The result as the contract's JSON document. */
export function renderJson(result: DetectionResult): string {
  return [...renderJsonChunks(result)].join('');
}

/**
 * {@link renderJson} in pieces (about one per document, pair or cluster), whose concatenation is
 * the same text: the report of a million documents is longer than the longest string V8 can make.
 */
export function* renderJsonChunks(result: DetectionResult): Generator<string> {
  const { version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets } = result;
  yield* jsonChunks({ version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets }, '', 0);
  yield '\n';
}

/** Arrays are split up to this depth (top level 0), objects above it; deeper values are stringified whole. */
const SPLIT_DEPTH = 3;

/** `JSON.stringify(value, null, 2)` at indentation `indent`, in pieces. */
function* jsonChunks(value: unknown, indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  if (splitsArray(value, depth)) {
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const separator = i + 1 < value.length ? ',\n' : '\n';
      // An element JSON cannot represent becomes null, as JSON.stringify writes it inside an array.
      const element: unknown = value[i];
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') yield `${inner}null${separator}`;
      else if (splitsArray(element, depth + 1) || splitsObject(element, depth + 1)) {
        yield inner;
        yield* jsonChunks(element, inner, depth + 1);
        yield separator;
      } else yield `${inner}${whole(element, inner)}${separator}`; // one piece per element: most of the report
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

/** A value stringified whole, its lines indented by `indent`. */
function whole(value: unknown, indent: string): string {
  // A JSON string holds no raw line break, so every line break is between lines of the layout.
  const text = JSON.stringify(value, null, 2);
  return indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
}
