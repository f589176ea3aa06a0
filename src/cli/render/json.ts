/**
 * `--format json`: the DESIGN contract, one object, two-space indented, with a final newline.
 */
import type { DetectionResult } from '../../detect.js';

/** The result as the contract's JSON document. */
export function renderJson(result: DetectionResult): string {
  const { version, params, stats, documents, duplicates, syndication, paragraphs } = result;
  return `${JSON.stringify({ version, params, stats, documents, duplicates, syndication, paragraphs }, null, 2)}\n`;
}
