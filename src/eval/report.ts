/**
 * `syndic eval` and `syndic bench` reports as text or Markdown (JSON is the result object itself).
 */
import type { CurvePoint } from './curve.js';
import type { EvalResult } from './evaluate.js';
import type { Scores } from './metrics.js';
import type { BandRecall } from './score.js';
import type { StageReport, StageTiming } from './stages.js';
import type { SweepRow } from './sweep.js';
import { count, fixed, table, type TableStyle } from './table.js';

/** Columns of a precision/recall row. */
export const SCORE_HEADER = ['truth pairs', 'reported', 'correct', 'precision', 'recall', 'F1'];

/** Cells of a precision/recall row. */
export const scoreCells = (s: Scores): string[] => [count(s.truth), count(s.detected), count(s.truePositives), fixed(s.precision), fixed(s.recall), fixed(s.f1)];

/** Recall by band, one row per band. */
export function bandTable(measure: string, rows: readonly BandRecall[], other: string, style: TableStyle): string {
  return table([measure, 'true pairs', 'found', `found as ${other}`, 'recall'], rows.map((row) => [row.band, count(row.truth), count(row.found), count(row.foundAsOther), fixed(row.recall)]), style);
}

/** The report of one scored run. */
export function renderEval(result: EvalResult, style: TableStyle): string {
  const out: string[] = [];
  const heading = (text: string): string => (style === 'markdown' ? `### ${text}\n` : `${text}\n`);
  const { scores: s, truth, run } = result;
  const t = s.thresholds;
  const floors = truth.floors ? `, floors Jaccard ${truth.floors.jaccard} / containment ${truth.floors.containment}` : '';
  out.push(`${style === 'markdown' ? '## ' : ''}syndic eval: ${run.source} against ${count(truth.pairs)} truth pairs${floors}\n`);
  out.push(
    `Classes: near-duplicate = document Jaccard ≥ ${t.threshold}; syndicated copy = Jaccard < ${t.threshold} and ≥ ${t.containment} of the smaller document (fewer shingles` +
      `${t.minShingles ? `, at least ${t.minShingles}` : ''}) inside the other.\n`,
  );
  out.push(heading('Pairs'));
  out.push(
    table(
      ['class', ...SCORE_HEADER],
      [
        ['near-duplicates', ...scoreCells(s.nearDuplicates.scores)],
        ['syndicated copies', ...scoreCells(s.syndication.scores)],
        ['either (class ignored)', ...scoreCells(s.copies)],
      ],
      style,
    ),
  );
  out.push(heading('Near-duplicate recall by Jaccard'));
  out.push(bandTable('exact Jaccard', s.nearDuplicates.byJaccard, 'syndication', style));
  out.push(heading('Syndication recall by containment of the smaller document'));
  out.push(bandTable('containment', s.syndication.byContainment, 'duplicate', style));
  const are = s.syndication.reportedAre;
  out.push(`Reported syndication pairs that are truly syndicated ${count(are.syndicated)}, near-duplicates ${count(are.duplicate)}, neither ${count(are.none)}.`);
  if (s.reportedAsBoth > 0) out.push(`${count(s.reportedAsBoth)} pairs were reported both as near-duplicates and as syndication; each is scored once, as a near-duplicate.`);
  out.push('');
  if (result.clusters) {
    const c = result.clusters;
    out.push(heading(`Clusters (${c.predictedFrom})`));
    out.push(
      table(
        ['labelled items', 'true clusters', 'predicted clusters', 'adjusted Rand', 'B-cubed precision', 'B-cubed recall', 'B-cubed F1'],
        [[count(c.items), count(c.trueClusters), count(c.predictedClusters), fixed(c.adjustedRand), fixed(c.bcubedPrecision), fixed(c.bcubedRecall), fixed(c.bcubedF1)]],
        style,
      ),
    );
  }
  if (run.cost) {
    const c = run.cost;
    out.push(heading('Cost'));
    out.push(
      table(
        ['documents', 'candidate pairs', 'candidates/doc', 'paragraphs', 'paragraph candidates', 'candidates/paragraph'],
        [[count(c.documents), count(c.candidatePairs), fixed(c.candidatesPerDocument, 3), count(c.paragraphs), count(c.paragraphCandidatePairs), fixed(c.paragraphCandidatesPerParagraph, 3)]],
        style,
      ),
    );
  }
  return out.join('\n');
}

