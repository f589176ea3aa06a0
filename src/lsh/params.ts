/**
 * LSH banding parameters: the S-curve P(s) = 1 − (1 − sʳ)ᵇ and the choice of bands and rows from a
 * Jaccard threshold by integrating it. Pure functions.
 */
import { SyndicError } from '../errors.js';

/**
 * Minimum candidate probability at the threshold when bands and rows are derived (the one
 * default: `DEFAULTS.recall` is this value).
 */
export const DEFAULT_RECALL = 0.99;

/** Bands × rows layout of a signature for LSH. */
export interface LshParams {
  bands: number;
  rows: number;
}

/** How {@link lshParams} trades false positives against false negatives. */
export interface LshTuning {
  /** Minimum candidate probability at the threshold (default {@link DEFAULT_RECALL}). */
  recall?: number;
  /** Weight of the false-positive area ∫₀ᵗ P(s) ds in the objective (default 0.5). */
  falsePositiveWeight?: number;
  /** Weight of the false-negative area ∫ₜ¹ 1−P(s) ds in the objective (default 0.5). */
  falseNegativeWeight?: number;
}

/** Probability that a pair of Jaccard `similarity` shares at least one band: 1 − (1 − sʳ)ᵇ. */
export function candidateProbability(similarity: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(similarity, rows), bands);
}

function integrate(f: (s: number) => number, from: number, to: number, steps = 200): number {
  if (to <= from) return 0;
  const width = (to - from) / steps;
  let sum = (f(from) + f(to)) / 2;
  for (let i = 1; i < steps; i++) sum += f(from + i * width);
  return sum * width;
}

const paramsCache = new Map<string, LshParams>();

/**
 * Choose bands and rows (bands·rows ≤ numPerm) for a Jaccard threshold: among the layouts whose
 * candidate probability at the threshold is at least `recall`, the one with the smallest weighted
 * error area; if none reaches `recall`, the one that comes closest. Pure and cached.
 */
export function lshParams(threshold: number, numPerm: number, tuning: LshTuning = {}): LshParams {
  if (!(threshold > 0 && threshold < 1)) {
    throw new SyndicError(`threshold must be in (0, 1), got ${threshold}`);
  }
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new SyndicError(`numPerm must be a positive integer, got ${numPerm}`);
  const recall = tuning.recall ?? DEFAULT_RECALL;
  const fpWeight = tuning.falsePositiveWeight ?? 0.5;
  const fnWeight = tuning.falseNegativeWeight ?? 0.5;
  const key = `${threshold}/${numPerm}/${recall}/${fpWeight}/${fnWeight}`;
  const cached = paramsCache.get(key);
  if (cached) return { ...cached };

  let best: LshParams = { bands: numPerm, rows: 1 };
  let bestMeets = false;
  let bestScore = Infinity;
  let bestRecall = -1;
  for (let rows = 1; rows <= numPerm; rows++) {
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      const atThreshold = candidateProbability(threshold, bands, rows);
      const meets = atThreshold >= recall;
      if (bestMeets && !meets) continue;
      if (!meets) {
        if (atThreshold > bestRecall) (bestRecall = atThreshold), (best = { bands, rows });
        continue;
      }
      const falsePositive = integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
      const falseNegative = integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
      const score = fpWeight * falsePositive + fnWeight * falseNegative;
      if (!bestMeets || score < bestScore) {
        best = { bands, rows };
        bestScore = score;
        bestMeets = true;
      }
    }
  }
  paramsCache.set(key, best);
  return { ...best };
}

/** Check an explicit layout against the signature length. */
export function validateLshParams(params: LshParams, numPerm: number): void {
  const { bands, rows } = params;
  if (!Number.isInteger(bands) || !Number.isInteger(rows) || bands < 1 || rows < 1 || bands * rows > numPerm) {
    throw new SyndicError(`bands × rows must be positive integers with bands·rows ≤ numPerm (${numPerm}), got bands=${bands} rows=${rows}`);
  }
}
