/**
 * The Jaccard of a candidate pair of long paragraphs, as the paragraph pass decides it: a clear
 * estimate from the signatures decides alone (no value of a paragraph pair is reported), else the
 * exact shingle sets do, rebuilt from the texts and kept for the other pairs of the same
 * paragraphs. The same measurer runs on the main thread and, for a chunk of pairs, on a worker
 * (parallel/paragraph-task.ts), so the values are the same to the bit.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { ShingleSetBuilder } from '../analyze/shingle-sets.js';
import type { ResolvedOptions } from '../options.js';
import { matchingFraction } from '../sketch/minhash.js';
import { SetCache, surelyAbove, surelyBelow } from './sets.js';

/** Long paragraphs as items: item i is paragraph `paragraph[i]` of document `doc[i]`. */
export interface ParagraphItems {
  doc: Uint32Array;
  paragraph: Uint32Array;
}

/**
 * Measures pairs of items; `text(d)` gives document d's text. `pairs` (flat, as measured) are the
 * pairs it will be asked for, so that each exact set is dropped after its last pair.
 */
export class ParagraphMeasurer {
  private readonly exact: boolean;
  private readonly setBuilder: ShingleSetBuilder | null;
  private readonly sets: SetCache;
  // The last document's signatures: asking a spilled analysis again costs a cache lookup per paragraph.
  private lastDoc = -1;
  private lastSignatures: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly text: (d: number) => string,
    private readonly analyses: readonly DocumentAnalysis[],
    private readonly items: ParagraphItems,
    private readonly options: ResolvedOptions,
    pairs: Uint32Array,
  ) {
    this.exact = options.verify === 'exact';
    this.setBuilder = this.exact ? new ShingleSetBuilder(options) : null;
    const source = { hashes: (item: number) => this.hashesOf(item), bound: (item: number) => this.shingles(item) };
    this.sets = new SetCache(source, items.doc.length, pairs);
  }

  /** The signatures holding item `item`'s row (at {@link offset}). */
  signatures(item: number): Uint32Array {
    const d = this.items.doc[item]!;
    if (d !== this.lastDoc) (this.lastDoc = d), (this.lastSignatures = this.analyses[d]!.paragraphSignatures);
    return this.lastSignatures;
  }

  /** Where item `item`'s signature row starts in {@link signatures}. */
  offset(item: number): number {
    return this.analyses[this.items.doc[item]!]!.signatureRow[this.items.paragraph[item]!]! * this.options.numPerm;
  }

  jaccard(a: number, b: number): number {
    const { numPerm, paragraphThreshold } = this.options;
    const signaturesA = this.signatures(a);
    const offsetA = this.offset(a);
    const estimate = matchingFraction(signaturesA, offsetA, this.signatures(b), this.offset(b), numPerm);
    if (!this.exact) return estimate;
    const smaller = Math.min(this.shingles(a), this.shingles(b));
    if (surelyBelow(estimate, paragraphThreshold, numPerm, smaller) || surelyAbove(estimate, paragraphThreshold, numPerm, smaller)) return estimate;
    if (estimate === 1) {
      const { doc, paragraph } = this.items;
      const [docA, docB] = [doc[a]!, doc[b]!];
      if (this.setBuilder!.sameParagraph(this.text(docA), this.analyses[docA]!, paragraph[a]!, this.text(docB), this.analyses[docB]!, paragraph[b]!)) return 1;
    }
    return this.sets.similarity(a, b).jaccard;
  }

  /** One of the pairs given at construction that uses `item` is done. */
  release(item: number): void {
    this.sets.release(item);
  }

  private shingles(item: number): number {
    const analysis = this.analyses[this.items.doc[item]!]!;
    const p = this.items.paragraph[item]!;
    return analysis.normalizedEnd[p]! - analysis.normalizedStart[p]! - this.options.shingleSize + 1;
  }

  /** The shingle hashes of item `item` (a view the next call may overwrite). */
  private hashesOf(item: number): Uint32Array {
    const d = this.items.doc[item]!;
    const analysis = this.analyses[d]!;
    const p = this.items.paragraph[item]!;
    if (!analysis.hashes) return this.setBuilder!.paragraphHashes(this.text(d), analysis, p);
    return analysis.hashes.subarray(analysis.normalizedStart[p]!, analysis.normalizedEnd[p]! - this.options.shingleSize + 1);
  }
}

/**
 * Measures the candidate pairs of the paragraph pass (flat `pairs` over `items`), in `order` (an
 * order that builds each exact set once); resolves to the Jaccard of each pair, by pair index.
 */
export type MeasureParagraphs = (items: ParagraphItems, pairs: Uint32Array, order: Uint32Array) => Promise<Float64Array>;
