/**
 * The batch reader of `filter` and `index build` (cli/ingest.ts): items in input order, batches
 * as large as what is at hand within the limit, a trickling source not held back, and a failing
 * source's items yielded before its error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readyBatches } from '../../src/cli/ingest.js';

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

async function* numbers(count: number, delayMs = 0, failAt = -1): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error(`source failed at ${i}`);
    if (delayMs > 0) await sleep(delayMs);
    yield i;
  }
}

describe('readyBatches', () => {
  it('a source with everything at hand fills batches up to the limit, in order', async () => {
    const batches = await collect(readyBatches(numbers(600), () => 256));
    expect(batches.map((batch) => batch.length)).toEqual([256, 256, 88]);
    expect(batches.flat()).toEqual([...Array(600).keys()]);
  });

  it('asks the limit before each batch', async () => {
    const limits = [10, 3, 50];
    let asked = 0;
    const batches = await collect(readyBatches(numbers(20), () => limits[Math.min(asked++, limits.length - 1)]!));
    expect(batches.map((batch) => batch.length)).toEqual([10, 3, 7]);
  });

  it('a trickling source is not held back: each batch waits at most waitMs for more', async () => {
    const batches = await collect(readyBatches(numbers(5, 30), () => 256, 5));
    expect(batches).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('a failing source: the items read before the failure come first, then its error', async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const batch of readyBatches(numbers(100, 0, 40), () => 16)) seen.push(...batch);
      })(),
    ).rejects.toThrow('source failed at 40');
    expect(seen).toEqual([...Array(40).keys()]);
  });
});
