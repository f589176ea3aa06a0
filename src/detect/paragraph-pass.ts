/**
 * The paragraph pass: short paragraphs matched exactly by fingerprint, long ones by LSH over their
 * signatures, verified and clustered; each cluster is an internal repeat, syndicated, or
 * boilerplate (the same rule in every command).
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { checkHeap, HEAP_CHECK_EVERY } from '../heap-budget.js';
import { ShingleSetBuilder } from '../analyze/shingle-sets.js';
import { exactSimilarity, toShingleSet } from '../analyze/similarity.js';
import { paragraphBandKeys } from '../lsh/bands.js';
import { groupBandKeys, radixSortPairs } from '../lsh/group.js';
import { growableU32, type Growable } from '../growable.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { matchingFraction } from '../sketch/minhash.js';
import { clusterEdges } from './cluster.js';
import { SetCache, surelyAbove, surelyBelow, verificationOrder } from './sets.js';
import type { DetectionStats, DocumentSummary, ParagraphCluster, ParagraphKind, ParagraphOccurrence } from './types.js';
import { PairMap } from './pair-map.js';

/** A repeated-paragraph cluster by document and paragraph index, sorted by occurrence. */
export interface RawParagraphCluster {
  kind: ParagraphKind;
  docs: Uint32Array;
  paragraphs: Uint32Array;
}

export interface RepeatedParagraphs {
  clusters: RawParagraphCluster[];
  /** Per document, per paragraph: index of its cluster or −1. */
  clusterOfParagraph: Int32Array[];
}

