/**
 * The pipeline at scale, in its own process so that its peak RSS is its own: a synthetic corpus
 * of `--documents` records (default 100,000), analyzed on one thread or on `--jobs` worker
 * threads, then `detectFromAnalyses`. Prints one JSON object. Run by bench/run.ts.
 */
import { Worker } from 'node:worker_threads';
import { createAnalyzer, detectFromAnalyses, loadFingerprinter, resolveOptions, type DocumentAnalysis } from '../../src/index.js';
import { syntheticCorpus, utf8Bytes } from './corpus.js';
import type { ScanRun } from './e2e.js';

/** What one scale run measured. */
export interface ScaleResult {
  documents: number;
  generator: string;
  sizeBytes: number;
  jobs: number;
  generateMs: number;
  /** Wall time of the analysis stage (with workers: start-up and copying texts and results included). */
  analyzeMs: number;
  /** With workers: the longest worker's own analysis time (what a pool reading its own input would see). */
  workerAnalyzeMs: number;
  detectMs: number;
  pipelineMs: number;
  /** Peak resident set of the process (corpus included), in MB. */
  peakRssMB: number;
  /** Resident set after generating the corpus, before the pipeline, in MB. */
  corpusRssMB: number;
  stats: Record<string, number>;
  /** `syndic scan` of the same corpus written as a JSONL file (attached to the last run by bench/suites/e2e.ts). */
  scan?: ScanRun[];
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface WorkerResult {
  analyses: DocumentAnalysis[];
  analyzeMs: number;
}

async function analyzeInWorkers(texts: string[], jobs: number): Promise<{ analyses: DocumentAnalysis[]; workerAnalyzeMs: number }> {
  const chunk = Math.ceil(texts.length / jobs);
  const parts = await Promise.all(
    Array.from({ length: jobs }, (_, job) => {
      const slice = texts.slice(job * chunk, (job + 1) * chunk);
      return new Promise<WorkerResult>((resolve, reject) => {
        const worker = new Worker(new URL('./scale-worker.js', import.meta.url), { workerData: { texts: slice } });
        worker.once('message', (result: WorkerResult) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  return { analyses: parts.flatMap((part) => part.analyses), workerAnalyzeMs: Math.max(...parts.map((part) => part.analyzeMs)) };
}

async function main(): Promise<void> {
  const documents = argument('documents', 100_000);
  const jobs = argument('jobs', 1);
  let started = performance.now();
  const { records, generator } = await syntheticCorpus(documents, 1);
  const generateMs = performance.now() - started;
  const texts = records.map((record) => record.text);
  const sizeBytes = utf8Bytes(texts);
  globalThis.gc?.();
  const corpusRssMB = process.memoryUsage().rss / 1e6;

  const options = resolveOptions({});
  started = performance.now();
  let analyses: DocumentAnalysis[];
  let workerAnalyzeMs = 0;
  if (jobs > 1) {
    ({ analyses, workerAnalyzeMs } = await analyzeInWorkers(texts, jobs));
  } else {
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    analyses = texts.map((text) => analyzer.analyze(text));
  }
  const analyzeMs = performance.now() - started;
  if (jobs === 1) workerAnalyzeMs = analyzeMs;
  started = performance.now();
  const result = await detectFromAnalyses(records, analyses, options);
  const detectMs = performance.now() - started;
  const output: ScaleResult = {
    documents,
    generator,
    sizeBytes,
    jobs,
    generateMs: Math.round(generateMs),
    analyzeMs: Math.round(analyzeMs),
    workerAnalyzeMs: Math.round(workerAnalyzeMs),
    detectMs: Math.round(detectMs),
    pipelineMs: Math.round(analyzeMs + detectMs),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    corpusRssMB: Math.round(corpusRssMB),
    stats: { ...result.stats },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
