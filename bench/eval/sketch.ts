/**
 * Sketch-level measurements on a controlled set of document pairs spanning the whole Jaccard
 * range: MinHash estimation error against numPerm for both variants (the measured LSH S-curve
 * over the same pairs is `measuredCurve` in src/eval/curve.ts).
 */
import { createAnalyzer, createSketcher, exactSimilarity, loadFingerprinter, resolveOptions, toShingleSet, type SketchVariant } from '../../src/index.js';
import { matchingFraction } from '../../src/sketch/minhash.js';
import type { BaseMaterial } from '../corpus/base.js';
import { editWords } from '../corpus/edits.js';
import { createRandom } from '../corpus/random.js';
import type { SetPair } from '../../src/eval/curve.js';
import { round4 } from '../../src/eval/metrics.js';

/** Shingle sets of a pair and their exact Jaccard. */
export type SketchPair = SetPair;

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
