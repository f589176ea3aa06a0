/**
 * The document pass: LSH over document signatures, exact Jaccard of the candidates, identical
 * documents grouped whatever the bucket cap, and near-duplicate clusters.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { ShingleSetBuilder } from '../analyze/shingle-sets.js';
import { bandKeysInto } from '../lsh/bands.js';
import { groupHere, ItemMajorKeys, type GroupBandKeys } from '../lsh/group.js';
import { growableU32 } from '../growable.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { matchingFraction } from '../sketch/minhash.js';
import { clusterEdges, compareRepresentatives } from './cluster.js';
import { originOf, roundMeasure } from './policy.js';
import { PairMeasurer, type MeasurePairs } from './measure.js';
import { estimatedSimilarity, surelyBelow, verificationOrder } from './sets.js';
import type { DetectionStats, DuplicateCluster, DuplicatePair } from './types.js';
import { PairMap } from './pair-map.js';

/** What a pair's measure gives the document pass. */
type Measured = { jaccard: number; aInB: number; bInA: number };

/** What the document pass found, and what it measured on the way. */
export interface DocumentPass {
  pairs: DuplicatePair[];
  clusters: DuplicateCluster[];
  /** Per document: its duplicate cluster, or −1. */
  clusterOf: Int32Array;
  /** Jaccard of every measured pair, keyed `a · documents + b` with a < b. */
  measured: PairMap;
}

/** The pass that yields no duplicates (`unit: 'paragraph'`). */
export function noDocumentPass(documents: number): DocumentPass {
  return { pairs: [], clusters: [], clusterOf: new Int32Array(documents).fill(-1), measured: new PairMap() };
}

