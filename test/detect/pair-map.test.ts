/**
 * PairMap against a JS Map: the same values, sizes and insertion-order iteration after random
 * sets (new keys and updates) of keys up to 2^53, across several index growths.
 */
import { describe, expect, it } from 'vitest';
import { PairMap } from '../../src/detect/pair-map.js';

/** Deterministic 32-bit generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('PairMap', () => {
  it('behaves as a Map<number, number> for get, has, set, size and iteration order (for … of and forEach)', () => {
    const next = random(7);
    const map = new PairMap();
    const reference = new Map<number, number>();
    const keys: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const reuse = keys.length > 0 && next() % 4 === 0;
      // Pair keys a · count + b, small and beyond 2^32, up to 2^53 − 1.
      const key = reuse ? keys[next() % keys.length]! : i % 3 === 0 ? next() % 5000 : (next() * 2 ** 21 + (next() >>> 11)) % Number.MAX_SAFE_INTEGER;
      if (!reuse) keys.push(key);
      const value = (next() % 1000) / 999;
      map.set(key, value);
      reference.set(key, value);
    }
    expect(map.size).toBe(reference.size);
    expect([...map]).toEqual([...reference]);
    const visited: Array<[number, number]> = [];
    map.forEach((value, key) => visited.push([key, value]));
    expect(visited).toEqual([...reference]);
    for (const key of keys) {
      expect(map.get(key)).toBe(reference.get(key));
      expect(map.has(key)).toBe(true);
    }
    for (let i = 0; i < 1000; i++) {
      const key = next() * 4096 + 3;
      expect(map.has(key)).toBe(reference.has(key));
      expect(map.get(key)).toBe(reference.get(key));
    }
    expect(new PairMap().get(0)).toBeUndefined();
  });
});
