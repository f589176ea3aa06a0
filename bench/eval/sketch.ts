/**
 * Sketch-level measurements on a controlled set of document pairs spanning the whole Jaccard
 * range: MinHash estimation error against numPerm for both variants, and the empirical LSH
 * S-curve (share of pairs sharing at least one band) against 1 − (1 − sʳ)ᵇ.
 */
import {
  bandKeysInto,
  candidateProbability,
  createAnalyzer,
  createSketcher,
  exactSimilarity,
  loadFingerprinter,
  matchingFraction,
  resolveOptions,
  toShingleSet,
  type LshParams,
  type SketchVariant,
} from '../../src/index.js';
import type { BaseMaterial } from '../corpus/base.js';
import { editWords } from '../corpus/edits.js';
import { createRandom } from '../corpus/random.js';
import { round4 } from './metrics.js';

/** Shingle sets of a pair and their exact Jaccard. */
export interface SketchPair {
  a: Uint32Array;
  b: Uint32Array;
  jaccard: number;
}

/**
 * `count` pairs: a real article (first 2,000 characters) and a copy with a share of its words
 * edited, the share spread evenly over [0, 0.9] so that exact Jaccard covers 0 to 1.
 */
export async function buildSketchPairs(material: BaseMaterial, count: number, seed: number, shingleSize: number): Promise<SketchPair[]> {
  const random = createRandom(seed);
  const analyzer = createAnalyzer(resolveOptions({ shingleSize, unit: 'document' }), await loadFingerprinter());
  const articles = random.shuffle(material.articles.filter((article) => article.paragraphs.join(' ').length >= 600));
  const pairs: SketchPair[] = [];
  for (let i = 0; i < count; i++) {
    const article = articles[i % articles.length]!;
    const text = article.paragraphs.join('\n').slice(0, 2000);
    const edited = editWords(text.split('\n'), (0.9 * i) / count, random, material.vocabulary).join('\n');
    const a = toShingleSet(analyzer.analyze(text).hashes!);
    const b = toShingleSet(analyzer.analyze(edited).hashes!);
    pairs.push({ a, b, jaccard: exactSimilarity(a, b).jaccard });
  }
  return pairs;
}

/** Estimation error of one (variant, numPerm). */
export interface ErrorRow {
  variant: SketchVariant;
  numPerm: number;
  meanAbsError: number;
  rmse: number;
  /** RMSE the binomial model predicts: sqrt(mean J(1−J)/numPerm). */
  theoryRmse: number;
  maxAbsError: number;
  /** Share of pairs within 2σ = 2·sqrt(J(1−J)/numPerm) (≈ 0.95 expected). */
  within2Sigma: number;
  /** Mean signed error (bias). */
  bias: number;
}

/** Estimation error for every variant × numPerm. */
export function estimationErrors(pairs: readonly SketchPair[], numPerms: readonly number[], seed: number, shingleSize: number): ErrorRow[] {
  const rows: ErrorRow[] = [];
  for (const variant of ['classic', 'oph'] as const) {
    for (const numPerm of numPerms) {
      const sketcher = createSketcher({ numPerm, seed, shingleSize, variant });
      let abs = 0;
      let square = 0;
      let theory = 0;
      let max = 0;
      let within = 0;
      let signed = 0;
      for (const pair of pairs) {
        const estimate = matchingFraction(sketcher.sketch(pair.a).values, 0, sketcher.sketch(pair.b).values, 0, numPerm);
        const error = estimate - pair.jaccard;
        const variance = (pair.jaccard * (1 - pair.jaccard)) / numPerm;
        abs += Math.abs(error);
        square += error * error;
        theory += variance;
        signed += error;
        max = Math.max(max, Math.abs(error));
        if (Math.abs(error) <= 2 * Math.sqrt(variance) + 1e-12) within++;
      }
      const n = pairs.length;
      rows.push({
        variant,
        numPerm,
        meanAbsError: round4(abs / n),
        rmse: round4(Math.sqrt(square / n)),
        theoryRmse: round4(Math.sqrt(theory / n)),
        maxAbsError: round4(max),
        within2Sigma: round4(within / n),
        bias: round4(signed / n),
      });
    }
  }
  return rows;
}

/** One bin of the S-curve: pairs with Jaccard in [low, high), share sharing a band, theory at the bin mean. */
export interface CurveBin {
  low: number;
  high: number;
  pairs: number;
  meanJaccard: number;
  empirical: number;
  theory: number;
}

/** Empirical S-curve of one LSH layout over the pairs, in bins of `width`. */
export function lshCurve(pairs: readonly SketchPair[], layout: LshParams, numPerm: number, seed: number, shingleSize: number, width = 0.05): CurveBin[] {
  const sketcher = createSketcher({ numPerm, seed, shingleSize, variant: 'oph' });
  const keysA = new Uint32Array(layout.bands);
  const keysB = new Uint32Array(layout.bands);
  const binCount = Math.round(1 / width);
  const bins = Array.from({ length: binCount }, (_, i) => ({ low: round4(i * width), high: round4((i + 1) * width), pairs: 0, sum: 0, shared: 0 }));
  for (const pair of pairs) {
    bandKeysInto(sketcher.sketch(pair.a).values, 0, layout, keysA);
    bandKeysInto(sketcher.sketch(pair.b).values, 0, layout, keysB);
    let shares = false;
    for (let band = 0; band < layout.bands && !shares; band++) shares = keysA[band] === keysB[band];
    const bin = bins[Math.min(binCount - 1, Math.floor(pair.jaccard / width))]!;
    bin.pairs++;
    bin.sum += pair.jaccard;
    if (shares) bin.shared++;
  }
  return bins
    .filter((bin) => bin.pairs > 0)
    .map((bin) => ({
      low: bin.low,
      high: bin.high,
      pairs: bin.pairs,
      meanJaccard: round4(bin.sum / bin.pairs),
      empirical: round4(bin.shared / bin.pairs),
      theory: round4(candidateProbability(bin.sum / bin.pairs, layout.bands, layout.rows)),
    }));
}
