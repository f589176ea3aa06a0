/**
 * Band keys: one 32-bit key per band of a signature row, the one key function behind both batch
 * grouping and every bucket index.
 */
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
