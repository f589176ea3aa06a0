/**
 * Whole processes side by side, in one run: `syndic scan` of the synthetic 100k-document corpus
 * (`../shared/peers/make_corpus.py`), document-level and default (documents and paragraphs), and
 * the JavaScript peers of `../shared/peers/js_peers_bench.mjs` (a hand-written one-permutation
 * MinHash + LSH, and the npm `minhash` package) on the first documents of the same corpus. Each
 * run is a child process timed by /usr/bin/time (wall, peak RSS, CPU); runs are interleaved by
 * round, and the table gives medians of the rounds and each ratio's median over rounds.
 *
 * Environment: SYNDIC_BENCH_CORPUS (an existing corpus file instead of generating one),
 * SYNDIC_BENCH_WHOLE_DOCS (default 100000; 0 skips), SYNDIC_BENCH_WHOLE_ROUNDS (default 3),
 * SYNDIC_BENCH_1M=1 adds the opt-in million-document run (one default scan, ~4.3 GB of JSONL).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY } from './corpus.js';
import { median } from './core.js';

const PEERS_DIRECTORY = join(REPOSITORY, '..', 'shared', 'peers');
const BIN = join(REPOSITORY, 'dist', 'cli', 'main.js');
const TIME = '/usr/bin/time';

/** One whole-process run. */
export interface WholeRun {
  name: string;
  round: number;
  documents: number;
  /** Bytes the throughput is over: the corpus file for syndic, the peer's texts (UTF-8) for a peer. */
  sizeBytes: number;
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  mbPerSec: number;
}

/** Medians of one configuration over the rounds. */
export interface WholeRow extends Omit<WholeRun, 'round'> {
  runs: number;
  /** Median over rounds of this row's MB/s divided by each peer's MB/s of the same round. */
  ratios: Record<string, number>;
}

/** What the suite measured. */
export interface WholeResult {
  corpus: string;
  rows: WholeRow[];
  runs: WholeRun[];
  large: WholeRun[];
}

