/**
 * Self-contained HTML report of a scan (being built: see the HTML report issue).
 */
import { SyndicError } from '../errors.js';
import type { DetectionResult } from '../detect.js';
import type { DocumentRecord } from '../records.js';

/** Render a scan result and its records as one self-contained HTML page. */
export function renderHtml(result: DetectionResult, records: readonly DocumentRecord[]): string {
  void result;
  void records;
  throw new SyndicError('syndic: --format html is not available yet');
}
