import { describe, expect, it } from 'vitest';
import { createNormalizer, normalize } from '../../src/index.js';

describe('normalize', () => {
  it('folds Arabic: tashkeel, tatweel, alef variants, ى ة ؤ ئ, Persian letters', () => {
    expect(normalize('أَحْمَدُ')).toBe('احمد');
    expect(normalize('إسلام آمن ٱلله')).toBe('اسلام امن الله');
    expect(normalize('مـــصـر')).toBe('مصر');
    expect(normalize('مستشفى مدرسة مؤتمر رئيس')).toBe('مستشفي مدرسه موتمر رييس');
    expect(normalize('ی ک')).toBe('ي ك');
  });

  it('maps Arabic-Indic and Persian digits to ASCII', () => {
    expect(normalize('٢٠١٥ و ۱۲۳')).toBe('2015 و 123');
    expect(normalize('٢٠١٥', { digits: false })).toBe('٢٠١٥');
  });

  it('unifies quotes, dashes and Arabic punctuation', () => {
    expect(normalize('«قال» “said” ‘x’ a–b—c ، ؛ ؟')).toBe('"قال" "said" \'x\' a-b-c , ; ?');
    expect(normalize('«قال»', { punctuation: false })).toBe('«قال»');
  });

  it('removes bidi and zero-width controls', () => {
    expect(normalize('a\u200bb\u200fc\u202ad\u2066e\ufefff\u061cg')).toBe('abcdefg');
    expect(normalize('a\u200bb', { controls: false })).toBe('a\u200bb');
  });

  it('applies NFKC, including presentation forms and composition across a combining mark', () => {
    expect(normalize('ﻻ ﷲ')).toBe('لا الله');
    expect(normalize('Ｆｕｌｌ ﬁ')).toBe('full fi');
    expect(normalize('e\u0301')).toBe('é');
    expect(normalize('e\u0301', { nfkc: false })).toBe('e\u0301');
  });

  it('case folds and collapses whitespace, trimming the ends', () => {
    expect(normalize('  Hello \t\n  WORLD\u00a0 x  ')).toBe('hello world x');
    expect(normalize('A  B', { whitespace: false, caseFold: false })).toBe('A  B');
  });

  it('keeps every rule switchable: all off is the identity on plain text', () => {
    const off = { nfkc: false, caseFold: false, whitespace: false, arabic: false, digits: false, punctuation: false, controls: false };
    const text = 'أَحْمَدُ «X» ٢\u200b  ';
    expect(normalize(text, off)).toBe(text);
  });

  it('maps every normalized unit back to its original range', () => {
    const text = '  «أَحْمَدُ»  Ｘ ';
    const { text: normalized, sourceStart, sourceEnd } = createNormalizer().normalizeWithOffsets(text);
    expect(normalized).toBe('"احمد" x');
    expect(sourceStart.length).toBe(normalized.length);
    // The first letter (ا) comes from أ at index 3; the last (x) from the full-width Ｘ.
    expect(text.slice(sourceStart[1]!, sourceEnd[1]!)).toBe('أ');
    expect(text.slice(sourceStart[7]!, sourceEnd[7]!)).toBe('Ｘ');
    // Quoting a normalized span in its original form.
    expect(text.slice(sourceStart[0]!, sourceEnd[5]!)).toBe('«أَحْمَدُ»');
  });

  it('gives the same text with offsets as without (the general and the collapsed plain-run loops), marks at the start included', () => {
    const normalizer = createNormalizer();
    for (const text of ['\u0301abc', '\u0301\u0308 x', 'e\u0301', ' \u0301', 'ﬁ\u0301', '😀\u0301']) {
      expect(normalizer.normalizeWithOffsets(text).text, JSON.stringify(text)).toBe(normalize(text));
    }
    const pieces = ['a', 'e', '\u0301', '\u0308', '\u064e', ' ', '\n', 'ا', 'أ', 'ﻻ', 'ﷺ', '😀', '\ud83d', 'ـ', 'ﬁ', '«', '٣', '\u200f'];
    let state = 5;
    const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: Math.floor(next() * 10) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const { text: withOffsets, sourceStart } = normalizer.normalizeWithOffsets(text);
      expect(withOffsets, JSON.stringify(text)).toBe(normalize(text));
      expect(sourceStart.length).toBe(withOffsets.length);
    }
  });

  it('handles astral characters and lone surrogates without throwing', () => {
    expect(normalize('😀 A')).toBe('😀 a');
    expect(() => normalize('a\ud800b')).not.toThrow();
  });

  it('gives the same result for long texts as for their pieces (buffer growth)', () => {
    const piece = 'الأخبار «اليوم» ٢٠٢٣ — ﻻ ';
    const long = piece.repeat(5000);
    const expected = normalize(piece).concat(' ').repeat(5000).trim();
    expect(normalize(long) === expected).toBe(true);
  });
});
