/**
 * `--format jsonl`: one line per finding, each with a `type`: `duplicate` (a document pair),
 * `syndication` (a document pair), `paragraph` (a repeated-paragraph cluster, with its `kind`).
 */
import type { DetectionResult } from '../detect/types.js';

/** One JSON line per duplicate pair, syndication pair and paragraph cluster, in that order. */
export function renderJsonl(result: DetectionResult): string {
  return [...renderJsonlLines(result)].join('');
}

/** The lines of {@link renderJsonl}, each with its line break, one at a time. */
export function* renderJsonlLines(result: DetectionResult): Generator<string> {
  for (const pair of result.duplicates.pairs) yield `${JSON.stringify({ type: 'duplicate', ...pair })}\n`;
  for (const pair of result.syndication) yield `${JSON.stringify({ type: 'syndication', ...pair })}\n`;
  for (const cluster of result.paragraphs) yield `${JSON.stringify({ type: 'paragraph', ...cluster })}\n`;
}
