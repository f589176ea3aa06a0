/**
 * Turning CLI inputs into records: JSONL lines (files or stdin) with remappable field names,
 * and folders of .txt/.md files. Every bad input error names the file, the line and the field.
 */
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';

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

/** The field-name options shared by every command that reads JSONL. */
export interface FieldOptions {
  idField?: string | undefined;
  textField?: string | undefined;
  sourceField?: string | undefined;
  dateField?: string | undefined;
}

/** Field names given by `--id-field` and friends; throws a usage error for an empty name. */
export function fieldsFromOptions(raw: FieldOptions): Partial<FieldMap> {
  const fields: Partial<FieldMap> = {};
  for (const [key, value] of [
    ['id', raw.idField],
    ['text', raw.textField],
    ['source', raw.sourceField],
    ['date', raw.dateField],
  ] as const) {
    if (value === undefined) continue;
    if (value === '') throw new SyndicError(`syndic: option --${key}-field needs a field name`);
    fields[key] = value;
  }
  return fields;
}

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
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = printable(error instanceof Error ? error.message : String(error));
    throw new SyndicError(`syndic: ${describeLocation(where)}: malformed JSON (${reason})`, 'input');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyndicError(`syndic: ${describeLocation(where)}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`, 'input');
  }
  const object = value as Record<string, unknown>;
  const rawId = object[fields.id];
  if (rawId === undefined || rawId === null) throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields.id}" (id) is missing`, 'input');
  if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields.id}" (id) must be a string, got ${typeof rawId}`, 'input');
  }
  const id = String(rawId);
  if (id.length === 0) throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields.id}" (id) is empty`, 'input');
  const text = object[fields.text];
  if (text === undefined || text === null) throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields.text}" (text) is missing`, 'input');
  if (typeof text !== 'string') {
    throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields.text}" (text) must be a string, got ${typeof text}`, 'input');
  }
  const record: DocumentRecord = { id, text };
  for (const key of ['source', 'date', 'url', 'title'] as const) {
    const raw = object[fields[key]];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') {
      throw new SyndicError(`syndic: ${describeLocation(where)}: field "${fields[key]}" (${key}) must be a string, got ${typeof raw}`, 'input');
    }
    record[key] = raw;
  }
  return record;
}
