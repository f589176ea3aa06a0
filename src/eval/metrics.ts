/**
 * Scores of a detection against truth: precision, recall and F1 of pair sets, and cluster
 * agreement (adjusted Rand index, B-cubed precision and recall).
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
export function compareSets<T>(truth: ReadonlySet<T>, detected: ReadonlySet<T>): Scores {
  let truePositives = 0;
  for (const key of detected) if (truth.has(key)) truePositives++;
  return scores(truth.size, detected.size, truePositives);
}

/** Key of an unordered pair of indexes below `count`. */
export const pairKey = (x: number, y: number, count: number): number => (x < y ? x * count + y : y * count + x);

/** How well a predicted clustering matches the true one, over the items the truth labels. */
export interface ClusterScores {
  /** Items labelled by the truth (the others are not scored). */
  items: number;
  trueClusters: number;
  predictedClusters: number;
  /** Adjusted Rand index: 1 for the same partition, about 0 for a random one. */
  adjustedRand: number;
  /** B-cubed: per item, the share of its predicted cluster that shares its true cluster (precision) and the reverse (recall), averaged over items. */
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
}

const pairsOf = (n: number): number => (n * (n - 1)) / 2;

/**
 * Compare two labellings of the same items: `truth` and `predicted` give each item's cluster
 * label (predicted labels missing for an item make it a cluster of its own).
 */
export function clusterScores(truth: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): ClusterScores {
  const trueSizes = new Map<string, number>();
  const predictedSizes = new Map<string, number>();
  const cells = new Map<string, number>();
  const predictedOf = (item: string): string => {
    const label = predicted.get(item);
    // A prefix no real label has keeps unlabelled items apart from every cluster.
    return label === undefined ? `\u0000${item}` : `\u0001${label}`;
  };
  for (const [item, label] of truth) {
    const guess = predictedOf(item);
    trueSizes.set(label, (trueSizes.get(label) ?? 0) + 1);
    predictedSizes.set(guess, (predictedSizes.get(guess) ?? 0) + 1);
    const cell = JSON.stringify([label, guess]);
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  const n = truth.size;
  let index = 0;
  for (const size of cells.values()) index += pairsOf(size);
  let trueSum = 0;
  for (const size of trueSizes.values()) trueSum += pairsOf(size);
  let predictedSum = 0;
  for (const size of predictedSizes.values()) predictedSum += pairsOf(size);
  const expected = n < 2 ? 0 : (trueSum * predictedSum) / pairsOf(n);
  const maximum = (trueSum + predictedSum) / 2;
  // Both partitions all singletons or both one cluster: the index is undefined; equal partitions score 1.
  const adjustedRand = maximum === expected ? (index === trueSum && index === predictedSum ? 1 : 0) : (index - expected) / (maximum - expected);

  let precision = 0;
  let recall = 0;
  for (const [item, label] of truth) {
    const shared = cells.get(JSON.stringify([label, predictedOf(item)]))!;
    precision += shared / predictedSizes.get(predictedOf(item))!;
    recall += shared / trueSizes.get(label)!;
  }
  precision = n === 0 ? 1 : precision / n;
  recall = n === 0 ? 1 : recall / n;
  return {
    items: n,
    trueClusters: trueSizes.size,
    predictedClusters: predictedSizes.size,
    adjustedRand: round4(adjustedRand),
    bcubedPrecision: round4(precision),
    bcubedRecall: round4(recall),
    bcubedF1: round4(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
  };
}
