/**
 * `syndic scan` on the real data set (../shared/data, 6,228 articles of 11 outlets), when present:
 * it completes, finds cross-outlet syndication and same-outlet duplicates, and --jobs 2 prints
 * exactly what --jobs 1 prints. Skipped when the data set is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../src/index.js';
import { runSyndic } from '../cli/run.js';

const DATA = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url);

describe.skipIf(!existsSync(DATA))('syndic scan on the real data set', () => {
  it('finds cross-outlet syndication and same-outlet duplicates; byte-identical with 1 and 2 jobs', async () => {
    const path = DATA.pathname;
    const one = await runSyndic(['scan', path, '--format', 'json', '--jobs', '1']);
    const two = await runSyndic(['scan', path, '--format', 'json', '--jobs', '2']);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);

    const result = JSON.parse(one.stdout) as DetectionResult;
    const source = new Map<string, string>();
    const dates = new Map<string, string>();
    for (const line of gunzipSync(readFileSync(DATA)).toString('utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as { id: string; source: string; date: string };
      source.set(record.id, record.source);
      dates.set(record.id, record.date);
    }
    expect(result.stats.documents).toBe(6228);
    const sameOutlet = (pair: { a: string; b: string }): boolean => source.get(pair.a) === source.get(pair.b);
    expect(result.duplicates.pairs.filter(sameOutlet).length).toBeGreaterThan(50);
    expect(result.duplicates.pairs.filter((pair) => !sameOutlet(pair)).length).toBeGreaterThan(200);
    expect(result.syndication.filter((pair) => !sameOutlet(pair)).length).toBeGreaterThan(50);
    // Direction: the origin of a pair is never dated after the other document.
    for (const pair of [...result.duplicates.pairs, ...result.syndication]) {
      const other = pair.origin === pair.a ? pair.b : pair.a;
      expect(dates.get(pair.origin)! <= dates.get(other)!).toBe(true);
    }
  });
});
