/**
 * Band keys: one 32-bit key per band of a signature row, the one key function behind both batch
 * grouping and every bucket index.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { fmix32 } from '../sketch/hash.js';
import type { LshParams } from './params.js';

/** Write the `bands` band keys of one signature row into `out`. Keys of different bands differ. */
export function bandKeysInto(
  signatures: Uint32Array,
  offset: number,
  params: LshParams,
  out: Uint32Array,
  outOffset = 0,
): void {
  const { bands, rows } = params;
  for (let band = 0; band < bands; band++) {
    let h = Math.imul(band + 1, 0x9e3779b1);
    const base = offset + band * rows;
    for (let r = 0; r < rows; r++) {
      h = Math.imul(h ^ signatures[base + r]!, 0x01000193);
      h = (h << 13) | (h >>> 19);
    }
    out[outOffset + band] = fmix32(h ^ rows);
  }
}

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
