import { describe, expect, it } from 'vitest';
import { segmentParagraphs } from '../../src/index.js';
import { segmentUnits } from '../../src/text/segment.js';

describe('segmentParagraphs', () => {
  it('returns non-blank lines, trimmed, with original offsets', () => {
    const text = '  first line \r\n\r\n\tsecond\u00a0\n \n\u200fthird\rfourth';
    const paragraphs = segmentParagraphs(text);
    expect(paragraphs.map((p) => text.slice(p.start, p.end))).toEqual(['first line', 'second', 'third', 'fourth']);
    expect(paragraphs.map((p) => p.index)).toEqual([0, 1, 2, 3]);
  });

  it('gives no paragraphs for empty or blank text', () => {
    expect(segmentParagraphs('')).toEqual([]);
    expect(segmentParagraphs(' \n\t\r\n ')).toEqual([]);
  });

  it('treats a text without line breaks as one paragraph', () => {
    expect(segmentParagraphs('one paragraph')).toEqual([{ index: 0, start: 0, end: 13 }]);
  });
});

describe('segmentUnits', () => {
  /** The lines of `text` split by the line-break pattern, trimmed by String#trim's set plus zero-width and bidi controls. */
  function reference(text: string): Array<[number, number]> {
    const blank = /[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
    const out: Array<[number, number]> = [];
    let lineStart = 0;
    const add = (lineEnd: number): void => {
      let start = lineStart;
      let end = lineEnd;
      while (start < end && blank.test(text[start]!)) start++;
      while (end > start && blank.test(text[end - 1]!)) end--;
      if (end > start) out.push([start, end]);
    };
    for (const match of text.matchAll(/\r\n|[\n\r\u2028\u2029\u000b\u000c\u0085]/g)) {
      add(match.index);
      lineStart = match.index + match[0].length;
    }
    add(text.length);
    return out;
  }

  it('splits random texts of breaks, blanks and letters as the line-break pattern does', () => {
    const pieces = ['\n', '\r', '\r\n', '\n\r', '\u2028', '\u2029', '\u000b', '\u000c', '\u0085', ' ', '\t', '\u00a0', '\u200f', '\u3000', 'a', 'ب', 'xy'];
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 500; round++) {
      let text = '';
      for (let i = next() % 40; i > 0; i--) text += pieces[next() % pieces.length];
      const units = new Uint16Array(Array.from(text, (c) => c.charCodeAt(0)));
      const { starts, ends } = segmentUnits(units, units.length);
      expect(Array.from(starts, (start, p) => [start, ends[p]])).toEqual(reference(text));
    }
  });
});
