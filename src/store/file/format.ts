/**
 * The embedded index file, version 3 (version 1 had no verification sketches, version 2 no shingle counts). Little-endian, every section 4-byte aligned so that it can
 * be read as typed-array views of one buffer:
 *
 *   0  magic "SYNDICIX"            8 bytes
 *   8  format version              u32
 *  12  parameters JSON length      u32 (bytes)
 *  16  documents                   u32
 *  20  paragraphs                  u32
 *  24  id bytes (UTF-8)            u32
 *  28  snapshot epoch              u32 (which journal extends this file: see journal.ts; 0 in files
 *                                      written before the journal, where this word was reserved)
 *  32  parameters JSON, padded to 4
 *      id lengths                  u32 × documents (UTF-16 units)
 *      ids, UTF-8, concatenated, padded to 4
 *      signatures                  u32 × documents × numPerm
 *      paragraph start             u32 × (documents + 1)
 *      paragraph lengths           u32 × paragraphs (normalized characters)
 *      paragraph band keys         u32 × paragraphs × bands
 *      paragraph byte signatures   u8 × paragraphs × numPerm, padded to 4
 *      verification data           u8 × documents × VERIFICATION_BYTES (sketch and shingle count; a multiple of 4)
 *      checksum                    u32: CRC-32 of every byte before it
 */
import { crc32 } from 'node:zlib';
import { SyndicError } from '../../errors.js';
import type { ResolvedOptions } from '../../options.js';
import type { IndexColumnsData, IndexColumnsSnapshot } from './columns.js';
import { VERIFICATION_BYTES } from '../../sketch/bbit.js';
import { resolveStoredParams, storedParamsOf, type StoredParams } from '../params.js';

/** File magic. */
export const INDEX_MAGIC = 'SYNDICIX';
/** Version of the layout written by this code. */
export const INDEX_FORMAT_VERSION = 3;

const HEADER_BYTES = 32;
const pad4 = (n: number): number => (n + 3) & ~3;

/** Size of an index file with these contents: the writer allocates it, the reader checks it. */
function fileBytes(paramsLength: number, idByteCount: number, documents: number, paragraphs: number, numPerm: number, bands: number): number {
  return (
    HEADER_BYTES +
    pad4(paramsLength) +
    4 * documents +
    pad4(idByteCount) +
    4 * documents * numPerm +
    4 * (documents + 1) +
    4 * paragraphs +
    4 * paragraphs * bands +
    pad4(paragraphs * numPerm) +
    documents * VERIFICATION_BYTES +
    4
  );
}
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encode an index into one buffer; `epoch` numbers the snapshot (see journal.ts). */
export function encodeIndex(options: ResolvedOptions, data: IndexColumnsSnapshot, epoch = 0): Buffer {
  if (!isLittleEndian) throw new SyndicError('index files are little-endian; this machine is big-endian', 'index');
  const { numPerm, bands } = options;
  const params = Buffer.from(JSON.stringify(storedParamsOf(options)), 'utf8');
  const joined = data.ids.join('');
  const idBytes = Buffer.from(joined, 'utf8');
  const documents = data.ids.length;
  const paragraphs = data.paragraphLengths.length;
  const total = fileBytes(params.length, idBytes.length, documents, paragraphs, numPerm, bands);
  const buffer = Buffer.alloc(total);
  buffer.write(INDEX_MAGIC, 0, 'latin1');
  buffer.writeUInt32LE(INDEX_FORMAT_VERSION, 8);
  buffer.writeUInt32LE(params.length, 12);
  buffer.writeUInt32LE(documents, 16);
  buffer.writeUInt32LE(paragraphs, 20);
  buffer.writeUInt32LE(idBytes.length, 24);
  buffer.writeUInt32LE(epoch, 28);
  let at = HEADER_BYTES;
  params.copy(buffer, at);
  at += pad4(params.length);
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, total >>> 2);
  for (let row = 0; row < documents; row++) words[(at >>> 2) + row] = data.ids[row]!.length;
  at += 4 * documents;
  idBytes.copy(buffer, at);
  at += pad4(idBytes.length);
  for (const section of [...data.signatures, data.paragraphStart, data.paragraphLengths, ...data.paragraphBandKeys]) {
    words.set(section, at >>> 2);
    at += 4 * section.length;
  }
  for (const part of data.paragraphBytes) {
    buffer.set(part, at);
    at += part.length;
  }
  at = pad4(at);
  for (const part of data.verification) {
    buffer.set(part, at);
    at += part.length;
  }
  buffer.writeUInt32LE(crc32(buffer.subarray(0, at)), at);
  return buffer;
}

