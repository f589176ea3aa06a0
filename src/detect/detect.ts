/**
 * A whole batch run: analyze every record, find near-duplicate documents, repeated paragraphs
 * (inside a document, across outlets, site boilerplate) and syndication pairs.
 */
import { createAnalyzer, ShingleSetBuilder, type DocumentAnalysis } from '../analyze/analyze.js';
import { clusterEdges, compareRepresentatives, UnionFind } from './cluster.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { bandKeysInto, groupBandKeys } from '../lsh/lsh.js';
import { matchingFraction } from '../sketch/minhash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { recordMetadata, validateRecords, type DocumentRecord } from '../records.js';
import { exactSimilarity, intersectionSize, toShingleSet, type Similarity } from '../analyze/similarity.js';

/** How a pair's similarity was measured. */
export type Method = 'exact' | 'estimate';

/** Two documents at or above the Jaccard threshold (`a` comes first in the input). */
export interface DuplicatePair {
  a: string;
  b: string;
  jaccard: number;
  containment: { aInB: number; bInA: number };
  method: Method;
  /** The copy published first (earlier `date`, else earlier in the input): who copied whom. */
  origin: string;
}

/** Near-duplicate documents; `members` includes the representative, in input order. */
export interface DuplicateCluster {
  representative: string;
  members: string[];
}

/** A document largely made of another's paragraphs; `origin` is the one published first. */
export interface SyndicationPair {
  a: string;
  b: string;
  /** Share of each document's non-boilerplate paragraph text found in the other. */
  containment: { aInB: number; bInA: number };
  sharedParagraphs: number;
  origin: string;
}

/** Where a repeated paragraph occurs: document id, paragraph index, original offsets. */
export interface ParagraphOccurrence {
  id: string;
  paragraph: number;
  start: number;
  end: number;
}

/** Kind of a repeated-paragraph cluster. */
export type ParagraphKind = 'internal-repeat' | 'syndicated' | 'boilerplate';

/** A paragraph that occurs more than once, quoted from its first occurrence. */
export interface ParagraphCluster {
  kind: ParagraphKind;
  text: string;
  occurrences: ParagraphOccurrence[];
}

/** A paragraph repeated inside its own document, and the earlier paragraph it repeats. */
export interface InternalRepeat {
  paragraph: number;
  sameAs: number;
}

/** Per-document summary; `source`, `date`, `title` and `url` are there when the record has them. */
export interface DocumentSummary {
  id: string;
  source?: string;
  date?: string;
  title?: string;
  url?: string;
  chars: number;
  paragraphs: number;
  internalRepeats: InternalRepeat[];
}

/** Counts of a run. */
export interface DetectionStats {
  documents: number;
  emptyDocuments: number;
  paragraphs: number;
  candidatePairs: number;
  duplicatePairs: number;
  duplicateClusters: number;
  duplicateDocuments: number;
  paragraphCandidatePairs: number;
  paragraphClusters: number;
  internalRepeats: number;
  syndicatedParagraphs: number;
  boilerplateParagraphs: number;
  syndicationPairs: number;
  oversizedBuckets: number;
}

