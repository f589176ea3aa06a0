/**
 * The one source of exact shingle sets: from kept hashes and rebuilt from the text, the same sets,
 * for every document, document content (a paragraph left out) and paragraph (empty and short ones
 * included).
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer, loadFingerprinter, resolveOptions, toShingleSet } from '../../src/index.js';
import { ShingleSets } from '../../src/analyze/shingle-sets.js';

const texts = [
  'وزير الخارجية الروسي يلتقي نظيره الأمريكي في جنيف\n\nقصير\n\nThe quick brown fox jumps over the lazy dog.',
  'ﷺ ﻻ e\u0301te\u0301 — “quoted” ١٢٣\n   \nوزير الخارجية الروسي',
  '',
  'abc',
];

describe('ShingleSets', () => {
  it('gives the same document and paragraph sets from kept hashes as rebuilt from the text', async () => {
    const fingerprinter = await loadFingerprinter();
    for (const shingleSize of [3, 5]) {
      const options = resolveOptions({ shingleSize, minParagraphChars: 10 });
      const kept = texts.map((text) => createAnalyzer(options, fingerprinter, { keepHashes: true }).analyze(text));
      const rebuilt = texts.map((text) => createAnalyzer(options, fingerprinter, { keepHashes: false }).analyze(text));
      expect(rebuilt.every((analysis) => analysis.hashes === null)).toBe(true);
      const fromHashes = new ShingleSets((d) => texts[d]!, kept, options);
      const fromText = new ShingleSets((d) => texts[d]!, rebuilt, options);
      for (let d = 0; d < texts.length; d++) {
        expect(fromHashes.document(d)).toEqual(toShingleSet(kept[d]!.hashes!));
        expect(fromText.document(d)).toEqual(fromHashes.document(d));
        const count = kept[d]!.paragraphStart.length;
        const none = new Uint8Array(count);
        const first = Uint8Array.from({ length: count }, (_, p) => Number(p === 0));
        expect(fromHashes.content(d, none)).toEqual(fromHashes.document(d));
        expect(fromText.content(d, first)).toEqual(fromHashes.content(d, first));
        if (count > 1 && kept[d]!.normalizedEnd[0]! - kept[d]!.normalizedStart[0]! >= shingleSize) {
          expect(fromHashes.content(d, first).length).toBeLessThan(fromHashes.document(d).length);
        }
        for (let p = 0; p < kept[d]!.paragraphStart.length; p++) {
          const length = kept[d]!.normalizedEnd[p]! - kept[d]!.normalizedStart[p]!;
          expect(fromText.paragraph(d, p), `text ${d} paragraph ${p}`).toEqual(fromHashes.paragraph(d, p));
          // No whole k-gram inside a shorter paragraph: an empty set.
          expect(fromHashes.paragraph(d, p).length > 0).toBe(length >= shingleSize);
        }
      }
    }
  });
});
