/**
 * Property-based tests (fast-check, fixed seed) of invariants the rest of syndic relies on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNormalizer, createShingleHasher, createSketcher, estimateJaccard, findDuplicates, normalize } from '../../src/index.js';
import { setPairWithJaccard, seeded } from './random-sets.js';

const SETTINGS = { seed: 20261123, numRuns: 200 };

const SENTENCES = [
  'كشف وزير الخارجية الروسي أن بلاده وتركيا وإيران أصبحت قريبة جداً من رسم حدود مناطق خفض التصعيد',
  'وانطلقت أمس الاثنين الجولة السابعة من مفاوضات جنيف بين النظام السوري والمعارضة',
  'ويسري منذ الأحد الماضي وقف لإطلاق النار في درعا جنوب سوريا برعاية روسية أمريكية',
  'أعلنت وزارة الدفاع أنها نفذت عشرات الطلعات الجوية خلال الأسبوع الماضي فوق ريف إدلب',
  'قال المتحدث باسم الحكومة إن المحادثات ستستأنف الشهر المقبل في العاصمة الكازاخية أستانة',
  'ارتفعت أسعار النفط في التعاملات الآسيوية مع تراجع المخزونات الأمريكية للأسبوع الثالث',
  'The ministers met in Geneva on Monday to discuss a ceasefire in the south of the country',
  'Officials said talks would resume next month after a week of consultations with both sides',
];

describe('normalization invariants', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => normalize(normalize(text)) === normalize(text)),
      SETTINGS,
    );
  });

  it('keeps a consistent, monotonic map back to the original', () => {
    const normalizer = createNormalizer();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const result = normalizer.normalizeWithOffsets(text);
        expect(result.text).toBe(normalize(text));
        for (let i = 0; i < result.text.length; i++) {
          const start = result.sourceStart[i]!;
          const end = result.sourceEnd[i]!;
          expect(start).toBeLessThan(end);
          expect(end).toBeLessThanOrEqual(text.length);
          if (i > 0) expect(start).toBeGreaterThanOrEqual(result.sourceStart[i - 1]!);
        }
      }),
      SETTINGS,
    );
  });
});

describe('shingle invariants', () => {
  it('rolling hashes equal hashes of each k-gram computed alone, for any text and k', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (text, k) => {
        const hasher = createShingleHasher(k, 3);
        const hashes = hasher.hashText(text);
        expect(hashes.length).toBe(Math.max(1, text.length - k + 1));
        for (let i = 0; i + k <= text.length; i++) expect(hashes[i]).toBe(hasher.hashText(text.slice(i, i + k))[0]);
      }),
      { ...SETTINGS, numRuns: 100 },
    );
  });
});

describe('sketch invariants', () => {
  it('estimates stay within 4·sqrt(J(1−J)/numPerm) for random sets and seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 300, max: 3000 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom('classic' as const, 'oph' as const),
        (seed, union, jaccard, variant) => {
          const pair = setPairWithJaccard(seeded(seed), union, Math.round(jaccard * union));
          const sketcher = createSketcher({ numPerm: 128, seed, shingleSize: 5, variant });
          const estimate = estimateJaccard(sketcher.sketch(pair.a), sketcher.sketch(pair.b));
          const j = pair.jaccard;
          expect(Math.abs(estimate - j)).toBeLessThanOrEqual(4 * Math.sqrt((j * (1 - j)) / 128) + 1e-12);
        },
      ),
      { ...SETTINGS, numRuns: 150 },
    );
  });
});

describe('detection invariants', () => {
  // Documents are drawn from a pool of sentences with small edits, so real clusters occur.
  const documentArbitrary = fc.record({
    sentences: fc.array(fc.integer({ min: 0, max: SENTENCES.length - 1 }), { minLength: 2, maxLength: 5 }),
    edit: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  });

  function build(docs: Array<{ sentences: number[]; edit: number | undefined }>) {
    return docs.map((doc, i) => {
      let text = doc.sentences.map((s) => SENTENCES[s]!).join('\n');
      if (doc.edit !== undefined) text = text.slice(0, doc.edit % text.length) + ' جديد ' + text.slice(doc.edit % text.length);
      return { id: `d${i}`, text };
    });
  }

  it('gives the same clusters (and representatives) whatever the input order, and the same bytes on a rerun', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(documentArbitrary, { minLength: 2, maxLength: 14 }), fc.integer(), async (docs, shuffleSeed) => {
        const records = build(docs);
        const next = seeded(shuffleSeed);
        const shuffled = records
          .map((record) => ({ record, key: next() }))
          .sort((x, y) => x.key - y.key)
          .map((entry) => entry.record);
        const canonical = (clusters: Array<{ representative: string; members: string[] }>) =>
          clusters.map((c) => `${c.representative}:${[...c.members].sort().join(',')}`).sort();
        const first = await findDuplicates(records, { unit: 'document' });
        const again = await findDuplicates(records, { unit: 'document' });
        const reordered = await findDuplicates(shuffled, { unit: 'document' });
        expect(JSON.stringify(again)).toBe(JSON.stringify(first));
        expect(canonical(reordered.duplicates.clusters)).toEqual(canonical(first.duplicates.clusters));
      }),
      { ...SETTINGS, numRuns: 60 },
    );
  });
});