/** The result of {@link findDuplicates}; the JSON contract of `syndic scan --format json`. */
export interface DetectionResult {
  version: 1;
  params: ResolvedOptions;
  stats: DetectionStats;
  documents: DocumentSummary[];
  duplicates: { pairs: DuplicatePair[]; clusters: DuplicateCluster[] };
  syndication: SyndicationPair[];
  paragraphs: ParagraphCluster[];
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * Find near-duplicate documents, repeated paragraphs and syndication pairs in a batch of records.
 * Deterministic: the same records and options give the same result.
 */
export async function findDuplicates(records: readonly DocumentRecord[], options: DetectOptions = {}): Promise<DetectionResult> {
  const resolved = resolveOptions(options);
  validateRecords(records);
  const analyzer = createAnalyzer(resolved, await loadFingerprinter(), { keepHashes: false });
  const analyses = records.map((record) => analyzer.analyze(record.text));
  return detectFromAnalyses(records, analyses, resolved);
}

/** The stages after analysis, for callers that analyze documents themselves (in workers). */
export function detectFromAnalyses(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
): DetectionResult {
  const stats: DetectionStats = {
    documents: records.length,
    emptyDocuments: analyses.filter((analysis) => analysis.normalizedLength === 0).length,
    paragraphs: analyses.reduce((sum, analysis) => sum + analysis.paragraphStart.length, 0),
    candidatePairs: 0,
    duplicatePairs: 0,
    duplicateClusters: 0,
    duplicateDocuments: 0,
    paragraphCandidatePairs: 0,
    paragraphClusters: 0,
    internalRepeats: 0,
    syndicatedParagraphs: 0,
    boilerplateParagraphs: 0,
    syndicationPairs: 0,
    oversizedBuckets: 0,
  };
  const documents: DocumentSummary[] = records.map((record, d) => ({
    id: record.id,
    ...recordMetadata(record),
    chars: analyses[d]!.chars,
    paragraphs: analyses[d]!.paragraphStart.length,
    internalRepeats: [],
  }));

  const duplicates = options.unit === 'paragraph' ? { pairs: [], clusters: [], clusterOf: new Int32Array(records.length).fill(-1) } : findDocumentDuplicates(records, analyses, options, stats);
  let syndication: SyndicationPair[] = [];
  let paragraphs: ParagraphCluster[] = [];
  if (options.unit !== 'document') {
    const found = findRepeatedParagraphs(records, analyses, options, stats, duplicates.clusterOf);
    paragraphs = found.clusters.map((cluster) => toParagraphCluster(cluster, records, analyses));
    for (const cluster of found.clusters) addInternalRepeats(cluster, documents);
    for (const doc of documents) doc.internalRepeats.sort((x, y) => x.paragraph - y.paragraph);
    syndication = findSyndication(records, analyses, found, duplicates.clusterOf, options);
  }
  stats.internalRepeats = documents.reduce((sum, doc) => sum + doc.internalRepeats.length, 0);
  stats.syndicationPairs = syndication.length;
  return {
    version: 1,
    params: options,
    stats,
    documents,
    duplicates: { pairs: duplicates.pairs, clusters: duplicates.clusters },
    syndication,
    paragraphs,
  };
}

/** Bytes of shingle sets {@link SetCache} keeps before it starts over (sets are rebuilt on demand). */
const SET_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * Lazily built sorted shingle sets for verification. Each set is dropped after its last use among
 * the candidate pairs (`uses` counts them), and the whole cache is dropped if it outgrows
 * {@link SET_CACHE_BYTES}, so memory stays bounded whatever the corpus size; a set needed again
 * later is rebuilt from the text.
 */
class SetCache {
  private readonly sets = new Map<number, Uint32Array>();
  private readonly uses: Uint32Array;
  private bytes = 0;

  constructor(
    private readonly build: (item: number) => Uint32Array,
    itemCount = 0,
    candidatePairs: Uint32Array = new Uint32Array(0),
  ) {
    this.uses = new Uint32Array(itemCount);
    for (let i = 0; i < candidatePairs.length; i++) this.uses[candidatePairs[i]!]!++;
  }

  get(item: number): Uint32Array {
    let set = this.sets.get(item);
    if (!set) {
      if (this.bytes > SET_CACHE_BYTES) this.sets.clear(), (this.bytes = 0);
      this.sets.set(item, (set = this.build(item)));
      this.bytes += set.byteLength;
    }
    return set;
  }

