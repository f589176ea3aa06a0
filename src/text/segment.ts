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

function isBlank(unit: number): boolean {
  // ASCII whitespace, NBSP, the Unicode spaces, zero-width and bidi controls, BOM.
  return (
    unit === 32 || (unit >= 9 && unit <= 13) || unit === 0xa0 || unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200f) || unit === 0x202f || unit === 0x205f || unit === 0x3000 ||
    unit === 0xfeff || (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)
  );
}

/** Original [start, end) of each paragraph. */
export interface ParagraphRanges {
  starts: Uint32Array;
  ends: Uint32Array;
}

let scratch = new Uint32Array(256);

/** The paragraphs of the text `units[0..length)`: lines that are not blank after trimming. */
export function segmentUnits(units: Uint16Array, length: number): ParagraphRanges {
  let count = 0;
  for (let i = 0; i <= length; i++) {
    const lineStart = i;
    // To the next line break: \n, \v, \f, \r, U+0085, U+2028, U+2029 (two tests for most units).
    for (; i < length; i++) {
      const unit = units[i]!;
      if (unit < 0x2028 ? (unit <= 13 ? unit >= 10 : unit === 0x85) : unit <= 0x2029) break;
    }
    let start = lineStart;
    let end = i;
    while (start < end && isBlank(units[start]!)) start++;
    while (end > start && isBlank(units[end - 1]!)) end--;
    if (end > start) {
      if (scratch.length < 2 * count + 2) {
        const grown = new Uint32Array(scratch.length * 2);
        grown.set(scratch);
        scratch = grown;
      }
      scratch[2 * count] = start;
      scratch[2 * count + 1] = end;
      count++;
    }
    // \r\n is one break.
    if (i + 1 < length && units[i] === 13 && units[i + 1] === 10) i++;
  }
  // One buffer for both: each typed array of its own costs an allocation outside the heap.
  const both = new Uint32Array(2 * count);
  const starts = both.subarray(0, count);
  const ends = both.subarray(count);
  for (let p = 0; p < count; p++) {
    starts[p] = scratch[2 * p]!;
    ends[p] = scratch[2 * p + 1]!;
  }
  return { starts, ends };
}

/** Split `text` into paragraphs: lines that are not blank after trimming. */
export function segmentParagraphs(text: string): Paragraph[] {
  const bytes = Buffer.from(text, 'utf16le');
  const { starts, ends } = segmentUnits(new Uint16Array(bytes.buffer, bytes.byteOffset, text.length), text.length);
  return Array.from(starts, (start, index) => ({ index, start, end: ends[index]! }));
}
