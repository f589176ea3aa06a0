/**
 * The paragraph pass: short paragraphs matched exactly by fingerprint, long ones by LSH over their
 * signatures, verified and clustered; each cluster is an internal repeat, syndicated, or
 * boilerplate (the same rule in every command).
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { checkHeap, HEAP_CHECK_EVERY } from '../heap-budget.js';
import { longParagraphs, paragraphBandKeys } from '../analyze/paragraph-keys.js';
import { groupHere, ItemMajorKeys, orderByWords, previousWithEqualKeys, type BandKeys, type GroupBandKeys } from '../lsh/group.js';
import { growableU32, type Growable } from '../growable.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { clusterEdges } from './cluster.js';
import { ParagraphMeasurer, type MeasureParagraphs, type ParagraphItems } from './paragraph-measure.js';
import { verificationOrder } from './sets.js';
import type { DetectionStats, ParagraphKind } from './types.js';
import { ClusterOfParagraph, ParagraphClusterBuilder, type ParagraphClusters } from './paragraph-clusters.js';
import { PairMap } from './pair-map.js';

export interface RepeatedParagraphs {
  clusters: ParagraphClusters;
  /** Per document, per paragraph: index of its cluster or −1. */
  clusterOfParagraph: ClusterOfParagraph;
}

/**
 * The band keys of a run's long paragraphs made where the signatures were (by a scan's tasks, see
 * analyze/paragraph-keys.ts), so that the pass need not read every signature back; taken
 * once, so that they are held no longer than the pass needs them.
 */
export class ParagraphKeys {
  constructor(private keys: BandKeys | null) {}

  take(): BandKeys | null {
    const keys = this.keys;
    this.keys = null;
    return keys;
  }
}

/**
 * Each stage's working arrays (the band keys, the candidate pairs and their measures, the verified
 * edges) are made in a function of their own and let go when the stage is done, not held by the
 * pass to its end: at a million documents each is hundreds of megabytes. Clusters go into the
 * builder as they are found (it orders them by first occurrence at the end).
 */
export async function findRepeatedParagraphs(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  duplicateClusterOf: Int32Array,
  made?: ParagraphKeys,
  measureParagraphs?: MeasureParagraphs,
  group: GroupBandKeys = groupHere,
): Promise<RepeatedParagraphs> {
  const builder = new ParagraphClusterBuilder();
  const add = (docs: Uint32Array, paragraphs: Uint32Array, short: boolean): void => addCluster(builder, docs, paragraphs, short, records, options, duplicateClusterOf);
  // Short paragraphs: exact match on the fingerprint of their normalized text.
  addShortParagraphClusters(analyses, add);
  // Long paragraphs: LSH over their signatures, verified, clustered.
  await addLongParagraphClusters(records, analyses, options, stats, made, measureParagraphs, group, add);
  const clusters = builder.finish();
  const clusterOfParagraph = ClusterOfParagraph.of(clusters, Uint32Array.from(analyses, (analysis) => analysis.fingerprints.length));
  stats.paragraphClusters = clusters.count;
  stats.syndicatedParagraphs = clusters.countOf('syndicated');
  stats.boilerplateParagraphs = clusters.countOf('boilerplate');
  return { clusters, clusterOfParagraph };
}

/** Adds a cluster of occurrences (document, paragraph), in any order; `short`: matched by fingerprint. */
type AddCluster = (docs: Uint32Array, paragraphs: Uint32Array, short: boolean) => void;