  /** One candidate pair using `item` is done. */
  release(item: number): void {
    if (this.uses[item]! > 0 && --this.uses[item]! === 0) {
      const set = this.sets.get(item);
      if (set) this.sets.delete(item), (this.bytes -= set.byteLength);
    }
  }
}

/**
 * Indexes of the candidate pairs (flat [a0, b0, a1, b1, ...]) grouped by connected component, in
 * input order within each. Verified in this order, each shingle set is built once and dropped when
 * its component is done; in input order, sets of long-range pairs stayed alive until the cache
 * overflowed and was rebuilt (6× the set builds at 100k documents).
 */
function verificationOrder(pairs: Uint32Array, itemCount: number): Uint32Array {
  const pairCount = pairs.length / 2;
  const unionFind = new UnionFind(itemCount);
  for (let p = 0; p < pairCount; p++) unionFind.union(pairs[2 * p]!, pairs[2 * p + 1]!);
  const roots = new Uint32Array(pairCount);
  const starts = new Uint32Array(itemCount + 1);
  for (let p = 0; p < pairCount; p++) {
    const root = unionFind.find(pairs[2 * p]!);
    roots[p] = root;
    starts[root + 1]!++;
  }
  for (let item = 0; item < itemCount; item++) starts[item + 1]! += starts[item]!;
  const order = new Uint32Array(pairCount);
  for (let p = 0; p < pairCount; p++) order[starts[roots[p]!]!++] = p;
  return order;
}

/**
 * Signature values that really vary between two sets: at most numPerm, and at most about half the
 * shingles of the smaller set (OPH fills bins from its shingles and copies the rest; the count
 * includes repeated shingles, hence the half).
 */
function effectiveSamples(numPerm: number, smallerShingles: number): number {
  return Math.max(1, Math.min(numPerm, Math.floor(smallerShingles / 2)));
}

/**
 * True when an estimate is 8 binomial standard deviations under the threshold: a pair at the
 * threshold lands there with probability < 10⁻¹⁴, so it is rejected without building exact sets.
 */
function surelyBelow(estimate: number, threshold: number, numPerm: number, smallerShingles: number): boolean {
  return estimate < threshold - 8 * Math.sqrt((threshold * (1 - threshold)) / effectiveSamples(numPerm, smallerShingles));
}

/** True when every value agrees and a pair under the threshold would do so with probability < 10⁻¹². */
function surelyAbove(estimate: number, threshold: number, numPerm: number, smallerShingles: number): boolean {
  return estimate === 1 && Math.pow(threshold, effectiveSamples(numPerm, smallerShingles)) < 1e-12;
}

/** Containment estimated from a Jaccard estimate and the two set sizes. */
function estimatedSimilarity(jaccard: number, sizeA: number, sizeB: number): Similarity {
  const intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  return { intersection, jaccard, aInB: Math.min(1, intersection / sizeA), bInA: Math.min(1, intersection / sizeB) };
}

function findDocumentDuplicates(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
): { pairs: DuplicatePair[]; clusters: DuplicateCluster[]; clusterOf: Int32Array } {
  const { numPerm, shingleSize, threshold } = options;
  const active: number[] = [];
  analyses.forEach((analysis, d) => analysis.normalizedLength > 0 && active.push(d));
  const keys = new Uint32Array(active.length * options.bands);
  active.forEach((d, row) => bandKeysInto(analyses[d]!.signature, 0, options, keys, row * options.bands));
  const candidates = groupBandKeys(keys, active.length, options.bands, { maxBucketSize: options.maxBucketSize });
  stats.candidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;

  const exact = options.verify === 'exact';
  const setBuilder = exact ? new ShingleSetBuilder(options) : null;
  const sets = new SetCache(
    (d) => {
      const hashes = analyses[d]!.hashes;
      return hashes ? toShingleSet(hashes) : setBuilder!.documentSet(records[d]!.text, analyses[d]!);
    },
    records.length,
    Uint32Array.from(candidates.pairs, (row) => active[row]!),
  );
  const size = (d: number): number => Math.max(1, analyses[d]!.normalizedLength - shingleSize + 1);
  const measure = (a: number, b: number): Similarity => {
    const estimate = matchingFraction(analyses[a]!.signature, 0, analyses[b]!.signature, 0, numPerm);
    if (exact && !surelyBelow(estimate, threshold, numPerm, Math.min(size(a), size(b)))) {
      // The same normalized text has the same shingle set: Jaccard and containments are exactly 1.
      if (estimate === 1 && setBuilder!.sameDocument(records[a]!.text, analyses[a]!, records[b]!.text, analyses[b]!)) {
        return { intersection: size(a), jaccard: 1, aInB: 1, bInA: 1 };
      }
      return exactSimilarity(sets.get(a), sets.get(b));
    }
    return estimatedSimilarity(estimate, size(a), size(b));
  };

  const pairCount = candidates.pairs.length / 2;
  const jaccards = new Float64Array(pairCount);
  const aInBs = new Float64Array(pairCount);
  const bInAs = new Float64Array(pairCount);
  const order = verificationOrder(candidates.pairs, active.length);
  for (let k = 0; k < pairCount; k++) {
    const p = order[k]!;
    const a = active[candidates.pairs[2 * p]!]!;
    const b = active[candidates.pairs[2 * p + 1]!]!;
    const similarity = measure(a, b);
    sets.release(a);
    sets.release(b);
    jaccards[p] = similarity.jaccard;
    aInBs[p] = similarity.aInB;
    bInAs[p] = similarity.bInA;
  }

  const pairs: DuplicatePair[] = [];
  const edges: number[] = [];
  const verified = new Map<number, number>();
  for (let p = 0; p < pairCount; p++) {
    const a = active[candidates.pairs[2 * p]!]!;
    const b = active[candidates.pairs[2 * p + 1]!]!;
    const jaccard = jaccards[p]!;
    // Every measured pair, passing or not, so clustering never measures a candidate pair again.
    verified.set(a * records.length + b, jaccard);
    if (jaccard < threshold) continue;
    edges.push(a, b);
    pairs.push({
      a: records[a]!.id,
      b: records[b]!.id,
      jaccard: round(jaccard),
      containment: { aInB: round(aInBs[p]!), bInA: round(bInAs[p]!) },
      method: exact ? 'exact' : 'estimate',
      origin: records[originOf(records, a, b)]!.id,
    });
  }

  const key = (d: number) => ({ id: records[d]!.id, date: records[d]!.date, chars: analyses[d]!.chars });
  const clustered = clusterEdges(
    records.length,
    edges,
    (a, b) => compareRepresentatives(key(a), key(b)),
    (representative, member) => {
      const [a, b] = representative < member ? [representative, member] : [member, representative];
      const known = verified.get(a * records.length + b);
      return (known ?? measure(a, b).jaccard) >= threshold;
    },
  );
  const clusterOf = new Int32Array(records.length).fill(-1);
  const clusters = clustered.map((cluster, c) => {
    for (const member of cluster.members) clusterOf[member] = c;
    return { representative: records[cluster.representative]!.id, members: cluster.members.map((m) => records[m]!.id) };
  });
  stats.duplicatePairs = pairs.length;
  stats.duplicateClusters = clusters.length;
  stats.duplicateDocuments = clustered.reduce((sum, cluster) => sum + cluster.members.length - 1, 0);
  return { pairs, clusters, clusterOf };
}

/** A repeated-paragraph cluster by document and paragraph index, sorted by occurrence. */
interface RawParagraphCluster {
  kind: ParagraphKind;
  docs: Uint32Array;
  paragraphs: Uint32Array;
}

interface RepeatedParagraphs {
  clusters: RawParagraphCluster[];
  /** Per document, per paragraph: index of its cluster or −1. */
  clusterOfParagraph: Int32Array[];
}

function findRepeatedParagraphs(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  stats: DetectionStats,
  duplicateClusterOf: Int32Array,
): RepeatedParagraphs {
  const { numPerm, shingleSize, paragraphThreshold } = options;
  const groups: Array<{ docs: number[]; paragraphs: number[]; short: boolean }> = [];

  // Short paragraphs: exact match on the fingerprint of their normalized text.
  const byFingerprint = new Map<bigint, { docs: number[]; paragraphs: number[] }>();
  analyses.forEach((analysis, d) => {
    for (let p = 0; p < analysis.fingerprints.length; p++) {
      if (analysis.signatureRow[p]! >= 0 || analysis.normalizedEnd[p] === analysis.normalizedStart[p]) continue;
      const fingerprint = analysis.fingerprints[p]!;
      const group = byFingerprint.get(fingerprint);
      if (group) group.docs.push(d), group.paragraphs.push(p);
      else byFingerprint.set(fingerprint, { docs: [d], paragraphs: [p] });
    }
  });
  for (const group of byFingerprint.values()) if (group.docs.length > 1) groups.push({ ...group, short: true });

  // Long paragraphs: LSH over their signatures, verified, clustered.
  const itemDoc: number[] = [];
  const itemParagraph: number[] = [];
  analyses.forEach((analysis, d) => {
    for (let p = 0; p < analysis.signatureRow.length; p++) {
      if (analysis.signatureRow[p]! >= 0) itemDoc.push(d), itemParagraph.push(p);
    }
  });
  const itemCount = itemDoc.length;
  // Signatures stay in their analyses (a copy into one array was numPerm·4 bytes per paragraph).
  const itemSignatures = (item: number): Uint32Array => analyses[itemDoc[item]!]!.paragraphSignatures;
  const itemOffset = (item: number): number => analyses[itemDoc[item]!]!.signatureRow[itemParagraph[item]!]! * numPerm;
  const keys = new Uint32Array(itemCount * options.bands);
  for (let item = 0; item < itemCount; item++) bandKeysInto(itemSignatures(item), itemOffset(item), options, keys, item * options.bands);
  const candidates = groupBandKeys(keys, itemCount, options.bands, { maxBucketSize: options.maxBucketSize });
  stats.paragraphCandidatePairs = candidates.pairs.length / 2;
  stats.oversizedBuckets += candidates.oversizedBuckets;

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
    const p = order[k]!;
    const a = candidates.pairs[2 * p]!;
    const b = candidates.pairs[2 * p + 1]!;
    jaccards[p] = jaccardOf(a, b);
    sets.release(a);
    sets.release(b);
  }
  const measured = new Map<number, number>();
  const edges: number[] = [];
  for (let p = 0; p < pairCount; p++) {
    const a = candidates.pairs[2 * p]!;
    const b = candidates.pairs[2 * p + 1]!;
    const jaccard = jaccards[p]!;
    measured.set(a * itemCount + b, jaccard);
    if (jaccard >= paragraphThreshold) edges.push(a, b);
  }
  if (candidates.oversizedBuckets > 0) linkIdenticalSignatures(keys, options.bands, itemCount, itemSignatures, itemOffset, numPerm, edges, measured);
  const similar = (rep: number, member: number): boolean => {
    const known = measured.get(rep < member ? rep * itemCount + member : member * itemCount + rep);
    return (known ?? jaccardOf(rep, member)) >= paragraphThreshold;
  };
  const clusters = clusterEdges(itemCount, edges, (a, b) => a - b, similar);
  for (const cluster of clusters) {
    groups.push({ docs: cluster.members.map((m) => itemDoc[m]!), paragraphs: cluster.members.map((m) => itemParagraph[m]!), short: false });
  }

