/**
 * A whole batch run: analyze every record, find near-duplicate documents, repeated paragraphs
 * (inside a document, across outlets, site boilerplate) and syndicated copies; every pair is
 * decided by the one policy (policy.ts).
 */
import { checkHeap } from '../heap-budget.js';
import { createAnalyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { recordMetadata, validateRecords, type DocumentRecord } from '../records.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { findDocumentDuplicates, noDocumentPass, type DocumentPass } from './document-pass.js';
import { boilerplateMasks, measureHere, PairMeasurer, type BoilerplateMasks, type MeasurePairs } from './measure.js';
import type { ContainmentCandidates } from './containment-candidates.js';
import type { GroupBandKeys } from '../lsh/group.js';
import type { MeasureParagraphs } from './paragraph-measure.js';
import { addInternalRepeats, quoteParagraphs } from './paragraph-clusters.js';
import { findRepeatedParagraphs, type ParagraphKeys, type RepeatedParagraphs } from './paragraph-pass.js';
import { roundMeasure } from './policy.js';
import { buildStories } from './stories.js';
import { findSyndication, syndicationCandidates } from './syndication.js';
import type { DetectionResult, DetectionStats, DocumentSummary, ParagraphCluster, SyndicationPair } from './types.js';

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

/**
 * The stages after analysis, for callers that analyze documents themselves (in workers).
 * `helpers` measure candidate pairs exactly and may bring the paragraph band keys: on this
 * thread by default, or on worker threads (the same values either way).
 */
export async function detectFromAnalyses(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  helpers: RunHelpers = {},
): Promise<DetectionResult> {
  const measurePairs = helpers.measurePairs ?? measureHere(records, analyses, options);
  const run = await prepareRun(records, analyses, options, { ...helpers, measurePairs });
  const { stats, duplicates, repeated } = run;
  const documents: DocumentSummary[] = records.map((record, d) => ({
    id: record.id,
    ...recordMetadata(record),
    chars: analyses[d]!.chars,
    paragraphs: analyses[d]!.paragraphStart.length,
    internalRepeats: [],
  }));
  let syndication: SyndicationPair[] = [];
  let paragraphs: ParagraphCluster[] = [];
  if (repeated) {
    checkHeap('quoting the repeated paragraphs of', records.length);
    paragraphs = quoteParagraphs(repeated.clusters, records, analyses);
    addInternalRepeats(repeated.clusters, documents);
    checkHeap('finding the syndicated copies among', records.length);
    const candidates = await syndicationCandidatesOf(analyses, repeated, duplicates, options, stats, helpers.anchorCandidates);
    syndication = await findSyndication(records, candidates, repeated, duplicates, measurePairs, run.masks, options);
    await measureDuplicateContent(records, duplicates.pairs, measurePairs, run.masks, repeated);
  }
  stats.internalRepeats = documents.reduce((sum, doc) => sum + doc.internalRepeats.length, 0);
  stats.syndicationPairs = syndication.length;
  checkHeap('building the stories of', records.length);
  const { stories, outlets } = buildStories(records, duplicates.pairs, syndication, options.containment);
  return {
    version: 1,
    params: options,
    stats,
    documents,
    duplicates: { pairs: duplicates.pairs, clusters: duplicates.clusters },
    syndication,
    paragraphs,
    stories,
    outlets,
  };
}

/** Where a run's pairs are measured (default: on this thread), and what the tasks that read the input made for it. */
export interface RunHelpers {
  measurePairs?: MeasurePairs;
  measureParagraphs?: MeasureParagraphs;
  paragraphKeys?: ParagraphKeys;
  /** Called once the document pass is done: what only it needed may go (a scan's document signatures). */
  afterDocumentPass?: () => void;
  /** Where LSH groups band keys (default: on this thread). */
  groupBandKeys?: GroupBandKeys;
  /** Syndication's anchor candidates, being found meanwhile (on a worker); taken once. */
  anchorCandidates?: () => Promise<ContainmentCandidates>;
}

/** What every pair of a run is measured in: the document pass, the paragraph pass, boilerplate. */
export interface PreparedRun {
  stats: DetectionStats;
  duplicates: DocumentPass;
  /** Null when only documents are compared. */
  repeated: RepeatedParagraphs | null;
  /** Per document, its boilerplate paragraphs (null where none). */
  masks: BoilerplateMasks;
  /** A measurer of this run's pairs; `pairs` as in {@link PairMeasurer}. */
  measurer(pairs?: Uint32Array): PairMeasurer;
}

/** The passes whose results decide pairs: shared by {@link detectFromAnalyses} and the explainer. */
export async function prepareRun(
  records: readonly DocumentRecord[],
  analyses: readonly DocumentAnalysis[],
  options: ResolvedOptions,
  helpers: RunHelpers = {},
): Promise<PreparedRun> {
  const measurePairs = helpers.measurePairs ?? measureHere(records, analyses, options);
  const stats = emptyStats(records, analyses);
  checkHeap('comparing', records.length);
  const duplicates = options.unit === 'paragraph' ? noDocumentPass(records.length) : await findDocumentDuplicates(records, analyses, options, stats, measurePairs, helpers.groupBandKeys);
  helpers.afterDocumentPass?.();
  checkHeap('comparing the paragraphs of', records.length);
  const repeated = options.unit === 'document' ? null : await findRepeatedParagraphs(records, analyses, options, stats, duplicates.clusterOf, helpers.paragraphKeys, helpers.measureParagraphs, helpers.groupBandKeys);
  const masks = repeated
    ? boilerplateMasks(records.length, repeated.clusterOfParagraph, (c) => repeated.clusters.kind(c) === 'boilerplate')
    : records.map(() => null);
  return { stats, duplicates, repeated, masks, measurer: (pairs) => new PairMeasurer(records, analyses, options, masks, pairs) };
}

/**
 * Syndication's candidates, with the anchor candidates from `anchorCandidates` when given. Their
 * shared anchors (a few hundred bytes a document) are let go when this returns.
 */
async function syndicationCandidatesOf(
  analyses: readonly DocumentAnalysis[],
  repeated: RepeatedParagraphs,
  duplicates: DocumentPass,
  options: ResolvedOptions,
  stats: DetectionStats,
  anchorCandidates: RunHelpers['anchorCandidates'],
): Promise<Uint32Array> {
  const fromAnchors = anchorCandidates ? await anchorCandidates() : undefined;
  return syndicationCandidates(analyses, repeated, duplicates, options, stats, fromAnchors);
}

/**
 * Containments of near-duplicate pairs on their content sets, as for every pair: the document
 * pass measured them on the whole sets, before boilerplate was known. Measured like the other
 * pairs (on the workers when there are), their Jaccard known already.
 */
async function measureDuplicateContent(
  records: readonly DocumentRecord[],
  pairs: DetectionResult['duplicates']['pairs'],
  measurePairs: MeasurePairs,
  masks: BoilerplateMasks,
  repeated: RepeatedParagraphs,
): Promise<void> {
  if (repeated.clusters.countOf('boilerplate') === 0) return;
  const indexOf = new Map(records.map((record, d) => [record.id, d]));
  const masked: DetectionResult['duplicates']['pairs'] = [];
  const flat: number[] = [];
  for (const pair of pairs) {
    const a = indexOf.get(pair.a)!;
    const b = indexOf.get(pair.b)!;
    if (!masks[a] && !masks[b]) continue;
    masked.push(pair);
    flat.push(a, b);
  }
  const measures = await measurePairs(Uint32Array.from(flat), masks, Float64Array.from(masked, (pair) => pair.jaccard));
  masked.forEach((pair, k) => (pair.containment = { aInB: roundMeasure(measures[k]!.aInB), bInA: roundMeasure(measures[k]!.bInA) }));
}

function emptyStats(records: readonly DocumentRecord[], analyses: readonly DocumentAnalysis[]): DetectionStats {
  return {
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
    syndicationCandidatePairs: 0,
    syndicationPairs: 0,
    oversizedBuckets: 0,
    largestOversizedBucket: 0,
    commonAnchors: 0,
  };
}
