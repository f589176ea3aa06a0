/**
 * Exact shingle sets for verification, from one source: the hashes an analysis kept, else rebuilt
 * from the text (identical to the sets of the hashes the analysis was computed from).
 * Verification needs sets only for candidates, so they need not be kept for every document.
 */
import type { ResolvedOptions } from '../options.js';
import { DocumentBuilder, type DocumentAnalysis } from './analyze.js';
import { toShingleSet } from './similarity.js';

/**
 * Rebuilds shingle sets from the text and an analysis. Internal. Reuses its buffers; each set
 * returned is a new array.
 */
export class ShingleSetBuilder {
  private readonly builder: DocumentBuilder;
  private readonly shingleSize: number;

  constructor(options: ResolvedOptions) {
    this.builder = new DocumentBuilder(options);
    this.shingleSize = options.shingleSize;
  }

  /**
   * True when two documents normalize to the same text, so that their shingle sets are equal:
   * comparing the text costs a fraction of building and sorting two sets.
   */
  sameDocument(textA: string, analysisA: DocumentAnalysis, textB: string, analysisB: DocumentAnalysis): boolean {
    const length = analysisA.normalizedLength;
    if (length !== analysisB.normalizedLength) return false;
    const scratch = new Uint32Array(2 * Math.max(analysisA.paragraphStart.length, analysisB.paragraphStart.length));
    const half = scratch.length / 2;
    this.builder.build(textA, analysisA.paragraphStart, analysisA.paragraphEnd, scratch.subarray(0, half), scratch.subarray(half));
    const copy = this.keep(length);
    this.builder.build(textB, analysisB.paragraphStart, analysisB.paragraphEnd, scratch.subarray(0, half), scratch.subarray(half));
    return sameUnits(copy, this.builder.units, length);
  }

  /** True when two paragraphs normalize to the same text (see {@link sameDocument}). */
  sameParagraph(textA: string, analysisA: DocumentAnalysis, pA: number, textB: string, analysisB: DocumentAnalysis, pB: number): boolean {
    const length = analysisA.normalizedEnd[pA]! - analysisA.normalizedStart[pA]!;
    if (length !== analysisB.normalizedEnd[pB]! - analysisB.normalizedStart[pB]!) return false;
    this.buildParagraph(textA, analysisA, pA);
    const copy = this.keep(length);
    this.buildParagraph(textB, analysisB, pB);
    return sameUnits(copy, this.builder.units, length);
  }

  private kept = new Uint16Array(1024);

  private keep(length: number): Uint16Array {
    if (this.kept.length < length) this.kept = new Uint16Array(length * 2);
    this.kept.set(this.builder.units.subarray(0, length));
    return this.kept;
  }

  private buildParagraph(text: string, analysis: DocumentAnalysis, p: number): number {
    const start = analysis.paragraphStart[p]!;
    const end = analysis.paragraphEnd[p]!;
    // `slice` makes a view of the text in V8, so only the paragraph is read, not the document.
    const one = new Uint32Array(4);
    one[1] = end - start;
    return this.builder.build(text.slice(start, end), one.subarray(0, 1), one.subarray(1, 2), one.subarray(2, 3), one.subarray(3, 4));
  }

  /** Shingle set of the whole normalized document. */
  documentSet(text: string, analysis: DocumentAnalysis): Uint32Array {
    return toShingleSet(this.documentHashes(text, analysis));
  }

  /** Shingle hashes of the whole normalized document, by position: a view of a buffer the next build reuses. */
  documentHashes(text: string, analysis: DocumentAnalysis): Uint32Array {
    const { paragraphStart, paragraphEnd } = analysis;
    const count = paragraphStart.length;
    const length = this.builder.build(text, paragraphStart, paragraphEnd, new Uint32Array(count), new Uint32Array(count));
    const hashCount = this.builder.hash(length); // may replace `hashes`: read it after
    return this.builder.hashes.subarray(0, hashCount);
  }

  /**
   * Shingle set of the document's content: the shingles that start outside the paragraphs
   * `excluded` marks (boilerplate). The whole document's set when nothing is excluded.
   */
  contentSet(text: string, analysis: DocumentAnalysis, excluded: Uint8Array | null): Uint32Array {
    return toShingleSet(this.contentHashes(text, analysis, excluded));
  }