export async function findDocumentDuplicates(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  measurePairs: MeasurePairs,
  group: GroupBandKeys = groupHere,
): Promise<DocumentPass> {
  const { numPerm, shingleSize, threshold } = options;
  const count = records.length;
  const active: number[] = [];
  analyses.forEach((analysis, d) => analysis.normalizedLength > 0 && active.push(d));
  const keys = new Uint32Array(active.length * options.bands);
  active.forEach((d, row) => bandKeysInto(analyses[d]!.signature, 0, options, keys, row * options.bands));
  const candidates = await group(new ItemMajorKeys(keys, active.length, options.bands), { maxBucketSize: options.maxBucketSize });
  stats.candidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;
  stats.largestOversizedBucket = Math.max(stats.largestOversizedBucket, candidates.largestOversizedBucket);

  const exact = options.verify === 'exact';
  const setBuilder = new ShingleSetBuilder(options);
  const size = (d: number): number => Math.max(1, analyses[d]!.normalizedLength - shingleSize + 1);
  // A pair is measured exactly unless its estimate is surely under the threshold.
  const estimateOf = (a: number, b: number): number => matchingFraction(analyses[a]!.signature, 0, analyses[b]!.signature, 0, numPerm);
  const needsSets = (a: number, b: number, estimate: number): boolean => exact && !surelyBelow(estimate, threshold, numPerm, Math.min(size(a), size(b)));
  const fallback = new PairMeasurer(records, analyses, options, records.map(() => null));
  const measure = (a: number, b: number): Measured => {
    const estimate = estimateOf(a, b);
    return needsSets(a, b, estimate) ? fallback.measure(a, b) : estimatedSimilarity(estimate, size(a), size(b));
  };

  const pairCount = candidates.pairs.length / 2;
  // Per pair: Jaccard, then containments (a in b, b in a); columns, not an object per pair.
  const jaccards = new Float64Array(pairCount);
  const containments = new Float64Array(2 * pairCount);
  const order = verificationOrder(candidates.pairs, active.length);
  const exactPairs = growableU32();
  const exactOf = growableU32();
  for (let k = 0; k < pairCount; k++) {
    const p = order[k]!;
    const a = active[candidates.pairs[2 * p]!]!;
    const b = active[candidates.pairs[2 * p + 1]!]!;
    const estimate = estimateOf(a, b);
    if (needsSets(a, b, estimate)) exactPairs.push(a), exactPairs.push(b), exactOf.push(p);
    else setSimilarity(p, estimatedSimilarity(estimate, size(a), size(b)));
  }
  const measuredExactly = await measurePairs(exactPairs.view(), null);
  exactOf.view().forEach((p, k) => setSimilarity(p, measuredExactly[k]!));
  function setSimilarity(p: number, similarity: Measured): void {
    jaccards[p] = similarity.jaccard;
    containments[2 * p] = similarity.aInB;
    containments[2 * p + 1] = similarity.bInA;
  }

  const found: Array<{ a: number; b: number; similarity: Measured }> = [];
  const measured = new PairMap();
  for (let p = 0; p < pairCount; p++) {
    const a = active[candidates.pairs[2 * p]!]!;
    const b = active[candidates.pairs[2 * p + 1]!]!;
    const jaccard = jaccards[p]!;
    // Every measured pair, passing or not, so clustering never measures a candidate pair again.
    measured.set(a * count + b, jaccard);
    if (jaccard >= threshold) found.push({ a, b, similarity: { jaccard, aInB: containments[2 * p]!, bInA: containments[2 * p + 1]! } });
  }
  if (candidates.oversizedBuckets > 0) {
    for (const [a, b] of identicalDocuments(records, analyses, active, measured, setBuilder)) {
      measured.set(a * count + b, 1);
      found.push({ a, b, similarity: { jaccard: 1, aInB: 1, bInA: 1 } });
    }
    found.sort((x, y) => x.a - y.a || x.b - y.b);
  }

  const edges: number[] = [];
  const dateOf = (d: number): string | undefined => records[d]!.date;
  const pairs: DuplicatePair[] = found.map(({ a, b, similarity }) => {
    edges.push(a, b);
    return {
      a: records[a]!.id,
      b: records[b]!.id,
      jaccard: roundMeasure(similarity.jaccard),
      containment: { aInB: roundMeasure(similarity.aInB), bInA: roundMeasure(similarity.bInA) },
      method: exact ? 'exact' : 'estimate',
      origin: records[originOf(dateOf, a, b)]!.id,
    };
  });

  const key = (d: number) => ({ id: records[d]!.id, date: records[d]!.date, chars: analyses[d]!.chars });
  const clustered = clusterEdges(
    count,
    edges,
    (a, b) => compareRepresentatives(key(a), key(b)),
    (representative, member) => {
      const [a, b] = representative < member ? [representative, member] : [member, representative];
      const known = measured.get(a * count + b);
      return (known ?? measure(a, b).jaccard) >= threshold;
    },
  );
  const clusterOf = new Int32Array(count).fill(-1);
  const clusters = clustered.map((cluster, c) => {
    for (const member of cluster.members) clusterOf[member] = c;
    return { representative: records[cluster.representative]!.id, members: cluster.members.map((m) => records[m]!.id) };
  });
  stats.duplicatePairs = pairs.length;
  stats.duplicateClusters = clusters.length;
  stats.duplicateDocuments = clustered.reduce((sum, cluster) => sum + cluster.members.length - 1, 0);
  return { pairs, clusters, clusterOf, measured };
}

/**
 * Pairs of documents with the same normalized text that LSH did not pair: an LSH bucket over
 * `maxBucketSize` is not expanded, so without this 1,001 copies of one article would be in no
 * cluster at all. Documents are grouped by a hash of their signature and length, then each is
 * paired with the previous one of its group whose text is the same (compared in full).
 */
function identicalDocuments(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  active: readonly number[],
  measured: PairMap,
  setBuilder: ShingleSetBuilder,
): Array<[number, number]> {
  const count = records.length;
  const previousOf = new Map<number, number[]>();
  const pairs: Array<[number, number]> = [];
  for (const d of active) {
    const analysis = analyses[d]!;
    // A collision of identities costs one full comparison, never a wrong pair.
    const key = analysis.identity;
    const group = previousOf.get(key);
    if (!group) {
      previousOf.set(key, [d]);
      continue;
    }
    const same = group.find((e) => setBuilder.sameDocument(records[e]!.text, analyses[e]!, records[d]!.text, analysis));
    if (same !== undefined) {
      if (!measured.has(same * count + d)) pairs.push([same, d]);
      group[group.indexOf(same)] = d;
    } else {
      group.push(d);
    }
  }
  return pairs;
}
