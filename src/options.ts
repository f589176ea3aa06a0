/**
 * Options of a detection run: one DEFAULTS object, a resolved type, and validation at the boundary.
 */
import { SyndicError } from './errors.js';
import { DEFAULT_MAX_BUCKET_SIZE } from './lsh/group.js';
import { DEFAULT_RECALL, lshParams, validateLshParams, type LshParams } from './lsh/params.js';
import type { SketchVariant } from './sketch/minhash.js';
import { MAX_SHINGLE_SIZE } from './sketch/shingle.js';
import { resolveNormalizeOptions, type NormalizeOptions } from './text/rules.js';

/** Which levels a run compares. */
export type Unit = 'document' | 'paragraph' | 'both';

/** How candidate pairs are confirmed. */
export type VerifyMode = 'exact' | 'estimate';

/** Options of {@link findDuplicates}; every field is optional and defaults from {@link DEFAULTS}. */
export interface DetectOptions {
  /** Jaccard similarity at or above which two documents are near-duplicates. */
  threshold?: number;
  /** Share of the smaller document covered by shared paragraphs for a syndication pair. */
  containment?: number;
  /** Jaccard at or above which two paragraphs are the same paragraph (defaults to `threshold`). */
  paragraphThreshold?: number;
  /** Character k-gram size. */
  shingleSize?: number;
  /** Signature length. */
  numPerm?: number;
  /** Seed of every hash and permutation. */
  seed?: number;
  /** LSH bands; with `rows`, overrides the layout derived from the threshold. */
  bands?: number;
  /** LSH rows per band. */
  rows?: number;
  /** Minimum LSH candidate probability at the threshold when bands/rows are derived. */
  recall?: number;
  /** Sketch variant: `oph` (fast, default) or `classic` (reference). */
  variant?: SketchVariant;
  /** Compare documents, paragraphs, or both. */
  unit?: Unit;
  /** Paragraphs with fewer normalized characters are matched exactly instead of by MinHash. */
  minParagraphChars?: number;
  /** A paragraph in at least this many documents of one source is that source's boilerplate. */
  boilerplateMinDocs?: number;
  /** Without sources: a paragraph in at least this many documents is boilerplate. */
  boilerplateMinDocsUnsourced?: number;
  /** LSH buckets with more members are not expanded into pairs (and are counted). */
  maxBucketSize?: number;
  /** `exact` keeps shingle sets and measures Jaccard exactly; `estimate` uses signatures. */
  verify?: VerifyMode;
  /** Normalization switches. */
  normalize?: Partial<NormalizeOptions>;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  threshold: number;
  containment: number;
  paragraphThreshold: number;
  shingleSize: number;
  numPerm: number;
  seed: number;
  bands: number;
  rows: number;
  recall: number;
  variant: SketchVariant;
  unit: Unit;
  minParagraphChars: number;
  boilerplateMinDocs: number;
  boilerplateMinDocsUnsourced: number;
  maxBucketSize: number;
  verify: VerifyMode;
  normalize: NormalizeOptions;
}

/** The defaults, in one place. `bands`/`rows` are derived from `threshold` and `numPerm`. */
export const DEFAULTS = Object.freeze({
  threshold: 0.8,
  containment: 0.8,
  shingleSize: 5,
  numPerm: 128,
  seed: 1,
  recall: DEFAULT_RECALL,
  variant: 'oph' as SketchVariant,
  unit: 'both' as Unit,
  minParagraphChars: 40,
  boilerplateMinDocs: 3,
  boilerplateMinDocsUnsourced: 10,
  maxBucketSize: DEFAULT_MAX_BUCKET_SIZE,
  verify: 'exact' as VerifyMode,
});

function checkNumber(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new SyndicError(`option ${name} must be ${kind} from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function checkChoice<T extends string>(name: string, value: T, choices: readonly T[]): T {
  if (!choices.includes(value)) throw new SyndicError(`option ${name} must be one of ${choices.join(', ')}, got ${String(value)}`);
  return value;
}

/** Most worker threads a parallel run takes. */
export const MAX_JOBS = 1024;

/** Validate a worker-thread count (an integer from 1 to {@link MAX_JOBS}); throws naming `jobs`. */
export function checkJobs(jobs: number): number {
  return checkNumber('jobs', jobs, 1, MAX_JOBS, true);
}

/** Apply defaults field by field and validate; throws {@link SyndicError} naming the bad option. */
export function resolveOptions(options: DetectOptions = {}): ResolvedOptions {
  const threshold = checkNumber('threshold', options.threshold ?? DEFAULTS.threshold, 0.01, 0.99, false);
  const numPerm = checkNumber('numPerm', options.numPerm ?? DEFAULTS.numPerm, 1, 4096, true);
  const recall = checkNumber('recall', options.recall ?? DEFAULTS.recall, 0, 1, false);
  let layout: LshParams;
  if (options.bands !== undefined || options.rows !== undefined) {
    const bands = options.bands ?? Math.floor(numPerm / (options.rows ?? 1));
    const rows = options.rows ?? Math.floor(numPerm / bands);
    layout = { bands, rows };
    validateLshParams(layout, numPerm);
  } else {
    layout = lshParams(threshold, numPerm, { recall });
  }
  return {
    threshold,
    containment: checkNumber('containment', options.containment ?? DEFAULTS.containment, 0.01, 1, false),
    paragraphThreshold: checkNumber('paragraphThreshold', options.paragraphThreshold ?? threshold, 0.01, 0.99, false),
    shingleSize: checkNumber('shingleSize', options.shingleSize ?? DEFAULTS.shingleSize, 1, MAX_SHINGLE_SIZE, true),
    numPerm,
    seed: checkNumber('seed', options.seed ?? DEFAULTS.seed, 0, 0xffffffff, true),
    bands: layout.bands,
    rows: layout.rows,
    recall,
    variant: checkChoice('variant', options.variant ?? DEFAULTS.variant, ['oph', 'classic']),
    unit: checkChoice('unit', options.unit ?? DEFAULTS.unit, ['document', 'paragraph', 'both']),
    minParagraphChars: checkNumber('minParagraphChars', options.minParagraphChars ?? DEFAULTS.minParagraphChars, 1, 1e6, true),
    boilerplateMinDocs: checkNumber('boilerplateMinDocs', options.boilerplateMinDocs ?? DEFAULTS.boilerplateMinDocs, 2, 1e9, true),
    boilerplateMinDocsUnsourced: checkNumber(
      'boilerplateMinDocsUnsourced',
      options.boilerplateMinDocsUnsourced ?? DEFAULTS.boilerplateMinDocsUnsourced,
      2,
      1e9,
      true,
    ),
    maxBucketSize: checkNumber('maxBucketSize', options.maxBucketSize ?? DEFAULTS.maxBucketSize, 2, 1e9, true),
    verify: checkChoice('verify', options.verify ?? DEFAULTS.verify, ['exact', 'estimate']),
    normalize: resolveNormalizeOptions(options.normalize),
  };
}
