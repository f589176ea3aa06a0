/**
 * `syndic eval`: score a run against a truth file — a scan report, any JSONL of pairs from
 * another tool, or a scan it runs itself on the inputs — and print precision, recall and F1 per
 * class, recall by band, cluster agreement and the cost.
 */
import { Command, Option } from 'commander';
import { findDuplicates } from '../detect/detect.js';
import { SyndicError } from '../errors.js';
import { checkTruthCovers, evaluate, reportedPairsOf, runCost, type EvalResult } from '../eval/evaluate.js';
import { parseRun, parseTruth, type RunFile, type TruthFile } from '../eval/files.js';
import { renderEval } from '../eval/report.js';
import type { ClassThresholds } from '../eval/score.js';
import { minContentShingles } from '../detect/policy.js';
import { DEFAULTS, resolveOptions, type DetectOptions } from '../options.js';
import { collectInputs, readWholeFile } from '../input/sources.js';
import { writeOutput, type CliIo, type CommandContext } from './io.js';
import {
  addDetectionOptions,
  addInputOptions,
  addProgressOptions,
  parseChoice,
  parseDetectOptions,
  parseInputSettings,
  readOptionsFor,
  reportSkipped,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';
import { Progress, progressEnabled } from './progress.js';

/** Output formats of `eval` and `bench`. */
export const REPORT_FORMATS = ['text', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface RawEvalOptions extends RawDetectionOptions, RawInputOptions {
  format?: string;
  out?: string;
  progress?: boolean;
  truth?: string;
  report?: string;
}

/** Read and parse a truth file. */
export async function loadTruth(file: string, io: CliIo): Promise<TruthFile> {
  return parseTruth(await readWholeFile(file, io.cwd), file);
}

/**
 * The class thresholds: the options given, else the run's own, else the defaults; the floor on
 * a syndicated copy's smaller document is the policy's (`minContentShingles`).
 */
export function classThresholds(detect: DetectOptions, run: RunFile['params']): ClassThresholds {
  const resolved = resolveOptions(detect);
  return {
    threshold: detect.threshold ?? run?.threshold ?? DEFAULTS.threshold,
    containment: detect.containment ?? run?.containment ?? DEFAULTS.containment,
    minShingles: minContentShingles(resolved),
  };
}

/** Warn when the run's shingles are not the truth's (scoring still makes sense: the truth is the reference). */
export function warnShingleMismatch(truth: TruthFile, shingleSize: number | undefined, io: CliIo): void {
  if (truth.header && shingleSize !== undefined && shingleSize !== truth.header.shingleSize) {
    io.stderr.write(`syndic: note: the truth was computed with shingle size ${truth.header.shingleSize}, the run used ${shingleSize}\n`);
  }
}

/** Register `syndic eval` on the program. */
export function registerEval(program: Command, context: CommandContext): void {
  const command = program
    .command('eval')
    .description('score a run against a truth file: precision, recall and F1 for near-duplicates and syndication, recall by band, clusters, cost')
    .argument('[inputs...]', 'scan these inputs with the options given and score the scan (instead of --report)')
    .requiredOption('--truth <file>', 'truth JSONL (syndic truth, or {id, cluster} lines of a labelled corpus)')
    .option('--report <file>', 'a scan --format json report, or JSONL of pairs {a, b, type?} from syndic or another tool')
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('--out <file>', 'write the report to FILE instead of stdout');
  addDetectionOptions(command);
  addInputOptions(command);
  addProgressOptions(command);
  command.action(async (inputs: string[], raw: RawEvalOptions) => {
    const { io } = context;
    const format = parseChoice('--format', raw.format ?? 'text', REPORT_FORMATS)!;
    if (raw.report && inputs.length > 0) throw new SyndicError('syndic: eval scores either --report FILE or a scan of the inputs, not both');
    if (!raw.report && inputs.length === 0) throw new SyndicError('syndic: eval needs --report FILE or inputs to scan');
    const detect = parseDetectOptions(raw);
    const truth = await loadTruth(raw.truth!, io);
    const result = raw.report ? await scoreReport(raw.report, truth, raw.truth!, detect, io) : await scoreScan(inputs, raw, truth, detect, io);
    const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderEval(result, format);
    await writeOutput(raw.out, text, io);
  });
}

async function scoreReport(file: string, truth: TruthFile, truthFile: string, detect: DetectOptions, io: CliIo): Promise<EvalResult> {
  const run = parseRun(await readWholeFile(file, io.cwd), file);
  const thresholds = classThresholds(detect, run.params);
  checkTruthCovers(truth, thresholds, truthFile);
  warnShingleMismatch(truth, run.params?.shingleSize, io);
  return evaluate(truth, { source: file, pairs: run.pairs, clusters: run.clusters, cost: null }, thresholds);
}

async function scoreScan(inputs: string[], raw: RawEvalOptions, truth: TruthFile, detect: DetectOptions, io: CliIo): Promise<EvalResult> {
  const thresholds = classThresholds(detect, null);
  checkTruthCovers(truth, thresholds, raw.truth!);
  const options = resolveOptions(detect);
  warnShingleMismatch(truth, options.shingleSize, io);
  const progress = new Progress(io, progressEnabled(raw.progress, io));
  const skipped = { count: 0 };
  progress.begin('reading');
  const records = (await collectInputs(inputs, readOptionsFor(parseInputSettings(raw), io, skipped))).map((item) => item.record);
  reportSkipped(skipped, io);
  progress.begin('scanning', records.length);
  const scan = await findDuplicates(records, detect);
  const pairs = reportedPairsOf(scan);
  progress.end(`${records.length} documents, ${pairs.length} pairs reported`);
  return evaluate(truth, { source: `syndic scan of ${inputs.join(', ')}`, pairs, clusters: null, cost: runCost(scan.stats) }, thresholds);
}
