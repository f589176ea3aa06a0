/**
 * `syndic truth`, `eval` and `bench` through the built binary on the samples: output, formats,
 * a pairs file from another tool, cluster truth, and bad inputs (exit 2, file and line named).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/eval/evaluate.js';
import type { BenchReport } from '../../src/eval/report.js';
import { ROOT, runSyndic } from '../cli/run.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const SAMPLES = path.join(ROOT, 'samples');
const DUPLICATE = ['003_13b42c5a08ef7be2.txt', '007_edited_copy.txt'] as const;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'syndic-eval-'));
  const truth = await runSyndic(['truth', SAMPLES, '--out', at('truth.jsonl')]);
  expect(truth).toMatchObject({ code: 0, stderr: '' });
  const scan = await runSyndic(['scan', SAMPLES, '--format', 'json', '--out', at('scan.json')]);
  expect(scan.code).toBe(0);
  const jsonl = await runSyndic(['scan', SAMPLES, '--format', 'jsonl', '--out', at('scan.jsonl')]);
  expect(jsonl.code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evalJson = async (args: string[]): Promise<EvalResult> => {
  const run = await runSyndic(['eval', '--truth', at('truth.jsonl'), '--format', 'json', ...args]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as EvalResult;
};

describe('syndic truth', () => {
  it('writes a header and every pair above the floors, the same to stdout as to --out', async () => {
    const lines = readFileSync(at('truth.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'truth', version: 1, documents: 9, jaccard: 0.5, containment: 0.8, shingleSize: 5, seed: 1 });
    const pair = lines.find((line) => line.a === DUPLICATE[0] && line.b === DUPLICATE[1]);
    expect(pair).toMatchObject({ jaccard: expect.any(Number) });
    expect(pair!.jaccard as number).toBeGreaterThanOrEqual(0.8);
    for (const line of lines.slice(1)) {
      const { jaccard, containment } = line as { jaccard: number; containment: { aInB: number; bInA: number } };
      expect(jaccard >= 0.5 || Math.max(containment.aInB, containment.bInA) >= 0.8).toBe(true);
    }
    const stdout = await runSyndic(['truth', SAMPLES]);
    expect(stdout.stdout).toBe(readFileSync(at('truth.jsonl'), 'utf8'));
  });

  it('takes other floors and shingle sizes, and refuses bad ones', async () => {
    const strict = await runSyndic(['truth', SAMPLES, '--jaccard', '0.9', '--containment', '0.95', '--shingle-size', '7']);
    expect(strict.code).toBe(0);
    expect(JSON.parse(strict.stdout.split('\n')[0]!)).toMatchObject({ jaccard: 0.9, containment: 0.95, shingleSize: 7 });
    expect(strict.stdout.split('\n').length).toBeLessThan(readFileSync(at('truth.jsonl'), 'utf8').split('\n').length);
    expect(await runSyndic(['truth', SAMPLES, '--jaccard', '0'])).toMatchObject({ code: 2, stderr: 'syndic: option --jaccard must be a number above 0 and at most 1, got "0"\n' });
    expect(await runSyndic(['truth'])).toMatchObject({ code: 2 });
  });
});

describe('syndic eval', () => {
  it('scores a JSON report, the same run as JSONL, and a scan it runs itself alike (the latter with its cost)', async () => {
    const fromJson = await evalJson(['--report', at('scan.json')]);
    const fromJsonl = await evalJson(['--report', at('scan.jsonl')]);
    const fromScan = await evalJson([SAMPLES]);
    expect(fromJson.scores.nearDuplicates.scores).toMatchObject({ truePositives: 1, precision: 1 });
    expect(fromJsonl.scores).toEqual(fromJson.scores);
    expect(fromScan.scores).toEqual(fromJson.scores);
    expect(fromJson.run.cost).toBeNull();
    expect(fromScan.run.cost).toMatchObject({ documents: 9, candidatePairs: expect.any(Number) });
    const scan = JSON.parse(readFileSync(at('scan.json'), 'utf8')) as { syndication: unknown[]; stats: { candidatePairs: number } };
    expect(fromJson.scores.syndication.scores.detected).toBe(scan.syndication.length);
    expect(fromScan.run.cost!.candidatePairs).toBe(scan.stats.candidatePairs);
  });

  it('scores pairs from another tool ({a, b} lines: near-duplicate claims)', async () => {
    writeFileSync(at('other-tool.jsonl'), `${JSON.stringify({ a: DUPLICATE[1], b: DUPLICATE[0], score: 0.91 })}\n${JSON.stringify({ a: '001_c165a42ed11c2292.txt', b: '002_0d3ae0e5ef84bc8e.txt' })}\n`);
    const result = await evalJson(['--report', at('other-tool.jsonl')]);
    const truthDuplicates = result.scores.nearDuplicates.scores.truth;
    expect(result.scores.nearDuplicates.scores).toEqual({ truth: truthDuplicates, detected: 2, truePositives: 1, precision: 0.5, recall: Math.round(1e4 / truthDuplicates) / 1e4, f1: expect.any(Number) });
    expect(result.scores.syndication.scores.detected).toBe(0);
  });

  it('scores clusters when the truth labels them', async () => {
    const labels = ['001', '002', '003', '004', '005'].map((seed, i) => ({ id: seed, cluster: i === 2 ? 'story' : seed }));
    writeFileSync(at('labels.jsonl'), [...labels, { id: DUPLICATE[0], cluster: 'story' }, { id: DUPLICATE[1], cluster: 'story' }].map((line) => JSON.stringify(line)).join('\n'));
    writeFileSync(at('clustered.jsonl'), `${JSON.stringify({ a: DUPLICATE[0], b: DUPLICATE[1] })}\n`);
    const result = await runSyndic(['eval', '--truth', at('labels.jsonl'), '--report', at('clustered.jsonl'), '--format', 'json']);
    expect(result.code).toBe(0);
    // Truth {003 story, 003.txt, 007.txt} + 4 singletons; predicted: {003.txt, 007.txt}, the rest alone.
    expect((JSON.parse(result.stdout) as EvalResult).clusters).toMatchObject({ items: 7, trueClusters: 5, predictedClusters: 6, bcubedPrecision: 1 });
  });

  it('prints text and Markdown tables', async () => {
    const text = await runSyndic(['eval', '--truth', at('truth.jsonl'), '--report', at('scan.json')]);
    expect(text.stdout).toMatch(/^syndic eval: .* against \d+ truth pairs, floors Jaccard 0.5 \/ containment 0.8\n/);
    expect(text.stdout).toContain('  near-duplicates ');
    const markdown = await runSyndic(['eval', '--truth', at('truth.jsonl'), '--report', at('scan.json'), '--format', 'markdown']);
    expect(markdown.stdout).toContain('| syndicated copies |');
    expect(markdown.stdout).toContain('| [0.95, 1.00] |');
  });

  it('names the file, line and field of bad input, and refuses what the truth cannot score', async () => {
    writeFileSync(at('bad.jsonl'), `${JSON.stringify({ a: 'x', b: 'y', jaccard: 0.9, containment: { aInB: 1, bInA: 0.9 } })}\n{"a": "x",\n`);
    expect(await runSyndic(['eval', '--truth', at('bad.jsonl'), '--report', at('scan.json')])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^syndic: .*bad\.jsonl:2: malformed JSON/) });
    writeFileSync(at('no-jaccard.jsonl'), `${JSON.stringify({ a: 'x', b: 'y', containment: { aInB: 1, bInA: 0.9 } })}\n`);
    expect(await runSyndic(['eval', '--truth', at('no-jaccard.jsonl'), '--report', at('scan.json')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no-jaccard\.jsonl:1: field "jaccard" must be a number from 0 to 1, got nothing\n$/) });
    writeFileSync(at('bad-type.jsonl'), `${JSON.stringify({ a: 'x', b: 'y', type: 'similar' })}\n`);
    expect(await runSyndic(['eval', '--truth', at('truth.jsonl'), '--report', at('bad-type.jsonl')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/bad-type\.jsonl:1: field "type" must be one of/) });
    expect(await runSyndic(['eval', '--truth', at('missing.jsonl'), '--report', at('scan.json')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.jsonl: no such file or directory\n$/) });
    expect(await runSyndic(['eval', '--truth', at('truth.jsonl'), '--report', at('scan.json'), '--threshold', '0.4'])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot score threshold 0.4') });
    expect(await runSyndic(['eval', '--truth', at('truth.jsonl')])).toMatchObject({ code: 2, stderr: 'syndic: eval needs --report FILE or inputs to scan\n' });
  });
});

describe('syndic bench', () => {
  it('times every stage and names the machine', async () => {
    const run = await runSyndic(['bench', SAMPLES, '--repeat', '1', '--format', 'json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report.stages.map((stage) => stage.stage)).toEqual(['normalize', 'sign', 'lsh', 'verify', 'detect', 'whole run']);
    expect(report).toMatchObject({ documents: 9, repeat: 1, machine: { node: process.versions.node, syndic: '0.1.0' }, params: { bands: 16, rows: 6 } });
    expect(report.peakRssBytes).toBeGreaterThan(1e6);
    for (const stage of report.stages) expect(stage.mbPerSec).toBeGreaterThan(0);
  });

  it('sweeps settings, scores them against the truth, and draws the S-curve', async () => {
    const run = await runSyndic(['bench', SAMPLES, '--repeat', '1', '--sweep', 'threshold=0.7,0.9', '--sweep', 'num-perm=64', '--truth', at('truth.jsonl'), '--chart', at('curve.svg')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('| setting | bands×rows |');
    expect(run.stdout).toMatch(/\| threshold 0.7 \| \d+×\d+ \|/);
    expect(run.stdout).toMatch(/\| numPerm 64 \| /);
    expect(run.stdout).toContain('dup P');
    expect(readFileSync(at('curve.svg'), 'utf8')).toMatch(/^<svg [^]*<\/svg>\n$/);
    expect(await runSyndic(['bench', SAMPLES, '--sweep', 'bands'])).toMatchObject({ code: 2, stderr: expect.stringContaining('option --sweep takes threshold, num-perm, shingle-size or all') });
    expect(await runSyndic(['bench', SAMPLES, '--truth', at('truth.jsonl')])).toMatchObject({ code: 2 });
    expect(await runSyndic(['bench', SAMPLES, '--sweep', 'threshold=0.3', '--truth', at('truth.jsonl')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot score threshold 0.3') });
  });
});