/** A decoded index: its options, snapshot epoch and columns (views into the buffer). */
export interface DecodedIndex {
  options: ResolvedOptions;
  epoch: number;
  data: IndexColumnsData;
}

/**
 * Decode and check an index file's bytes. Throws a {@link SyndicError} of kind `index` naming
 * `file` and what is wrong: not an index, another format version, truncated, damaged.
 */
export function decodeIndex(bytes: Buffer, file: string): DecodedIndex {
  const fail = (what: string): never => {
    throw new SyndicError(`index ${file}: ${what}; the file was left untouched`, 'index');
  };
  if (bytes.length < 8 || bytes.toString('latin1', 0, 8) !== INDEX_MAGIC) fail('not a syndic index file (bad magic bytes)');
  if (bytes.length < HEADER_BYTES + 4) fail(`truncated (${bytes.length} bytes)`);
  const version = bytes.readUInt32LE(8);
  if (version !== INDEX_FORMAT_VERSION) fail(`format version ${version}, this syndic reads version ${INDEX_FORMAT_VERSION} (rebuild it with syndic index build)`);
  if (bytes.byteOffset % 4 !== 0) bytes = Buffer.from(bytes);
  const paramsLength = bytes.readUInt32LE(12);
  const documents = bytes.readUInt32LE(16);
  const paragraphs = bytes.readUInt32LE(20);
  const idByteCount = bytes.readUInt32LE(24);
  const checksumAt = bytes.length - 4;
  if (crc32(bytes.subarray(0, checksumAt)) !== bytes.readUInt32LE(checksumAt)) {
    fail(HEADER_BYTES + paramsLength > bytes.length ? `truncated (${bytes.length} bytes)` : 'checksum mismatch: the file is damaged or truncated');
  }
  let params: StoredParams;
  let options: ResolvedOptions;
  try {
    params = JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + paramsLength)) as StoredParams;
    options = resolveStoredParams(params);
  } catch (error) {
    return fail(`unreadable parameters (${error instanceof Error ? error.message : String(error)})`);
  }
  const { numPerm, bands } = options;
  const expected = fileBytes(paramsLength, idByteCount, documents, paragraphs, numPerm, bands);
  if (expected !== bytes.length) fail(`size ${bytes.length} bytes does not match its header (${expected} expected)`);

  let at = HEADER_BYTES + pad4(paramsLength);
  const u32 = (count: number): Uint32Array => {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + at, count);
    at += 4 * count;
    return view;
  };
  const idLengths = u32(documents);
  const joined = bytes.toString('utf8', at, at + idByteCount);
  at += pad4(idByteCount);
  const ids = new Array<string>(documents);
  let offset = 0;
  for (let row = 0; row < documents; row++) {
    ids[row] = joined.slice(offset, offset + idLengths[row]!);
    offset += idLengths[row]!;
  }
  if (offset !== joined.length) fail('id table does not match its lengths');
  const signatures = u32(documents * numPerm);
  const paragraphStart = u32(documents + 1);
  const paragraphLengths = u32(paragraphs);
  const paragraphBandKeys = u32(paragraphs * bands);
  const paragraphBytes = new Uint8Array(bytes.buffer, bytes.byteOffset + at, paragraphs * numPerm);
  at += pad4(paragraphs * numPerm);
  const verification = new Uint8Array(bytes.buffer, bytes.byteOffset + at, documents * VERIFICATION_BYTES);
  for (let row = 0; row < documents; row++) {
    if (paragraphStart[row]! > paragraphStart[row + 1]!) fail('paragraph table is out of order');
  }
  if (paragraphStart[0] !== 0 || paragraphStart[documents] !== paragraphs) fail('paragraph table does not match its header');
  return { options, epoch: bytes.readUInt32LE(28), data: { ids, signatures, paragraphStart, paragraphLengths, paragraphBandKeys, paragraphBytes, verification } };
}
