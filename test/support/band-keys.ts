/** Band keys as tests compare them. */
import type { BandKeys } from '../../src/lsh/group.js';

/** Every key of `keys`, item by item (`[item · bands + band]`), read band by band. */
export function itemMajor(keys: BandKeys): Uint32Array {
  const { count, bands } = keys;
  const all = new Uint32Array(count * bands);
  const band = new Uint32Array(count);
  for (let b = 0; b < bands; b++) {
    keys.readBand(b, band);
    for (let item = 0; item < count; item++) all[item * bands + b] = band[item]!;
  }
  return all;
}