  const raw = groups.map((group) => toRawCluster(group, records, options, duplicateClusterOf));
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
  edges: number[],
  measured: Map<number, number>,
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
    edges.push(previous, item);
    measured.set(previous * itemCount + item, 1);
  }
}

/** Sort occurrences and decide the kind: internal repeat, boilerplate, or syndicated. */
function toRawCluster(
  group: { docs: number[]; paragraphs: number[]; short: boolean },
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

function toParagraphCluster(
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

function addInternalRepeats(cluster: RawParagraphCluster, documents: DocumentSummary[]): void {
  const firstInDoc = new Map<number, number>();
  for (let o = 0; o < cluster.docs.length; o++) {
    const d = cluster.docs[o]!;
    const p = cluster.paragraphs[o]!;
    const first = firstInDoc.get(d);
    if (first === undefined) firstInDoc.set(d, p);
    else documents[d]!.internalRepeats.push({ paragraph: p, sameAs: first });
  }
}

/**
 * Syndication pairs: documents sharing non-boilerplate paragraphs that cover at least
 * `containment` of the smaller one. Coverage is measured in normalized characters; boilerplate
 * paragraphs count on neither side. Pairs already in one duplicate cluster are left to `duplicates`.
 */
function findSyndication(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  repeated: RepeatedParagraphs,
  duplicateClusterOf: Int32Array,
  options: ResolvedOptions,
): SyndicationPair[] {
  const paragraphChars = (d: number, p: number): number => analyses[d]!.normalizedEnd[p]! - analyses[d]!.normalizedStart[p]!;
  const contentChars = analyses.map((analysis, d) => {
    let total = 0;
    const clusterOf = repeated.clusterOfParagraph[d]!;
    for (let p = 0; p < clusterOf.length; p++) {
      const c = clusterOf[p]!;
      if (c < 0 || repeated.clusters[c]!.kind !== 'boilerplate') total += paragraphChars(d, p);
    }
    return total;
  });

  // Per document pair: covered characters on each side and the number of shared clusters.
  const count = records.length;
  const shared = new Map<number, { aChars: number; bChars: number; clusters: number }>();
  for (const cluster of repeated.clusters) {
    if (cluster.kind !== 'syndicated') continue;
    const charsInDoc = new Map<number, number>();
    for (let o = 0; o < cluster.docs.length; o++) {
      const d = cluster.docs[o]!;
      charsInDoc.set(d, (charsInDoc.get(d) ?? 0) + paragraphChars(d, cluster.paragraphs[o]!));
    }
    const docs = [...charsInDoc.keys()];
    if (docs.length > options.maxBucketSize) continue;
    for (let x = 0; x < docs.length; x++) {
      for (let y = x + 1; y < docs.length; y++) {
        const a = docs[x]!;
        const b = docs[y]!;
        const key = a * count + b;
        const entry = shared.get(key) ?? { aChars: 0, bChars: 0, clusters: 0 };
        entry.aChars += charsInDoc.get(a)!;
        entry.bChars += charsInDoc.get(b)!;
        entry.clusters++;
        shared.set(key, entry);
      }
    }
  }

  const shingleSets = options.verify === 'exact' ? new SyndicationSets(records, analyses, options) : null;
  const pairs: SyndicationPair[] = [];
  for (const key of [...shared.keys()].sort((x, y) => x - y)) {
    const entry = shared.get(key)!;
    const a = Math.floor(key / count);
    const b = key - a * count;
    if (duplicateClusterOf[a]! >= 0 && duplicateClusterOf[a] === duplicateClusterOf[b]) continue;
    let aInB = Math.min(1, entry.aChars / Math.max(1, contentChars[a]!));
    let bInA = Math.min(1, entry.bChars / Math.max(1, contentChars[b]!));
    const aSmaller = contentChars[a]! <= contentChars[b]!;
    let smallerCovered = aSmaller ? aInB : bInA;
    if (smallerCovered < options.containment && shingleSets) {
      const [small, large] = aSmaller ? [a, b] : [b, a];
      const extra = containedParagraphChars(small, large, analyses, repeated, shingleSets, options);
      smallerCovered = Math.min(1, ((aSmaller ? entry.aChars : entry.bChars) + extra) / Math.max(1, contentChars[small]!));
      if (aSmaller) aInB = smallerCovered;
      else bInA = smallerCovered;
    }
    if (smallerCovered < options.containment) continue;
    pairs.push({
      a: records[a]!.id,
      b: records[b]!.id,
      containment: { aInB: round(aInB), bInA: round(bInA) },
      sharedParagraphs: entry.clusters,
      origin: records[originOf(records, a, b)]!.id,
    });
  }
  return pairs;
}

/**
 * Characters of `small`'s non-boilerplate paragraphs that no shared cluster pairs with `large` but
 * whose shingles lie (≥ containment) inside `large`: a copy cut mid-paragraph ends in a prefix of
 * the original's paragraph, too short for paragraph Jaccard to match it.
 */
function containedParagraphChars(
  small: number,
  large: number,
  analyses: readonly DocumentAnalysis[],
  repeated: RepeatedParagraphs,
  shingleSets: SyndicationSets,
  options: ResolvedOptions,
): number {
  const analysis = analyses[small]!;
  const clusterOf = repeated.clusterOfParagraph[small]!;
  const largeSet = shingleSets.document(large);
  let chars = 0;
  for (let p = 0; p < clusterOf.length; p++) {
    const c = clusterOf[p]!;
    if (c >= 0) {
      const cluster = repeated.clusters[c]!;
      if (cluster.kind === 'boilerplate' || (cluster.kind === 'syndicated' && cluster.docs.includes(large))) continue;
    }
    const start = analysis.normalizedStart[p]!;
    const end = analysis.normalizedEnd[p]!;
    if (end - start < options.shingleSize) continue;
    const paragraphSet = shingleSets.paragraph(small, p);
    const inside = intersectionSize(paragraphSet, largeSet);
    if (inside >= options.containment * paragraphSet.length) chars += end - start;
  }
  return chars;
}

/** Exact shingle sets for the syndication top-up: from kept hashes, else rebuilt from the text. */
class SyndicationSets {
  // Bounded by SET_CACHE_BYTES: every document of every syndication pair would not fit at scale.
  private readonly documents: SetCache;
  private readonly builder: ShingleSetBuilder;
  constructor(
    private readonly records: readonly DocumentRecord[],
    private readonly analyses: readonly DocumentAnalysis[],
    private readonly options: ResolvedOptions,
  ) {
    this.builder = new ShingleSetBuilder(options);
    this.documents = new SetCache((d) => {
      const hashes = this.analyses[d]!.hashes;
      return hashes ? toShingleSet(hashes) : this.builder.documentSet(this.records[d]!.text, this.analyses[d]!);
    });
  }
  document(d: number): Uint32Array {
    return this.documents.get(d);
  }
  paragraph(d: number, p: number): Uint32Array {
    const analysis = this.analyses[d]!;
    if (!analysis.hashes) return this.builder.paragraphSet(this.records[d]!.text, analysis, p);
    return toShingleSet(analysis.hashes.subarray(analysis.normalizedStart[p]!, analysis.normalizedEnd[p]! - this.options.shingleSize + 1));
  }
}


/** The earlier-dated document; without both dates (or on a tie), the earlier in input order. */
function originOf(records: readonly DocumentRecord[], a: number, b: number): number {
  const dateA = records[a]!.date;
  const dateB = records[b]!.date;
  if (dateA && dateB && dateA !== dateB) return dateA < dateB ? a : b;
  return Math.min(a, b);
}
