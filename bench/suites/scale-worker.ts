/** Worker of bench/suites/scale.ts: analyzes its share of the texts, transfers the arrays back. */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer, loadFingerprinter, resolveOptions, type DocumentAnalysis } from '../../src/index.js';

const { texts } = workerData as { texts: string[] };
const analyzer = createAnalyzer(resolveOptions({}), await loadFingerprinter(), { keepHashes: false });
const analyses: DocumentAnalysis[] = texts.map((text) => analyzer.analyze(text));
const transfer: ArrayBuffer[] = [];
for (const analysis of analyses) {
  for (const array of [analysis.signature, analysis.paragraphStart, analysis.paragraphEnd, analysis.normalizedStart, analysis.normalizedEnd, analysis.fingerprints, analysis.signatureRow, analysis.paragraphSignatures]) {
    transfer.push(array.buffer as ArrayBuffer);
  }
}
parentPort!.postMessage(analyses, transfer);
