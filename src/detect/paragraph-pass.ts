/**
 * The paragraph pass: short paragraphs matched exactly by fingerprint, long ones by LSH over their
 * signatures, verified and clustered; each cluster is an internal repeat, syndicated, or
 * boilerplate (the same rule in every command).
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { checkHeap, HEAP_CHECK_EVERY } from '../heap-budget.js';
import { longParagraphs, paragraphBandKeys } from '../analyze/paragraph-keys.js';
import { groupBandKeys, orderByWords, previousWithEqualKeys } from '../lsh/group.js';
import { growableU32, type Growable } from '../growable.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { clusterEdges } from './cluster.js';
import { ParagraphMeasurer, type MeasureParagraphs } from './paragraph-measure.js';
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
  constructor(private keys: Uint32Array | null) {}

  take(): Uint32Array | null {
    const keys = this.keys;
    this.keys = null;
    return keys;
  }
}

export async function findRepeatedParagraphs(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  duplicateClusterOf: Int32Array,
  made?: ParagraphKeys,
  measureParagraphs?: MeasureParagraphs,
): Promise<RepeatedParagraphs> {
  const { numPerm, paragraphThreshold } = options;
  // Short paragraphs: exact match on the fingerprint of their normalized text.
  const groups: ParagraphGroup[] = shortParagraphGroups(analyses);

  // Long paragraphs: LSH over their signatures, verified, clustered.
  let itemCount = 0;
  for (const analysis of analyses) itemCount += longParagraphs(analysis.signatureRow);
  const itemDoc = new Uint32Array(itemCount);
  const itemParagraph = new Uint32Array(itemCount);
  for (let d = 0, item = 0; d < analyses.length; d++) {
    const { signatureRow } = analyses[d]!;
    for (let p = 0; p < signatureRow.length; p++) if (signatureRow[p]! >= 0) (itemDoc[item] = d), (itemParagraph[item++] = p);
  }
  const items = { doc: itemDoc, paragraph: itemParagraph };
  const keys = made?.take() ?? paragraphBandKeys(analyses, options);
  if (keys.length !== itemCount * options.bands) throw new Error(`${keys.length} paragraph band keys for ${itemCount} paragraphs of ${options.bands} bands`);
  const candidates = groupBandKeys(keys, itemCount, options.bands, { maxBucketSize: options.maxBucketSize });
  stats.paragraphCandidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;
  stats.largestOversizedBucket = Math.max(stats.largestOversizedBucket, candidates.largestOversizedBucket);

  // Signatures stay in their analyses (a copy into one array was numPerm·4 bytes per paragraph).
  // With the candidates measured elsewhere (the workers), this measurer serves only the few pairs
  // the clusters' verification and the identical-signature links ask for.
  const measurer = new ParagraphMeasurer((d) => records[d]!.text, analyses, items, options, measureParagraphs ? new Uint32Array(0) : candidates.pairs);
  const pairCount = candidates.pairs.length / 2;
  const order = verificationOrder(candidates.pairs, itemCount);
  const jaccards = measureParagraphs ? await measureParagraphs(items, candidates.pairs, order) : measureHere(measurer, candidates.pairs, order, analyses.length);
  const measured = new PairMap();
  const edges = growableU32();
  for (let p = 0; p < pairCount; p++) {
    const a = candidates.pairs[2 * p]!;
    const b = candidates.pairs[2 * p + 1]!;
    const jaccard = jaccards[p]!;
    measured.set(a * itemCount + b, jaccard);
    if (jaccard >= paragraphThreshold) edges.push(a), edges.push(b);
  }
  if (candidates.oversizedBuckets > 0) linkIdenticalSignatures(keys, options.bands, itemCount, measurer, numPerm, edges, measured);
  const similar = (rep: number, member: number): boolean => {
    const known = measured.get(rep < member ? rep * itemCount + member : member * itemCount + rep);
    return (known ?? measurer.jaccard(rep, member)) >= paragraphThreshold;
  };
  for (const cluster of clusterEdges(itemCount, edges.view(), (a, b) => a - b, similar)) {
    groups.push({ docs: cluster.members.map((m) => itemDoc[m]!), paragraphs: cluster.members.map((m) => itemParagraph[m]!), short: false });
  }

  const builder = new ParagraphClusterBuilder();
  groups.forEach((group, g) => {
    if (g % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', analyses.length);
    addCluster(builder, group, records, options, duplicateClusterOf);
  });
  const clusters = builder.finish();
  const clusterOfParagraph = ClusterOfParagraph.of(clusters, Uint32Array.from(analyses, (analysis) => analysis.fingerprints.length));
  stats.paragraphClusters = clusters.count;
  stats.syndicatedParagraphs = clusters.countOf('syndicated');
  stats.boilerplateParagraphs = clusters.countOf('boilerplate');
  return { clusters, clusterOfParagraph };
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

/** Paragraphs found alike, in input order: short ones by fingerprint, long ones by LSH. */
interface ParagraphGroup {
  docs: number[];
  paragraphs: number[];
  short: boolean;
}

/**
 * Short paragraphs (no signature) that occur more than once, grouped by the fingerprint of their
 * normalized text: each group in input order, the groups in the order of their first occurrence.
 * Sorted in typed arrays rather than gathered in a `Map` keyed by fingerprint, which held a heap
 * object per distinct short paragraph (millions at a million documents) and grew past the heap.
 */
function shortParagraphGroups(analyses: readonly DocumentAnalysis[]): ParagraphGroup[] {
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
  // Equal fingerprints end up adjacent, in input order.
  const order = orderByWords(low, high);
  const firsts: number[] = [];
  const runs = new Map<number, [number, number]>();
  for (let start = 0; start < count; ) {
    let end = start + 1;
    const first = order[start]!;
    while (end < count && low[order[end]!] === low[first] && high[order[end]!] === high[first]) end++;
    if (end - start > 1) firsts.push(first), runs.set(first, [start, end]);
    start = end;
  }
  firsts.sort((a, b) => a - b);
  return firsts.map((first) => {
    const [start, end] = runs.get(first)!;
    const members = order.subarray(start, end);
    return { docs: Array.from(members, (i) => doc[i]!), paragraphs: Array.from(members, (i) => paragraph[i]!), short: true };
  });
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
 * be in no cluster at all. Items are grouped by all their band keys, then compared in full.
 */
function linkIdenticalSignatures(
  keys: Uint32Array,
  bands: number,
  itemCount: number,
  measurer: ParagraphMeasurer,
  numPerm: number,
  edges: Growable<Uint32Array>,
  measured: PairMap,
): void {
  const previousOf = previousWithEqualKeys(keys, itemCount, bands);
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

/** Sort a group's occurrences, decide its kind (internal repeat, boilerplate, or syndicated) and add it. */
function addCluster(
  builder: ParagraphClusterBuilder,
  group: ParagraphGroup,
  records: readonly DocumentRecord[],
  options: ResolvedOptions,
  duplicateClusterOf: Int32Array,
): void {
  const order = group.docs.map((_, i) => i).sort((x, y) => group.docs[x]! - group.docs[y]! || group.paragraphs[x]! - group.paragraphs[y]!);
  const docs = Uint32Array.from(order, (i) => group.docs[i]!);
  const paragraphs = Uint32Array.from(order, (i) => group.paragraphs[i]!);
  const distinct = [...new Set(docs)];
  let kind: ParagraphKind;
  if (distinct.length === 1) kind = 'internal-repeat';
  else if (group.short) kind = 'boilerplate';
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
