/**
 * Worker thread of {@link AnalysisPool}: builds one analyzer from the options it is started with,
 * then analyzes batches of texts and sends the typed arrays back as transferables.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer, type DocumentAnalysis } from './analyze.js';
import { loadFingerprinter } from './hash.js';
import type { ResolvedOptions } from './options.js';

/** A batch to analyze. */
export interface AnalysisRequest {
  batch: number;
  texts: string[];
}

/** The analyses of a batch, in the order of its texts, or the failure message. */
export type AnalysisReply = { batch: number; analyses: DocumentAnalysis[] } | { batch: number; error: string };

/** Buffers of an analysis's typed arrays, to transfer instead of copy. */
export function analysisBuffers(analysis: DocumentAnalysis): ArrayBuffer[] {
  const arrays = [
    analysis.signature,
    analysis.hashes,
    analysis.paragraphStart,
    analysis.paragraphEnd,
    analysis.normalizedStart,
    analysis.normalizedEnd,
    analysis.fingerprints,
    analysis.signatureRow,
    analysis.paragraphSignatures,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array && array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) buffers.add(array.buffer);
  return [...buffers];
}

if (parentPort) {
  const port = parentPort;
  const options = (workerData as { options: ResolvedOptions }).options;
  const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
  port.on('message', (request: AnalysisRequest) => {
    let reply: AnalysisReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const analyses = request.texts.map((text) => analyzer.analyze(text));
      transfer = analyses.flatMap(analysisBuffers);
      reply = { batch: request.batch, analyses };
    } catch (error) {
      reply = { batch: request.batch, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply, transfer);
  });
}
