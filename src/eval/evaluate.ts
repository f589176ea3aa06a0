/**
 * `syndic eval` as a library call: a run (its reported pairs, and clusters when it gives them)
 * scored against a truth file — pairs class by class, clusters when the truth labels them, and
 * the cost of the run when it was made here.
 */
import { UnionFind } from '../detect/cluster.js';
import type { DetectionResult } from '../detect/types.js';
import { SyndicError } from '../errors.js';
import type { TruthFile } from './files.js';
import { clusterScores, round4, type ClusterScores } from './metrics.js';
import { scoreCopies, type ClassThresholds, type CopyScores, type ReportedPair } from './score.js';

/** What a run made here compared. */
export interface RunCost {
  documents: number;
  candidatePairs: number;
  candidatesPerDocument: number;
  paragraphs: number;
  paragraphCandidatePairs: number;
  paragraphCandidatesPerParagraph: number;
}

/** A scored run: the JSON of `syndic eval --format json`. */
export interface EvalResult {
  version: 1;
  truth: { pairs: number; floors: { jaccard: number; containment: number } | null; shingleSize: number | null; labelledItems: number };
  run: { source: string; reportedPairs: number; cost: RunCost | null };
  scores: CopyScores;
  /** Cluster agreement over the items the truth labels; null when it labels none. */
  clusters: (ClusterScores & { predictedFrom: 'run clusters' | 'connected reported pairs' }) | null;
}

/** Components of the reported pairs as cluster labels (the smallest id of each component labels it). */
export function pairComponents(pairs: readonly ReportedPair[]): Map<string, string> {
  const indexOf = new Map<string, number>();
  const ids: string[] = [];
  const index = (id: string): number => {
    let i = indexOf.get(id);
    if (i === undefined) indexOf.set(id, (i = ids.length)), ids.push(id);
    return i;
  };
  const edges = pairs.map((pair) => [index(pair.a), index(pair.b)] as const);
  const unionFind = new UnionFind(ids.length);
  for (const [x, y] of edges) unionFind.union(x, y);
  const label = new Map<number, string>();
  ids.forEach((id, i) => {
    const root = unionFind.find(i);
    const known = label.get(root);
    if (known === undefined || id < known) label.set(root, id);
  });
  return new Map(ids.map((id, i) => [id, label.get(unionFind.find(i))!]));
}

/**
 * Refuse thresholds the truth cannot score: it must hold every pair of each class, so the
 * Jaccard threshold may not be below its floors, nor the containment threshold below its
 * containment floor.
 */
export function checkTruthCovers(truth: TruthFile, thresholds: ClassThresholds, file: string): void {
  const floors = truth.header;
  if (!floors) return;
  if (thresholds.threshold < Math.min(floors.jaccard, floors.containment)) {
    throw new SyndicError(`${file} holds pairs with Jaccard ≥ ${floors.jaccard} or containment ≥ ${floors.containment}; it cannot score threshold ${thresholds.threshold} (run syndic truth --jaccard ${thresholds.threshold})`, 'usage');
  }
  if (thresholds.containment < floors.containment) {
    throw new SyndicError(`${file} holds pairs with containment ≥ ${floors.containment}; it cannot score containment ${thresholds.containment} (run syndic truth --containment ${thresholds.containment})`, 'usage');
  }
}

/** Score a run against a truth file (see {@link checkTruthCovers} for which thresholds it can score). */
export function evaluate(
  truth: TruthFile,
  run: { source: string; pairs: readonly ReportedPair[]; clusters: ReadonlyMap<string, string> | null; cost: RunCost | null },
  thresholds: ClassThresholds,
): EvalResult {
  let clusters: EvalResult['clusters'] = null;
  if (truth.clusters.size > 0) {
    const predicted = run.clusters ?? pairComponents(run.pairs);
    clusters = { ...clusterScores(truth.clusters, predicted), predictedFrom: run.clusters ? 'run clusters' : 'connected reported pairs' };
  }
  return {
    version: 1,
    truth: {
      pairs: truth.pairs.length,
      floors: truth.header ? { jaccard: truth.header.jaccard, containment: truth.header.containment } : null,
      shingleSize: truth.header?.shingleSize ?? null,
      labelledItems: truth.clusters.size,
    },
    run: { source: run.source, reportedPairs: run.pairs.length, cost: run.cost },
    scores: scoreCopies(truth.pairs, run.pairs, thresholds),
    clusters,
  };
}

/** The cost of a run from its counts. */
export function runCost(stats: { documents: number; candidatePairs: number; paragraphs: number; paragraphCandidatePairs: number }): RunCost {
  return {
    documents: stats.documents,
    candidatePairs: stats.candidatePairs,
    candidatesPerDocument: round4(stats.candidatePairs / Math.max(1, stats.documents)),
    paragraphs: stats.paragraphs,
    paragraphCandidatePairs: stats.paragraphCandidatePairs,
    paragraphCandidatesPerParagraph: round4(stats.paragraphCandidatePairs / Math.max(1, stats.paragraphs)),
  };
}

/** The document pairs of a scan result as reported pairs. */
export function reportedPairsOf(result: Pick<DetectionResult, 'duplicates' | 'syndication'>): ReportedPair[] {
  return [
    ...result.duplicates.pairs.map((pair) => ({ a: pair.a, b: pair.b, kind: 'duplicate' as const })),
    ...result.syndication.map((pair) => ({ a: pair.a, b: pair.b, kind: 'syndication' as const })),
  ];
}
