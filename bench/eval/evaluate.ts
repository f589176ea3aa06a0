/**
 * One detection run scored against brute-force truth: document duplicates, syndication (copies
 * found as duplicates or syndication pairs), repeated paragraphs, and what the run cost.
 */
import {
  batchCandidates,
  detectFromAnalyses,
  exactSimilarity,
  resolveOptions,
  type DetectOptions,
  type DetectionResult,
} from '../../src/index.js';
import type { PlantedKind, PlantedPair } from '../corpus/generate.js';
import type { AnalyzedSet, DatasetTruth } from './dataset.js';
import { minContentShingles } from '../../src/detect/policy.js';
import { reportedPairsOf } from '../../src/eval/evaluate.js';
import { pairKey, round4, scores, type Scores } from '../../src/eval/metrics.js';
import { scoreCopies, type CopyScores } from '../../src/eval/score.js';
import type { TruthPair } from '../../src/eval/truth.js';

/** Kind of a document pair: planted, two copies of one original, inside one document, or neither. */
export type PairKind = PlantedKind | 'sibling' | 'unplanted' | 'same-document';

/** Duplicate scores of the pairs of one kind. */
export interface KindScores extends Scores {
  kind: PairKind;
  /** Planted pairs of this kind (0 for derived kinds). */
  planted: number;
}

/** Syndication (any copy relation) recall of one planted kind. */
export interface KindRecall {
  kind: PairKind;
  planted: number;
  /** Planted pairs whose exact Jaccard ≥ threshold or containment ≥ containment threshold. */
  truthRelated: number;
  /** Planted pairs reported as duplicate, in one duplicate cluster, or as a syndication pair. */
  found: number;
  recallPlanted: number;
  recallTruth: number;
}

/** Outcome of the pairs whose exact Jaccard falls in one band. */
export interface BandRow {
  band: string;
  pairs: number;
  /** Share that LSH made candidates. */
  candidateRate: number;
  /** Share reported as duplicate pairs. */
  duplicateRate: number;
  /** Share reported as duplicate, co-clustered or syndicated. */
  relatedRate: number;
}

/** What the run compared. */
export interface Cost {
  documents: number;
  candidatePairs: number;
  candidatesPerDocument: number;
  /** Share of candidate pairs that verification confirmed (Jaccard ≥ threshold). */
  confirmedShare: number;
  /** Merge steps of exact verification: Σ |A| + |B| over candidate pairs. */
  mergeSteps: number;
  mergeStepsPerDocument: number;
  paragraphs: number;
  paragraphCandidatePairs: number;
  paragraphCandidatesPerParagraph: number;
}

/** What a run missed and what it wrongly reported, by cause. */
export interface Misses {
  /** True duplicate pairs not reported: not an LSH candidate, or a candidate not reported. */
  duplicatesNotCandidate: number;
  duplicatesCandidateNotReported: number;
  /** True related pairs (containment ≥ threshold, Jaccard below) not reported, by the smaller document. */
  relatedTinyDocument: number;
  relatedSingleParagraph: number;
  relatedSeveralParagraphs: number;
  /** Related pairs reported whose exact measures reach neither threshold. */
  falseRelated: number;
  /**
   * True paragraph pairs not in one cluster: one side shorter than minParagraphChars (matched only
   * when identical), in two different clusters, one side in no cluster (rejected by its cluster's
   * representative), or neither in any cluster.
   */
  paragraphsShort: number;
  paragraphsSplit: number;
  paragraphsRejected: number;
  paragraphsUnfound: number;
  /** Up to five missed related pairs of several paragraphs, as ids. */
  examples: string[];
}

/** Smaller documents under this many normalized characters count as tiny (titles, captions). */
export const TINY_DOCUMENT_CHARS = 200;

