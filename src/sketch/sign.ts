/**
 * The hashing core as one call: text → normalized units → shingles → signature, the shingles
 * hashed and sketched in one loop with no array of hashes (see `SketchKernel.addShingles`).
 * The signature equals sketching the hashes `createShingleHasher(k, seed).hashInto` gives for
 * `createNormalizer().normalizeToUnits(text)`; the per-document stage (analyze.ts) also segments
 * paragraphs, this does not.
 */
import { createSketchKernel, type Signature, type SketchParams } from './minhash.js';
import { createNormalizer } from '../text/normalize.js';
import { resolveOptions, type DetectOptions } from '../options.js';
import { createShingleHasher } from './shingle.js';

/** Signs whole texts with one option set; reuses its buffers (not re-entrant). */
export interface TextSketcher {
  readonly params: SketchParams;
  /** Signature of a text (normalized as a whole, every k-gram a shingle). */
  sketchText(text: string): Signature;
  /** Write the signature of a text into `out[outOffset..+numPerm)`. */
  sketchTextInto(text: string, out: Uint32Array, outOffset?: number): void;
}

/** Build a {@link TextSketcher}; options as for findDuplicates (numPerm, seed, shingleSize, variant, normalize). */
export function createTextSketcher(options: DetectOptions = {}): TextSketcher {
  const resolved = resolveOptions(options);
  const params: SketchParams = Object.freeze({ numPerm: resolved.numPerm, seed: resolved.seed, shingleSize: resolved.shingleSize, variant: resolved.variant });
  const normalizer = createNormalizer(resolved.normalize);
  const hasher = createShingleHasher(params.shingleSize, params.seed);
  const kernel = createSketchKernel(params);
  const mins = new Int32Array(params.numPerm);
  const filled = new Uint8Array(params.numPerm);
  const shortHashes = new Uint32Array(1);

  const sketchTextInto = (text: string, out: Uint32Array, outOffset = 0): void => {
    const { units, length } = normalizer.normalizeToUnits(text);
    kernel.clear(mins, filled);
    if (length >= params.shingleSize) kernel.addShingles(units, 0, length - params.shingleSize + 1, hasher, mins, filled);
    else {
      // Shorter than k: the one shingle of the whole text, which the rolling loop does not make.
      hasher.hashInto(units, 0, length, shortHashes, 0);
      kernel.add(shortHashes, 0, 1, mins, filled);
    }
    kernel.finish(mins, filled, out, outOffset);
  };
  return {
    params,
    sketchTextInto,
    sketchText(text) {
      const values = new Uint32Array(params.numPerm);
      sketchTextInto(text, values, 0);
      return { params, values };
    },
  };
}
