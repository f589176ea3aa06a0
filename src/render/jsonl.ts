/**
/**
 * `--format jsonl`: one JSON object per line, each with a `type`, in this order: `stats` (one
 * line: the format version and the run's counts), `document` (one per input document: id,
 * source, date, title, url where the input has them, chars, paragraphs, internal repeats),
 * `duplicate` (a document pair), `cluster` (a near-duplicate cluster: its index in the JSON
 * report's `duplicates.clusters`, representative, size, members), `syndication` (a document
 * pair), `paragraph` (a repeated-paragraph cluster, with its `kind`), `story` (a story with its
 * members), `outlet` (an outlet's copy share), `flow` (copies from one outlet to another).
 */
import type { DetectionResult, ParagraphCluster } from '../detect/types.js';

/** The lines of {@link renderJsonlLines} joined. */
export function renderJsonl(result: DetectionResult): string {
  return [...renderJsonlLines(result)].join('');
}

/** The report's lines, each with its line break, one at a time. */
export function* renderJsonlLines(result: DetectionResult): Generator<string> {
  yield `${JSON.stringify({ type: 'stats', version: result.version, ...result.stats })}\n`;
  for (const doc of result.documents) yield `${JSON.stringify({ type: 'document', ...doc })}\n`;
  for (const pair of result.duplicates.pairs) yield `${JSON.stringify({ type: 'duplicate', ...pair })}\n`;
  let index = 0;
  for (const cluster of result.duplicates.clusters) {
    yield `${JSON.stringify({ type: 'cluster', index: index++, representative: cluster.representative, size: cluster.members.length, members: cluster.members })}\n`;
  }
  for (const pair of result.syndication) yield `${JSON.stringify({ type: 'syndication', ...pair })}\n`;
  // A result's clusters are read through getters (detect/paragraph-clusters.ts): spread their JSON object.
  for (const cluster of result.paragraphs) yield `${JSON.stringify({ type: 'paragraph', ...plain(cluster) })}\n`;
  for (const story of result.stories) yield `${JSON.stringify({ type: 'story', ...story })}\n`;
  for (const outlet of result.outlets.outlets) yield `${JSON.stringify({ type: 'outlet', ...outlet })}\n`;
  for (const flow of result.outlets.flows) yield `${JSON.stringify({ type: 'flow', ...flow })}\n`;
}

/** The contract's object of a cluster, whether it is a plain object or a result's view. */
function plain(cluster: ParagraphCluster): ParagraphCluster {
  const { kind, text, occurrences } = cluster;
  return { kind, text, occurrences };
}