/**
 * The band keys of a run's long paragraphs made where the signatures were (by a scan's tasks, see
 * lsh/bands.ts paragraphBandKeys), so that the pass need not read every signature back; taken
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

export function findRepeatedParagraphs(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  duplicateClusterOf: Int32Array,
  made: ParagraphKeys | null = null,
): RepeatedParagraphs {
  const { numPerm, shingleSize, paragraphThreshold } = options;
  // Short paragraphs: exact match on the fingerprint of their normalized text.
  const groups: ParagraphGroup[] = shortParagraphGroups(analyses);

  // Long paragraphs: LSH over their signatures, verified, clustered.
  let itemCount = 0;
  for (const analysis of analyses) for (let p = 0; p < analysis.signatureRow.length; p++) if (analysis.signatureRow[p]! >= 0) itemCount++;
  const itemDoc = new Uint32Array(itemCount);
  const itemParagraph = new Uint32Array(itemCount);
  for (let d = 0, item = 0; d < analyses.length; d++) {
    const { signatureRow } = analyses[d]!;
    for (let p = 0; p < signatureRow.length; p++) if (signatureRow[p]! >= 0) (itemDoc[item] = d), (itemParagraph[item++] = p);
  }
  // Signatures stay in their analyses (a copy into one array was numPerm·4 bytes per paragraph).
  // The last document's signatures: asking a spilled analysis again costs a cache lookup per paragraph.
  let lastDoc = -1;
  let lastSignatures: Uint32Array = new Uint32Array(0);
  const itemSignatures = (item: number): Uint32Array => {
    const d = itemDoc[item]!;
    if (d !== lastDoc) (lastDoc = d), (lastSignatures = analyses[d]!.paragraphSignatures);
    return lastSignatures;
  };
  const itemOffset = (item: number): number => analyses[itemDoc[item]!]!.signatureRow[itemParagraph[item]!]! * numPerm;
  const keys = made?.take() ?? paragraphBandKeys(analyses, options);
  if (keys.length !== itemCount * options.bands) throw new Error(`${keys.length} paragraph band keys for ${itemCount} paragraphs of ${options.bands} bands`);
  const candidates = groupBandKeys(keys, itemCount, options.bands, { maxBucketSize: options.maxBucketSize });
  stats.paragraphCandidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;
  stats.largestOversizedBucket = Math.max(stats.largestOversizedBucket, candidates.largestOversizedBucket);

  const exact = options.verify === 'exact';
  const setBuilder = exact ? new ShingleSetBuilder(options) : null;
  const sets = new SetCache(
    (item) => {
      const d = itemDoc[item]!;
      const analysis = analyses[d]!;
      const p = itemParagraph[item]!;
      if (!analysis.hashes) return setBuilder!.paragraphSet(records[d]!.text, analysis, p);
      return toShingleSet(analysis.hashes.subarray(analysis.normalizedStart[p]!, analysis.normalizedEnd[p]! - shingleSize + 1));
    },
    itemCount,
    candidates.pairs,
  );
  const shingles = (item: number): number => {
    const analysis = analyses[itemDoc[item]!]!;
    const p = itemParagraph[item]!;
    return analysis.normalizedEnd[p]! - analysis.normalizedStart[p]! - shingleSize + 1;
  };
  // Only the decision is used for paragraphs (no value is reported), so a clear estimate decides.
  const jaccardOf = (a: number, b: number): number => {
    const estimate = matchingFraction(itemSignatures(a), itemOffset(a), itemSignatures(b), itemOffset(b), numPerm);
    if (!exact) return estimate;
    const smaller = Math.min(shingles(a), shingles(b));
    if (surelyBelow(estimate, paragraphThreshold, numPerm, smaller) || surelyAbove(estimate, paragraphThreshold, numPerm, smaller)) return estimate;
    if (estimate === 1) {
      const docA = itemDoc[a]!;
      const docB = itemDoc[b]!;
      if (setBuilder!.sameParagraph(records[docA]!.text, analyses[docA]!, itemParagraph[a]!, records[docB]!.text, analyses[docB]!, itemParagraph[b]!)) return 1;
    }
    return exactSimilarity(sets.get(a), sets.get(b)).jaccard;
  };
  const pairCount = candidates.pairs.length / 2;
  const jaccards = new Float64Array(pairCount);
  const order = verificationOrder(candidates.pairs, itemCount);
  for (let k = 0; k < pairCount; k++) {
    if (k % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', analyses.length);
    const p = order[k]!;
    const a = candidates.pairs[2 * p]!;
    const b = candidates.pairs[2 * p + 1]!;
    jaccards[p] = jaccardOf(a, b);
    sets.release(a);
    sets.release(b);
  }
  const measured = new PairMap();
  const edges = growableU32();
  for (let p = 0; p < pairCount; p++) {
    const a = candidates.pairs[2 * p]!;
    const b = candidates.pairs[2 * p + 1]!;
    const jaccard = jaccards[p]!;
    measured.set(a * itemCount + b, jaccard);
    if (jaccard >= paragraphThreshold) edges.push(a), edges.push(b);
  }
  if (candidates.oversizedBuckets > 0) linkIdenticalSignatures(keys, options.bands, itemCount, itemSignatures, itemOffset, numPerm, edges, measured);
  const similar = (rep: number, member: number): boolean => {
    const known = measured.get(rep < member ? rep * itemCount + member : member * itemCount + rep);
    return (known ?? jaccardOf(rep, member)) >= paragraphThreshold;
  };
  const clusters = clusterEdges(itemCount, edges.view(), (a, b) => a - b, similar);
  for (const cluster of clusters) {
    groups.push({ docs: cluster.members.map((m) => itemDoc[m]!), paragraphs: cluster.members.map((m) => itemParagraph[m]!), short: false });
  }

  const raw = groups.map((group, g) => {
    if (g % HEAP_CHECK_EVERY === 0) checkHeap('comparing the paragraphs of', analyses.length);
    return toRawCluster(group, records, options, duplicateClusterOf);
  });
  raw.sort((x, y) => x.docs[0]! - y.docs[0]! || x.paragraphs[0]! - y.paragraphs[0]!);
  const clusterOfParagraph = analyses.map((analysis) => new Int32Array(analysis.paragraphStart.length).fill(-1));
  raw.forEach((cluster, c) => {
    for (let o = 0; o < cluster.docs.length; o++) clusterOfParagraph[cluster.docs[o]!]![cluster.paragraphs[o]!] = c;
  });
  stats.paragraphClusters = raw.length;
  stats.syndicatedParagraphs = raw.filter((cluster) => cluster.kind === 'syndicated').length;
  stats.boilerplateParagraphs = raw.filter((cluster) => cluster.kind === 'boilerplate').length;
  return { clusters: raw, clusterOfParagraph };
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
  for (const analysis of analyses) for (let p = 0; p < analysis.fingerprints.length; p++) if (isShort(analysis, p)) count++;
  const doc = new Uint32Array(count);
  const paragraph = new Uint32Array(count);
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  for (let d = 0, at = 0; d < analyses.length; d++) {
    const analysis = analyses[d]!;
    const words = new Uint32Array(analysis.fingerprints.buffer, analysis.fingerprints.byteOffset, 2 * analysis.fingerprints.length);
    for (let p = 0; p < analysis.fingerprints.length; p++) {
      if (!isShort(analysis, p)) continue;
      (doc[at] = d), (paragraph[at] = p), (low[at] = words[2 * p]!), (high[at++] = words[2 * p + 1]!);
    }
  }
  // Stable sorts by one word then the other: equal fingerprints end up adjacent, in input order.
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const keys = high.slice();
  const scratchKeys = new Uint32Array(count);
  const scratchItems = new Uint32Array(count);
  radixSortPairs(keys, order, scratchKeys, scratchItems);
  for (let i = 0; i < count; i++) keys[i] = low[order[i]!]!;
  radixSortPairs(keys, order, scratchKeys, scratchItems);
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

/** A paragraph matched by fingerprint only: no signature, not empty. */
function isShort(analysis: DocumentAnalysis, p: number): boolean {
  return analysis.signatureRow[p]! < 0 && analysis.normalizedEnd[p] !== analysis.normalizedStart[p];
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
  itemSignatures: (item: number) => Uint32Array,
  itemOffset: (item: number) => number,
  numPerm: number,
  edges: Growable<Uint32Array>,
  measured: PairMap,
): void {
  const previousWithKeys = new Map<string, number>();
  for (let item = 0; item < itemCount; item++) {
    const key = keys.subarray(item * bands, (item + 1) * bands).join(',');
    const previous = previousWithKeys.get(key);
    previousWithKeys.set(key, item);
    if (previous === undefined || measured.has(previous * itemCount + item)) continue;
    const signatureA = itemSignatures(previous);
    const signatureB = itemSignatures(item);
    const offsetA = itemOffset(previous);
    const offsetB = itemOffset(item);
    let same = true;
    for (let i = 0; i < numPerm && same; i++) same = signatureA[offsetA + i] === signatureB[offsetB + i];
    if (!same) continue;
    edges.push(previous), edges.push(item);
    measured.set(previous * itemCount + item, 1);
  }
}

