/**
 * The value under NS:r:T: a 16-byte state header (layout.ts), the id (u32 length, UTF-8), then
 * the record — u32 paragraph count, the document signature, paragraph lengths, paragraph band
 * keys (u32 each), paragraph byte signatures, the verification sketch. Little-endian.
 */
import { SyndicError } from '../../errors.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import type { Probe } from '../probe.js';
import type { IndexedView } from '../verdict.js';
import { HEADER_BYTES } from './layout.js';

/** A stored record as the decision reads it, with what a removal needs. */
export interface StoredRecord extends IndexedView {
  paragraphBandKeys: Uint32Array;
}

/** The value of a record: `head` (its header) followed by id and data. */
export function encodeRecord(head: string, probe: Probe): Buffer {
  const id = Buffer.from(probe.id, 'utf8');
  const count = probe.paragraphLengths.length;
  const body = 4 + 4 * probe.signature.length + 4 * count + 4 * probe.paragraphBandKeys.length + probe.paragraphBytes.length + probe.verification.length;
  const buffer = Buffer.alloc(HEADER_BYTES + 4 + id.length + body);
  buffer.write(head, 0, 'latin1');
  buffer.writeUInt32LE(id.length, HEADER_BYTES);
  id.copy(buffer, HEADER_BYTES + 4);
  let at = HEADER_BYTES + 4 + id.length;
  buffer.writeUInt32LE(count, at);
  at += 4;
  for (const section of [probe.signature, probe.paragraphLengths, probe.paragraphBandKeys, probe.paragraphBytes, probe.verification]) {
    Buffer.from(section.buffer, section.byteOffset, section.byteLength).copy(buffer, at);
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
  const expected = start + 4 + 4 * numPerm + 4 * count + 4 * count * bands + count * numPerm + VERIFICATION_BYTES;
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
  const signature = u32(numPerm);
  const paragraphLengths = u32(count);
  const paragraphBandKeys = u32(count * bands);
  const paragraphBytes = data.subarray(at, at + count * numPerm);
  const verification = data.subarray(at + count * numPerm, at + count * numPerm + VERIFICATION_BYTES);
  return { id, signature, paragraphLengths, paragraphBandKeys, paragraphBytes, verification };
}
