import { describe, expect, it } from 'vitest';
import { createShingleHasher } from '../../src/index.js';
import { shingleCount } from '../../src/sketch/shingle.js';

function units(text: string): Uint16Array {
  return Uint16Array.from(text, (ch) => ch.charCodeAt(0));
}

describe('shingle hashing', () => {
  const hasher = createShingleHasher(5, 7);

  it('rolls to the same value as hashing each k-gram on its own', () => {
    const text = 'وزير الخارجيه الروسي سيرغي لافروف the quick brown fox';
    const rolled = hasher.hashText(text);
    expect(rolled.length).toBe(text.length - 4);
    for (let i = 0; i + 5 <= text.length; i++) {
      expect(rolled[i], `k-gram at ${i}`).toBe(hasher.hashText(text.slice(i, i + 5))[0]);
    }
  });

  it('gives one shingle, never none, for texts shorter than k', () => {
    expect(shingleCount(0, 5)).toBe(1);
    expect(shingleCount(3, 5)).toBe(1);
    expect(shingleCount(5, 5)).toBe(1);
    expect(shingleCount(6, 5)).toBe(2);
    const tiny = ['', 'a', 'ab', 'abc', 'abcd', 'ي', 'يب'].map((t) => hasher.hashText(t));
    for (const hashes of tiny) expect(hashes.length).toBe(1);
    // Distinct tiny texts get distinct shingles, so they never look identical.
    expect(new Set(tiny.map((h) => h[0])).size).toBe(tiny.length);
  });

  it('keeps a short text distinct from the k-gram it prefixes', () => {
    expect(hasher.hashText('abcd')[0]).not.toBe(hasher.hashText('abcde')[0]);
  });

  it('hashes a sub-range in place, the same as the substring', () => {
    const text = 'xx hello world xx';
    const out = new Uint32Array(32);
    const count = hasher.hashInto(units(text), 3, 14, out, 2);
    expect(Array.from(out.subarray(2, 2 + count))).toEqual(Array.from(hasher.hashText('hello world')));
  });

  it('depends on the seed and the shingle size', () => {
    expect(createShingleHasher(5, 8).hashText('hello')[0]).not.toBe(hasher.hashText('hello')[0]);
    expect(createShingleHasher(4, 7).hashText('hello')).not.toEqual(hasher.hashText('hello'));
  });

  it('has no collisions among the distinct 5-grams of a real text', () => {
    const text = 'كشف وزير الخارجية الروسي، سيرغي لافروف، أن بلاده وتركيا وإيران أصبحت قريبة جداً من رسم حدود مناطق خفض التصعيد في سوريا';
    const grams = new Map<number, string>();
    const hashes = hasher.hashText(text);
    for (let i = 0; i < hashes.length; i++) {
      const gram = text.slice(i, i + 5);
      const seen = grams.get(hashes[i]!);
      if (seen !== undefined) expect(seen).toBe(gram);
      grams.set(hashes[i]!, gram);
    }
  });
});