  /** The hashes {@link contentSet} is the set of (repeats and all; may be a view the next build reuses). */
  contentHashes(text: string, analysis: DocumentAnalysis, excluded: Uint8Array | null): Uint32Array {
    return contentHashesOf(analysis.hashes ?? this.documentHashes(text, analysis), analysis, excluded);
  }

  /** Shingle set of paragraph `p` (whole k-grams inside it, as in its signature). */
  paragraphSet(text: string, analysis: DocumentAnalysis, p: number): Uint32Array {
    return toShingleSet(this.paragraphHashes(text, analysis, p));
  }

  /** The hashes {@link paragraphSet} is the set of, by position: a view of a buffer the next build reuses. */
  paragraphHashes(text: string, analysis: DocumentAnalysis, p: number): Uint32Array {
    const length = this.buildParagraph(text, analysis, p);
    const count = length >= this.shingleSize ? this.builder.hash(length) : 0;
    return this.builder.hashes.subarray(0, count);
  }
}

/** `hashes` less the shingles starting inside an `excluded` paragraph (`hashes` itself when none is). */
function contentHashesOf(hashes: Uint32Array, analysis: DocumentAnalysis, excluded: Uint8Array | null): Uint32Array {
  if (!excluded || !excluded.includes(1)) return hashes;
  const count = hashes.length;
  const { normalizedStart, normalizedEnd } = analysis;
  const kept = new Uint32Array(count);
  let size = 0;
  let from = 0;
  for (let p = 0; p <= excluded.length; p++) {
    if (p < excluded.length && !excluded[p]) continue;
    const to = p < excluded.length ? Math.min(count, normalizedStart[p]!) : count;
    for (let i = from; i < to; i++) kept[size++] = hashes[i]!;
    if (p < excluded.length) from = Math.max(from, normalizedEnd[p]!);
  }
  // A document that is all boilerplate keeps one shingle, like an empty text: never an empty set.
  return size > 0 ? kept.subarray(0, size) : hashes.subarray(0, 1);
}

/**
 * The shingle sets of a run's documents and paragraphs: from kept hashes (`analysis.hashes`) when
 * the analysis has them, else rebuilt from the text. Not cached (callers bound their caches).
 */
export class ShingleSets {
  private builder: ShingleSetBuilder | null = null;

  constructor(
    private readonly texts: (d: number) => string,
    private readonly analyses: readonly DocumentAnalysis[],
    private readonly options: ResolvedOptions,
  ) {}

  /** Shingle set of the whole normalized document `d`. */
  document(d: number): Uint32Array {
    const analysis = this.analyses[d]!;
    if (analysis.hashes) return toShingleSet(analysis.hashes);
    return this.rebuild().documentSet(this.texts(d), analysis);
  }

  /**
   * Shingle set of document `d`'s content: the shingles that start outside the paragraphs
   * `excluded` marks (boilerplate); the whole document's set when nothing is excluded.
   */
  content(d: number, excluded: Uint8Array | null): Uint32Array {
    const analysis = this.analyses[d]!;
    if (analysis.hashes) return toShingleSet(contentHashesOf(analysis.hashes, analysis, excluded));
    return this.rebuild().contentSet(this.texts(d), analysis, excluded);
  }

  /** Shingle set of paragraph `p` of document `d` (whole k-grams inside it, as in its signature). */
  paragraph(d: number, p: number): Uint32Array {
    const analysis = this.analyses[d]!;
    if (!analysis.hashes) return this.rebuild().paragraphSet(this.texts(d), analysis, p);
    return toShingleSet(analysis.hashes.subarray(analysis.normalizedStart[p]!, analysis.normalizedEnd[p]! - this.options.shingleSize + 1));
  }

  /** The builder that rebuilds sets from the text (and tells equal normalized texts apart). */
  rebuild(): ShingleSetBuilder {
    return (this.builder ??= new ShingleSetBuilder(this.options));
  }
}

function sameUnits(a: Uint16Array, b: Uint16Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}
