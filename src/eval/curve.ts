/**
 * The LSH S-curve of a bands × rows layout: the chance that a pair of similarity s becomes a
 * candidate, 1 − (1 − sʳ)ᵇ, in theory and as measured on pairs of shingle sets, and its chart.
 */
import { bandKeysInto } from '../lsh/bands.js';
import { candidateProbability, type LshParams } from '../lsh/params.js';
import { createSketcher, type SketchParams } from '../sketch/minhash.js';
import { round4 } from './metrics.js';
import { renderChart, type Series } from './svg.js';

/** A point of the theoretical curve. */
export interface CurvePoint {
  similarity: number;
  probability: number;
}

/** The theoretical S-curve at `similarities` (default 0, 0.05, …, 1). */
export function sCurve(layout: LshParams, similarities: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20)): CurvePoint[] {
  return similarities.map((similarity) => ({ similarity, probability: round4(candidateProbability(similarity, layout.bands, layout.rows)) }));
}

/** Two shingle sets and their exact Jaccard. */
export interface SetPair {
  a: Uint32Array;
  b: Uint32Array;
  jaccard: number;
}

/** One bin of the measured S-curve: pairs with Jaccard in [low, high), share sharing a band, theory at the bin mean. */
export interface CurveBin {
  low: number;
  high: number;
  pairs: number;
  meanJaccard: number;
  empirical: number;
  theory: number;
}

/** Measured S-curve of one layout over `pairs`, in bins of `width`, with signatures of `sketch`. */
export function measuredCurve(pairs: readonly SetPair[], layout: LshParams, sketch: SketchParams, width = 0.05): CurveBin[] {
  const sketcher = createSketcher(sketch);
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

/** The S-curve chart as SVG: theory for each layout, measured bins when given, the threshold marked. */
export function sCurveChart(options: { title: string; layouts: readonly LshParams[]; threshold: number; measured?: { label: string; bins: readonly CurveBin[] } }): string {
  const colors = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];
  const ticks = Array.from({ length: 11 }, (_, i) => ({ value: i / 10, label: (i / 10).toFixed(1) }));
  const series: Series[] = options.layouts.map((layout, i) => ({
    name: options.layouts.length === 1 ? 'theory 1−(1−sʳ)ᵇ' : `${layout.bands} × ${layout.rows}`,
    color: colors[i % colors.length]!,
    style: 'line',
    points: Array.from({ length: 101 }, (_, s) => ({ x: s / 100, y: candidateProbability(s / 100, layout.bands, layout.rows) })),
  }));
  if (options.measured) {
    series.push({
      name: options.measured.label,
      color: '#d62728',
      style: 'points',
      points: options.measured.bins.map((bin) => ({ x: bin.meanJaccard, y: bin.empirical, error: 2 * Math.sqrt((bin.empirical * (1 - bin.empirical)) / bin.pairs) })),
    });
  }
  return renderChart({
    title: options.title,
    xLabel: 'exact Jaccard similarity of the pair',
    yLabel: 'share of pairs sharing a band (candidates)',
    xDomain: [0, 1],
    yDomain: [0, 1],
    xTicks: ticks,
    yTicks: ticks,
    markers: [{ x: options.threshold, label: `threshold ${options.threshold}` }],
    series,
  });
}
