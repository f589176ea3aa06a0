/**
 * Empty and tiny texts (shorter than the shingle size) must not collapse into one cluster or one
 * filter verdict; 200,000 JSONL lines on stdin go through scan whole, and the first 50,000 of them
 * through filter (which analyzes each record on its own: the full 200,000 would take most of the
 * time budget of these tests on a shared 2-core machine).
 */
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoCrash, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const { dir, at } = tempFolder('sizes');

interface ScanJson {
  stats: { documents: number; emptyDocuments: number };
  duplicates: { clusters: Array<{ members: string[] }> };
  syndication: unknown[];
}

describe('empty and tiny texts', () => {
  // 40 distinct texts of 1–4 characters (shingle size 5), 3 empty or blank ones, and one real pair.
  const tiny = Array.from({ length: 40 }, (_, i) => line({ id: `t${i}`, text: `w${i}` })).join('');
  const empty = [line({ id: 'e0', text: '' }), line({ id: 'e1', text: '' }), line({ id: 'e2', text: '  \n\t ' })].join('');
  const pair = line({ id: 'p0', text: 'ab' }) + line({ id: 'p1', text: 'AB' });
  const input = tiny + empty + pair;
  beforeAll(() => writeFileSync(at('tiny.jsonl'), input));

  it('scan: only the identical pair clusters; empty texts are counted, not clustered', async () => {
    const run = await runSyndic(['scan', '--format', 'json', 'tiny.jsonl'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ScanJson;
    expect(report.stats).toMatchObject({ documents: 45, emptyDocuments: 3 });
    expect(report.duplicates.clusters.map((c) => c.members)).toEqual([['p0', 'p1']]);
    expect(report.syndication).toEqual([]);
  });

  it('filter: every tiny and every empty text passes; only the case-folded copy is held back', async () => {
    const run = await runSyndic(['filter', '--create', '--index', 'tiny.idx', '--rejects', 'rejects.jsonl'], { cwd: dir, input });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(tiny + empty + line({ id: 'p0', text: 'ab' }));
    const check = await runSyndic(['check', '--index', 'tiny.idx', '-'], { cwd: dir, input: line({ id: 'new-empty', text: '' }) + line({ id: 'w', text: 'zz' }) });
    expect(check.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 'new-empty', verdict: 'new', matches: [] },
      { id: 'w', verdict: 'new', matches: [] },
    ]);
  });

  it('index build then check: each tiny text matches itself only', async () => {
    expect((await runSyndic(['index', 'build', '--index', 'tiny-built.idx', 'tiny.jsonl'], { cwd: dir })).code).toBe(0);
    const run = await runSyndic(['check', '--index', 'tiny-built.idx', '-'], { cwd: dir, input: tiny });
    for (const verdict of run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; matches: Array<{ id: string }> })) {
      expect(verdict.matches.map((m) => m.id)).toEqual([verdict.id]);
    }
  });
});

describe('200,000 JSONL lines piped to stdin', () => {
  const count = 200_000;
  let input: Buffer;
  beforeAll(() => {
    const texts = randomTexts(count, 5, 12);
    // Every 1000th record repeats an earlier one under a new id: 199 known duplicates.
    input = Buffer.from(texts.map((text, i) => line({ id: `r${i}`, text: i % 1000 === 999 ? texts[i - 500] : text })).join(''));
  });

  it('scan - reads every line and finds the planted copies', async () => {
    const run = await runSyndic(['scan', '--format', 'json', '--unit', 'document', '-'], { cwd: dir, input });
    expectNoCrash(run);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanJson;
    expect(report.stats.documents).toBe(count);
    expect(report.duplicates.clusters.length).toBe(count / 1000);
  });

  it('filter passes every novel line through, byte for byte, and holds back the copies', async () => {
    const filtered = 50_000;
    const lines = input.toString().split('\n').slice(0, filtered);
    const run = await runSyndic(['filter', '--create', '--index', 'many.idx', '--verbose'], { cwd: dir, input: lines.map((l) => `${l}\n`).join('') });
    expectNoCrash(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(lines.filter((_, i) => i % 1000 !== 999).map((l) => `${l}\n`).join(''));
    expect(run.stderr).toContain('syndic: filter: 50,000 records: 49,950 new, 50 duplicate; many.idx holds ');
  });
});
