/**
 * One definition in the filter: `index build` over one half of the real data and `check` of the
 * other half give each record the category `scan` gives its strongest pair with the first half
 * (duplicate over syndicated). The filter decides from estimates and finds containment candidates
 * through shared paragraphs and document bands only, so agreement is measured, not total: the
 * remaining kinds of disagreement are stated in the README (Limits). Skipped without ../shared/data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDuplicates, openIndex } from '../../src/index.js';
import { loadRealRecords } from '../filter/corpus.js';

const records = loadRealRecords();

describe.skipIf(records === null)('filter verdicts against scan categories on the real data', () => {
  it('agree for at least 95% of the checked half, and a filter duplicate is never a scan non-match', async () => {
    const all = records!;
    const half = Math.floor(all.length / 2);
    const indexed = new Set(all.slice(0, half).map((record) => record.id));
    const result = await findDuplicates(all);
    const scanCategory = new Map<string, 'duplicate' | 'syndicated'>();
    for (const [category, pairs] of [['syndicated', result.syndication], ['duplicate', result.duplicates.pairs]] as const) {
      for (const pair of pairs) {
        for (const [checked, other] of [[pair.a, pair.b], [pair.b, pair.a]]) {
          if (!indexed.has(checked!) && indexed.has(other!)) scanCategory.set(checked!, category);
        }
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'syndic-agreement-'));
    try {
      const index = await openIndex({ path: join(dir, 'half.idx') });
      for (const record of all.slice(0, half)) await index.add(record);
      const table = new Map<string, number>();
      for (const record of all.slice(half)) {
        const verdict = await index.check(record);
        const filter = verdict.verdict === 'new' ? 'none' : verdict.verdict === 'duplicate' ? 'duplicate' : 'syndicated';
        const key = `${scanCategory.get(record.id) ?? 'none'}/${filter}`;
        table.set(key, (table.get(key) ?? 0) + 1);
      }
      await index.close();
      const agreeing = ['none/none', 'duplicate/duplicate', 'syndicated/syndicated'].reduce((sum, key) => sum + (table.get(key) ?? 0), 0);
      expect(agreeing / (all.length - half)).toBeGreaterThanOrEqual(0.95);
      expect(table.get('none/duplicate') ?? 0).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
