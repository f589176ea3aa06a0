/**
 * `--format csv`: one table, RFC 4180 with a header row and CRLF line ends. By default the document
 * pairs (duplicates, then syndication); `--csv-table` picks the stories (one row per member), the
 * outlets (copy share) or the outlet flows instead.
 */
import type { DetectionResult } from '../detect/types.js';

/** Header of the pairs table. */
export const CSV_COLUMNS = ['type', 'a', 'b', 'jaccard', 'a_in_b', 'b_in_a', 'shared_paragraphs', 'origin', 'method'] as const;

/** A field quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The tables `--csv-table` can pick. */
export const CSV_TABLES = ['pairs', 'stories', 'outlets', 'flows'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** Header of the stories table: one row per member, the origin first in each story. */
export const STORY_CSV_COLUMNS = ['story', 'origin', 'id', 'source', 'date', 'relation', 'via', 'keeps', 'adds', 'delay_seconds'] as const;
/** Header of the outlets table. */
export const OUTLET_CSV_COLUMNS = ['source', 'articles', 'origins', 'copies', 'copy_share'] as const;
/** Header of the flows table. */
export const FLOW_CSV_COLUMNS = ['from', 'to', 'copies', 'duplicate', 'copy', 'contains', 'median_delay_seconds'] as const;

/** One table of the result as CSV (default the pairs). */
export function renderCsv(result: DetectionResult, table: CsvTable = 'pairs'): string {
  switch (table) {
    case 'pairs':
      return renderPairsCsv(result);
    case 'stories':
      return csvRows([
        [...STORY_CSV_COLUMNS],
        ...result.stories.flatMap((story) =>
          story.members.map((m) => [story.id, story.origin, m.id, m.source ?? '', m.date ?? '', m.relation, m.via ?? '', m.keeps, m.adds, m.delaySeconds ?? '']),
        ),
      ]);
    case 'outlets':
      return csvRows([[...OUTLET_CSV_COLUMNS], ...result.outlets.outlets.map((o) => [o.source, o.articles, o.origins, o.copies, o.copyShare])]);
    case 'flows':
      return csvRows([
        [...FLOW_CSV_COLUMNS],
        ...result.outlets.flows.map((f) => [f.from, f.to, f.copies, f.duplicate, f.copy, f.contains, f.medianDelaySeconds ?? '']),
      ]);
  }
}

function csvRows(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The pairs as CSV with a header row and CRLF line ends. */
function renderPairsCsv(result: DetectionResult): string {
  const rows: Array<Array<string | number>> = [[...CSV_COLUMNS]];
  for (const pair of result.duplicates.pairs) {
    rows.push(['duplicate', pair.a, pair.b, pair.jaccard, pair.containment.aInB, pair.containment.bInA, '', pair.origin, pair.method]);
  }
  for (const pair of result.syndication) {
    rows.push(['syndication', pair.a, pair.b, '', pair.containment.aInB, pair.containment.bInA, pair.sharedParagraphs, pair.origin, '']);
  }
  return csvRows(rows);
}
