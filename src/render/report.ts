/**
 * The scan report in the format asked for: the one switch over the renderers.
 */
import type { DetectionResult } from '../detect/types.js';
import type { DocumentRecord } from '../records.js';
import { renderCsv, type CsvTable } from './csv.js';
import { renderHtml } from './html/html.js';
import { renderJson, renderJsonChunks } from './json.js';
import { renderJsonl, renderJsonlLines } from './jsonl.js';
import { renderText, textReportLimits, TEXT_REPORT_LIMITS } from './text.js';

/** Output formats of `scan`. */
export const SCAN_FORMATS = ['text', 'json', 'jsonl', 'csv', 'html'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** Presentation options of a report. */
export interface ReportOptions {
  /** Entries per section of the text report (default 5). */
  top?: number;
  /** The table of a CSV report (default the pairs). */
  csvTable?: CsvTable;
}

/** The report in the chosen format. */
export function renderReport(format: ScanFormat, result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, records, options.top === undefined ? TEXT_REPORT_LIMITS : textReportLimits(options.top));
    case 'json':
      return renderJson(result);
    case 'jsonl':
      return renderJsonl(result);
    case 'csv':
      return renderCsv(result, options.csvTable);
    case 'html':
      return renderHtml(result, records);
  }
}

/**
 * The report in pieces whose concatenation is {@link renderReport}'s: JSON and JSONL reports of
 * a million documents are longer than the longest string V8 can make.
 */
export function reportChunks(format: ScanFormat, result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): Iterable<string> {
  if (format === 'json') return renderJsonChunks(result);
  if (format === 'jsonl') return renderJsonlLines(result);
  return [renderReport(format, result, records, options)];
}
