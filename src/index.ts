/**
 * syndic's public API, name by name. Anything not exported here is private.
 */
export { findDuplicates, detectFromAnalyses } from './detect/detect.js';
export { createExplainer, explainPair } from './detect/explain.js';
export type { ExplainedDocument, Explainer, Explanation, SharedParagraph } from './detect/explain.js';
export { categorize } from './detect/policy.js';
export type { CopyRelation, PairCategory, PairMeasures } from './detect/policy.js';
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
export { buildStories, parseDate } from './detect/stories.js';
export type { OutletFlow, OutletReport, OutletSummary, Story, StoryDocument, StoryMember, StoryRelation } from './detect/stories.js';
export { DEFAULTS, resolveOptions } from './options.js';
export type { DetectOptions, ResolvedOptions, Unit, VerifyMode } from './options.js';
export { METADATA_FIELDS, recordMetadata, validateRecords } from './records.js';
export type { DocumentRecord } from './records.js';
export { SyndicError } from './errors.js';
export type { SyndicErrorKind } from './errors.js';
export { DEFAULT_NORMALIZE, resolveNormalizeOptions } from './text/rules.js';
export type { NormalizeOptions } from './text/rules.js';
export { createNormalizer, normalize, unitsToString } from './text/normalize.js';
export type { NormalizedText, NormalizedUnits, Normalizer } from './text/normalize.js';
export { segmentParagraphs } from './text/segment.js';
export type { Paragraph } from './text/segment.js';
export { MAX_SHINGLE_SIZE, createShingleHasher, shingleCount } from './sketch/shingle.js';
export type { ShingleHasher } from './sketch/shingle.js';
export { fmix32, loadFingerprinter, splitMix32 } from './sketch/hash.js';
export type { Fingerprinter } from './sketch/hash.js';
export {
  assertSameSketchParams,
  createSketcher,
  describeSketchParams,
  estimateJaccard,
  matchingFraction,
  sameSketchParams,
} from './sketch/minhash.js';
export type { Signature, SketchParams, SketchVariant, Sketcher } from './sketch/minhash.js';
export { createTextSketcher } from './sketch/sign.js';
export type { TextSketcher } from './sketch/sign.js';
export { candidateProbability, lshParams, validateLshParams } from './lsh/params.js';
export type { LshParams, LshTuning } from './lsh/params.js';
export { bandKeysInto } from './lsh/bands.js';
export { batchCandidates, radixSortPairs } from './lsh/group.js';
export type { BatchCandidates, BatchOptions } from './lsh/group.js';
export { LshIndex } from './lsh/buckets.js';
export type { BucketLookup } from './lsh/buckets.js';
export { exactSimilarity, intersectionSize, toShingleSet } from './analyze/similarity.js';
export type { Similarity } from './analyze/similarity.js';
export { UnionFind, clusterEdges, compareRepresentatives } from './detect/cluster.js';
export type { Cluster, RepresentativeKey } from './detect/cluster.js';
export { createAnalyzer } from './analyze/analyze.js';
export type { Analyzer, DocumentAnalysis } from './analyze/analyze.js';
export { renderHtml } from './render/html/html.js';
export { AnalysisPool, defaultJobs } from './parallel/pool.js';
export type { AnalyzeProgress } from './parallel/pool.js';
export { findDuplicatesParallel } from './parallel/driver.js';
export type { ParallelOptions } from './parallel/driver.js';
export { clusterAnnotations, dedupRecords, paragraphsToRemove, removeLines } from './detect/dedup.js';
export type { ClusterAnnotation, DedupOptions } from './detect/dedup.js';
export { FileIndex, RedisIndex, checkAndAddBatch, openIndex } from './store/open.js';
export type { Durability, FilterIndex, OpenIndexOptions, Verdict, VerdictKind, VerdictMatch } from './store/open.js';
export { documentTruth, exactPairs } from './eval/truth.js';
export type { Truth, TruthBounds, TruthPair } from './eval/truth.js';
export { createDocumentSetBuilder } from './eval/sets.js';
export type { DocumentSetBuilder } from './eval/sets.js';
export { scoreCopies, truthClass } from './eval/score.js';
export type { BandRecall, ClassThresholds, CopyClass, CopyScores, ReportedPair, TruthEntry } from './eval/score.js';
export { clusterScores, scores } from './eval/metrics.js';
export type { ClusterScores, Scores } from './eval/metrics.js';
export { evaluate, pairComponents, reportedPairsOf } from './eval/evaluate.js';
export type { EvalResult, RunCost } from './eval/evaluate.js';
export { parseRun, parseTruth, truthHeaderLine, truthPairLine } from './eval/files.js';
export type { RunFile, TruthFile, TruthHeader } from './eval/files.js';
export { measureStages } from './eval/stages.js';
export type { StageReport, StageTiming } from './eval/stages.js';
export { SWEEP_DEFAULTS, sweepRow } from './eval/sweep.js';
export type { SweepParameter, SweepRow } from './eval/sweep.js';
export { measuredCurve, sCurve, sCurveChart } from './eval/curve.js';
export type { CurveBin, CurvePoint, SetPair } from './eval/curve.js';
