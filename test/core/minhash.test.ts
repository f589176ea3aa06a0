/**
 * Statistical tests of both sketch variants against exact Jaccard (fixed seeds; tolerances from
 * the binomial bound), plus parameter checks.
 */
import { describe, expect, it } from 'vitest';
import { createSketcher, estimateJaccard, SyndicError, type SketchVariant } from '../../src/index.js';
import { seeded, setPairWithJaccard } from './random-sets.js';

const NUM_PERM = 128;

function errorsFor(variant: SketchVariant, pairs: ReturnType<typeof setPairWithJaccard>[]) {
  const sketcher = createSketcher({ numPerm: NUM_PERM, seed: 11, shingleSize: 5, variant });
  return pairs.map((pair) => estimateJaccard(sketcher.sketch(pair.a), sketcher.sketch(pair.b)) - pair.jaccard);
}

describe('MinHash estimates', () => {
  // 600 pairs, Jaccard spread evenly from 0.1 to 1.0, union sizes from 300 to 3,000 shingles.
  const next = seeded(2024);
  const pairs = Array.from({ length: 600 }, (_, i) => {
    const jaccard = 0.1 + (0.9 * i) / 599;
    const union = 300 + (next() % 2700);
    return setPairWithJaccard(next, union, Math.round(jaccard * union));
  });

  for (const variant of ['classic', 'oph'] as const) {
    it(`${variant}: every estimate is within 4·sqrt(J(1−J)/numPerm) of the exact Jaccard`, () => {
      const errors = errorsFor(variant, pairs);
      errors.forEach((error, i) => {
        const j = pairs[i]!.jaccard;
        const bound = 4 * Math.sqrt((j * (1 - j)) / NUM_PERM);
        expect(Math.abs(error), `pair ${i}, J=${j.toFixed(3)}`).toBeLessThanOrEqual(bound + 1e-12);
      });
    });
  }

  it('the fast variant (oph) has a mean squared error at most 1.1× the reference (classic)', () => {
    const mse = (errors: number[]) => errors.reduce((sum, e) => sum + e * e, 0) / errors.length;
    const classic = mse(errorsFor('classic', pairs));
    const oph = mse(errorsFor('oph', pairs));
    expect(oph).toBeLessThanOrEqual(1.1 * classic);
  });

  it('is unbiased: the mean error of each variant is within 3 standard errors of 0', () => {
    for (const variant of ['classic', 'oph'] as const) {
      const errors = errorsFor(variant, pairs);
      const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
      const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / (errors.length - 1));
      expect(Math.abs(mean), variant).toBeLessThanOrEqual((3 * sd) / Math.sqrt(errors.length));
    }
  });

  it('gives 1 for identical sets and distinguishes tiny distinct sets', () => {
    for (const variant of ['classic', 'oph'] as const) {
      const sketcher = createSketcher({ numPerm: NUM_PERM, seed: 3, shingleSize: 5, variant });
      const set = Uint32Array.from([5, 9, 1234567, 42]);
      expect(estimateJaccard(sketcher.sketch(set), sketcher.sketch(set.slice().reverse()))).toBe(1);
      expect(estimateJaccard(sketcher.sketch(Uint32Array.of(1)), sketcher.sketch(Uint32Array.of(2)))).toBe(0);
    }
  });
});

describe('signature parameters', () => {
  it('refuse to compare signatures made with different parameters', () => {
    const set = Uint32Array.from([1, 2, 3]);
    const base = { numPerm: 64, seed: 1, shingleSize: 5, variant: 'oph' as const };
    const reference = createSketcher(base).sketch(set);
    for (const other of [{ numPerm: 32 }, { seed: 2 }, { shingleSize: 4 }, { variant: 'classic' as const }]) {
      const signature = createSketcher({ ...base, ...other }).sketch(set);
      expect(() => estimateJaccard(reference, signature)).toThrow(SyndicError);
      expect(() => estimateJaccard(reference, signature)).toThrow(/different parameters/);
    }
  });

  it('carry their parameters', () => {
    const signature = createSketcher({ numPerm: 16, seed: 9, shingleSize: 7, variant: 'classic' }).sketch(Uint32Array.of(1));
    expect(signature.params).toEqual({ numPerm: 16, seed: 9, shingleSize: 7, variant: 'classic' });
    expect(signature.values.length).toBe(16);
  });
});