/** Scores of one run. */
export interface RunScores {
  params: { shingleSize: number; numPerm: number; bands: number; rows: number; recall: number; variant: string; minParagraphChars: number; arabic: boolean; verify: string };
  documents: { scores: Scores; byKind: KindScores[]; byBand: BandRow[]; coClustered: { pairs: number; belowThreshold: number; precision: number } };
  syndication: { scores: Scores; byKind: KindRecall[] };
  /** The run's duplicate and syndication pairs scored class by class (near-duplicate, syndicated copy), with recall by band. */
  copies: CopyScores;
  paragraphs: { scores: Scores; byBand: BandRow[]; byKind: KindScores[] };
  cost: Cost;
  misses: Misses;
}

const JACCARD_BANDS: ReadonlyArray<readonly [number, number]> = [
  [0.5, 0.6],
  [0.6, 0.7],
  [0.7, 0.75],
  [0.75, 0.8],
  [0.8, 0.85],
  [0.85, 0.9],
  [0.9, 0.95],
  [0.95, 1],
  [1, 1.01],
];

const bandLabel = ([low, high]: readonly [number, number]): string => (low === 1 ? '1.0' : `[${low.toFixed(2)}, ${high.toFixed(2)})`);

/** Kinds of document pairs, from what was planted. */
export function pairKinds(records: AnalyzedSet['records'], planted: readonly PlantedPair[] | null): (x: number, y: number) => PairKind {
  const count = records.length;
  const indexOf = new Map(records.map((record, i) => [record.id, i]));
  const kindOf = new Map<number, PlantedKind>();
  const originalOf = new Int32Array(count).fill(-1);
  for (const pair of planted ?? []) {
    const original = indexOf.get(pair.original)!;
    const copy = indexOf.get(pair.copy)!;
    kindOf.set(pairKey(original, copy, count), pair.kind);
    originalOf[copy] = original;
  }
  return (x, y) => {
    if (x === y) return 'same-document';
    const kind = kindOf.get(pairKey(x, y, count));
    if (kind) return kind;
    return originalOf[x]! >= 0 && originalOf[x] === originalOf[y] ? 'sibling' : 'unplanted';
  };
}

function kindTable(
  kinds: readonly PairKind[],
  truth: Iterable<[number, number]>,
  detected: Iterable<[number, number]>,
  kindOf: (x: number, y: number) => PairKind,
  plantedCount: (kind: PairKind) => number,
  count: number,
): KindScores[] {
  const truthKeys = new Map<PairKind, Set<number>>();
  const detectedKeys = new Map<PairKind, Set<number>>();
  const add = (into: Map<PairKind, Set<number>>, x: number, y: number): void => {
    const kind = kindOf(x, y);
    let keys = into.get(kind);
    if (!keys) into.set(kind, (keys = new Set()));
    keys.add(pairKey(x, y, count));
  };
  for (const [x, y] of truth) add(truthKeys, x, y);
  for (const [x, y] of detected) add(detectedKeys, x, y);
  return kinds
    .map((kind) => {
      const t = truthKeys.get(kind) ?? new Set<number>();
      const d = detectedKeys.get(kind) ?? new Set<number>();
      let tp = 0;
      for (const key of d) if (t.has(key)) tp++;
      return { kind, planted: plantedCount(kind), ...scores(t.size, d.size, tp) };
    })
    .filter((row) => row.planted > 0 || row.truth > 0 || row.detected > 0);
}

function bandTable(
  pairs: readonly TruthPair[],
  count: number,
  candidates: ReadonlySet<number> | null,
  duplicates: ReadonlySet<number>,
  related: ReadonlySet<number>,
): BandRow[] {
  return JACCARD_BANDS.map((band) => {
    const inBand = pairs.filter((pair) => pair.jaccard >= band[0] - 1e-12 && pair.jaccard < band[1] - 1e-12);
    const share = (set: ReadonlySet<number>): number =>
      inBand.length === 0 ? 0 : round4(inBand.filter((pair) => set.has(pairKey(pair.a, pair.b, count))).length / inBand.length);
    return {
      band: bandLabel(band),
      pairs: inBand.length,
      candidateRate: candidates ? share(candidates) : NaN,
      duplicateRate: share(duplicates),
      relatedRate: share(related),
    };
  }).filter((row) => row.pairs > 0);
}

