/**
 * Deduplicated output of a batch run: one record per near-duplicate cluster (its representative)
 * plus every record outside a cluster, in input order; optionally cleaned of repeated paragraphs.
 */
import type { DetectionResult } from './types.js';
import { recordMetadata, type DocumentRecord } from '../records.js';
import { relationOf } from './policy.js';

/** Options of {@link dedupRecords}. */
export interface DedupOptions {
  /**
   * Remove from each surviving text the paragraphs that repeat an earlier paragraph of the same
   * text (internal repeats) and every boilerplate paragraph (site chrome).
   */
  clean?: boolean;
  /**
   * Drop syndicated copies too: the later document of each syndication pair when it lies inside
   * the other (relation `copy`); a document that holds its origin inside new material stays.
   */
  dropSyndicated?: boolean;
}

/**
 * The records that survive deduplication, in input order: the representative of each duplicate
 * cluster and every record in none. `result` must come from a run over these same `records`.
 * Syndication pairs are different documents (one quotes the other): both survive unless
 * `dropSyndicated` asks to drop the copies.
 */
export function dedupRecords(records: readonly DocumentRecord[], result: DetectionResult, options: DedupOptions = {}): DocumentRecord[] {
  return [...survivingRecords(records, result, options)];
}

/**
 * {@link dedupRecords} one record at a time: a text is read (and cleaned) only when its record is
 * reached, so records whose texts live on disk are written out without holding them all.
 */
export function* survivingRecords(records: Iterable<DocumentRecord>, result: DetectionResult, options: DedupOptions = {}): Generator<DocumentRecord> {
  const dropped = new Set<string>();
  for (const cluster of result.duplicates.clusters) {
    for (const id of cluster.members) if (id !== cluster.representative) dropped.add(id);
  }
  if (options.dropSyndicated) {
    for (const pair of result.syndication) {
      const copy = pair.origin === pair.a ? pair.b : pair.a;
      const copyInOrigin = copy === pair.a ? pair.containment.aInB : pair.containment.bInA;
      const originInCopy = copy === pair.a ? pair.containment.bInA : pair.containment.aInB;
      if (relationOf('syndicated', copyInOrigin, originInCopy, result.params) === 'copy') dropped.add(copy);
    }
  }
  const removals = options.clean ? paragraphsToRemove(result) : new Map<string, Array<[number, number]>>();
  for (const record of records) {
    if (dropped.has(record.id)) continue;
    const ranges = removals.get(record.id);
    yield ranges ? withText(record, removeLines(record.text, ranges)) : record;
  }
}

/** A copy of `record` with another text (the fields it has, read by name: its text may be a getter). */
function withText(record: DocumentRecord, text: string): DocumentRecord {
  return { id: record.id, text, ...recordMetadata(record) };
}

/**
 * Per document, the original [start, end) ranges of paragraphs to drop: every occurrence of a
 * boilerplate paragraph, and every occurrence of any other repeated paragraph after its first in
 * the same document.
 */
export function paragraphsToRemove(result: DetectionResult): Map<string, Array<[number, number]>> {
  const removals = new Map<string, Array<[number, number]>>();
  const add = (id: string, start: number, end: number): void => {
    let ranges = removals.get(id);
    if (!ranges) removals.set(id, (ranges = []));
    ranges.push([start, end]);
  };
  for (const cluster of result.paragraphs) {
    const seen = new Set<string>();
    for (const occurrence of cluster.occurrences) {
      if (cluster.kind === 'boilerplate' || seen.has(occurrence.id)) add(occurrence.id, occurrence.start, occurrence.end);
      seen.add(occurrence.id);
    }
  }
  for (const ranges of removals.values()) ranges.sort((x, y) => x[0] - y[0]);
  return removals;
}

/**
 * `text` without the lines holding the given paragraph ranges (sorted by start). A paragraph is
 * one line, so its whole line goes, with its line break; a blank line left doubled by a removal
 * goes too, so the paragraph spacing of the text is kept.
 */
export function removeLines(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  const kept: string[] = [];
  let position = 0;
  for (const [start, end] of ranges) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (lineStart < position) continue;
    const newline = text.indexOf('\n', end);
    let lineEnd = newline < 0 ? text.length : newline + 1;
    // A removed line between two blank lines would leave two blank lines: drop the second one.
    const blankBefore = lineStart >= 1 && (lineStart === 1 || /\n\r?\n$/.test(text.slice(Math.max(0, lineStart - 3), lineStart)));
    if (blankBefore) {
      const blank = /^\r?\n/.exec(text.slice(lineEnd, lineEnd + 2));
      if (blank) lineEnd += blank[0].length;
    }
    kept.push(text.slice(position, lineStart));
    position = lineEnd;
  }
  kept.push(text.slice(position));
  return kept.join('');
}

/** The near-duplicate cluster a surviving record stands for. */
export interface ClusterAnnotation {
  /** Index of the cluster in `result.duplicates.clusters`. */
  index: number;
  /** Documents in the cluster, the survivor included. */
  size: number;
}

/**
 * For each cluster's representative (the record that survives deduplication), the cluster it
 * stands for; records in no cluster have no entry.
 */
export function clusterAnnotations(result: DetectionResult): Map<string, ClusterAnnotation> {
  const annotations = new Map<string, ClusterAnnotation>();
  result.duplicates.clusters.forEach((cluster, index) => annotations.set(cluster.representative, { index, size: cluster.members.length }));
  return annotations;
}
