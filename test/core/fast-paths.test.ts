/**
 * The optimized paths against their plain references: radix-sorted sets, galloping intersection,
 * ranges normalized in place, one-pass document + paragraph signatures, rebuilt shingle sets.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/analyze.js';
import { ShingleSetBuilder } from '../../src/analyze/shingle-sets.js';
import { loadFingerprinter } from '../../src/sketch/hash.js';
import { createSketcher } from '../../src/sketch/minhash.js';
import { createNormalizer, createUnitAppender, unitsToString } from '../../src/text/normalize.js';
import { resolveNormalizeOptions } from '../../src/text/rules.js';
import { resolveOptions } from '../../src/options.js';
import { intersectionSize, toShingleSet } from '../../src/analyze/similarity.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const referenceSet = (values: ArrayLike<number>): number[] => [...new Set(Array.from(values))].sort((a, b) => a - b);

describe('fast paths match their references', () => {
  it('toShingleSet sorts and dedups at every size (native, 8-bit and 11-bit top digits) and for skewed values', () => {
    const next = random(7);
    for (const size of [0, 1, 2, 47, 48, 49, 300, 1023, 1024, 1025, 3071, 3072, 5000]) {
      const values = Uint32Array.from({ length: size }, (_, i) => (i % 3 === 0 ? Math.floor(next() * 40) : Math.floor(next() * 4294967296)));
      const copy = values.slice();
      expect(Array.from(toShingleSet(values))).toEqual(referenceSet(values));
      expect(values).toEqual(copy);
    }
    // Values sharing their top bits (not hashes) leave the radix passes unordered: still exact.
    for (const size of [200, 5000, 40000]) {
      const values = Uint32Array.from({ length: size }, (_, i) => (i * 7919) % (size + 13));
      expect(Array.from(toShingleSet(values))).toEqual(referenceSet(values));
    }
  });

  it('intersectionSize gives the same count by merging and by galloping', () => {
    const next = random(11);
    for (let trial = 0; trial < 200; trial++) {
      const small = toShingleSet(Uint32Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 3000)));
      const large = toShingleSet(Uint32Array.from({ length: Math.floor(next() * 2000) }, () => Math.floor(next() * 3000)));
      const inLarge = new Set(large);
      const expected = Array.from(small).filter((value) => inLarge.has(value)).length;
      expect(intersectionSize(small, large)).toBe(expected);
      expect(intersectionSize(large, small)).toBe(expected);
    }
  });

  it('a range appended in place normalizes like the sliced text', () => {
    const text = 'سلام  عليكم\u064e\u064e — "هذا" ﷺ نص\n e\u0301t\u00e9 😀 \uD800x  الأخير ';
    const normalizer = createNormalizer();
    const appender = createUnitAppender(resolveNormalizeOptions());
    appender.load(text);
    for (let start = 0; start < text.length; start += 3) {
      for (let end = start; end <= text.length; end += 5) {
        const length = appender.append(start, end, 7);
        expect(unitsToString(appender.units.subarray(7), length - 7)).toBe(normalizer.normalize(text.slice(start, end)));
      }
    }
  });

  it('one-pass signatures and rebuilt sets equal sketching and sorting the kept hashes', async () => {
    const fingerprinter = await loadFingerprinter();
    const text = [
      'وزير الخارجية الروسي يلتقي نظيره الأمريكي في جنيف لبحث الأزمة السورية والملف النووي',
      'قصير',
      '',
      'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps again.',
      'وزير الخارجية الروسي يلتقي نظيره الأمريكي في جنيف لبحث الأزمة السورية والملف النووي',
    ].join('\n');
    for (const variant of ['oph', 'classic'] as const) {
      for (const numPerm of [16, 100]) {
        const options = resolveOptions({ variant, numPerm, minParagraphChars: 20 });
        const analysis = createAnalyzer(options, fingerprinter, { keepHashes: true }).analyze(text);
        const hashes = analysis.hashes!;
        const sketcher = createSketcher({ numPerm, seed: options.seed, shingleSize: options.shingleSize, variant });
        expect(analysis.signature).toEqual(sketcher.sketch(hashes).values);
        const builder = new ShingleSetBuilder(options);
        expect(builder.documentSet(text, analysis)).toEqual(toShingleSet(hashes));
        for (let p = 0; p < analysis.signatureRow.length; p++) {
          const row = analysis.signatureRow[p]!;
          if (row < 0) continue;
          const slice = hashes.subarray(analysis.normalizedStart[p]!, analysis.normalizedEnd[p]! - options.shingleSize + 1);
          const expected = new Uint32Array(numPerm);
          sketcher.sketchInto(slice, 0, slice.length, expected, 0);
          expect(analysis.paragraphSignatures.subarray(row * numPerm, (row + 1) * numPerm)).toEqual(expected);
          expect(builder.paragraphSet(text, analysis, p)).toEqual(toShingleSet(slice));
        }
      }
    }
  });

  it('rebuilt document sets stay right when a longer document grows the buffers', async () => {
    const options = resolveOptions({});
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: true });
    const builder = new ShingleSetBuilder(options);
    const next = random(3);
    const words = ['وزير', 'الخارجية', 'الروسي', 'يلتقي', 'نظيره', 'في', 'جنيف', 'news', 'report'];
    const text = (count: number): string => Array.from({ length: count }, () => words[Math.floor(next() * words.length)]).join(' ');
    for (const size of [200, 5000, 40000, 300, 90000]) {
      const document = `${text(size / 4)}\n${text(size / 4)}`;
      const analysis = analyzer.analyze(document);
      expect(builder.documentSet(document, analysis)).toEqual(toShingleSet(analysis.hashes!));
      expect(builder.sameDocument(document, analysis, document, analysis)).toBe(true);
    }
  });
});
