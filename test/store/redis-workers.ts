/**
 * Shared by the Redis Cluster tests: running `syndic filter` workers against Redis, and checking
 * what a fleet of workers accepted — no near-duplicate pair among the accepted records (they are
 * re-filtered through a file index, where every one must pass) and nothing lost.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { openIndex } from '../../src/index.js';
import { runSyndic, type RunResult } from '../cli/run.js';
import { editWords, syntheticArticles, type TestRecord } from '../filter/corpus.js';

/** JSONL of records. */
export const jsonl = (records: TestRecord[]): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

/** One filter worker's run: its accepted records and its rejects' verdicts. */
export interface WorkerRun extends RunResult {
  accepted: TestRecord[];
  rejected: Array<{ id: string; verdict: string; matches: Array<{ id: string }> }>;
}

/** Run `syndic filter` with `args` over `records`, with a --rejects file. */
export async function runWorker(args: string[], records: TestRecord[]): Promise<WorkerRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'syndic-worker-'));
  try {
    const rejects = path.join(dir, 'rejects.jsonl');
    const run = await runSyndic(['filter', ...args, '--rejects', rejects], { input: jsonl(records) });
    const lines = (text: string): string[] => text.split('\n').filter(Boolean);
    let rejectedText = '';
    try {
      rejectedText = readFileSync(rejects, 'utf8');
    } catch {
      // No rejects file: the run failed before opening it; the exit code says so.
    }
    return {
      ...run,
      accepted: lines(run.stdout).map((line) => JSON.parse(line) as TestRecord),
      rejected: lines(rejectedText).map((line) => JSON.parse(line) as WorkerRun['rejected'][number]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 2 × `count` records: originals and a near-duplicate of each (3 words edited). */
export function nearDuplicatePairs(count: number, seed: number): TestRecord[] {
  return syntheticArticles(count, seed).flatMap((article, i) => [
    { id: `a${i}`, text: article.text },
    { id: `b${i}`, text: editWords(article.text, 3, seed + i) },
  ]);
}

/**
 * The guarantees of a fleet: every worker exited 0; no id accepted twice; re-filtered through a
 * fresh file index, every accepted record is new (no near-duplicate pair among them); every
 * record of `inputs` was handled by each worker that was given it (accepted or rejected), and a
 * rejected one names an accepted match; the Redis index holds exactly the accepted records.
 */
export async function expectFleetGuarantees(runs: WorkerRun[], inputs: TestRecord[][], indexed: number): Promise<TestRecord[]> {
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
  const accepted = runs.flatMap((run) => run.accepted);
  const acceptedIds = new Set(accepted.map((record) => record.id));
  expect(acceptedIds.size).toBe(accepted.length);
  runs.forEach((run, w) => {
    const handled = [...run.accepted.map((record) => record.id), ...run.rejected.map((verdict) => verdict.id)].sort();
    expect(handled).toEqual(inputs[w]!.map((record) => record.id).sort());
    for (const verdict of run.rejected) expect(verdict.matches.some((match) => acceptedIds.has(match.id)), JSON.stringify(verdict)).toBe(true);
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'syndic-refilter-'));
  try {
    const index = await openIndex({ path: path.join(dir, 'check.idx') });
    const again: string[] = [];
    for (const record of accepted) if (['duplicate', 'syndicated'].includes((await index.checkAndAdd(record)).verdict)) again.push(record.id);
    await index.close();
    expect(again).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(indexed).toBe(accepted.length);
  return accepted;
}
