/**
 * The result of a batch run: the JSON contract of `syndic scan --format json`, which every
 * renderer reads.
 */
import type { ResolvedOptions } from '../options.js';
import type { OutletReport, Story } from './stories.js';

/** How a value was measured: exactly on shingle sets, or estimated from signatures. */
export type Method = 'exact' | 'estimate';

/** Two documents at or above the Jaccard threshold (`a` comes first in the input). */
export interface DuplicatePair {
  a: string;
  b: string;
  jaccard: number;
  /** Share of each document's content (non-boilerplate shingles) found in the other's. */
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

/**
 * A syndicated copy: not a near-duplicate, and at least `containment` of the smaller document's
 * content lies in the other (`a` comes first in the input); `origin` is the one published first.
 */
export interface SyndicationPair {
  a: string;
  b: string;
  /** Share of each document's content (non-boilerplate shingles) found in the other's. */
  containment: { aInB: number; bInA: number };
  /** Document Jaccard (below the threshold, or the pair would be a near-duplicate). */
  jaccard: number;
  method: Method;
  /** Repeated-paragraph clusters the two documents share. */
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

/**
 * A paragraph that occurs more than once, quoted from its first occurrence. In a result of
 * detection its fields are read-only getters that read the run's records when asked (a copy of
 * every repeated paragraph was gigabytes at a million documents), each read of `occurrences` a
 * new array: read them, or `JSON.stringify` it, rather than spread or clone it, and leave the
 * records unchanged while the result is in use.
 */
export interface ParagraphCluster {
  readonly kind: ParagraphKind;
  readonly text: string;
  readonly occurrences: ParagraphOccurrence[];
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
  /** Document pairs whose containment was measured (anchors, LSH, shared paragraphs). */
  syndicationCandidatePairs: number;
  syndicationPairs: number;
  /** LSH buckets over `maxBucketSize`, not expanded into pairs (identical documents are still grouped). */
  oversizedBuckets: number;
  /** Members of the largest such bucket (0 when none). */
  largestOversizedBucket: number;
  /** Anchors shared by more than the anchor cap of documents, which make no candidates. */
  commonAnchors: number;
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
  /** Documents joined by duplicate or syndication pairs, with origin, relations and delays. */
  stories: Story[];
  /** Copies from outlet to outlet, over the stories. */
  outlets: OutletReport;
}
