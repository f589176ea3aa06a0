/**
 * Paragraph segmentation: non-empty lines, trimmed, with their offsets in the original text.
 */

/** One paragraph: `text.slice(start, end)` is its trimmed original text. */
export interface Paragraph {
  /** Ordinal among the document's non-empty paragraphs, from 0. */
  index: number;
  start: number;
  end: number;
}

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u000b\u000c\u0085]/g;

function isBlank(unit: number): boolean {
  // ASCII whitespace, NBSP, the Unicode spaces, zero-width and bidi controls, BOM.
  return (
    unit === 32 || (unit >= 9 && unit <= 13) || unit === 0xa0 || unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200f) || unit === 0x202f || unit === 0x205f || unit === 0x3000 ||
    unit === 0xfeff || (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)
  );
}

/** Split `text` into paragraphs: lines that are not blank after trimming. */
export function segmentParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let lineStart = 0;
  const addLine = (lineEnd: number): void => {
    let start = lineStart;
    let end = lineEnd;
    while (start < end && isBlank(text.charCodeAt(start))) start++;
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    if (end > start) paragraphs.push({ index: paragraphs.length, start, end });
  };
  LINE_BREAK.lastIndex = 0;
  for (let match = LINE_BREAK.exec(text); match !== null; match = LINE_BREAK.exec(text)) {
    addLine(match.index);
    lineStart = match.index + match[0].length;
  }
  addLine(text.length);
  return paragraphs;
}