/** Run detection on an analyzed set with `options` (analysis-affecting options must match the set) and score it. */
export async function evaluateRun(
  set: AnalyzedSet,
  truth: DatasetTruth,
  planted: readonly PlantedPair[] | null,
  options: DetectOptions,
): Promise<{ scores: RunScores; result: DetectionResult }> {
  const resolved = resolveOptions({
    ...options,
    shingleSize: set.options.shingleSize,
    numPerm: set.options.numPerm,
    variant: set.options.variant,
    seed: set.options.seed,
    minParagraphChars: set.options.minParagraphChars,
    normalize: set.options.normalize,
  });
  const { records, analyses } = set;
  const result = await detectFromAnalyses(records, analyses, resolved);
  const count = records.length;
  const indexOf = new Map(records.map((record, i) => [record.id, i]));
  const kindOf = pairKinds(records, planted);
  const plantedByKind = new Map<PairKind, number>();
  for (const pair of planted ?? []) plantedByKind.set(pair.kind, (plantedByKind.get(pair.kind) ?? 0) + 1);
  const kinds: PairKind[] = [...new Set<PairKind>([...(planted ? [...plantedByKind.keys()].sort() : []), 'sibling', 'unplanted'])];
  const { threshold, containment } = resolved;

  // Document level.
  const truthByKey = new Map(truth.documents.map((pair) => [pairKey(pair.a, pair.b, count), pair]));
  const truthDuplicates = truth.documents.filter((pair) => pair.jaccard >= threshold);
  const truthDuplicateKeys = new Set(truthDuplicates.map((pair) => pairKey(pair.a, pair.b, count)));
  const detectedPairs = result.duplicates.pairs.map((pair) => [indexOf.get(pair.a)!, indexOf.get(pair.b)!] as [number, number]);
  const detectedKeys = new Set(detectedPairs.map(([x, y]) => pairKey(x, y, count)));
  let tp = 0;
  for (const key of detectedKeys) if (truthDuplicateKeys.has(key)) tp++;
  const documentScores = scores(truthDuplicateKeys.size, detectedKeys.size, tp);

  const coClustered = new Set<number>();
  let belowThreshold = 0;
  for (const cluster of result.duplicates.clusters) {
    const members = cluster.members.map((id) => indexOf.get(id)!);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const key = pairKey(members[i]!, members[j]!, count);
        coClustered.add(key);
        const jaccard = truthByKey.get(key)?.jaccard ?? exactSimilarity(truth.documentSets[members[i]!]!, truth.documentSets[members[j]!]!).jaccard;
        if (jaccard < threshold) belowThreshold++;
      }
    }
  }
  const related = new Set<number>([...detectedKeys, ...coClustered]);
  for (const pair of result.syndication) related.add(pairKey(indexOf.get(pair.a)!, indexOf.get(pair.b)!, count));

  // LSH candidates exactly as detection made them, for rates and verification cost.
  const active: number[] = [];
  analyses.forEach((analysis, d) => analysis.normalizedLength > 0 && active.push(d));
  const signatures = new Uint32Array(active.length * resolved.numPerm);
  active.forEach((d, row) => signatures.set(analyses[d]!.signature, row * resolved.numPerm));
  const batch = batchCandidates(signatures, active.length, resolved.numPerm, resolved, { maxBucketSize: resolved.maxBucketSize });
  const candidates = new Set<number>();
  let mergeSteps = 0;
  let confirmed = 0;
  for (let p = 0; p < batch.pairs.length; p += 2) {
    const x = active[batch.pairs[p]!]!;
    const y = active[batch.pairs[p + 1]!]!;
    const key = pairKey(x, y, count);
    candidates.add(key);
    mergeSteps += truth.documentSets[x]!.length + truth.documentSets[y]!.length;
    if (detectedKeys.has(key)) confirmed++;
  }

  const relatedTruth = truth.documents.filter((pair) => pair.jaccard >= threshold || Math.max(pair.aInB, pair.bInA) >= containment);
  const relatedTruthKeys = new Set(relatedTruth.map((pair) => pairKey(pair.a, pair.b, count)));
  let relatedTp = 0;
  for (const key of related) if (relatedTruthKeys.has(key)) relatedTp++;
  const syndicationByKind: KindRecall[] = [...plantedByKind.keys()].sort().map((kind) => {
    const pairs = (planted ?? []).filter((pair) => pair.kind === kind).map((pair) => pairKey(indexOf.get(pair.original)!, indexOf.get(pair.copy)!, count));
    const truthRelated = pairs.filter((key) => relatedTruthKeys.has(key));
    const found = pairs.filter((key) => related.has(key)).length;
    const foundTruth = truthRelated.filter((key) => related.has(key)).length;
    return {
      kind,
      planted: pairs.length,
      truthRelated: truthRelated.length,
      found,
      recallPlanted: round4(pairs.length === 0 ? 1 : found / pairs.length),
      recallTruth: round4(truthRelated.length === 0 ? 1 : foundTruth / truthRelated.length),
    };
  });

  const misses: Misses = {
    duplicatesNotCandidate: 0,
    duplicatesCandidateNotReported: 0,
    relatedTinyDocument: 0,
    relatedSingleParagraph: 0,
    relatedSeveralParagraphs: 0,
    falseRelated: related.size - relatedTp,
    paragraphsShort: 0,
    paragraphsSplit: 0,
    paragraphsRejected: 0,
    paragraphsUnfound: 0,
    examples: [],
  };
  for (const pair of truthDuplicates) {
    const key = pairKey(pair.a, pair.b, count);
    if (detectedKeys.has(key)) continue;
    if (candidates.has(key)) misses.duplicatesCandidateNotReported++;
    else misses.duplicatesNotCandidate++;
  }
  for (const pair of relatedTruth) {
    if (pair.jaccard >= threshold || related.has(pairKey(pair.a, pair.b, count))) continue;
    const small = pair.aInB >= pair.bInA ? pair.a : pair.b;
    const analysis = analyses[small]!;
    if (analysis.normalizedLength < TINY_DOCUMENT_CHARS) misses.relatedTinyDocument++;
    else if (analysis.paragraphStart.length === 1) misses.relatedSingleParagraph++;
    else {
      misses.relatedSeveralParagraphs++;
      if (misses.examples.length < 5) misses.examples.push(`${records[pair.a]!.id} ~ ${records[pair.b]!.id}`);
    }
  }

  // Paragraph level: pairs of items in one reported cluster.
  const items = truth.paragraphs;
  const itemCount = items.sets.length;
  const paragraphThreshold = resolved.paragraphThreshold;
  const detectedParagraphs = new Set<number>();
  const detectedParagraphPairs: Array<[number, number]> = [];
  for (const cluster of result.paragraphs) {
    const members: number[] = [];
    for (const occurrence of cluster.occurrences) {
      const item = items.itemOf.get(`${indexOf.get(occurrence.id)!}/${occurrence.paragraph}`);
      if (item !== undefined) members.push(item);
    }
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const key = pairKey(members[i]!, members[j]!, itemCount);
        if (!detectedParagraphs.has(key)) detectedParagraphs.add(key), detectedParagraphPairs.push([members[i]!, members[j]!]);
      }
    }
  }
  const truthParagraphs = truth.paragraphPairs.filter((pair) => pair.jaccard >= paragraphThreshold);
  const truthParagraphKeys = new Set(truthParagraphs.map((pair) => pairKey(pair.a, pair.b, itemCount)));
  let paragraphTp = 0;
  for (const key of detectedParagraphs) if (truthParagraphKeys.has(key)) paragraphTp++;
  const clusterOfItem = new Int32Array(itemCount).fill(-1);
  result.paragraphs.forEach((cluster, c) => {
    for (const occurrence of cluster.occurrences) {
      const item = items.itemOf.get(`${indexOf.get(occurrence.id)!}/${occurrence.paragraph}`);
      if (item !== undefined) clusterOfItem[item] = c;
    }
  });
  const itemChars = (item: number): number => {
    const analysis = analyses[items.doc[item]!]!;
    return analysis.normalizedEnd[items.paragraph[item]!]! - analysis.normalizedStart[items.paragraph[item]!]!;
  };
  for (const pair of truthParagraphs) {
    const x = clusterOfItem[pair.a]!;
    const y = clusterOfItem[pair.b]!;
    if (x >= 0 && x === y) continue;
    if (Math.min(itemChars(pair.a), itemChars(pair.b)) < resolved.minParagraphChars) misses.paragraphsShort++;
    else if (x >= 0 && y >= 0) misses.paragraphsSplit++;
    else if (x >= 0 || y >= 0) misses.paragraphsRejected++;
    else misses.paragraphsUnfound++;
  }
  const docKindOfItems = (x: number, y: number): PairKind => kindOf(items.doc[x]!, items.doc[y]!);

  return {
    result,
    scores: {
      params: {
        shingleSize: resolved.shingleSize,
        numPerm: resolved.numPerm,
        bands: resolved.bands,
        rows: resolved.rows,
        recall: resolved.recall,
        variant: resolved.variant,
        minParagraphChars: resolved.minParagraphChars,
        arabic: resolved.normalize.arabic,
        verify: resolved.verify,
      },
      documents: {
        scores: documentScores,
        byKind: kindTable(
          kinds,
          truthDuplicates.map((pair) => [pair.a, pair.b] as [number, number]),
          detectedPairs,
          kindOf,
          (kind) => plantedByKind.get(kind) ?? 0,
          count,
        ),
        byBand: bandTable(truth.documents, count, candidates, detectedKeys, related),
        coClustered: { pairs: coClustered.size, belowThreshold, precision: round4(coClustered.size === 0 ? 1 : 1 - belowThreshold / coClustered.size) },
      },
      syndication: { scores: scores(relatedTruthKeys.size, related.size, relatedTp), byKind: syndicationByKind },
      copies: scoreCopies(
        truth.documents.map((pair) => ({
          a: records[pair.a]!.id,
          b: records[pair.b]!.id,
          jaccard: pair.jaccard,
          aInB: pair.aInB,
          bInA: pair.bInA,
          shared: pair.intersection,
          shingles: [truth.documentSets[pair.a]!.length, truth.documentSets[pair.b]!.length] as const,
        })),
        reportedPairsOf(result),
        { ...resolved, minShingles: minContentShingles(resolved) },
      ),
      paragraphs: {
        scores: scores(truthParagraphKeys.size, detectedParagraphs.size, paragraphTp),
        byBand: bandTable(truth.paragraphPairs, itemCount, null, detectedParagraphs, detectedParagraphs),
        byKind: kindTable(
          [...kinds, 'same-document'],
          truthParagraphs.map((pair) => [pair.a, pair.b] as [number, number]),
          detectedParagraphPairs,
          docKindOfItems,
          () => 0,
          itemCount,
        ),
      },
      misses,
      cost: {
        documents: count,
        candidatePairs: candidates.size,
        candidatesPerDocument: round4(candidates.size / count),
        confirmedShare: round4(candidates.size === 0 ? 0 : confirmed / candidates.size),
        mergeSteps,
        mergeStepsPerDocument: Math.round(mergeSteps / count),
        paragraphs: result.stats.paragraphs,
        paragraphCandidatePairs: result.stats.paragraphCandidatePairs,
        paragraphCandidatesPerParagraph: round4(result.stats.paragraphCandidatePairs / Math.max(1, result.stats.paragraphs)),
      },
    },
  };
}
