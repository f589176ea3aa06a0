/**
 * b-bit sketches: the verification sketch against a plain reference implementation and against
 * exact Jaccard (seeded random sets, tolerance from the binomial bound), and the one estimator on
 * hand-written 4- and 8-bit cases.
 */
import { describe, expect, it } from 'vitest';
import { fmix32, splitMix32 } from '../../src/sketch/hash.js';
import { VERIFICATION_BYTES, VerificationSketcher, bbitEstimate, lowBytes, verificationEstimate, verifiedShingles } from '../../src/sketch/bbit.js';

const sketcher = new VerificationSketcher(1);
const sketchOf = (hashes: Uint32Array): Uint8Array => sketcher.sketch(hashes, hashes.length);

/**
 * The sketch as the layout describes it, one seed at a time with plain unsigned compares: per
 * sketch s (seed fmix32(seed + φ·(s + 1))), each hash mixed, bin = top 9 bits, bin minimum over
 * the whole 32-bit value; an empty bin takes the value of the first non-empty bin among up to 64
 * hashed picks; the low 4 bits of each bin, two bins per byte (even bin in the low half); then
 * the set's size as a little-endian u32.
 */
function referenceSketch(hashes: Uint32Array, seed: number): Uint8Array {
  const sketches = 4;
  const bins = 512;
  const out = new Uint8Array(VERIFICATION_BYTES);
  new DataView(out.buffer).setUint32(VERIFICATION_BYTES - 4, hashes.length, true);
  if (hashes.length === 0) return out;
  const probeSeed = fmix32(seed ^ 0x5bd1e995);
  const values: number[] = [];
  for (let s = 0; s < sketches; s++) {
    const mixSeed = fmix32((seed + Math.imul(0x9e3779b1, s + 1)) >>> 0);
    const mins: Array<number | undefined> = new Array(bins).fill(undefined);
    for (const hash of hashes) {
      let x = Math.imul(hash ^ mixSeed, 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 15), 0xc2b2ae35) >>> 0;
      const bin = x >>> 23;
      if (mins[bin] === undefined || x < mins[bin]!) mins[bin] = x;
    }
    for (let bin = 0; bin < bins; bin++) {
      let value = mins[bin];
      for (let attempt = 1; value === undefined && attempt <= 64; attempt++) {
        value = mins[fmix32(probeSeed ^ Math.imul(s * bins + bin + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> 23];
      }
      values.push(value === undefined ? 0x0f : value & 0x0f);
    }
  }
  for (let i = 0; i < values.length; i += 2) out[i >>> 1] = values[i]! | (values[i + 1]! << 4);
  return out;
}

describe('verification sketch', () => {
  it('equals a plain reference implementation, from empty and tiny sets (densification, sentinel) to large ones', () => {
    const random = splitMix32(17);
    for (const seed of [1, 42, 0xdeadbeef]) {
      const sketcher = new VerificationSketcher(seed);
      for (const size of [0, 1, 2, 3, 10, 60, 300, 511, 512, 2000, 9000]) {
        const hashes = Uint32Array.from({ length: size }, () => random() >>> 0);
        expect(sketcher.sketch(hashes, hashes.length)).toEqual(referenceSketch(hashes, seed));
      }
    }
  });

  it('estimates Jaccard within 4σ of the exact value (2,048 4-bit samples) on pairs of sets from 0.5 to 1', () => {
    const random = splitMix32(11);
    for (let trial = 0; trial < 60; trial++) {
      const shared = 400 + (random() % 2000);
      const own = Math.floor((shared * (random() % 100)) / 100);
      const common = Array.from({ length: shared }, () => random() >>> 0);
      const a = Uint32Array.from([...common, ...Array.from({ length: own }, () => random() >>> 0)]);
      const b = Uint32Array.from([...common, ...Array.from({ length: own }, () => random() >>> 0)]);
      const exact = shared / (shared + 2 * own);
      const estimate = verificationEstimate(sketchOf(a), sketchOf(b));
      const sigma = Math.sqrt((exact * (1 - exact)) / 2048) / (1 - 1 / 16) + 0.002;
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(4 * sigma);
    }
  });

  it('gives 1 for equal sets whatever the order or repeats, and about 0 for disjoint ones', () => {
    const random = splitMix32(3);
    const set = Uint32Array.from({ length: 900 }, () => random() >>> 0);
    const shuffled = Uint32Array.from([...set].reverse().concat([...set].slice(0, 50)));
    expect(verificationEstimate(sketchOf(set), sketchOf(shuffled))).toBe(1);
    const other = Uint32Array.from({ length: 900 }, () => random() >>> 0);
    expect(verificationEstimate(sketchOf(set), sketchOf(other))).toBeLessThan(0.05);
  });
});

describe('bbitEstimate', () => {
  it('solves m = J + (1 − J)·2^−b for J on hand-written 8-bit and 4-bit slots, at an offset, clamped at 0', () => {
    // 8 bits, 4 slots: 3 equal → m = 3/4, J = (3/4 − 1/256)/(1 − 1/256) = 191/255.
    const a = Uint8Array.of(9, 1, 2, 3, 4);
    const b = Uint8Array.of(1, 2, 3, 5, 7, 7);
    expect(bbitEstimate(a, 1, b, 0, 4, 8)).toBeCloseTo(191 / 255, 12);
    // 4 bits, 2 bytes = 4 slots: bytes 0x21 vs 0x31 (low equal, high not), 0x45 vs 0x45 → 3 of 4.
    expect(bbitEstimate(Uint8Array.of(0x21, 0x45), 0, Uint8Array.of(0x31, 0x45), 0, 2, 4)).toBeCloseTo((3 / 4 - 1 / 16) / (1 - 1 / 16), 12);
    // No slot equal: below the collision rate, clamped.
    expect(bbitEstimate(Uint8Array.of(1, 2), 0, Uint8Array.of(3, 4), 0, 2, 8)).toBe(0);
    expect(bbitEstimate(a, 1, a, 1, 4, 8)).toBe(1);
  });

  it('reads back the distinct-shingle count stored after the sketch', () => {
    expect(verifiedShingles(sketcher.sketch(Uint32Array.of(1, 2, 3), 0x01020304))).toBe(0x01020304);
    expect(verifiedShingles(sketcher.sketch(new Uint32Array(0), 0xffffffff))).toBe(0xffffffff);
  });

  it('keeps the low byte of each signature value', () => {
    expect([...lowBytes(Uint32Array.of(0x1234, 0xffffffff, 7))]).toEqual([0x34, 0xff, 7]);
  });
});

