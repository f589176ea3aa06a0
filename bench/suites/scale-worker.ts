/**
 * Worker of bench/suites/scale.ts: analyzes its share of the texts and posts the analyses back.
 * They are copied, not transferred: a transfer list of ~8 small buffers per document made
 * postMessage take over a minute for 50k documents.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer, loadFingerprinter, resolveOptions, type DocumentAnalysis } from '../../src/index.js';

const { texts } = workerData as { texts: string[] };
const analyzer = createAnalyzer(resolveOptions({}), await loadFingerprinter(), { keepHashes: false });
const started = performance.now();
const analyses: DocumentAnalysis[] = texts.map((text) => analyzer.analyze(text));
parentPort!.postMessage({ analyses, analyzeMs: performance.now() - started });
