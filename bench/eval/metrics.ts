/**
 * Precision, recall and F1, rounded for reports.
 */

/** Precision, recall and F1 of one comparison, with the counts behind them. */
export interface Scores {
  truth: number;
  detected: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Round to 4 decimals so reports are stable and readable. */
export const round4 = (value: number): number => Math.round(value * 1e4) / 1e4;

/** Scores from counts; an empty side counts as perfect (nothing to find, nothing wrongly found). */
export function scores(truth: number, detected: number, truePositives: number): Scores {
  const precision = detected === 0 ? 1 : truePositives / detected;
  const recall = truth === 0 ? 1 : truePositives / truth;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truth, detected, truePositives, precision: round4(precision), recall: round4(recall), f1: round4(f1) };
}

/** Scores of a detected key set against a truth key set. */
export function compareSets(truth: ReadonlySet<number>, detected: ReadonlySet<number>): Scores {
  let truePositives = 0;
  for (const key of detected) if (truth.has(key)) truePositives++;
  return scores(truth.size, detected.size, truePositives);
}

/** Key of an unordered pair of indexes below `count`. */
export const pairKey = (x: number, y: number, count: number): number => (x < y ? x * count + y : y * count + x);
