/**
 * The value under NS:r:T: a 16-byte state header (layout.ts), the id (u32 length, UTF-8), then
 * the record — u32 paragraph count, the document band keys, paragraph lengths, paragraph band
 * keys (u32 each), paragraph byte signatures, the verification sketch. Little-endian. The
 * signature itself is not stored: decisions read the verification sketch, and a removal needs
 * only the band keys (bands × 4 bytes instead of numPerm × 4).
 */
import { SyndicError } from '../../errors.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import type { Probe } from '../probe.js';
import type { IndexedView } from '../verdict.js';
import { HEADER_BYTES } from './layout.js';

/** A stored record as the decision reads it, with what a removal needs. */
export interface StoredRecord extends IndexedView {
  bandKeys: Uint32Array;
  paragraphBandKeys: Uint32Array;
}

/** The value of a record: `head` (its header) followed by id and data. */
export function encodeRecord(head: string, probe: Probe): Buffer {
  const id = Buffer.from(probe.id, 'utf8');
  const count = probe.paragraphLengths.length;
  const sections = [probe.bandKeys, probe.paragraphLengths, probe.paragraphBandKeys, probe.paragraphBytes, probe.verification];
  const start = HEADER_BYTES + 4 + id.length;
  const buffer = Buffer.allocUnsafe(start + 4 + sections.reduce((sum, section) => sum + section.byteLength, 0));
  buffer.write(head, 0, 'latin1');
  buffer.writeUInt32LE(id.length, HEADER_BYTES);
  id.copy(buffer, HEADER_BYTES + 4);
  buffer.writeUInt32LE(count, start);
  let at = start + 4;
  for (const section of sections) {
    buffer.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), at);
    at += section.byteLength;
  }
  return buffer;
}

/** The id of a record value. */
export function recordId(value: Buffer): string {
  return value.toString('utf8', HEADER_BYTES + 4, HEADER_BYTES + 4 + value.readUInt32LE(HEADER_BYTES));
}

/** Decode a record value (`where` names the index in the message of a damaged record). */
export function decodeRecord(value: Buffer, numPerm: number, bands: number, where: string): StoredRecord {
  const idLength = value.length >= HEADER_BYTES + 4 ? value.readUInt32LE(HEADER_BYTES) : 0;
  const id = value.toString('utf8', HEADER_BYTES + 4, HEADER_BYTES + 4 + idLength);
  const start = HEADER_BYTES + 4 + idLength;
  const count = value.length >= start + 4 ? value.readUInt32LE(start) : 0;
  const expected = start + 4 + 4 * bands + 4 * count + 4 * count * bands + count * numPerm + VERIFICATION_BYTES;
  if (value.length !== expected) throw new SyndicError(`Redis index ${where}: record of "${id}" is damaged (${value.length} bytes, expected ${expected})`, 'index');
  // One aligned copy of the data: the typed arrays below are views into it.
  const data = new Uint8Array(expected - start - 4);
  data.set(value.subarray(start + 4));
  let at = 0;
  const u32 = (n: number): Uint32Array => {
    const view = new Uint32Array(data.buffer, at, n);
    at += 4 * n;
    return view;
  };
  const bandKeys = u32(bands);
  const paragraphLengths = u32(count);
  const paragraphBandKeys = u32(count * bands);
  const paragraphBytes = data.subarray(at, at + count * numPerm);
  const verification = data.subarray(at + count * numPerm, at + count * numPerm + VERIFICATION_BYTES);
  return { id, bandKeys, paragraphLengths, paragraphBandKeys, paragraphBytes, verification };
}
