/**
 * `npm run eval`: accuracy against brute force. Builds the synthetic corpus and reads the real
 * data set, computes exact truth, scores the defaults, sweeps the parameters the defaults were
 * chosen by, and writes bench/results/accuracy.{md,json} and the SVG plots. Deterministic: the
 * files carry no timings (progress and timings go to stderr).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, lshParams, type DetectOptions, type DocumentRecord } from './../src/index.js';
import { loadBaseMaterial, loadRealRecords, repositoryRoot } from './corpus/base.js';
import { generateCorpus, type PlantedPair } from './corpus/generate.js';
import { analyzeRecords, computeTruth, type AnalyzedSet, type DatasetTruth } from './eval/dataset.js';
import { renderReport, type EvalReport } from './eval/report.js';
import { buildSketchPairs, estimationErrors } from './eval/sketch.js';
import { measuredCurve, sCurveChart } from '../src/eval/curve.js';
import { renderChart } from '../src/eval/svg.js';
import { sweepRow, type SweepRow } from './eval/sweep.js';

const SYNTHETIC_DOCUMENTS = 10_000;
const SYNTHETIC_SEED = 1;
const SKETCH_PAIRS = 2_000;
const NUM_PERMS = [32, 64, 128, 256, 512];
const DOCUMENT_BOUNDS = { jaccard: 0.5, containment: 0.5 };
const PARAGRAPH_BOUNDS = { jaccard: 0.7, containment: 2 };
const SWEEP_BOUNDS = { jaccard: 0.8, containment: 0.8 };
const PARAGRAPH_FLOOR_CHARS = 20;

const started = performance.now();
const log = (message: string): void => {
  process.stderr.write(`[eval ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
};

interface Dataset {
  name: string;
  records: DocumentRecord[];
  planted: PlantedPair[] | null;
}

async function prepare(dataset: Dataset, options: DetectOptions, paragraphs: boolean, bounds = DOCUMENT_BOUNDS): Promise<{ set: AnalyzedSet; truth: DatasetTruth }> {
  const set = await analyzeRecords(dataset.records, options);
  const truth = computeTruth(set, bounds, paragraphs ? PARAGRAPH_BOUNDS : null, PARAGRAPH_FLOOR_CHARS);
  log(`${dataset.name} ${JSON.stringify(options)}: ${truth.documents.length} document pairs, ${truth.paragraphPairs.length} paragraph pairs in truth`);
  return { set, truth };
}

async function main(): Promise<void> {
  const material = loadBaseMaterial();
  const corpus = generateCorpus({ documents: SYNTHETIC_DOCUMENTS, seed: SYNTHETIC_SEED, material });
  const datasets: Dataset[] = [
    { name: 'synthetic', records: corpus.records, planted: corpus.planted },
    { name: 'real', records: loadRealRecords(), planted: null },
  ];
  log(`synthetic corpus: ${corpus.records.length} records, ${corpus.planted.length} planted copies`);

  const main: EvalReport['main'] = [];
  const sweeps: EvalReport['sweeps'] = { shingleSize: [], numPerm: [], recall: [], minParagraphChars: [], arabic: [], verify: [] };
  for (const dataset of datasets) {
    const { set, truth } = await prepare(dataset, {}, true);
    const defaults = await sweepRow(dataset.name, 'defaults', set, truth, dataset.planted, {}, true);
    main.push({ dataset: dataset.name, documents: dataset.records.length, truthPairs: truth.documents.length, truthVerified: truth.documentsVerified, scores: defaults.scores });
    log(`${dataset.name} defaults: documents F1 ${defaults.scores.documents.scores.f1}`);

    for (const recall of [0.5, 0.8, 0.9, 0.95, 0.99]) {
      sweeps.recall.push((await sweepRow(dataset.name, String(recall), set, truth, dataset.planted, { recall }, false)).row);
    }
    for (const verify of ['exact', 'estimate'] as const) {
      sweeps.verify.push((await sweepRow(dataset.name, verify, set, truth, dataset.planted, { verify }, true)).row);
    }
    for (const numPerm of NUM_PERMS) {
      const analyzed = numPerm === DEFAULTS.numPerm ? set : await analyzeRecords(dataset.records, { numPerm });
      sweeps.numPerm.push((await sweepRow(dataset.name, String(numPerm), analyzed, truth, dataset.planted, {}, false)).row);
      sweeps.numPerm.push((await sweepRow(dataset.name, `${numPerm} estimate`, analyzed, truth, dataset.planted, { verify: 'estimate' }, false)).row);
    }
    log(`${dataset.name}: numPerm sweep done`);
    for (const minParagraphChars of [20, 30, 40, 60, 80, 120]) {
      const analyzed = minParagraphChars === DEFAULTS.minParagraphChars ? set : await analyzeRecords(dataset.records, { minParagraphChars });
      sweeps.minParagraphChars.push((await sweepRow(dataset.name, String(minParagraphChars), analyzed, truth, dataset.planted, {}, true)).row);
    }
    log(`${dataset.name}: minParagraphChars sweep done`);
    for (const arabic of [true, false]) {
      const analyzed = arabic ? set : await analyzeRecords(dataset.records, { normalize: { arabic } });
      const row = (await sweepRow(dataset.name, arabic ? 'on (scored against folded truth)' : 'off (scored against folded truth)', analyzed, truth, dataset.planted, {}, false)).row;
      sweeps.arabic.push(row);
    }
    const unfolded = await prepare(dataset, { normalize: { arabic: false } }, false, SWEEP_BOUNDS);
    sweeps.arabic.push((await sweepRow(dataset.name, 'off (scored against unfolded truth)', unfolded.set, unfolded.truth, dataset.planted, {}, false)).row);
    for (let shingleSize = 3; shingleSize <= 9; shingleSize++) {
      const prepared = await prepare(dataset, { shingleSize }, false, SWEEP_BOUNDS);
      const result = await sweepRow(dataset.name, String(shingleSize), prepared.set, prepared.truth, dataset.planted, {}, false);
      sweeps.shingleSize.push({ ...result.row, truthPairs: prepared.truth.documents.filter((pair) => pair.jaccard >= 0.8).length });
    }
    log(`${dataset.name}: shingleSize sweep done`);
  }

  const sketchPairs = await buildSketchPairs(material, SKETCH_PAIRS, SYNTHETIC_SEED, DEFAULTS.shingleSize);
  const errors = estimationErrors(sketchPairs, NUM_PERMS, DEFAULTS.seed, DEFAULTS.shingleSize);
  const layout = lshParams(DEFAULTS.threshold, DEFAULTS.numPerm, { recall: DEFAULTS.recall });
  const curve = measuredCurve(sketchPairs, layout, { numPerm: DEFAULTS.numPerm, seed: DEFAULTS.seed, shingleSize: DEFAULTS.shingleSize, variant: 'oph' });
  log('sketch experiments done');

  const report: EvalReport = {
    version: 1,
    command: 'npm run eval',
    defaults: { ...DEFAULTS, bands: layout.bands, rows: layout.rows },
    synthetic: { documents: SYNTHETIC_DOCUMENTS, seed: SYNTHETIC_SEED, plantedByKind: countKinds(corpus.planted) },
    truthBounds: { documents: DOCUMENT_BOUNDS, paragraphs: PARAGRAPH_BOUNDS, sweeps: SWEEP_BOUNDS, paragraphFloorChars: PARAGRAPH_FLOOR_CHARS },
    main,
    sweeps,
    estimation: errors,
    sCurve: { layout, bins: curve, pairs: SKETCH_PAIRS },
  };
  const out = join(repositoryRoot(), 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'accuracy.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(out, 'accuracy.md'), renderReport(report));
  writeFileSync(
    join(out, 'lsh-s-curve.svg'),
    sCurveChart({
      title: `LSH S-curve: ${layout.bands} bands × ${layout.rows} rows (numPerm ${DEFAULTS.numPerm}, OPH)`,
      layouts: [layout],
      threshold: DEFAULTS.threshold,
      measured: { label: `measured (${SKETCH_PAIRS} pairs)`, bins: curve },
    }),
  );
  writeFileSync(join(out, 'estimation-error.svg'), errorChart(report));
  log(`wrote ${out}/accuracy.md, accuracy.json, lsh-s-curve.svg, estimation-error.svg`);
}

function countKinds(planted: readonly PlantedPair[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pair of planted) counts[pair.kind] = (counts[pair.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function errorChart(report: EvalReport): string {
  const x = (numPerm: number): number => Math.log2(numPerm);
  const rows = (variant: string) => report.estimation.filter((row) => row.variant === variant);
  const max = Math.max(...report.estimation.map((row) => Math.max(row.rmse, row.theoryRmse)));
  const yMax = Math.ceil(max * 100) / 100;
  return renderChart({
    title: 'MinHash estimation error against numPerm',
    xLabel: 'numPerm (log scale)',
    yLabel: 'RMSE of the Jaccard estimate',
    xDomain: [x(NUM_PERMS[0]!) - 0.3, x(NUM_PERMS[NUM_PERMS.length - 1]!) + 0.3],
    yDomain: [0, yMax],
    xTicks: NUM_PERMS.map((numPerm) => ({ value: x(numPerm), label: String(numPerm) })),
    yTicks: Array.from({ length: 6 }, (_, i) => ({ value: (yMax * i) / 5, label: ((yMax * i) / 5).toFixed(3) })),
    series: [
      { name: 'binomial theory', color: '#555', style: 'dashed', points: rows('classic').map((row) => ({ x: x(row.numPerm), y: row.theoryRmse })) },
      { name: 'classic', color: '#1f77b4', style: 'line', points: rows('classic').map((row) => ({ x: x(row.numPerm), y: row.rmse })) },
      { name: 'oph (default)', color: '#d62728', style: 'line', points: rows('oph').map((row) => ({ x: x(row.numPerm), y: row.rmse })) },
    ],
  });
}

await main();