/** Run `args` under /usr/bin/time; returns wall ms, CPU ms, peak RSS MB and stdout. */
function timed(args: readonly string[], cwd: string): { wallMs: number; cpuMs: number; peakRssMB: number; stdout: string } {
  const directory = mkdtempSync(join(tmpdir(), 'syndic-bench-time-'));
  try {
    const file = join(directory, 'time');
    const stdout = execFileSync(TIME, ['-f', '%e %U %S %M', '-o', file, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    const [wall, user, system, rssKB] = readFileSync(file, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wallMs: wall! * 1000, cpuMs: (user! + system!) * 1000, peakRssMB: rssKB! / 1024, stdout };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The first `documents` lines of a JSONL corpus, written to `file`. */
function head(corpus: string, documents: number, file: string): void {
  const text = readFileSync(corpus, 'utf8');
  let end = 0;
  for (let line = 0; line < documents && end >= 0; line++) end = text.indexOf('\n', end) + 1 || -1;
  writeFileSync(file, end < 0 ? text : text.slice(0, end));
}

function scan(name: string, corpus: string, documents: number, out: string, extra: readonly string[], round: number): WholeRun {
  const sizeBytes = statSync(corpus).size;
  const run = timed([process.execPath, BIN, 'scan', corpus, '--format', 'json', '--out', out, ...extra], REPOSITORY);
  return { name, round, documents, sizeBytes, wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMB: run.peakRssMB, mbPerSec: sizeBytes / 1e6 / (run.wallMs / 1000) };
}

function peer(name: string, peerName: string, corpus: string, documents: number, round: number): WholeRun {
  // From the repository, whose node_modules holds the npm `minhash` peer (a dev dependency).
  const run = timed([process.execPath, join(PEERS_DIRECTORY, 'js_peers_bench.mjs'), 'run', '--corpus', corpus, '--peer', peerName], REPOSITORY);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { mb: number; docs: number };
  const sizeBytes = result.mb * 1e6;
  return { name, round, documents: result.docs, sizeBytes, wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMB: run.peakRssMB, mbPerSec: result.mb / (run.wallMs / 1000) };
}

const PEER_ROWS = ['hand-written OPH + LSH (js-oph)', 'npm minhash 0.0.9'];

/** The whole-process suite; null when the peers or /usr/bin/time are missing. */
export function wholeSuite(): WholeResult | null {
  const documents = Number(process.env.SYNDIC_BENCH_WHOLE_DOCS ?? 100_000);
  const rounds = Number(process.env.SYNDIC_BENCH_WHOLE_ROUNDS ?? 3);
  if (documents <= 0) return null;
  for (const needed of [TIME, join(PEERS_DIRECTORY, 'make_corpus.py'), join(PEERS_DIRECTORY, 'js_peers_bench.mjs')]) {
    if (!existsSync(needed)) {
      process.stderr.write(`bench: ${needed} not found; whole-process suite skipped\n`);
      return null;
    }
  }
  const directory = mkdtempSync(join(tmpdir(), 'syndic-bench-whole-'));
  try {
    let corpus = process.env.SYNDIC_BENCH_CORPUS ?? '';
    if (!corpus) {
      corpus = join(directory, `corpus-${documents}.jsonl`);
      process.stderr.write(`  whole: make_corpus.py ${documents} ${corpus}...\n`);
      execFileSync('python3', [join(PEERS_DIRECTORY, 'make_corpus.py'), String(documents), corpus], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const peer10k = join(directory, 'peer-10k.jsonl');
    const peer300 = join(directory, 'peer-300.jsonl');
    head(corpus, 10_000, peer10k);
    head(corpus, 300, peer300);
    const out = join(directory, 'report.json');
    const runs: WholeRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      const step = (run: WholeRun): void => {
        process.stderr.write(`  whole: round ${round}, ${run.name}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.mbPerSec.toFixed(1)} MB/s, ${run.peakRssMB.toFixed(0)} MB\n`);
        runs.push(run);
      };
      step(scan('syndic scan --unit document', corpus, documents, out, ['--unit', 'document'], round));
      step(scan('syndic scan (default: documents and paragraphs)', corpus, documents, out, [], round));
      step(peer(PEER_ROWS[0]!, 'js-oph', peer10k, 10_000, round));
      step(peer(PEER_ROWS[1]!, 'minhash-duhaime', peer300, 300, round));
    }
    const large: WholeRun[] = [];
    if (process.env.SYNDIC_BENCH_1M === '1') {
      const million = join(directory, 'corpus-1000000.jsonl');
      process.stderr.write(`  whole: make_corpus.py 1000000 ${million} (opt-in)...\n`);
      execFileSync('python3', [join(PEERS_DIRECTORY, 'make_corpus.py'), '1000000', million], { stdio: ['ignore', 'ignore', 'inherit'] });
      large.push(scan('syndic scan of 1M documents (default)', million, 1_000_000, out, [], 1));
      rmSync(million, { force: true });
    }
    return { corpus: `make_corpus.py ${documents} (${(statSync(corpus).size / 1e6).toFixed(0)} MB)`, rows: rowsOf(runs), runs, large };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function rowsOf(runs: readonly WholeRun[]): WholeRow[] {
  const names = [...new Set(runs.map((run) => run.name))];
  return names.map((name) => {
    const mine = runs.filter((run) => run.name === name);
    const ratios: Record<string, number> = {};
    for (const peerName of PEER_ROWS) {
      if (peerName === name) continue;
      const perRound = mine.flatMap((run) => runs.filter((other) => other.name === peerName && other.round === run.round).map((other) => run.mbPerSec / other.mbPerSec));
      if (perRound.length > 0) ratios[peerName] = median(perRound);
    }
    return {
      name,
      documents: mine[0]!.documents,
      sizeBytes: mine[0]!.sizeBytes,
      wallMs: median(mine.map((run) => run.wallMs)),
      cpuMs: median(mine.map((run) => run.cpuMs)),
      peakRssMB: median(mine.map((run) => run.peakRssMB)),
      mbPerSec: median(mine.map((run) => run.mbPerSec)),
      runs: mine.length,
      ratios,
    };
  });
}
