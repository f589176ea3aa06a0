/**
 * `syndic bench`: throughput of each stage and of the whole run on the user's records, peak
 * memory, and the machine; with `--sweep`, one run per setting (and its scores against
 * `--truth`), so parameters can be chosen from the user's own data.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { Command, Option } from 'commander';
import { SyndicError } from '../errors.js';
import { sCurveChart, sCurve } from '../eval/curve.js';
import { renderBench, type BenchReport, type MachineInfo } from '../eval/report.js';
import { measureStages } from '../eval/stages.js';
import { parseSweepSpec, sweepRow, type SweepRow } from '../eval/sweep.js';
import { resolveOptions } from '../options.js';
import { collectInputs } from '../input/sources.js';
import { loadTruth, REPORT_FORMATS, warnShingleMismatch } from './eval.js';
import { writeOutput, type CommandContext } from './io.js';
import {
  addDetectionOptions,
  addInputOptions,
  addProgressOptions,
  parseChoice,
  parseDetectOptions,
  parseInputSettings,
  parseNumberOption,
  readOptionsFor,
  reportSkipped,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';
import { Progress, progressEnabled } from './progress.js';

interface RawBenchOptions extends RawDetectionOptions, RawInputOptions {
  format?: string;
  out?: string;
  progress?: boolean;
  repeat?: string;
  sweep?: string[];
  truth?: string;
  chart?: string;
}

/** syndic's version, from the package.json beside the built code. */
export function syndicVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The machine a benchmark runs on. */
export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${arch()}`,
    syndic: syndicVersion(),
  };
}

/** Register `syndic bench` on the program. */
export function registerBench(program: Command, context: CommandContext): void {
  const command = program
    .command('bench')
    .description('throughput per stage and for the whole run on your data, peak memory; --sweep parameters, scored against --truth')
    .argument('[inputs...]', "folders (.txt/.md inside), .txt/.md files, .jsonl/.jsonl.gz files, '-' for JSONL on stdin")
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('markdown'))
    .option('--out <file>', 'write the report to FILE instead of stdout')
    .option('--repeat <n>', 'timed runs of each stage; the median is reported (default 3)')
    .option('--sweep <spec>', 'also run each setting of threshold, num-perm, shingle-size or all (e.g. threshold=0.7,0.8,0.9); repeatable', (value: string, previous: string[] = []) => [...previous, value])
    .option('--truth <file>', 'with --sweep: score each setting against this truth file (syndic truth)')
    .option('--chart <file>', "write the S-curve of the layout used (and the sweep's layouts) as SVG to FILE");
  addDetectionOptions(command);
  addInputOptions(command);
  addProgressOptions(command);
  command.action(async (inputs: string[], raw: RawBenchOptions) => {
    const { io } = context;
    if (inputs.length === 0) throw new SyndicError('syndic: bench needs at least one input: a folder, a .txt/.md/.jsonl/.jsonl.gz file, or - for JSONL on stdin');
    const format = parseChoice('--format', raw.format ?? 'markdown', REPORT_FORMATS)!;
    const repeat = parseNumberOption('--repeat', raw.repeat) ?? 3;
    if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new SyndicError(`syndic: option --repeat must be an integer from 1 to 100, got "${raw.repeat}"`);
    if (raw.truth && !raw.sweep) throw new SyndicError('syndic: option --truth works with --sweep (to score a single run, use syndic eval)');
    const sweeps = (raw.sweep ?? []).flatMap(parseSweepSpec);
    const detect = parseDetectOptions(raw);
    const input = parseInputSettings(raw);
    const truth = raw.truth ? { file: await loadTruth(raw.truth, io), name: raw.truth } : null;
    if (truth) warnShingleMismatch(truth.file, resolveOptions(detect).shingleSize, io);

    const progress = new Progress(io, progressEnabled(raw.progress, io));
    const skipped = { count: 0 };
    progress.begin('reading');
    const records = (await collectInputs(inputs, readOptionsFor(input, io, skipped))).map((item) => item.record);
    reportSkipped(skipped, io);
    const measured = await measureStages(records, detect, { repeat, onStage: (stage) => progress.begin(stage) });
    let sweep: SweepRow[] | null = null;
    if (sweeps.length > 0) {
      sweep = [];
      for (const { parameter, values } of sweeps) {
        for (const value of values) {
          progress.begin(`sweep ${parameter} ${value}`);
          sweep.push(await sweepRow(records, detect, parameter, value, truth));
        }
      }
    }
    const { params } = measured;
    const report: BenchReport = {
      version: 1,
      machine: machineInfo(),
      inputs,
      documents: measured.documents,
      sizeBytes: measured.sizeBytes,
      repeat,
      params,
      candidatePairs: measured.candidatePairs,
      stages: measured.stages,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      sCurve: sCurve(params),
      sweep,
    };
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderBench(report, format);
    await writeOutput(raw.out, text, io);
    if (raw.chart) {
      const layouts = [params, ...(sweep ?? []).filter((row) => row.parameter !== 'shingleSize')];
      const distinct = layouts.filter((layout, i) => layouts.findIndex((other) => other.bands === layout.bands && other.rows === layout.rows) === i).slice(0, 5);
      await writeOutput(raw.chart, sCurveChart({ title: `LSH S-curve: ${params.bands} bands × ${params.rows} rows${distinct.length > 1 ? ' and the sweep' : ''}`, layouts: distinct, threshold: params.threshold }), io);
    }
    progress.end(`${records.length} documents`);
  });
}
