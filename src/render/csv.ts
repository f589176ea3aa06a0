/**
 * `--format csv`: the document pairs (duplicates, then syndication), one row each, RFC 4180.
 */
import type { DetectionResult } from '../detect/types.js';

/** Header of the pairs table. */
export const CSV_COLUMNS = ['type', 'a', 'b', 'jaccard', 'a_in_b', 'b_in_a', 'shared_paragraphs', 'origin', 'method'] as const;

/** A field quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The pairs as CSV with a header row and CRLF line ends. */
export function renderCsv(result: DetectionResult): string {
  const rows: Array<Array<string | number>> = [[...CSV_COLUMNS]];
  for (const pair of result.duplicates.pairs) {
    rows.push(['duplicate', pair.a, pair.b, pair.jaccard, pair.containment.aInB, pair.containment.bInA, '', pair.origin, pair.method]);
  }
  for (const pair of result.syndication) {
    rows.push(['syndication', pair.a, pair.b, '', pair.containment.aInB, pair.containment.bInA, pair.sharedParagraphs, pair.origin, '']);
  }
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