async function addLongParagraphClusters(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  made: ParagraphKeys | undefined,
  measureParagraphs: MeasureParagraphs | undefined,
  group: GroupBandKeys,
  add: AddCluster,
): Promise<void> {
  const items = longParagraphItems(analyses);
  const itemCount = items.doc.length;
  const candidates = await paragraphCandidates(items, analyses, options, stats, made, group);
  // Signatures stay in their analyses (a copy into one array was numPerm·4 bytes per paragraph).
  // With the candidates measured elsewhere (the workers), this measurer serves only the few pairs
  // the clusters' verification and the identical-signature links ask for.
  const measurer = new ParagraphMeasurer((d) => records[d]!.text, analyses, items, options, measureParagraphs ? new Uint32Array(0) : candidates.pairs);
  const verified = await verifiedEdges(candidates, items, measurer, options, analyses.length, measureParagraphs);
  candidates.pairs = NO_PAIRS;
  if (candidates.previousWithEqualKeys) linkIdenticalSignatures(candidates.previousWithEqualKeys, measurer, options.numPerm, verified);
  candidates.previousWithEqualKeys = null;
  const { measured } = verified;
  const similar = (rep: number, member: number): boolean => {
    const known = measured.get(rep < member ? rep * itemCount + member : member * itemCount + rep);
    return (known ?? measurer.jaccard(rep, member)) >= options.paragraphThreshold;
  };
  const clusters = clusterEdges(itemCount, verified.edges.view(), (a, b) => a - b, similar);
  clusters.forEach((cluster, c) => {
    if (c % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', analyses.length);
    add(
      Uint32Array.from(cluster.members, (m) => items.doc[m]!),
      Uint32Array.from(cluster.members, (m) => items.paragraph[m]!),
      false,
    );
  });
}

const NO_PAIRS = new Uint32Array(0);

/** The long paragraphs of a run as items, in input order. */
function longParagraphItems(analyses: readonly DocumentAnalysis[]): ParagraphItems {
  let itemCount = 0;
  for (const analysis of analyses) itemCount += longParagraphs(analysis.signatureRow);
  const items = { doc: new Uint32Array(itemCount), paragraph: new Uint32Array(itemCount) };
  for (let d = 0, item = 0; d < analyses.length; d++) {
    const { signatureRow } = analyses[d]!;
    for (let p = 0; p < signatureRow.length; p++) if (signatureRow[p]! >= 0) (items.doc[item] = d), (items.paragraph[item++] = p);
  }
  return items;
}

/** LSH's candidate pairs of items, and what the identical-signature links need once the keys are gone. */
interface ParagraphCandidates {
  pairs: Uint32Array;
  /** Per item, the previous item with the same band keys (−1 if none); only when a bucket was too large to expand. */
  previousWithEqualKeys: Int32Array | null;
}

/** The candidates of the band keys, which are dropped when this returns. */
async function paragraphCandidates(
  items: ParagraphItems,
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  made: ParagraphKeys | undefined,
  group: GroupBandKeys,
): Promise<ParagraphCandidates> {
  const itemCount = items.doc.length;
  const keys = made?.take() ?? new ItemMajorKeys(paragraphBandKeys(analyses, options), itemCount, options.bands);
  if (keys.count !== itemCount || keys.bands !== options.bands) throw new Error(`band keys of ${keys.count} paragraphs of ${keys.bands} bands for ${itemCount} paragraphs of ${options.bands} bands`);
  const candidates = await group(keys, { maxBucketSize: options.maxBucketSize });
  stats.paragraphCandidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;
  stats.largestOversizedBucket = Math.max(stats.largestOversizedBucket, candidates.largestOversizedBucket);
  const previous = candidates.oversizedBuckets > 0 ? previousWithEqualKeys(keys) : null;
  return { pairs: candidates.pairs, previousWithEqualKeys: previous };
}

/** The verified pairs of items, and the Jaccard of every measured one keyed `a · items + b` (a < b). */
interface VerifiedEdges {
  edges: Growable<Uint32Array>;
  measured: PairMap;
  itemCount: number;
}

/** Measure the candidates (on the workers when `measureParagraphs` is given); the measures are dropped when this returns. */
async function verifiedEdges(
  candidates: ParagraphCandidates,
  items: ParagraphItems,
  measurer: ParagraphMeasurer,
  options: ResolvedOptions,
  documents: number,
  measureParagraphs: MeasureParagraphs | undefined,
): Promise<VerifiedEdges> {
  const { pairs } = candidates;
  const itemCount = items.doc.length;
  const order = verificationOrder(pairs, itemCount);
  const jaccards = measureParagraphs ? await measureParagraphs(items, pairs, order) : measureHere(measurer, pairs, order, documents);
  const measured = new PairMap();
  const edges = growableU32();
  for (let p = 0; p < pairs.length / 2; p++) {
    const a = pairs[2 * p]!;
    const b = pairs[2 * p + 1]!;
    const jaccard = jaccards[p]!;
    measured.set(a * itemCount + b, jaccard);
    if (jaccard >= options.paragraphThreshold) edges.push(a), edges.push(b);
  }
  return { edges, measured, itemCount };
}

/** The Jaccard of each candidate pair (flat `pairs`), measured on this thread in `order`. */
function measureHere(measurer: ParagraphMeasurer, pairs: Uint32Array, order: Uint32Array, documents: number): Float64Array {
  const jaccards = new Float64Array(pairs.length / 2);
  for (let k = 0; k < order.length; k++) {
    if (k % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', documents);
    const p = order[k]!;
    const a = pairs[2 * p]!;
    const b = pairs[2 * p + 1]!;
    jaccards[p] = measurer.jaccard(a, b);
    measurer.release(a);
    measurer.release(b);
  }
  return jaccards;
}

/**
 * Short paragraphs (no signature) that occur more than once, grouped by the fingerprint of their
 * normalized text and added as clusters. Sorted in typed arrays rather than gathered in a `Map`
 * keyed by fingerprint, which held a heap object per distinct short paragraph (millions at a
 * million documents) and grew past the heap.
 */
function addShortParagraphClusters(analyses: readonly DocumentAnalysis[], add: AddCluster): void {
  let count = 0;
  for (const analysis of analyses) count += shortParagraphs(analysis, () => {});
  const doc = new Uint32Array(count);
  const paragraph = new Uint32Array(count);
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  let at = 0;
  analyses.forEach((analysis, d) => {
    const { fingerprints } = analysis;
    const words = new Uint32Array(fingerprints.buffer, fingerprints.byteOffset, 2 * fingerprints.length);
    shortParagraphs(analysis, (p) => ((doc[at] = d), (paragraph[at] = p), (low[at] = words[2 * p]!), (high[at++] = words[2 * p + 1]!)));
  });
  // Equal fingerprints end up adjacent.
  const order = orderByWords(low, high);
  let groups = 0;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    const first = order[start]!;
    while (end < count && low[order[end]!] === low[first] && high[order[end]!] === high[first]) end++;
    if (end - start > 1) {
      if (groups++ % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', analyses.length);
      const members = order.subarray(start, end);
      add(
        Uint32Array.from(members, (i) => doc[i]!),
        Uint32Array.from(members, (i) => paragraph[i]!),
        true,
      );
    }
    start = end;
  }
}

/** Visits the paragraphs of a document matched by fingerprint only (no signature, not empty); returns their count. */
function shortParagraphs(analysis: DocumentAnalysis, visit: (p: number) => void): number {
  const { signatureRow, normalizedStart, normalizedEnd } = analysis;
  let count = 0;
  for (let p = 0; p < signatureRow.length; p++) if (signatureRow[p]! < 0 && normalizedEnd[p] !== normalizedStart[p]) visit(p), count++;
  return count;
}

/**
 * Link items whose signatures are identical (the same paragraph repeated) with chain edges of
 * Jaccard 1. Buckets over `maxBucketSize` are not expanded, so without this a paragraph repeated
 * more often than that (a site footer on thousands of pages, one text pasted 20,000 times) would
 * be in no cluster at all. `previousOf` links items with all band keys equal; each such pair is
 * compared in full.
 */
function linkIdenticalSignatures(previousOf: Int32Array, measurer: ParagraphMeasurer, numPerm: number, verified: VerifiedEdges): void {
  const { edges, measured, itemCount } = verified;
  for (let item = 0; item < itemCount; item++) {
    const previous = previousOf[item]!;
    if (previous < 0 || measured.has(previous * itemCount + item)) continue;
    const signatureA = measurer.signatures(previous);
    const offsetA = measurer.offset(previous);
    const signatureB = measurer.signatures(item);
    const offsetB = measurer.offset(item);
    let same = true;
    for (let i = 0; i < numPerm && same; i++) same = signatureA[offsetA + i] === signatureB[offsetB + i];
    if (!same) continue;
    edges.push(previous), edges.push(item);
    measured.set(previous * itemCount + item, 1);
  }
}

/** Sort a cluster's occurrences, decide its kind (internal repeat, boilerplate, or syndicated) and add it. */
function addCluster(
  builder: ParagraphClusterBuilder,
  groupDocs: Uint32Array,
  groupParagraphs: Uint32Array,
  short: boolean,
  records: readonly DocumentRecord[],
  options: ResolvedOptions,
  duplicateClusterOf: Int32Array,
): void {
  const order = Array.from(groupDocs, (_, i) => i).sort((x, y) => groupDocs[x]! - groupDocs[y]! || groupParagraphs[x]! - groupParagraphs[y]!);
  const docs = Uint32Array.from(order, (i) => groupDocs[i]!);
  const paragraphs = Uint32Array.from(order, (i) => groupParagraphs[i]!);
  const distinct = [...new Set(docs)];
  let kind: ParagraphKind;
  if (distinct.length === 1) kind = 'internal-repeat';
  else if (short) kind = 'boilerplate';
  else {
    // Boilerplate repeats across different articles: near-duplicate documents (one duplicate
    // cluster) count once, so a story one outlet ran three times is not taken for site chrome.
    const article = (d: number): number => (duplicateClusterOf[d]! >= 0 ? records.length + duplicateClusterOf[d]! : d);
    const perSource = new Map<string, Set<number>>();
    const articles = new Set<number>();
    for (const d of distinct) {
      articles.add(article(d));
      const source = records[d]!.source;
      if (!source) continue;
      let set = perSource.get(source);
      if (!set) perSource.set(source, (set = new Set()));
      set.add(article(d));
    }
    const spread =
      perSource.size > 0
        ? Math.max(...[...perSource.values()].map((set) => set.size)) >= options.boilerplateMinDocs
        : articles.size >= options.boilerplateMinDocsUnsourced;
    kind = spread ? 'boilerplate' : 'syndicated';
  }
  builder.add(kind, docs, paragraphs);
}
