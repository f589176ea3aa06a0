/** Append-only number columns: what is appended is what is read back, whatever the chunking. */
import { describe, expect, it } from 'vitest';
import { ChunkedU32, growableU32 } from '../src/growable.js';

describe('ChunkedU32', () => {
  it.each([1, 3, 7, 1 << 20])('joins every value pushed, in order, into an array of their length (chunks of %i)', (chunkLength) => {
    const chunked = new ChunkedU32(chunkLength);
    const reference = growableU32();
    for (let i = 0; i < 100; i++) {
      const value = (Math.imul(i, 2654435761) >>> 0) % 1000;
      chunked.push(value);
      reference.push(value);
      expect(chunked.length).toBe(i + 1);
    }
    const joined = chunked.join();
    expect(joined).toEqual(reference.view());
    expect(joined.buffer.byteLength).toBe(400);
    // Joining empties it.
    expect(chunked.length).toBe(0);
    expect(chunked.join()).toEqual(new Uint32Array(0));
  });

  it('refuses chunks of no values', () => {
    expect(() => new ChunkedU32(0)).toThrow(/chunks of 0/);
  });

  it('joins a collector filled to the end of a chunk', () => {
    const chunked = new ChunkedU32(4);
    for (let i = 0; i < 8; i++) chunked.push(i);
    expect(chunked.join()).toEqual(Uint32Array.from({ length: 8 }, (_, i) => i));
  });
});
