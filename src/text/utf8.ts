/**
 * Strict UTF-8 decoding, as `new TextDecoder('utf-8', { fatal: true })` decodes (a leading byte
 * order mark dropped, invalid bytes refused), at several times its speed on Arabic text: the
 * bytes are validated by `isUtf8` and decoded by `Buffer#toString`, both native.
 */
import { isUtf8 } from 'node:buffer';

/** The text of `bytes`, or null when they are not valid UTF-8. */
export function decodeStrictUtf8(bytes: Uint8Array): string | null {
  if (!isUtf8(bytes)) return null;
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}
