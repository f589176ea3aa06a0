/**
 * Property: an index file round-trips. Random records (odd Unicode ids and texts, near copies,
 * empty and tiny texts) → build → save → load → the same size, the same ids, the same verdicts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndex, type FileIndex } from '../../src/index.js';

const directory = mkdtempSync(path.join(tmpdir(), 'syndic-faults-props-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const word = fc.constantFrom('news', 'agency', 'خبر', 'وكالة', 'président', '東京', '🙂', 'x', 'report', 'said', 'on', 'Monday', '٣٤', 'ﻻ');
const paragraph = fc.array(word, { minLength: 0, maxLength: 30 }).map((words) => words.join(' '));
const text = fc.oneof(
  fc.array(paragraph, { minLength: 0, maxLength: 5 }).map((paragraphs) => paragraphs.join('\n')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 4 }),
);
const id = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.nat().map(String), fc.constantFrom('\ud800', 'a\udfff', '\udc00\ud800'));
const wellFormed = (text: string): boolean => !/\p{Cs}/u.test(text);
const records = fc.uniqueArray(fc.record({ id, text }), { selector: (record) => record.id, maxLength: 25 });

let run = 0;

describe('index file round trip (fast-check)', () => {
  it('same size, ids and verdicts after save and load', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.array(text, { maxLength: 5 }), async (input, queries) => {
        const file = path.join(directory, `${run++}.idx`);
        const index = await openIndex({ path: file });
        const accepted = [];
        for (const record of input) {
          if (!wellFormed(record.id)) {
            await expect(index.checkAndAdd(record)).rejects.toThrow(/is not valid Unicode \(a lone surrogate\)/);
            continue;
          }
          if ((await index.checkAndAdd(record)).verdict === 'new') accepted.push(record);
        }
        const probes = [...input.filter((record) => wellFormed(record.id)), ...queries.map((query, i) => ({ id: `query-${i}`, text: query }))];
        const before = await Promise.all(probes.map((probe) => index.check(probe)));
        await index.save();
        await index.close();

        const reloaded = await openIndex({ path: file, readOnly: true, mustExist: true });
        expect(reloaded.size).toBe(accepted.length);
        const after = await Promise.all(probes.map((probe) => reloaded.check(probe)));
        expect(after).toEqual(before);
        // Every accepted id survives, lone surrogates and NULs included.
        for (const record of accepted) expect((reloaded as FileIndex).has(record.id), JSON.stringify(record.id)).toBe(true);
        await reloaded.close();
      }),
      { seed: 20261123, numRuns: 60 },
    );
  });
});
