/**
 * The fast path of reading a JSONL line: the text field is decoded straight from the line's UTF-8
 * bytes into UTF-16 units, JSON escapes included, and only the rest of the line (id, outlet, date,
 * title: a few hundred bytes) becomes a string for `JSON.parse`. Decoding a whole line to a string
 * first, then parsing it, then copying the text into units for the fold cost more than the
 * analysis of the text itself (V8 decodes Arabic UTF-8 at ~100 MB/s).
 *
 * It takes only lines it is sure of (an object whose text key appears once, without escapes in
 * any key); for anything else it returns null and the caller reads the line the general way
 * (`decodeLine` + `parseJsonRecord`), which also words every error. A line it takes gives the same
 * record as the general path: the rest of the line is parsed by `parseJsonRecord`, with the text
 * value replaced by `""`.
 */
import * as nodeBuffer from 'node:buffer';
import type { DocumentRecord } from '../records.js';
import { parseJsonRecord, type FieldMap } from './parse.js';

const QUOTE = 0x22;
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Absent from Node builds without ICU. */
const transcodeUtf8: typeof nodeBuffer.transcode | undefined = typeof nodeBuffer.transcode === 'function' ? nodeBuffer.transcode : undefined;
const BACKSLASH = 0x5c;

/** A record of the fast path: its fields, its text in the decoder's `units[0..length)`. */
export interface DecodedLine {
  fields: Omit<DocumentRecord, 'text'>;
  length: number;
}

/** Decodes JSONL lines with one field map; reuses its unit buffer (not re-entrant). */
export class LineDecoder {
  /** The text of the last line decoded; replaced when it grows, so read it after {@link decode}. */
  units = new Uint16Array(1 << 14);
  private readonly textKey: Uint8Array;
  /** Units written by the last {@link decodeString}. */
  private length = 0;

  constructor(private readonly fields: FieldMap) {
    this.textKey = Buffer.from(fields.text, 'utf8');
  }

  /**
   * The record of one line's bytes (without its line break and a trailing '\r'), its text in
   * {@link units}; or null when the line is to be read the general way.
   */
  decode(line: Uint8Array): DecodedLine | null {
    const n = line.length;
    if (n === 0 || line[0] !== 0x7b || !nodeBuffer.isUtf8(line)) return null;
    // A UTF-8 byte gives at most one UTF-16 unit.
    if (this.units.length < n) this.units = new Uint16Array(Math.max(n, this.units.length * 2));
    let valueStart = -1;
    let valueEnd = -1;
    let length = 0;
    let i = skipSpace(line, 1);
    if (line[i] === 0x7d) return null;
    for (;;) {
      if (line[i] !== QUOTE) return null;
      const keyStart = i + 1;
      i = keyStart;
      while (i < n && line[i] !== QUOTE) if (line[i++] === BACKSLASH) return null;
      if (i >= n) return null;
      const isText = this.isTextKey(line, keyStart, i);
      i = skipSpace(line, i + 1);
      if (line[i] !== 0x3a) return null;
      i = skipSpace(line, i + 1);
      if (isText) {
        if (valueStart >= 0 || line[i] !== QUOTE) return null;
        valueStart = i;
        valueEnd = this.decodeString(line, i + 1);
        if (valueEnd < 0) return null;
        length = this.length;
        i = valueEnd;
      } else {
        i = skipValue(line, i);
        if (i < 0) return null;
      }
      i = skipSpace(line, i);
      if (line[i] === 0x2c) {
        i = skipSpace(line, i + 1);
        continue;
      }
      if (line[i] === 0x7d) break;
      return null;
    }
    if (valueStart < 0) return null;
    const buffer = Buffer.from(line.buffer, line.byteOffset, n);
    const rest = `${buffer.toString('utf8', 0, valueStart)}""${buffer.toString('utf8', valueEnd, n)}`;
    const record = parseJsonRecord(rest, this.fields);
    if (typeof record === 'string' || record.text !== '') return null;
    const { text: _placeholder, ...fields } = record;
    return { fields, length };
  }

