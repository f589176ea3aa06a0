/**
 * `--format jsonl`: one line per finding, each with a `type`: `duplicate` (a document pair),
 * `syndication` (a document pair), `paragraph` (a repeated-paragraph cluster, with its `kind`).
 */
import type { DetectionResult } from '../../detect.js';

/** One JSON line per duplicate pair, syndication pair and paragraph cluster, in that order. */
export function renderJsonl(result: DetectionResult): string {
  const lines: string[] = [];
  for (const pair of result.duplicates.pairs) lines.push(JSON.stringify({ type: 'duplicate', ...pair }));
  for (const pair of result.syndication) lines.push(JSON.stringify({ type: 'syndication', ...pair }));
  for (const cluster of result.paragraphs) lines.push(JSON.stringify({ type: 'paragraph', ...cluster }));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
