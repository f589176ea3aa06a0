/**
 * `--format csv`: one table, RFC 4180 with a header row and CRLF line ends. By default the document
 * pairs (duplicates, then syndication) under one header ({@link CSV_COLUMNS}, documented in the
 * README): each row names both documents as `a`/`b` (input order) and as `origin`/`copy` (who
 * copied whom), with the outlet, date, title and url of origin and copy where the input has them
 * (empty otherwise). `--csv-table` picks the stories (one row per member), the outlets (copy
 * share) or the outlet flows instead.
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
  return csvRows(rows);
}
