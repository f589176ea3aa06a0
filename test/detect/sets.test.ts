/**
 * The verification cache: each set is built once per pass and dropped after its last use; whole
 * sets done with in one pass are carried to the next (bounded), never built twice while kept.
 */
import { describe, expect, it } from 'vitest';
import { CarriedSets, SetCache } from '../../src/detect/sets.js';

describe('SetCache with carried sets', () => {
  it('hands a set done with in one pass to the next instead of building it again', () => {
    const built: number[] = [];
    const build = { hashes: (item: number): Uint32Array => (built.push(item), Uint32Array.of(item)), bound: () => 1 };
    const carried = new CarriedSets();
    // Items 0..2 are whole sets (carried), 3..5 content sets (not carried).
    const first = new SetCache(build, 6, Uint32Array.of(0, 1, 3, 4), carried, 3);
    for (const item of [0, 1, 3, 4]) first.get(item), first.release(item);
    expect(built).toEqual([0, 1, 3, 4]);
    const second = new SetCache(build, 6, Uint32Array.of(0, 3, 1), carried, 3);
    expect(Array.from(second.get(0))).toEqual([0]);
    second.get(3);
    second.get(1);
    expect(built).toEqual([0, 1, 3, 4, 3]); // only the content set is built again
    expect(carried.take(0)).toBeUndefined(); // taken by the second pass
  });

  it('keeps no more than its budget, dropping the oldest first', () => {
    const carried = new CarriedSets();
    const sets = Array.from({ length: 20 }, () => new Uint32Array(1 << 20)); // 4 MiB each, 80 MiB in all
    sets.forEach((set, item) => carried.put(item, set));
    const kept = sets.map((_, item) => carried.take(item) !== undefined);
    expect(kept.filter(Boolean).length).toBe(16); // 64 MiB
    expect(kept.indexOf(true)).toBe(4); // the first four were dropped
  });
});
