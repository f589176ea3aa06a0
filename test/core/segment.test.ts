import { describe, expect, it } from 'vitest';
import { segmentParagraphs } from '../../src/index.js';

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
