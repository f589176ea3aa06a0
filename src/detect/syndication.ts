/**
 * Syndication: every candidate pair that may be a syndicated copy is measured on the documents'
 * shingle sets and decided by the policy. Candidates come from three sources: shared anchors
 * (containment, see containment-candidates.ts), document LSH pairs under the Jaccard threshold,
 * and documents sharing a syndicated paragraph; those of the last two are kept when they share
 * enough anchors ({@link ANCHOR_GATE}).
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { PairCollector } from '../lsh/group.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { ANCHOR_GATE, anchorShare, containmentCandidates, type ContainmentCandidates } from './containment-candidates.js';
import type { DocumentPass } from './document-pass.js';
import type { BoilerplateMasks, MeasurePairs } from './measure.js';
import type { RepeatedParagraphs } from './paragraph-pass.js';
import { categorize, originOf, roundMeasure } from './policy.js';
import { verificationOrder } from './sets.js';
import type { DetectionStats, SyndicationPair } from './types.js';

/**
 * Candidate pairs for syndication (flat, a < b, sorted), and per pair its shared syndicated
 * paragraph clusters; `fromAnchors` are the anchor candidates if they were found already (on a worker).
 */
export function syndicationCandidates(
  analyses: readonly DocumentAnalysis[],
  repeated: RepeatedParagraphs,
  documents: DocumentPass,
  options: ResolvedOptions,
  stats: DetectionStats,
  fromAnchors: ContainmentCandidates = containmentCandidates(analyses),
): Uint32Array {
  const count = analyses.length;
  const collector = new PairCollector();
  stats.commonAnchors = fromAnchors.commonAnchors;
  for (let i = 0; i < fromAnchors.pairs.length; i += 2) collector.add(fromAnchors.pairs[i]!, fromAnchors.pairs[i + 1]!);
  const addGated = (a: number, b: number): void => {
    if (anchorShare(fromAnchors.shared, a, b) >= ANCHOR_GATE) collector.add(a, b);
  };
  documents.measured.forEach((jaccard, key) => {
    if (jaccard < options.threshold) addGated(Math.floor(key / count), key % count);
  });
  const { clusters } = repeated;
  for (let c = 0; c < clusters.count; c++) {
    if (clusters.kind(c) !== 'syndicated') continue;
    const docs = [...new Set(clusters.docs(c))];
    // Chain edges are enough past the bucket cap: the anchors of such a widely shared paragraph
    // are common anchors, and the documents of the chain still pair up through their others.
    if (docs.length > options.maxBucketSize) for (let x = 1; x < docs.length; x++) addGated(docs[x - 1]!, docs[x]!);
    else for (let x = 0; x < docs.length; x++) for (let y = x + 1; y < docs.length; y++) addGated(docs[x]!, docs[y]!);
  }
  const pairs = collector.finish();
  stats.syndicationCandidatePairs = pairs.length / 2;
  return pairs;
}

/**
 * The syndicated copies among `candidates` (from {@link syndicationCandidates}): measured by
 * `measurePairs` in an order that builds each set once, decided by the policy, in pair order.
 */
export async function findSyndication(
  records: readonly DocumentRecord[],
  candidates: Uint32Array,
  repeated: RepeatedParagraphs,
  documents: DocumentPass,
  measurePairs: MeasurePairs,
  masks: BoilerplateMasks,
  options: ResolvedOptions,
): Promise<SyndicationPair[]> {
  const count = records.length;
  const pairCount = candidates.length / 2;
  const order = verificationOrder(candidates, count);
  // A near-duplicate pair is not a copy; others are measured in full (the document pass may
  // have only estimated a Jaccard far under the threshold).
  const measuredPairs: number[] = [];
  const measuredOf: number[] = [];
  for (let k = 0; k < pairCount; k++) {
    const p = order[k]!;
    const a = candidates[2 * p]!;
    const b = candidates[2 * p + 1]!;
    const known = documents.measured.get(a * count + b);
    if (known === undefined || known < options.threshold) measuredPairs.push(a, b), measuredOf.push(p);
  }
  const measured = await measurePairs(Uint32Array.from(measuredPairs), masks);
  const found: Array<SyndicationPair | undefined> = new Array(pairCount);
  const dateOf = (d: number): string | undefined => records[d]!.date;
  measuredOf.forEach((p, k) => {
    const measures = measured[k]!;
    if (categorize(measures, options) !== 'syndicated') return;
    const a = candidates[2 * p]!;
    const b = candidates[2 * p + 1]!;
    found[p] = {
      a: records[a]!.id,
      b: records[b]!.id,
      containment: { aInB: roundMeasure(measures.aInB), bInA: roundMeasure(measures.bInA) },
      jaccard: roundMeasure(measures.jaccard),
      method: measures.containmentMethod,
      sharedParagraphs: sharedParagraphs(repeated, a, b),
      origin: records[originOf(dateOf, a, b)]!.id,
    };
  });
  return found.filter((pair): pair is SyndicationPair => pair !== undefined);
}

/** Syndicated paragraph clusters that documents `a` and `b` are both in. */
function sharedParagraphs(repeated: RepeatedParagraphs, a: number, b: number): number {
  const ofA = new Set<number>();
  for (const c of repeated.clusterOfParagraph.of(a)) if (c >= 0 && repeated.clusters.kind(c) === 'syndicated') ofA.add(c);
  const counted = new Set<number>();
  for (const c of repeated.clusterOfParagraph.of(b)) if (ofA.has(c)) counted.add(c);
  return counted.size;
}
