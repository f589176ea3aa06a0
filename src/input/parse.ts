/**
 * Turning input bytes into records: JSONL lines with remappable field names, whole text files,
 * unique ids. Every bad input error names the file, the line and the field.
 */
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { decodeStrictUtf8 } from '../text/utf8.js';

/** Field names to read from JSONL objects. */
export interface FieldMap {
  id: string;
  text: string;
  source: string;
  date: string;
  url: string;
  title: string;
}

/** Standard field names. */
export const DEFAULT_FIELDS: Readonly<FieldMap> = Object.freeze({
  id: 'id',
  text: 'text',
  source: 'source',
  date: 'date',
  url: 'url',
  title: 'title',
});

/** Where a record came from, for messages: `file:line`. */
export interface InputLocation {
  file: string;
  line: number;
}

/**
 * `text` with control characters escaped (`\u0000`): V8 quotes the offending input in JSON errors,
 * and a binary line must not put raw control bytes or line breaks into a one-line message.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `file:line: ` prefix. */
export function describeLocation(where: InputLocation): string {
  return `${where.file}:${where.line}`;
}

/**
 * Parse one JSONL line into a record. Throws {@link SyndicError} (kind `input`) naming the file,
 * line and field: malformed JSON, not an object, missing or non-string id/text, wrong-typed
 * optional fields. Numeric ids are accepted and turned into strings (common in exports).
 */
export function recordFromJsonLine(line: string, where: InputLocation, fields: FieldMap = DEFAULT_FIELDS): DocumentRecord {
  const parsed = parseJsonRecord(line, fields);
  if (typeof parsed === 'string') throw new SyndicError(`${describeLocation(where)}: ${parsed}`, 'input');
  return parsed;
}

/**
 * {@link recordFromJsonLine} without the location: the record, or why the line is not one (the
 * message after `file:line: `). Worker threads parse lines whose numbers only the main thread
 * knows, so the location is added there.
 */
export function parseJsonRecord(line: string, fields: FieldMap = DEFAULT_FIELDS): DocumentRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `malformed JSON (${printable(error instanceof Error ? error.message : String(error))})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`;
  }
  const object = value as Record<string, unknown>;
  const rawId = object[fields.id];
  if (rawId === undefined || rawId === null) return `field "${fields.id}" (id) is missing`;
  if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    return `field "${fields.id}" (id) must be a string, got ${typeof rawId}`;
  }
  const id = String(rawId);
  if (id.length === 0) return `field "${fields.id}" (id) is empty`;
  const text = object[fields.text];
  if (text === undefined || text === null) return `field "${fields.text}" (text) is missing`;
  if (typeof text !== 'string') return `field "${fields.text}" (text) must be a string, got ${typeof text}`;
  const record: DocumentRecord = { id, text };
  for (const key of ['source', 'date', 'url', 'title'] as const) {
    const raw = object[fields[key]];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') return `field "${fields[key]}" (${key}) must be a string, got ${typeof raw}`;
    record[key] = raw;
  }
  return record;
}

/** The text of one JSONL line's bytes (a trailing '\r' dropped), or why it is not valid UTF-8. */
export function decodeLine(bytes: Uint8Array): string | { problem: string } {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 13) end--;
  const line = bytes.subarray(0, end);
  const text = decodeStrictUtf8(line);
  return text !== null ? text : { problem: `invalid UTF-8 at byte ${firstInvalidUtf8Byte(line)} of the line` };
}

/** The text of a whole text file's bytes, or why it is not one (binary, invalid UTF-8). */
export function decodeTextFile(bytes: Uint8Array): string | { problem: string } {
  if (bytes.subarray(0, 8192).includes(0)) return { problem: 'binary file (contains NUL bytes), not text' };
  const text = decodeStrictUtf8(bytes);
  return text !== null ? text : { problem: `invalid UTF-8 at byte ${firstInvalidUtf8Byte(bytes)}` };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte where strict UTF-8 decoding fails (for the error message). */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection; a cut inside a character only moves it by ≤ 3 bytes.
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    try {
      strictUtf8.decode(bytes.subarray(0, middle));
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  while (low > 0 && (bytes[low]! & 0xc0) === 0x80) low--;
  return low;
}

/**
 * Ids seen so far and where: ids must be unique across all inputs, and the second occurrence is
 * the one reported (`file:line: duplicate id "x" (first seen at file:line)`).
 */
/**
 * Folder ids are paths relative to their folder, so two folders holding the same file name give
 * the same id: say how to get unique ids instead of leaving the user with the clash.
 */
const FOLDER_ID_HINT =
  '; ids of folder files are their paths relative to the folder, so two folders with the same file names clash: scan their parent folder instead (ids then start with the folder name; add --source-from dir to take the outlet from it)';

export class IdRegistry {
  private readonly firstSeen = new Map<string, string>();

  /**
   * Null when `id` is new (it is then remembered at `where`), else the message for the duplicate.
   * `folderFile`: the record is a file of a folder input (its id its path relative to the folder),
   * so the message says how to get unique ids across folders.
   */
  duplicate(id: string, where: string, folderFile = false): string | null {
    const previous = this.firstSeen.get(id);
    if (previous !== undefined) return `${where}: duplicate id ${JSON.stringify(id)} (first seen at ${previous})${folderFile ? FOLDER_ID_HINT : ''}`;
    this.firstSeen.set(id, where);
    return null;
  }
}

/** A file system error in the words of syndic's messages (`no such file or directory`, ...). */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
