/**
 * `npm run bench`: tinybench suites per stage, the hashing core against the npm `minhash` package
 * and syndic's classic reference in the same run, end to end on the real data, and the pipeline
 * on a synthetic 100k-document corpus. Writes bench/results/REPORT.md and REPORT.json.
 *
 * Environment: SYNDIC_BENCH_TIME (ms per task, default 400), SYNDIC_BENCH_SCALE_DOCS (default
 * 100000; 0 skips), SYNDIC_BENCH_DATA (path of the real data), SYNDIC_BENCH_SUITES (comma-separated
 * suites to run, default all: core, normalize, shingle, sketch, lsh, verify, end-to-end, scale,
 * whole), and those of bench/suites/whole.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch } from 'node:os';
import { join } from 'node:path';
import { CORE_ROUNDS, coreSuite, median } from './suites/core.js';
import { DATA_FILE, REPOSITORY, realRecords, utf8Bytes } from './suites/corpus.js';
import { endToEndSuite, scaleRuns } from './suites/e2e.js';
import type { Row } from './suites/harness.js';
import type { ScaleResult } from './suites/scale.js';
import { lshSuite, normalizeSuite, shingleSuite, sketchSuite, verifySuite } from './suites/stages.js';
import { wholeSuite, type WholeResult } from './suites/whole.js';

interface Report {
  generatedAt: string;
  machine: { node: string; v8: string; cpu: string; cores: number; memoryGB: number; platform: string };
  versions: { syndic: string; commit: string; tinybench: string; minhash: string };
  data: { file: string; present: boolean; documents: number; sizeBytes: number };
  rows: Row[];
  ratios: Array<{ corpus: string; ophMBps: number; classicMBps: number; npmMBps: number; ophVsNpm: number; classicVsNpm: number; ophVsClassic: number }>;
  scale: ScaleResult[];
  whole: WholeResult | null;
  rounds: number;
  elapsedMs: number;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPOSITORY, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPOSITORY, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(4));

/** Per corpus: each ratio is measured within one round, then the median over rounds is kept. */
function ratiosOf(rows: readonly Row[]): Report['ratios'] {
  const out: Report['ratios'] = [];
  const roundRows = rows.filter((row) => row.suite === 'core-round');
  const corpora = [...new Set(roundRows.map((row) => String(row.params?.corpus)))];
  const roundNumbers = [...new Set(roundRows.map((row) => Number(row.params?.round)))];
  for (const corpus of corpora) {
    const perRound: Array<Report['ratios'][number]> = [];
    for (const round of roundNumbers) {
      const find = (impl: string): number | undefined =>
        roundRows.find((row) => row.params?.corpus === corpus && row.params?.impl === impl && row.params?.round === round)?.mbPerSec;
      const oph = find('syndic-oph');
      const classic = find('syndic-classic');
      const npm = find('npm-minhash');
      if (oph === undefined || classic === undefined || npm === undefined) continue;
      perRound.push({ corpus, ophMBps: oph, classicMBps: classic, npmMBps: npm, ophVsNpm: oph / npm, classicVsNpm: classic / npm, ophVsClassic: oph / classic });
    }
    if (perRound.length === 0) continue;
    const pick = (field: Exclude<keyof Report['ratios'][number], 'corpus'>): number => median(perRound.map((r) => r[field]));
    out.push({
      corpus,
      ophMBps: pick('ophMBps'),
      classicMBps: pick('classicMBps'),
      npmMBps: pick('npmMBps'),
      ophVsNpm: pick('ophVsNpm'),
      classicVsNpm: pick('classicVsNpm'),
      ophVsClassic: pick('ophVsClassic'),
    });
  }
  return out;
}

function table(headers: string[], lines: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...lines.map((line) => `| ${line.join(' | ')} |`)].join('\n');
}

