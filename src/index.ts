/**
 * syndic's public API, name by name. Anything not exported here is private.
 */
export { findDuplicates, detectFromAnalyses } from './detect.js';
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
} from './detect.js';
export { DEFAULTS, resolveOptions } from './options.js';
export type { DetectOptions, ResolvedOptions, Unit, VerifyMode } from './options.js';
export { validateRecords } from './records.js';
export type { DocumentRecord } from './records.js';
export { SyndicError } from './errors.js';
export type { SyndicErrorKind } from './errors.js';
export { DEFAULT_NORMALIZE, createNormalizer, normalize, resolveNormalizeOptions, unitsToString } from './normalize.js';
export type { NormalizeOptions, NormalizedText, NormalizedUnits, Normalizer } from './normalize.js';
export { segmentParagraphs } from './segment.js';
export type { Paragraph } from './segment.js';
export { MAX_SHINGLE_SIZE, createShingleHasher, shingleCount } from './shingle.js';
export type { ShingleHasher } from './shingle.js';
export { fmix32, loadFingerprinter, splitMix32 } from './hash.js';
export type { Fingerprinter } from './hash.js';
export {
  assertSameSketchParams,
  createSketcher,
  describeSketchParams,
  estimateJaccard,
  matchingFraction,
  sameSketchParams,
} from './minhash.js';
export type { Signature, SketchParams, SketchVariant, Sketcher } from './minhash.js';
export { createTextSketcher } from './sign.js';
export type { TextSketcher } from './sign.js';
export { LshIndex, bandKeysInto, batchCandidates, candidateProbability, lshParams, radixSortPairs, validateLshParams } from './lsh.js';
export type { BatchCandidates, BatchOptions, LshParams, LshTuning } from './lsh.js';
export { exactSimilarity, intersectionSize, toShingleSet } from './verify.js';
export type { Similarity } from './verify.js';
export { UnionFind, clusterEdges, compareRepresentatives } from './cluster.js';
export type { Cluster, RepresentativeKey } from './cluster.js';
export { createAnalyzer } from './analyze.js';
export type { Analyzer, DocumentAnalysis } from './analyze.js';
export { renderHtml } from './report/html.js';
export { AnalysisPool, defaultJobs, findDuplicatesParallel } from './pool.js';
export type { AnalyzeProgress, ParallelOptions } from './pool.js';
export { dedupRecords, paragraphsToRemove, removeLines } from './dedup.js';
export type { DedupOptions } from './dedup.js';
export { FileIndex, RedisIndex, openIndex } from './filter.js';
export type { FilterIndex, OpenIndexOptions, Verdict, VerdictKind, VerdictMatch } from './filter.js';