/** Sort occurrences and decide the kind: internal repeat, boilerplate, or syndicated. */
function toRawCluster(
  group: ParagraphGroup,
  records: readonly DocumentRecord[],
  options: ResolvedOptions,
  duplicateClusterOf: Int32Array,
): RawParagraphCluster {
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
  return { kind, docs, paragraphs };
}

export function toParagraphCluster(
  cluster: RawParagraphCluster,
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
): ParagraphCluster {
  const occurrences: ParagraphOccurrence[] = [];
  for (let o = 0; o < cluster.docs.length; o++) {
    const d = cluster.docs[o]!;
    const p = cluster.paragraphs[o]!;
    const analysis = analyses[d]!;
    occurrences.push({ id: records[d]!.id, paragraph: p, start: analysis.paragraphStart[p]!, end: analysis.paragraphEnd[p]! });
  }
  const first = occurrences[0]!;
  return { kind: cluster.kind, text: detached(records[cluster.docs[0]!]!.text.slice(first.start, first.end)), occurrences };
}

/**
 * A copy of `text` that keeps no larger string alive: V8 makes a slice a view of its parent, so a
 * quoted paragraph would hold its whole document in memory (every text, at scale, when the texts
 * are read back from disk). UTF-16 copies every code unit, lone surrogates included.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

export function addInternalRepeats(cluster: RawParagraphCluster, documents: DocumentSummary[]): void {
  const firstInDoc = new Map<number, number>();
  for (let o = 0; o < cluster.docs.length; o++) {
    const d = cluster.docs[o]!;
    const p = cluster.paragraphs[o]!;
    const first = firstInDoc.get(d);
    if (first === undefined) firstInDoc.set(d, p);
    else documents[d]!.internalRepeats.push({ paragraph: p, sameAs: first });
  }
}