function markdown(report: Report): string {
  const { machine, versions, data, rows, ratios, scale, whole } = report;
  const out: string[] = [];
  out.push('# syndic benchmark report', '');
  out.push(`Generated ${report.generatedAt} by \`npm run bench\` in ${fixed(report.elapsedMs / 60000, 1)} min.`, '');
  out.push(`- Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}`);
  out.push(`- CPU: ${machine.cpu} × ${machine.cores}, ${fixed(machine.memoryGB, 0)} GB RAM`);
  out.push(`- syndic ${versions.syndic} (${versions.commit}), tinybench ${versions.tinybench}, npm minhash ${versions.minhash}`);
  out.push(`- Data: ${data.present ? `${data.documents} Arabic news articles, ${fixed(data.sizeBytes / 1e6, 2)} MB of text` : 'absent (real-data rows skipped)'}`);
  out.push('- Throughput is MB (10⁶ bytes) of original UTF-8 text per second at the **median** latency of the tinybench samples; one core; ratios come from rows of this same run.', '');
  if (whole) out.push(...wholeMarkdown(whole));
  out.push('## Hashing core: normalize + shingle + signature (numPerm 128)', '');
  out.push(`Medians over ${report.rounds} rounds; each ratio is taken within a round (both sides measured minutes apart at most), then its median over rounds. The npm package runs on the seeds and on a 100 KB sample of the data (it would take minutes on all of it).`, '');
  out.push(
    table(
      ['corpus', 'syndic oph MB/s', 'syndic classic MB/s', 'npm minhash MB/s', 'oph ÷ npm', 'classic ÷ npm', 'oph ÷ classic'],
      ratios.map((r) => [r.corpus, fixed(r.ophMBps), fixed(r.classicMBps), fixed(r.npmMBps, 2), `${fixed(r.ophVsNpm, 0)}×`, `${fixed(r.classicVsNpm, 0)}×`, `${fixed(r.ophVsClassic, 1)}×`]),
    ),
    '',
  );
  const core = rows.filter((row) => row.suite === 'core');
  out.push(table(['task', 'median ms (median of rounds)', 'MB/s', 'samples'], core.map((row) => [row.task, ms(row.medianMs), fixed(row.mbPerSec ?? 0), String(row.samples)])), '');
  for (const suite of ['normalize', 'shingle', 'sketch', 'lsh', 'verify', 'end-to-end']) {
    const suiteRows = rows.filter((row) => row.suite === suite);
    if (suiteRows.length === 0) continue;
    out.push(`## ${suite}`, '');
    out.push(
      table(
        ['task', 'median ms', 'MB/s', '±rme %', 'samples'],
        suiteRows.map((row) => [row.task, ms(row.medianMs), row.mbPerSec === undefined ? '' : fixed(row.mbPerSec), fixed(row.rme, 1), String(row.samples)]),
      ),
      '',
    );
  }
  if (scale.length > 0) {
    out.push('## Pipeline at scale (synthetic corpus, child process)', '');
    out.push(
      table(
        ['documents', 'MB', 'threads', 'analyze ms (wall)', 'analyze ms (in workers)', 'detect ms', 'analyze + detect ms', 'peak RSS MB', 'RSS of corpus alone MB', 'duplicate pairs', 'paragraph clusters'],
        scale.map((s) => [
          String(s.documents),
          fixed(s.sizeBytes / 1e6, 0),
          String(s.jobs),
          String(s.analyzeMs),
          String(s.workerAnalyzeMs),
          String(s.detectMs),
          String(s.pipelineMs),
          String(s.peakRssMB),
          String(s.corpusRssMB),
          String(s.stats.duplicatePairs),
          String(s.stats.paragraphClusters),
        ]),
      ),
      '',
      `Corpus: ${scale[0]!.generator}. Reading and parsing input is not included (the corpus is generated in memory); the peak RSS includes the corpus. With threads, the wall time of analysis includes worker start-up and copying texts and analyses between threads; "in workers" is the longest worker's own analysis time.`,
      '',
    );
    const scans = scale.flatMap((s) => s.scan ?? []);
    if (scans.length > 0) {
      const first = scans[0]!;
      out.push(`### \`syndic scan\` of the corpus as a JSONL file (${first.documents} documents, ${fixed(first.sizeBytes / 1e6, 0)} MB)`, '');
      out.push(
        table(
          ['run', 'jobs', 'wall s', 'peak RSS MB', 'duplicate pairs', 'syndication pairs'],
          scans.map((run, index) => [String(index + 1), String(run.jobs), fixed(run.wallMs / 1000, 1), String(run.peakRssMB), String(run.stats.duplicatePairs ?? ''), String(run.stats.syndicationPairs ?? '')]),
        ),
        '',
        `Median: ${fixed(median(scans.map((run) => run.wallMs)) / 1000, 1)} s wall, ${fixed(median(scans.map((run) => run.peakRssMB)), 0)} MB peak RSS. Each run is \`syndic scan FILE --format json --out OUT\` in its own child process: reading, parsing, analysis on worker threads, detection and writing the report; texts stay on disk.`,
        '',
      );
    }
  }
  return out.join('\n');
}

