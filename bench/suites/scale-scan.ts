/**
 * `syndic scan FILE --format json --out OUT` run by the CLI's own code in this process, so that the
 * peak RSS printed is the scan's alone (worker threads included): one JSON line with the wall
 * time, peak RSS and stats. Run by bench/suites/e2e.ts on a corpus file written beforehand.
 */
import { readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/main.js';

/** What one CLI scan measured. */
export interface ScanRunResult {
  file: string;
  jobs: number | 'default';
  wallMs: number;
  peakRssMB: number;
  stats: Record<string, number>;
}

const [file, out, jobs] = process.argv.slice(2);
if (!file || !out) throw new Error('usage: scale-scan.js FILE OUT [JOBS]');
const started = performance.now();
const code = await runCli(['scan', file, '--format', 'json', '--out', out, ...(jobs ? ['--jobs', jobs] : [])]);
const wallMs = performance.now() - started;
// Before the report is read back below: parsing it would add its own peak to the scan's.
const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
if (code !== 0) throw new Error(`syndic scan exited with code ${code}`);
const { stats } = JSON.parse(readFileSync(out, 'utf8')) as { stats: Record<string, number> };
const result: ScanRunResult = { file, jobs: jobs ? Number(jobs) : 'default', wallMs: Math.round(wallMs), peakRssMB, stats };
process.stdout.write(`${JSON.stringify(result)}\n`);
