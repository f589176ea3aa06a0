/**
 * End to end: `findDuplicates` on the real data (tinybench, a few runs), and the pipeline on a
 * synthetic 100k-document corpus in child processes (one thread, then worker threads), whose wall
 * time and peak RSS are their own.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findDuplicates } from '../../src/index.js';
import { realRecords, utf8Bytes } from './corpus.js';
import { runSuite, type Row } from './harness.js';
import type { ScaleResult } from './scale.js';

/** findDuplicates on the real data, exact and estimate verification. */
export async function endToEndSuite(): Promise<Row[]> {
  const records = realRecords();
  if (!records) return [];
  const sizeBytes = utf8Bytes(records.map((record) => record.text));
  return runSuite(
    'end-to-end',
    [
      { name: 'findDuplicates (verify exact): data', fn: () => findDuplicates(records), sizeBytes, params: { documents: records.length } },
      { name: 'findDuplicates (verify estimate): data', fn: () => findDuplicates(records, { verify: 'estimate' }), sizeBytes, params: { documents: records.length } },
    ],
    { iterations: 3, time: 100 },
  );
}

/** The synthetic-corpus pipeline, in a child process per configuration. */
export function scaleRuns(documents: number, jobsList: readonly number[]): ScaleResult[] {
  const script = join(import.meta.dirname, 'scale.js');
  const results: ScaleResult[] = [];
  for (const jobs of jobsList) {
    process.stderr.write(`  scale: ${documents} documents, ${jobs} job(s)...\n`);
    const output = execFileSync(process.execPath, ['--expose-gc', script, '--documents', String(documents), '--jobs', String(jobs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const result = JSON.parse(output) as ScaleResult;
    process.stderr.write(`  scale: analyze ${result.analyzeMs} ms, detect ${result.detectMs} ms, peak RSS ${result.peakRssMB} MB\n`);
    results.push(result);
  }
  return results;
}
