/**
 * The band keys of the long paragraphs of analyses: the items of the paragraph pass, keyed where
 * their signatures are (a scan's tasks) or by the pass itself.
 */
import { bandKeysInto } from '../lsh/bands.js';
import type { LshParams } from '../lsh/params.js';
import type { DocumentAnalysis } from './analyze.js';

/** Paragraphs of an analysis that have a signature (its rows are 0..long−1, −1 for the others). */
export function longParagraphs(signatureRow: Int32Array): number {
  let long = 0;
  for (let p = 0; p < signatureRow.length; p++) if (signatureRow[p]! >= 0) long++;
  return long;
}

/**
 * The band keys of every long paragraph of `analyses`, `bands` each, in document then paragraph
 * order (the items of the paragraph pass): each analysis's signatures are asked for once.
 */
export function paragraphBandKeys(analyses: readonly DocumentAnalysis[], params: LshParams & { numPerm: number }): Uint32Array {
  let items = 0;
  for (const analysis of analyses) items += longParagraphs(analysis.signatureRow);
  const keys = new Uint32Array(items * params.bands);
  let at = 0;
  for (const analysis of analyses) {
    const long = longParagraphs(analysis.signatureRow);
    if (long === 0) continue;
    const signatures = analysis.paragraphSignatures;
    for (let row = 0; row < long; row++, at += params.bands) bandKeysInto(signatures, row * params.numPerm, params, keys, at);
  }
  return keys;
}
