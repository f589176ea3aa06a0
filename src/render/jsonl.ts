/**
 * `--format jsonl`: one line per finding, each with a `type`: `duplicate` (a document pair),
 * `syndication` (a document pair), `paragraph` (a repeated-paragraph cluster, with its `kind`),
 * `story` (a story with its members), `outlet` (an outlet's copy share), `flow` (copies from one
 * outlet to another).
 */
import type { DetectionResult } from '../detect/types.js';

/** One JSON line per duplicate pair, syndication pair, paragraph cluster, story, outlet and flow, in that order. */
export function renderJsonl(result: DetectionResult): string {
  return [...renderJsonlLines(result)].join('');
}

/** The lines of {@link renderJsonl}, each with its line break, one at a time. */
export function* renderJsonlLines(result: DetectionResult): Generator<string> {
  for (const pair of result.duplicates.pairs) yield `${JSON.stringify({ type: 'duplicate', ...pair })}\n`;
  for (const pair of result.syndication) yield `${JSON.stringify({ type: 'syndication', ...pair })}\n`;
  for (const cluster of result.paragraphs) yield `${JSON.stringify({ type: 'paragraph', ...cluster })}\n`;
  for (const story of result.stories) yield `${JSON.stringify({ type: 'story', ...story })}\n`;
  for (const outlet of result.outlets.outlets) yield `${JSON.stringify({ type: 'outlet', ...outlet })}\n`;
  for (const flow of result.outlets.flows) yield `${JSON.stringify({ type: 'flow', ...flow })}\n`;
}