function wholeMarkdown(whole: WholeResult): string[] {
  const peers = [...new Set(whole.rows.flatMap((row) => Object.keys(row.ratios)))];
  const out = ['## Whole processes side by side', ''];
  out.push(
    `Corpus: ${whole.corpus}. Each run is a child process timed by /usr/bin/time; rounds interleave the configurations; medians of ${Math.max(...whole.rows.map((row) => row.runs))} rounds, each ratio taken within a round. syndic's MB/s are over the JSONL file, a peer's over the UTF-8 of the texts it read (the peers run on the first 10,000 and 300 documents: they keep everything in memory, and npm minhash takes minutes per thousand).`,
    '',
  );
  out.push(
    table(
      ['run', 'documents', 'MB', 'wall s', 'CPU s', 'peak RSS MB', 'MB/s', ...peers.map((name) => `÷ ${name}`)],
      whole.rows.map((row) => [
        row.name,
        String(row.documents),
        fixed(row.sizeBytes / 1e6, 1),
        fixed(row.wallMs / 1000, 1),
        fixed(row.cpuMs / 1000, 1),
        fixed(row.peakRssMB, 0),
        fixed(row.mbPerSec, row.mbPerSec < 1 ? 2 : 1),
        ...peers.map((name) => (row.ratios[name] === undefined ? '' : `${fixed(row.ratios[name]!, row.ratios[name]! < 10 ? 1 : 0)}×`)),
      ]),
    ),
    '',
  );
  if (whole.large.length > 0) {
    out.push(table(['opt-in run', 'documents', 'MB', 'wall s', 'CPU s', 'peak RSS MB'], whole.large.map((run) => [run.name, String(run.documents), fixed(run.sizeBytes / 1e6, 0), fixed(run.wallMs / 1000, 0), fixed(run.cpuMs / 1000, 0), fixed(run.peakRssMB, 0)])), '');
  }
  return out;
}

async function main(): Promise<void> {
  const started = performance.now();
  const real = realRecords();
  if (!real) process.stderr.write(`bench: ${DATA_FILE} not found; real-data rows are skipped\n`);
  const selected = new Set((process.env.SYNDIC_BENCH_SUITES ?? 'core,normalize,shingle,sketch,lsh,verify,end-to-end,scale,whole').split(','));
  const rows: Row[] = [];
  for (const [name, suite] of [
    ['core', coreSuite],
    ['normalize', normalizeSuite],
    ['shingle', shingleSuite],
    ['sketch', sketchSuite],
    ['lsh', lshSuite],
    ['verify', verifySuite],
    ['end-to-end', endToEndSuite],
  ] as const) {
    if (!selected.has(name)) continue;
    process.stderr.write(`bench: ${name}\n`);
    rows.push(...(await suite()));
  }
  const scaleDocuments = Number(process.env.SYNDIC_BENCH_SCALE_DOCS ?? 100_000);
  const scale = selected.has('scale') && scaleDocuments > 0 && real ? scaleRuns(scaleDocuments, [1, 2]) : [];
  if (selected.has('whole')) process.stderr.write('bench: whole\n');
  const whole = selected.has('whole') ? wholeSuite() : null;
  const report: Report = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, v8: process.versions.v8, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: totalmem() / 2 ** 30, platform: `${platform()} ${arch()}` },
    versions: {
      syndic: (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string }).version,
      commit: gitCommit(),
      tinybench: packageVersion('tinybench'),
      minhash: packageVersion('minhash'),
    },
    data: { file: DATA_FILE, present: real !== null, documents: real?.length ?? 0, sizeBytes: real ? utf8Bytes(real.map((record) => record.text)) : 0 },
    rows,
    ratios: ratiosOf(rows),
    scale,
    whole,
    rounds: CORE_ROUNDS,
    elapsedMs: performance.now() - started,
  };
  const directory = join(REPOSITORY, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'REPORT.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(directory, 'REPORT.md'), `${markdown(report)}\n`);
  process.stderr.write(`bench: wrote bench/results/REPORT.md and REPORT.json in ${fixed(report.elapsedMs / 1000, 0)} s\n`);
}

await main();
