/**
 * A parameter sweep on the caller's records: one full run per setting of threshold, numPerm or
 * shingle size, with its LSH layout, candidates, time and — given truth — its scores, so
 * parameters can be picked from the user's own data.
 */
import { findDuplicates } from '../detect/detect.js';
import { minContentShingles } from '../detect/policy.js';
import type { DetectionResult } from '../detect/types.js';
import { SyndicError } from '../errors.js';
import { candidateProbability } from '../lsh/params.js';
import { resolveOptions, type DetectOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import type { TruthFile } from './files.js';
import { checkTruthCovers, reportedPairsOf } from './evaluate.js';
import { round4 } from './metrics.js';
import { scoreCopies, type CopyScores } from './score.js';

/** Parameters a sweep can vary. */
export const SWEEP_PARAMETERS = ['threshold', 'numPerm', 'shingleSize'] as const;
export type SweepParameter = (typeof SWEEP_PARAMETERS)[number];

/** Values swept when none are given. */
export const SWEEP_DEFAULTS: Readonly<Record<SweepParameter, readonly number[]>> = Object.freeze({
  threshold: [0.6, 0.7, 0.8, 0.9],
  numPerm: [32, 64, 128, 256],
  shingleSize: [3, 4, 5, 6, 7],
});

/** One run of a sweep. */
export interface SweepRow {
  parameter: SweepParameter;
  value: number;
  bands: number;
  rows: number;
  /** Chance that a pair exactly at the threshold becomes a candidate, 1 − (1 − tʳ)ᵇ. */
  candidateAtThreshold: number;
  candidatePairs: number;
  candidatesPerDocument: number;
  duplicatePairs: number;
  syndicationPairs: number;
  elapsedMs: number;
  /** Against the truth, when given (class thresholds follow the run's). */
  scores: CopyScores | null;
}

/** The run of one setting over `records`, scored against `truth` when given. */
export async function sweepRow(records: readonly DocumentRecord[], base: DetectOptions, parameter: SweepParameter, value: number, truth: { file: TruthFile; name: string } | null): Promise<SweepRow> {
  const options: DetectOptions = { ...base, [parameter]: value };
  // A swept threshold or numPerm derives its own layout unless bands and rows were given.
  const resolved = resolveOptions(options);
  if (truth) checkTruthCovers(truth.file, resolved, truth.name);
  const started = performance.now();
  const result: DetectionResult = await findDuplicates(records, options);
  const elapsedMs = performance.now() - started;
  return {
    parameter,
    value,
    bands: resolved.bands,
    rows: resolved.rows,
    candidateAtThreshold: round4(candidateProbability(resolved.threshold, resolved.bands, resolved.rows)),
    candidatePairs: result.stats.candidatePairs,
    candidatesPerDocument: round4(result.stats.candidatePairs / Math.max(1, records.length)),
    duplicatePairs: result.stats.duplicatePairs,
    syndicationPairs: result.stats.syndicationPairs,
    elapsedMs: Math.round(elapsedMs),
    scores: truth ? scoreCopies(truth.file.pairs, reportedPairsOf(result), { ...resolved, minShingles: minContentShingles(resolved) }) : null,
  };
}

/** Parse a sweep spec: `threshold`, `num-perm=64,128`, `shingle-size`, or `all`. */
export function parseSweepSpec(spec: string): Array<{ parameter: SweepParameter; values: readonly number[] }> {
  const [name = '', list] = spec.split('=', 2);
  const flagNames: Record<string, SweepParameter> = { threshold: 'threshold', 'num-perm': 'numPerm', numPerm: 'numPerm', 'shingle-size': 'shingleSize', shingleSize: 'shingleSize' };
  if (name === 'all' && list === undefined) return SWEEP_PARAMETERS.map((parameter) => ({ parameter, values: SWEEP_DEFAULTS[parameter] }));
  const parameter = flagNames[name];
  if (!parameter) throw new SyndicError(`option --sweep takes threshold, num-perm, shingle-size or all (optionally =v1,v2,…), got "${spec}"`);
  if (list === undefined) return [{ parameter, values: SWEEP_DEFAULTS[parameter] }];
  const values = list.split(',').map((item) => (item.trim() === '' ? Number.NaN : Number(item)));
  if (values.some((value) => !Number.isFinite(value))) throw new SyndicError(`option --sweep ${name}= expects numbers separated by commas, got "${list}"`);
  for (const value of values) resolveOptions({ [parameter]: value });
  return [{ parameter, values }];
}