/** Where a benchmark ran. */
export interface MachineInfo {
  node: string;
  v8: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  platform: string;
  syndic: string;
}

/** Everything `syndic bench` measured: the JSON of `--format json`. */
export interface BenchReport {
  version: 1;
  machine: MachineInfo;
  inputs: string[];
  documents: number;
  sizeBytes: number;
  repeat: number;
  params: StageReport['params'];
  candidatePairs: number;
  stages: StageTiming[];
  peakRssBytes: number;
  /** The S-curve of the layout used, 1 − (1 − sʳ)ᵇ. */
  sCurve: CurvePoint[];
  sweep: SweepRow[] | null;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** The benchmark report. */
export function renderBench(report: BenchReport, style: TableStyle): string {
  const out: string[] = [];
  const heading = (text: string): string => (style === 'markdown' ? `### ${text}\n` : `${text}\n`);
  const m = report.machine;
  const p = report.params;
  out.push(`${style === 'markdown' ? '## ' : ''}syndic bench: ${count(report.documents)} documents, ${mb(report.sizeBytes)} of UTF-8 text\n`);
  out.push(`syndic ${m.syndic}, Node ${m.node} (V8 ${m.v8}), ${m.cpu} × ${m.cores}, ${m.memoryGB} GB, ${m.platform}.`);
  out.push(`threshold ${p.threshold}, shingle size ${p.shingleSize}, numPerm ${p.numPerm}, ${p.bands} bands × ${p.rows} rows; median of ${report.repeat} runs per stage, one thread.\n`);
  out.push(heading('Throughput'));
  out.push(
    table(
      ['stage', 'median ms', 'MB/s', 'docs/s', 'runs ms'],
      report.stages.map((s) => [s.stage, fixed(s.medianMs, 1), fixed(s.mbPerSec, 1), count(s.docsPerSec), s.runsMs.map((ms) => ms.toFixed(0)).join(' / ')]),
      style,
    ),
  );
  out.push(report.stages.map((s) => `${s.stage}: ${s.covers}.`).join(' ') + '\n');
  out.push(`${count(report.candidatePairs)} document candidate pairs (${fixed(report.candidatePairs / Math.max(1, report.documents), 3)} per document); peak RSS ${mb(report.peakRssBytes)}.\n`);
  out.push(heading(`S-curve of ${p.bands} bands × ${p.rows} rows`));
  const points = report.sCurve.filter((point) => point.similarity >= 0.5 - 1e-9);
  out.push(table(['Jaccard', ...points.map((point) => point.similarity.toFixed(2))], [['P(candidate)', ...points.map((point) => fixed(point.probability, 3))]], style));
  if (report.sweep) {
    out.push(heading('Sweep'));
    const scored = report.sweep.some((row) => row.scores);
    const header = ['setting', 'bands×rows', 'P(cand.) at threshold', 'candidates', 'cand./doc', 'duplicate pairs', 'syndication pairs', 'time ms'];
    if (scored) header.push('dup P', 'dup R', 'synd P', 'synd R');
    out.push(
      table(
        header,
        report.sweep.map((row) => {
          const cells = [`${row.parameter} ${row.value}`, `${row.bands}×${row.rows}`, fixed(row.candidateAtThreshold, 3), count(row.candidatePairs), fixed(row.candidatesPerDocument, 3), count(row.duplicatePairs), count(row.syndicationPairs), count(row.elapsedMs)];
          if (scored) {
            const s = row.scores;
            cells.push(fixed(s?.nearDuplicates.scores.precision), fixed(s?.nearDuplicates.scores.recall), fixed(s?.syndication.scores.precision), fixed(s?.syndication.scores.recall));
          }
          return cells;
        }),
        style,
      ),
    );
    if (scored) out.push('Scores against the truth file; each row\'s near-duplicate class follows its own threshold. Time: analysis and detection, one run.\n');
  }
  return out.join('\n');
}
