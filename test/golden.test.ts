/**
 * Golden values: hashes, PRNG output and signatures are pinned so that indexes and reports stay
 * comparable across runs, processes, machines and refactors. A change here is a format change.
 */
import { describe, expect, it } from 'vitest';
import { createNormalizer, createShingleHasher, createSketcher, loadFingerprinter } from '../src/index.js';
import { fmix32, splitMix32 } from '../src/sketch/hash.js';

const TEXTS = {
  arabic: 'وزير الخارجية الروسي',
  latin: 'The quick brown fox',
  emoji: 'news 🗞️ today 😀',
  empty: '',
  short: 'ab',
};

const GOLDEN: Record<keyof typeof TEXTS, { normalized: string; firstHashes: number[]; count: number; classic: number[]; oph: number[] }> = {
  arabic: {
    normalized: 'وزير الخارجيه الروسي',
    firstHashes: [1380740275, 225865802, 2642049420, 1181368428],
    count: 16,
    classic: [58625281, 59230031, 795451780, 100790553, 634660833, 496892415, 180794416, 67795871],
    oph: [359651825, 556551023, 1082657430, 1619954408, 2156636099, 2738354613, 3586643395, 4263829226],
  },
  latin: {
    normalized: 'the quick brown fox',
    firstHashes: [359657522, 4180612352, 1031926256, 847018593],
    count: 15,
    classic: [332123527, 546595582, 188679781, 44917109, 167329127, 131767075, 78224768, 39719536],
    oph: [2929753298, 577878506, 1316782178, 1912912447, 2179311103, 2929753298, 2929753298, 3891930031],
  },
  emoji: {
    normalized: 'news 🗞️ today 😀',
    firstHashes: [1244783621, 1268756524, 4210354084, 2644887348],
    count: 13,
    classic: [50412782, 445439944, 711758001, 88243973, 411647112, 865866926, 78189966, 236251143],
    oph: [21233708, 546263005, 546263005, 1796571615, 2307378754, 2862476784, 3464458943, 4273503540],
  },
  empty: {
    normalized: '',
    firstHashes: [3465418537],
    count: 1,
    classic: [1945363251, 4181908219, 2202005454, 2480868299, 4059040635, 1383081087, 3000262564, 3102928449],
    oph: Array(8).fill(4085509955),
  },
  short: {
    normalized: 'ab',
    firstHashes: [752356198],
    count: 1,
    classic: [2422578846, 2379353560, 3654495275, 2901501340, 319455296, 4044930198, 2683552301, 3516466416],
    oph: Array(8).fill(1890901636),
  },
};

describe('golden values', () => {
  it('pins the seeded PRNG and the 32-bit finalizer', () => {
    const next = splitMix32(42);
    expect([next(), next(), next(), next()]).toEqual([939911724, 3948730756, 321366731, 3317318717]);
    expect([fmix32(0), fmix32(1), fmix32(0xdeadbeef)]).toEqual([0, 1364076727, 233162409]);
  });

  const normalizer = createNormalizer();
  const hasher = createShingleHasher(5, 1);
  for (const [name, text] of Object.entries(TEXTS) as Array<[keyof typeof TEXTS, string]>) {
    it(`pins normalization, shingle hashes and both signatures on ${name} text`, () => {
      const golden = GOLDEN[name];
      const normalized = normalizer.normalize(text);
      expect(normalized).toBe(golden.normalized);
      const hashes = hasher.hashText(normalized);
      expect(hashes.length).toBe(golden.count);
      expect(Array.from(hashes.slice(0, 4))).toEqual(golden.firstHashes);
      for (const variant of ['classic', 'oph'] as const) {
        const signature = createSketcher({ numPerm: 8, seed: 1, shingleSize: 5, variant }).sketch(hashes);
        expect(Array.from(signature.values), variant).toEqual(golden[variant]);
      }
    });
  }

  it('pins the 64-bit exact fingerprints', async () => {
    const fingerprinter = await loadFingerprinter();
    expect(fingerprinter.fingerprintText('وزير')).toBe(5015021827210357119n);
    expect(fingerprinter.fingerprintText('')).toBe(17241709254077376921n);
  });
});
