/**
 * No silent misses: identical documents are grouped exactly whatever the LSH bucket cap, and the
 * capped bucket is named on stderr (the built binary, on a generated corpus).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyndic } from '../cli/run.js';
import { syntheticArticles } from '../filter/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'syndic-identical-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('1,500 identical copies among 1,500 other articles', () => {
  const others = syntheticArticles(1500, 7);
  const copy = others[0]!.text;
  const records = [...others.map((record) => ({ id: `other-${record.id}`, text: record.text }))];
  for (let i = 0; i < 1500; i++) records.splice(1 + 2 * i, 0, { id: `copy-${i}`, text: copy });
  const input = join(dir, 'input.jsonl');
  writeFileSync(input, records.map((record) => JSON.stringify(record)).join('\n') + '\n');

  it('are one cluster of 1,501 (the original and its copies); --dedup-out keeps one; --fail-on-duplicates exits 1', async () => {
    const out = join(dir, 'report.json');
    const dedup = join(dir, 'dedup.jsonl');
    const run = await runSyndic(['scan', input, '--format', 'json', '--out', out, '--dedup-out', dedup, '--fail-on-duplicates']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^syndic: warning: \d+ LSH buckets? held more than --max-bucket-size 1,000 documents or paragraphs \(the largest 1,501\)/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { duplicates: { clusters: Array<{ representative: string; members: string[] }> } };
    const big = report.duplicates.clusters.filter((cluster) => cluster.members.length > 2);
    expect(big).toHaveLength(1);
    expect(big[0]!.members).toHaveLength(1501);
    expect(new Set(big[0]!.members)).toEqual(new Set([records[0]!.id, ...Array.from({ length: 1500 }, (_, i) => `copy-${i}`)]));
    const kept = readFileSync(dedup, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(kept.filter((id) => id.startsWith('copy-') || id === records[0]!.id)).toHaveLength(1);
    expect(kept.length).toBe(3000 - 1500);
  });
});
