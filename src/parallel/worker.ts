/**
 * Worker thread of {@link AnalysisPool}: builds one analyzer from the options it is started with,
 * then analyzes batches of texts and sends them back packed in one transferred buffer per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer } from '../analyze/analyze.js';
import { loadFingerprinter } from '../sketch/hash.js';
import type { ResolvedOptions } from '../options.js';
import { packAnalyses, type PackedAnalyses } from './pool.js';

/** A batch to analyze. */
export interface AnalysisRequest {
  batch: number;
  texts: string[];
}

/** The packed analyses of a batch, in the order of its texts, or the failure message. */
export type AnalysisReply = { batch: number; packed: PackedAnalyses } | { batch: number; error: string };

if (parentPort) {
  const port = parentPort;
  const options = (workerData as { options: ResolvedOptions }).options;
  const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
  port.on('message', (request: AnalysisRequest) => {
    let reply: AnalysisReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const packed = packAnalyses(
        request.texts.map((text) => analyzer.analyze(text)),
        options.numPerm,
      );
      transfer = [packed.buffer, packed.counts.buffer as ArrayBuffer];
      reply = { batch: request.batch, packed };
    } catch (error) {
      reply = { batch: request.batch, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply, transfer);
  });
}
