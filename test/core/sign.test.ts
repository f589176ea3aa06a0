/**
 * The fused hashing core (shingles hashed and sketched in one loop) against the three-step
 * reference: normalize to units, hash every shingle into an array, sketch the array.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/analyze.js';
import { loadFingerprinter } from '../../src/sketch/hash.js';
import { createSketcher, type SketchVariant } from '../../src/sketch/minhash.js';
import { createNormalizer } from '../../src/text/normalize.js';
import { resolveOptions } from '../../src/options.js';
import { createShingleHasher, shingleCount } from '../../src/sketch/shingle.js';
import { createTextSketcher } from '../../src/sketch/sign.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
const seedTexts = readdirSync(samples)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => readFileSync(join(samples, name), 'utf8'));

/** Random texts from pieces that exercise every fold path: marks, surrogates, ligatures, spaces. */
function randomTexts(count: number, seed: number): string[] {
  const pieces = ['a', 'e', '\u0301', '\u064e', ' ', '\n\n', 'ا', 'أ', 'ﻻ', 'ﷺ', '\u{1F600}', '\ud83d', 'ـ', 'ﬁ', '٣', 'مرحبا بالعالم ', 'news today '];
  let state = seed >>> 0;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join(''));
}

const texts = [...seedTexts, '', 'a', 'abcd', 'abcde', 'abcdef', ...randomTexts(400, 3)];

describe('createTextSketcher', () => {
  const cases: Array<{ numPerm: number; shingleSize: number; seed: number; variant: SketchVariant }> = [
    { numPerm: 128, shingleSize: 5, seed: 1, variant: 'oph' }, // fused loop (power-of-two bins)
    { numPerm: 100, shingleSize: 3, seed: 9, variant: 'oph' }, // hashes through an array
    { numPerm: 16, shingleSize: 5, seed: 2, variant: 'classic' },
  ];
  for (const params of cases) {
    it(`equals normalize → hashText → sketch (${params.variant}, numPerm ${params.numPerm}, k ${params.shingleSize})`, () => {
      const fused = createTextSketcher(params);
      const normalizer = createNormalizer();
      const hasher = createShingleHasher(params.shingleSize, params.seed);
      const reference = createSketcher(params);
      for (const text of texts) {
        // From units, not the normalized string: decoding replaces a lone surrogate with U+FFFD.
        const { units, length } = normalizer.normalizeToUnits(text);
        const hashes = new Uint32Array(shingleCount(length, params.shingleSize));
        hasher.hashInto(units, 0, length, hashes, 0);
        const expected = reference.sketch(hashes).values;
        expect(fused.sketchText(text).values, JSON.stringify(text.slice(0, 40))).toEqual(expected);
      }
    });
  }
});

describe('analyze with and without kept hashes', () => {
  it('gives the same document and paragraph signatures (fused loop vs hash array)', async () => {
    const fingerprinter = await loadFingerprinter();
    for (const options of [{}, { minParagraphChars: 5 }, { numPerm: 64, shingleSize: 4 }]) {
      const resolved = resolveOptions(options);
      const fused = createAnalyzer(resolved, fingerprinter, { keepHashes: false });
      const viaArray = createAnalyzer(resolved, fingerprinter, { keepHashes: true });
      for (const text of texts) {
        const a = fused.analyze(text);
        const b = viaArray.analyze(text);
        expect(a.signature).toEqual(b.signature);
        expect(a.paragraphSignatures).toEqual(b.paragraphSignatures);
        expect(a.fingerprints).toEqual(b.fingerprints);
      }
    }
  });
});
