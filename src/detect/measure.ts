/**
 * The measures the policy decides from, for any pair of documents of a run: document Jaccard on
 * the whole shingle sets, both containments on the content sets (boilerplate paragraphs left
 * out). `scan` measures its candidates with it and `explain` the pair it is asked about, so the two
 * give the same values by construction.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { ShingleSetBuilder } from '../analyze/shingle-sets.js';
import type { SizedSimilarity } from '../analyze/similarity.js';
import type { ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { matchingFraction } from '../sketch/minhash.js';
import type { ClusterOfParagraph } from './paragraph-clusters.js';
import type { PairMeasures } from './policy.js';
import { CarriedSets, estimatedSimilarity, SetCache } from './sets.js';

/** Per document, its boilerplate paragraphs (1) — or null when it has none. */
export type BoilerplateMasks = ReadonlyArray<Uint8Array | null>;

/**
 * Measures of `pairs` (flat document indexes, in the order given), with content sets per `masks`
 * (null: whole sets only, as the document pass measures before boilerplate is known). `known`,
 * when given, holds per pair a Jaccard measured already (see {@link PairMeasurer.measure}). On this
 * thread ({@link measureHere}) or on worker threads (parallel/measure-task.ts): the same values.
 */
export type MeasurePairs = (pairs: Uint32Array, masks: BoilerplateMasks | null, known?: Float64Array) => Promise<PairMeasures[]>;

/** {@link MeasurePairs} on this thread; whole sets are carried from one call to the next. */
export function measureHere(records: readonly DocumentRecord[], analyses: readonly DocumentAnalysis[], options: ResolvedOptions): MeasurePairs {
  const noMasks: BoilerplateMasks = records.map(() => null);
  const carried = new CarriedSets();
  return async (pairs, masks, known) => {
    const measurer = new PairMeasurer(records, analyses, options, masks ?? noMasks, pairs, carried);
    const results: PairMeasures[] = new Array(pairs.length / 2);
    for (let p = 0; p < results.length; p++) {
      const a = pairs[2 * p]!;
      const b = pairs[2 * p + 1]!;
      results[p] = measurer.measure(a, b, known?.[p]);
      measurer.release(a, b);
    }
    return results;
  };
}

/** Measures pairs of one run; shingle sets are cached (bounded) and built from the texts on demand. */
export class PairMeasurer {
  private readonly builder: ShingleSetBuilder;
  /** Items d (whole set) and documents + d (content set). */
  private readonly sets: SetCache;
  private readonly count: number;

  /**
   * `pairs` (flat, document indexes), when given, are the pairs that will be measured in that
   * order: each set is then dropped after its last use (whole sets into `carried`, when given,
   * for the next measurer of the run).
   */
  constructor(
    private readonly records: readonly DocumentRecord[],
    private readonly analyses: readonly DocumentAnalysis[],
    private readonly options: ResolvedOptions,
    private readonly boilerplate: BoilerplateMasks,
    pairs: Uint32Array = new Uint32Array(0),
    carried: CarriedSets | null = null,
  ) {
    this.builder = new ShingleSetBuilder(options);
    this.count = records.length;
    const uses = new Uint32Array(pairs.length * 2);
    for (let i = 0; i < pairs.length; i++) {
      uses[2 * i] = pairs[i]!;
      uses[2 * i + 1] = this.count + pairs[i]!;
    }
    const source = { hashes: (item: number) => this.hashesOf(item), bound: (item: number) => this.shingleBound(item) };
    this.sets = new SetCache(source, 2 * this.count, uses, carried, this.count);
  }

  /** True when document `d` has boilerplate paragraphs (its content set is not its whole set). */
  hasBoilerplate(d: number): boolean {
    return this.boilerplate[d] !== null && this.boilerplate[d] !== undefined;
  }

