/**
 * Parameter sweeps used to choose the defaults: each row is one detection run scored against
 * brute-force truth, plus planted-copy measures that do not depend on the shingle size.
 */
import { exactSimilarity, type DetectOptions, type DetectionResult } from '../../src/index.js';
import type { PlantedKind, PlantedPair } from '../corpus/generate.js';
import type { AnalyzedSet, DatasetTruth } from './dataset.js';
import { evaluateRun, type RunScores } from './evaluate.js';
import { round4, type Scores } from '../../src/eval/metrics.js';

/** Planted copies that should be reported as near-duplicates whatever the shingle size. */
export const NEAR_COPY_KINDS: readonly PlantedKind[] = ['exact', 'light-edit', 'diacritics', 'alef', 'digits', 'punctuation', 'paragraph-reordered'];
/** Planted copies that should be reported as duplicate or syndication. */
export const SYNDICATED_KINDS: readonly PlantedKind[] = ['wrapped', 'truncated', 'paragraph-dropped', 'paragraph-added'];
/** Planted pairs that must not be reported as duplicates or syndication. */
export const UNRELATED_KINDS: readonly PlantedKind[] = ['same-topic'];

/** One sweep row. */
export interface SweepRow {
  dataset: string;
  setting: string;
  bands: number;
  rows: number;
  documents: Scores;
  paragraphs: Scores | null;
  candidatesPerDocument: number;
  confirmedShare: number;
  mergeStepsPerDocument: number;
  paragraphCandidatesPerParagraph: number;
  /** Synthetic only: share of planted near-copies reported as duplicates. */
  nearCopyRecall: number | null;
  /** Synthetic only: share of wrapped and truncated copies reported as duplicate or syndication. */
  wrappedRecall: number | null;
  truncatedRecall: number | null;
  /** Synthetic only: share of same-topic pairs reported as duplicate or syndication (false merges). */
  unrelatedReported: number | null;
  /** Synthetic only: mean exact Jaccard of light-edit and same-topic pairs (separation). */
  lightEditJaccard: number | null;
  sameTopicJaccard: number | null;
}

function relatedKeys(result: DetectionResult): { duplicates: Set<string>; related: Set<string> } {
  const duplicates = new Set<string>();
  const related = new Set<string>();
  for (const pair of result.duplicates.pairs) duplicates.add(`${pair.a}\n${pair.b}`), related.add(`${pair.a}\n${pair.b}`);
  for (const pair of result.syndication) related.add(`${pair.a}\n${pair.b}`);
  for (const cluster of result.duplicates.clusters) {
    for (let i = 0; i < cluster.members.length; i++) {
      for (let j = i + 1; j < cluster.members.length; j++) {
        const [x, y] = [cluster.members[i]!, cluster.members[j]!].sort();
        related.add(`${x}\n${y}`);
      }
    }
  }
  return { duplicates, related };
}

/** Score one run and condense it into a sweep row. */
export async function sweepRow(
  dataset: string,
  setting: string,
  set: AnalyzedSet,
  truth: DatasetTruth,
  planted: readonly PlantedPair[] | null,
  options: DetectOptions,
  withParagraphs: boolean,
): Promise<{ row: SweepRow; scores: RunScores }> {
  const { scores, result } = await evaluateRun(set, truth, planted, options);
  let planted_: Omit<SweepRow, 'dataset' | 'setting' | 'bands' | 'rows' | 'documents' | 'paragraphs' | 'candidatesPerDocument' | 'confirmedShare' | 'mergeStepsPerDocument' | 'paragraphCandidatesPerParagraph'> = {
    nearCopyRecall: null,
    wrappedRecall: null,
    truncatedRecall: null,
    unrelatedReported: null,
    lightEditJaccard: null,
    sameTopicJaccard: null,
  };
  if (planted) {
    const { duplicates, related } = relatedKeys(result);
    const key = (pair: PlantedPair): string => [pair.original, pair.copy].sort().join('\n');
    const share = (kinds: readonly PlantedKind[], found: Set<string>): number => {
      const pairs = planted.filter((pair) => kinds.includes(pair.kind));
      return round4(pairs.filter((pair) => found.has(key(pair))).length / Math.max(1, pairs.length));
    };
    const indexOf = new Map(set.records.map((record, i) => [record.id, i]));
    const meanJaccard = (kind: PlantedKind): number => {
      const pairs = planted.filter((pair) => pair.kind === kind);
      let sum = 0;
      for (const pair of pairs) sum += exactSimilarity(truth.documentSets[indexOf.get(pair.original)!]!, truth.documentSets[indexOf.get(pair.copy)!]!).jaccard;
      return round4(sum / Math.max(1, pairs.length));
    };
    planted_ = {
      nearCopyRecall: share(NEAR_COPY_KINDS, duplicates),
      wrappedRecall: share(['wrapped'], related),
      truncatedRecall: share(['truncated'], related),
      unrelatedReported: share(UNRELATED_KINDS, related),
      lightEditJaccard: meanJaccard('light-edit'),
      sameTopicJaccard: meanJaccard('same-topic'),
    };
  }
  return {
    scores,
    row: {
      dataset,
      setting,
      bands: scores.params.bands,
      rows: scores.params.rows,
      documents: scores.documents.scores,
      paragraphs: withParagraphs ? scores.paragraphs.scores : null,
      candidatesPerDocument: scores.cost.candidatesPerDocument,
      confirmedShare: scores.cost.confirmedShare,
      mergeStepsPerDocument: scores.cost.mergeStepsPerDocument,
      paragraphCandidatesPerParagraph: scores.cost.paragraphCandidatesPerParagraph,
      ...planted_,
    },
  };
}
