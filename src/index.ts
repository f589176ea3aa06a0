/**
 * syndic's public API, name by name; the README's "Library API" lists the same names (a test
 * holds the two together). Anything not exported here is private.
 */

// The batch run and its result (the JSON contract of `scan --format json`).
export { findDuplicates, detectFromAnalyses } from './detect/detect.js';
export { findDuplicatesParallel } from './parallel/driver.js';
export type { ParallelOptions } from './parallel/driver.js';
export { createAnalyzer } from './analyze/analyze.js';
export type { Analyzer, DocumentAnalysis } from './analyze/analyze.js';
export { dedupRecords } from './detect/dedup.js';
export type { DedupOptions } from './detect/dedup.js';
export type {
  DetectionResult,
  DetectionStats,
  DocumentSummary,
  DuplicateCluster,
  DuplicatePair,
  InternalRepeat,
  Method,
  ParagraphCluster,
  ParagraphKind,
  ParagraphOccurrence,
  SyndicationPair,
} from './detect/types.js';
export type { OutletFlow, OutletReport, OutletSummary, Story, StoryDocument, StoryMember, StoryRelation } from './detect/stories.js';
export { renderHtml } from './render/html/html.js';

// Options, records, errors.
export { DEFAULTS, resolveOptions } from './options.js';
export type { DetectOptions, ResolvedOptions, Unit, VerifyMode } from './options.js';
export type { DocumentRecord } from './records.js';
export { SyndicError } from './errors.js';
export type { SyndicErrorKind } from './errors.js';

// The decision policy and the explanation of one pair.
export { categorize } from './detect/policy.js';
export type { CopyRelation, PairCategory, PairMeasures } from './detect/policy.js';
export { createExplainer, explainPair } from './detect/explain.js';
export type { ExplainedDocument, Explainer, Explanation, SharedParagraph } from './detect/explain.js';

// The persistent index (the pre-ingest filter).
export { FileIndex, checkAndAddBatch, openIndex } from './store/open.js';
export { RedisIndex } from './store/redis/redis.js';
export type { Durability, FilterIndex, OpenIndexOptions, Verdict, VerdictKind, VerdictMatch } from './store/open.js';

// Building blocks, one per pipeline stage.
export { DEFAULT_NORMALIZE } from './text/rules.js';
export type { NormalizeOptions } from './text/rules.js';
export { createNormalizer, normalize } from './text/normalize.js';
export type { NormalizedText, Normalizer } from './text/normalize.js';
export { segmentParagraphs } from './text/segment.js';
export type { Paragraph } from './text/segment.js';
export { createShingleHasher } from './sketch/shingle.js';
export type { ShingleHasher } from './sketch/shingle.js';
export { loadFingerprinter } from './sketch/hash.js';
export type { Fingerprinter } from './sketch/hash.js';
export { createSketcher, estimateJaccard } from './sketch/minhash.js';
export type { Signature, SketchParams, SketchVariant, Sketcher } from './sketch/minhash.js';
export { createTextSketcher } from './sketch/sign.js';
export type { TextSketcher } from './sketch/sign.js';
export { candidateProbability, lshParams } from './lsh/params.js';
export type { LshParams, LshTuning } from './lsh/params.js';
export { batchCandidates } from './lsh/group.js';
export type { BatchCandidates, BatchOptions } from './lsh/group.js';
export { LshIndex } from './lsh/buckets.js';
export type { BucketLookup } from './lsh/buckets.js';
export { exactSimilarity, toShingleSet } from './analyze/similarity.js';
export type { Similarity } from './analyze/similarity.js';
export { clusterEdges } from './detect/cluster.js';
export type { Cluster } from './detect/cluster.js';

// Evaluation: exact truth, scores of a run against it, the S-curve.
export { createDocumentSetBuilder } from './eval/sets.js';
export type { DocumentSetBuilder } from './eval/sets.js';
export { documentTruth } from './eval/truth.js';
export type { Truth, TruthBounds, TruthPair } from './eval/truth.js';
export { parseRun, parseTruth } from './eval/files.js';
export type { RunFile, TruthFile, TruthHeader } from './eval/files.js';
export { evaluate } from './eval/evaluate.js';
export type { EvalResult, RunCost } from './eval/evaluate.js';
export { scoreCopies } from './eval/score.js';
export type { BandRecall, ClassThresholds, CopyClass, CopyScores, ReportedPair, TruthEntry } from './eval/score.js';
export { clusterScores } from './eval/metrics.js';
export type { ClusterScores } from './eval/metrics.js';
export { sCurve } from './eval/curve.js';
export type { CurvePoint } from './eval/curve.js';
