/**
 * Throughput of syndic's stages on the caller's records, in memory: normalize, sign (the whole
 * per-document analysis), LSH candidates, exact verification of the candidates, detection after
 * analysis, and the whole run. Each is timed `repeat` times and the median kept.
 */
import { createAnalyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { ShingleSetBuilder } from '../analyze/shingle-sets.js';
import { exactSimilarity } from '../analyze/similarity.js';
import { detectFromAnalyses, findDuplicates } from '../detect/detect.js';
import type { DetectionResult } from '../detect/types.js';
import { batchCandidates } from '../lsh/group.js';
import { resolveOptions, type DetectOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { createNormalizer } from '../text/normalize.js';

/** Timing of one stage. */
export interface StageTiming {
  stage: 'normalize' | 'sign' | 'lsh' | 'verify' | 'detect' | 'whole run';
  /** What the stage covers. */
  covers: string;
  medianMs: number;
  /** Every repetition, ms. */
  runsMs: number[];
  /** UTF-8 megabytes (10⁶ bytes) of input text per second, and documents per second. */
  mbPerSec: number;
  docsPerSec: number;
}

/** The stages of one benchmark, with what they worked on. */
export interface StageReport {
  documents: number;
  sizeBytes: number;
  candidatePairs: number;
  params: { threshold: number; shingleSize: number; numPerm: number; bands: number; rows: number };
  stages: StageTiming[];
  /** The whole run's result (from its last repetition). */
  result: DetectionResult;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Options of {@link measureStages}. */
export interface MeasureOptions {
  /** Timed repetitions of each stage (default 3). */
  repeat?: number;
  /** Called as each stage starts. */
  onStage?: (stage: StageTiming['stage']) => void;
}

/** Time each stage over `records` with detection options `options`. */
export async function measureStages(records: readonly DocumentRecord[], options: DetectOptions, measure: MeasureOptions = {}): Promise<StageReport> {
  const repeat = measure.repeat ?? 3;
  const resolved = resolveOptions(options);
  const fingerprinter = await loadFingerprinter();
  let sizeBytes = 0;
  for (const record of records) sizeBytes += Buffer.byteLength(record.text, 'utf8');
  const stages: StageTiming[] = [];
  const time = async <T>(stage: StageTiming['stage'], covers: string, run: () => T | Promise<T>): Promise<T> => {
    measure.onStage?.(stage);
    const runsMs: number[] = [];
    let value: T | undefined;
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      value = await run();
      runsMs.push(performance.now() - started);
    }
    const medianMs = median(runsMs);
    stages.push({
      stage,
      covers,
      medianMs: Math.round(medianMs * 10) / 10,
      runsMs: runsMs.map((ms) => Math.round(ms * 10) / 10),
      mbPerSec: Math.round((sizeBytes / 1e6 / (medianMs / 1000)) * 10) / 10,
      docsPerSec: Math.round(records.length / (medianMs / 1000)),
    });
    return value!;
  };

  const normalizer = createNormalizer(resolved.normalize);
  await time('normalize', 'NFKC, case fold, Arabic folding, to one normalized string per document', () => {
    let units = 0;
    for (const record of records) units += normalizer.normalize(record.text).length;
    return units;
  });
  const analyzer = createAnalyzer(resolved, fingerprinter, { keepHashes: false });
  const analyses = await time('sign', 'per-document analysis: segment, normalize, shingle, document and paragraph signatures', () =>
    records.map((record) => analyzer.analyze(record.text)),
  );
  const active: number[] = [];
  analyses.forEach((analysis, d) => analysis.normalizedLength > 0 && active.push(d));
  const candidates = await time('lsh', `document band keys (${resolved.bands} bands × ${resolved.rows} rows) and sort-based grouping`, () => {
    const signatures = new Uint32Array(active.length * resolved.numPerm);
    active.forEach((d, row) => signatures.set(analyses[d]!.signature, row * resolved.numPerm));
    return batchCandidates(signatures, active.length, resolved.numPerm, resolved, { maxBucketSize: resolved.maxBucketSize });
  });
  const builder = new ShingleSetBuilder(resolved);
  await time('verify', 'exact Jaccard of every document candidate pair: shingle sets rebuilt from the text, merged', () => verifyAll(records, analyses, active, candidates.pairs, builder));
  await time('detect', 'everything after analysis: candidates (LSH, shared paragraphs and anchors), verification, the policy, clusters, paragraphs', () => detectFromAnalyses(records, analyses, resolved));
  const result = await time('whole run', 'findDuplicates: analysis and detection, one thread', () => findDuplicates(records, options));
  return {
    documents: records.length,
    sizeBytes,
    candidatePairs: candidates.pairs.length / 2,
    params: { threshold: resolved.threshold, shingleSize: resolved.shingleSize, numPerm: resolved.numPerm, bands: resolved.bands, rows: resolved.rows },
    stages,
    result,
  };
}

function verifyAll(records: readonly DocumentRecord[], analyses: readonly DocumentAnalysis[], active: readonly number[], pairs: Uint32Array, builder: ShingleSetBuilder): number {
  const sets = new Map<number, Uint32Array>();
  const setOf = (d: number): Uint32Array => {
    let set = sets.get(d);
    if (!set) sets.set(d, (set = builder.documentSet(records[d]!.text, analyses[d]!)));
    return set;
  };
  let sum = 0;
  for (let p = 0; p < pairs.length; p += 2) sum += exactSimilarity(setOf(active[pairs[p]!]!), setOf(active[pairs[p + 1]!]!)).jaccard;
  return sum;
}
