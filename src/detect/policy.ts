/**
 * The one definition of a copy. `scan`, `explain`, `filter`, `check` and the library decide every
 * pair of documents here, from the same measures, in the same words:
 *
 * - **near-duplicate**: document Jaccard ≥ `threshold`;
 * - **syndicated copy**: not a near-duplicate, and at least `containment` of the smaller
 *   document's content lies in the other. Content is the document's shingles outside boilerplate
 *   paragraphs (site chrome counts for neither side), and the smaller document must have at least
 *   `minParagraphChars` of it: a few words inside an article are not a copy of anything;
 * - **unrelated** otherwise.
 *
 * The origin of a pair is the one published first: the earlier `date`, else the earlier in input
 * order; in the filter the indexed record is the earlier.
 */
import type { ResolvedOptions } from '../options.js';
import type { Method } from './types.js';

/** What the policy makes of a pair. */
export type PairCategory = 'duplicate' | 'syndicated' | 'unrelated';

/**
 * How a copy relates to its origin: `duplicate` (near-duplicate), `copy` (the copy lies mostly
 * inside the origin), `contains` (the copy holds the origin inside new material).
 */
export type CopyRelation = 'duplicate' | 'copy' | 'contains';

/** The measures of a pair that the decision reads. */
export interface PairMeasures {
  /** Jaccard of the two documents' shingle sets. */
  jaccard: number;
  /** Share of A's content found in B's, and of B's in A's. */
  aInB: number;
  bInA: number;
  /** Content shingles of each side. */
  aContent: number;
  bContent: number;
  jaccardMethod: Method;
  containmentMethod: Method;
}

/** The options the decision reads. */
export type PolicyOptions = Pick<ResolvedOptions, 'threshold' | 'containment' | 'minParagraphChars' | 'shingleSize'>;

/** Content shingles the smaller document needs for a syndicated copy: those of `minParagraphChars` characters. */
export function minContentShingles(options: PolicyOptions): number {
  return Math.max(1, options.minParagraphChars - options.shingleSize + 1);
}

/** Share of the smaller document's content found in the other (the larger of the two shares). */
export function smallerContainment(measures: Pick<PairMeasures, 'aInB' | 'bInA'>): number {
  return Math.max(measures.aInB, measures.bInA);
}

/** The category of a pair. */
export function categorize(measures: PairMeasures, options: PolicyOptions): PairCategory {
  if (measures.jaccard >= options.threshold) return 'duplicate';
  if (Math.min(measures.aContent, measures.bContent) < minContentShingles(options)) return 'unrelated';
  return smallerContainment(measures) >= options.containment ? 'syndicated' : 'unrelated';
}

/**
 * How `copy` relates to `origin`, for a pair that is not unrelated: `copyInOrigin` and
 * `originInCopy` are the two containments.
 */
export function relationOf(category: PairCategory, copyInOrigin: number, originInCopy: number, options: PolicyOptions): CopyRelation {
  if (category === 'duplicate') return 'duplicate';
  return copyInOrigin >= options.containment || copyInOrigin >= originInCopy ? 'copy' : 'contains';
}

/** Index of the origin of documents `a` and `b`: the earlier date, else the earlier in input order. */
export function originOf(dateOf: (d: number) => string | undefined, a: number, b: number): number {
  const dateA = dateOf(a);
  const dateB = dateOf(b);
  if (dateA && dateB && dateA !== dateB) return dateA < dateB ? a : b;
  return Math.min(a, b);
}

/** Every reported measure is rounded to 6 decimals, in every command. */
export function roundMeasure(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The name of each category in every report. */
export const CATEGORY_LABELS: Readonly<Record<PairCategory, string>> = Object.freeze({
  duplicate: 'near-duplicates',
  syndicated: 'syndicated copy',
  unrelated: 'unrelated',
});

/** The one sentence per category that `--help`, the README and reports use. */
export const CATEGORY_WORDS: Readonly<Record<PairCategory, string>> = Object.freeze({
  duplicate: 'near-duplicates: document Jaccard at or above --threshold',
  syndicated: "syndicated copy: not near-duplicates, and at least --containment of the smaller document's content (boilerplate paragraphs left out) lies inside the other",
  unrelated: 'unrelated: neither',
});
