/**
 * End to end: `findDuplicates` on the real data (tinybench, a few runs), the pipeline on a
 * synthetic 100k-document corpus in child processes (one thread, then worker threads), whose wall
 * time and peak RSS are their own, and `syndic scan` of that corpus written as a JSONL file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDuplicates } from '../../src/index.js';
import { realRecords, utf8Bytes } from './corpus.js';
import { runSuite, type Row } from './harness.js';
import type { ScaleResult } from './scale.js';
import type { ScanRunResult } from './scale-scan.js';

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
  // `syndic scan` of the same corpus as a file: reading and parsing included, texts kept on disk.
  const scans = scanRuns(documents, Number(process.env.SYNDIC_BENCH_SCAN_RUNS ?? 3));
  if (results.length > 0 && scans.length > 0) results[results.length - 1]!.scan = scans;
  return results;
}

/** A CLI scan of a corpus file, with the file's size. */
export interface ScanRun extends ScanRunResult {
  documents: number;
  sizeBytes: number;
}

/**
 * `syndic scan` of the synthetic corpus of `documents` records written as JSONL to a temporary
 * file, in a child process per run (default --jobs: the cores), `runs` times.
 */
export function scanRuns(documents: number, runs: number): ScanRun[] {
  const directory = mkdtempSync(join(tmpdir(), 'syndic-bench-scan-'));
  try {
    const file = join(directory, `corpus-${documents}.jsonl`);
    const writer = join(import.meta.dirname, '..', 'corpus', 'write.js');
    process.stderr.write(`  scan: writing ${documents} documents to ${file}...\n`);
    execFileSync(process.execPath, [writer, '--documents', String(documents), '--out', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const sizeBytes = statSync(file).size;
    const results: ScanRun[] = [];
    for (let run = 0; run < runs; run++) {
      const output = execFileSync(process.execPath, [join(import.meta.dirname, 'scale-scan.js'), file, join(directory, 'report.json')], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const result = { ...(JSON.parse(output) as ScanRunResult), documents, sizeBytes };
      process.stderr.write(`  scan: ${documents} documents (${(sizeBytes / 1e6).toFixed(0)} MB) in ${result.wallMs} ms, peak RSS ${result.peakRssMB} MB\n`);
      results.push(result);
    }
    return results;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