  /**
   * The measures of documents `a` and `b`. `knownJaccard`, when the document pass measured the
   * pair exactly already, saves building the whole sets.
   */
  measure(a: number, b: number, knownJaccard?: number): PairMeasures {
    if (this.options.verify === 'estimate') return this.estimate(a, b);
    const plain = !this.hasBoilerplate(a) && !this.hasBoilerplate(b);
    if (knownJaccard !== undefined && !plain) {
      const content = this.sets.similarity(this.count + a, this.count + b);
      return this.measures(knownJaccard, content);
    }
    const whole = this.sameText(a, b) ? this.identical(a) : this.sets.similarity(a, b);
    return this.measures(whole.jaccard, plain ? whole : this.sets.similarity(this.count + a, this.count + b));
  }

  private measures(jaccard: number, content: SizedSimilarity): PairMeasures {
    const { aInB, bInA, sizeA: aContent, sizeB: bContent } = content;
    return { jaccard, aInB, bInA, aContent, bContent, jaccardMethod: 'exact', containmentMethod: 'exact' };
  }

  /** The similarity of document `d` to a document of the same normalized text. */
  private identical(d: number): SizedSimilarity {
    const size = this.sets.size(d);
    return { intersection: size, jaccard: 1, aInB: 1, bInA: 1, sizeA: size, sizeB: size };
  }

  /** At least the number of shingle hashes of item `x`. */
  private shingleBound(x: number): number {
    return this.analyses[x >= this.count ? x - this.count : x]!.normalizedLength + 1;
  }

  /** One use of documents `a` and `b` is over (see the constructor's `pairs`). */
  release(a: number, b: number): void {
    this.sets.release(a);
    this.sets.release(b);
    this.sets.release(this.count + a);
    this.sets.release(this.count + b);
  }

  private estimate(a: number, b: number): PairMeasures {
    const { numPerm } = this.options;
    const jaccard = matchingFraction(this.analyses[a]!.signature, 0, this.analyses[b]!.signature, 0, numPerm);
    const aContent = this.estimatedContent(a);
    const bContent = this.estimatedContent(b);
    const similarity = estimatedSimilarity(jaccard, aContent, bContent);
    return { jaccard, aInB: similarity.aInB, bInA: similarity.bInA, aContent, bContent, jaccardMethod: 'estimate', containmentMethod: 'estimate' };
  }

  /** Shingles of the content, from the normalized lengths (no set is built in estimate mode). */
  private estimatedContent(d: number): number {
    const analysis = this.analyses[d]!;
    let length = analysis.normalizedLength;
    const mask = this.boilerplate[d];
    if (mask) {
      const { normalizedStart, normalizedEnd } = analysis;
      for (let p = 0; p < mask.length; p++) if (mask[p]) length -= normalizedEnd[p]! - normalizedStart[p]!;
    }
    return Math.max(1, length - this.options.shingleSize + 1);
  }

  private sameText(a: number, b: number): boolean {
    const { analyses, records } = this;
    // The identity stands in for the signature, which a scan lets go of after the document pass.
    if (analyses[a]!.identity !== analyses[b]!.identity) return false;
    return this.builder.sameDocument(records[a]!.text, analyses[a]!, records[b]!.text, analyses[b]!);
  }

  /** The shingle hashes item `item` is the set of, repeats and all (a view the next call may reuse). */
  private hashesOf(item: number): Uint32Array {
    const content = item >= this.count;
    const d = content ? item - this.count : item;
    const analysis = this.analyses[d]!;
    const text = this.records[d]!.text;
    if (content) return this.builder.contentHashes(text, analysis, this.boilerplate[d] ?? null);
    return analysis.hashes ?? this.builder.documentHashes(text, analysis);
  }
}

/** Per document, its boilerplate paragraphs from the paragraph clusters (null where none). */
export function boilerplateMasks(
  documents: number,
  clusterOfParagraph: ClusterOfParagraph,
  isBoilerplate: (cluster: number) => boolean,
): Array<Uint8Array | null> {
  return Array.from({ length: documents }, (_, d) => {
    const clusterOf = clusterOfParagraph.of(d);
    let mask: Uint8Array | null = null;
    for (let p = 0; p < clusterOf.length; p++) {
      const c = clusterOf[p]!;
      if (c < 0 || !isBoilerplate(c)) continue;
      mask ??= new Uint8Array(clusterOf.length);
      mask[p] = 1;
    }
    return mask;
  });
}