  /**
   * Decode the JSON string whose contents start at `i` (after the opening quote) into
   * {@link units}, from valid UTF-8; returns the index after the closing quote (the unit count in
   * {@link length}), or −1 for what JSON.parse would refuse (a raw control character, an unknown
   * escape) or an unclosed string.
   *
   * The bytes up to the closing quote are decoded natively (escapes are ASCII, so they come out
   * as their own characters), then one pass resolves the escapes: a byte-by-byte UTF-8 loop in JS
   * cost four times the native decoder and that pass together.
   */
  private decodeString(line: Uint8Array, i: number): number {
    const close = closingQuote(line, i);
    if (close < 0) return -1;
    const raw = decodeUtf16(line, i, close, this.units);
    const length = unescapeJson(raw.units, raw.length, this.units);
    if (length < 0) return -1;
    this.length = length;
    return close + 1;
  }

  private isTextKey(line: Uint8Array, start: number, end: number): boolean {
    const key = this.textKey;
    if (end - start !== key.length) return false;
    for (let k = 0; k < key.length; k++) if (line[start + k] !== key[k]) return false;
    return true;
  }
}

/** Index of the quote that closes the JSON string whose contents start at `i`, or −1. */
function closingQuote(line: Uint8Array, i: number): number {
  for (let quote = line.indexOf(QUOTE, i); quote >= 0; quote = line.indexOf(QUOTE, quote + 1)) {
    // Escaped when an odd number of backslashes stands before it (the opening quote stops the count).
    let backslashes = 0;
    while (line[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return quote;
  }
  return -1;
}

/**
 * The UTF-16 units of the valid UTF-8 `line[start..end)`, natively: `transcode` (simdutf) into a
 * new buffer, or, where it is missing (Node without ICU), `toString` then `write` into `scratch`
 * (which must hold `end − start` units: a byte gives at most one unit).
 */
function decodeUtf16(line: Uint8Array, start: number, end: number, scratch: Uint16Array): { units: Uint16Array; length: number } {
  const bytes = Buffer.from(line.buffer, line.byteOffset + start, end - start);
  let out: Buffer;
  if (transcodeUtf8 && (out = transcodeUtf8(bytes, 'utf8', 'utf16le')).byteOffset % 2 === 0) {
    if (!isLittleEndian) out.swap16();
    return { units: new Uint16Array(out.buffer, out.byteOffset, out.length >> 1), length: out.length >> 1 };
  }
  const target = Buffer.from(scratch.buffer, scratch.byteOffset, scratch.byteLength);
  const written = target.write(bytes.toString('utf8'), 'utf16le');
  if (!isLittleEndian) target.subarray(0, written).swap16();
  return { units: scratch, length: written >> 1 };
}

/**
 * Resolve the JSON escapes of `source[0..length)` into `target` (which may be `source`: it
 * writes no further than it read); returns the units written, or −1 for a raw control character
 * or an escape JSON.parse refuses.
 */
function unescapeJson(source: Uint16Array, length: number, target: Uint16Array): number {
  let o = 0;
  for (let i = 0; i < length; i++) {
    const c = source[i]!;
    if (c >= 0x20 && c !== BACKSLASH) {
      target[o++] = c;
      continue;
    }
    if (c < 0x20 || i + 1 >= length) return -1;
    const e = source[++i]!;
    if (e === 0x6e) target[o++] = 10;
    else if (e === QUOTE || e === BACKSLASH || e === 0x2f) target[o++] = e;
    else if (e === 0x74) target[o++] = 9;
    else if (e === 0x72) target[o++] = 13;
    else if (e === 0x62) target[o++] = 8;
    else if (e === 0x66) target[o++] = 12;
    else if (e === 0x75) {
      if (i + 4 >= length) return -1;
      const a = hexDigit(source[i + 1]!);
      const b = hexDigit(source[i + 2]!);
      const d = hexDigit(source[i + 3]!);
      const f = hexDigit(source[i + 4]!);
      if ((a | b | d | f) < 0) return -1;
      target[o++] = (a << 12) | (b << 8) | (d << 4) | f;
      i += 4;
    } else return -1;
  }
  return o;
}

function skipSpace(line: Uint8Array, i: number): number {
  for (;;) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/**
 * Skip one JSON value from `i`; returns the index after it, or −1. Not a validator: `JSON.parse`
 * of the rest of the line checks every value but the text.
 */
function skipValue(line: Uint8Array, i: number): number {
  const n = line.length;
  let depth = 0;
  for (; i < n; i++) {
    const c = line[i]!;
    if (c === QUOTE) {
      for (i++; i < n && line[i] !== QUOTE; i++) if (line[i] === BACKSLASH) i++;
      if (i >= n) return -1;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) {
      return i;
    }
  }
  return depth === 0 ? i : -1;
}

/** Value of a hexadecimal digit, or −1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

