/**
 * `--format csv`: the document pairs (duplicates, then syndication), one row each, RFC 4180,
 * under one header ({@link CSV_COLUMNS}, documented in the README). Each row names both
 * documents as `a`/`b` (input order) and as `origin`/`copy` (who copied whom), with the outlet,
 * date, title and url of origin and copy where the input has them (empty otherwise).
 */
import type { DetectionResult, DocumentSummary } from '../detect/types.js';

/** Header of the pairs table. */
export const CSV_COLUMNS = [
  'type',
  'a',
  'b',
  'jaccard',
  'a_in_b',
  'b_in_a',
  'shared_paragraphs',
  'origin',
  'method',
  'copy',
  'origin_source',
  'origin_date',
  'origin_title',
  'origin_url',
  'copy_source',
  'copy_date',
  'copy_title',
  'copy_url',
] as const;

/** A field quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The pairs as CSV with a header row and CRLF line ends. */
export function renderCsv(result: DetectionResult): string {
  const documents = new Map<string, DocumentSummary>(result.documents.map((doc) => [doc.id, doc]));
  const described = (id: string): string[] => {
    const doc = documents.get(id);
    return [doc?.source ?? '', doc?.date ?? '', doc?.title ?? '', doc?.url ?? ''];
  };
  const tail = (pair: { a: string; b: string; origin: string }): string[] => {
    const copy = pair.origin === pair.a ? pair.b : pair.a;
    return [copy, ...described(pair.origin), ...described(copy)];
  };
  const rows: Array<Array<string | number>> = [[...CSV_COLUMNS]];
  for (const pair of result.duplicates.pairs) {
    rows.push(['duplicate', pair.a, pair.b, pair.jaccard, pair.containment.aInB, pair.containment.bInA, '', pair.origin, pair.method, ...tail(pair)]);
  }
  for (const pair of result.syndication) {
    rows.push(['syndication', pair.a, pair.b, pair.jaccard, pair.containment.aInB, pair.containment.bInA, pair.sharedParagraphs, pair.origin, pair.method, ...tail(pair)]);
  }
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
