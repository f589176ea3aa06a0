/**
 * The anchor candidates of syndication (detect/containment-candidates.ts) found on a worker while
 * the main thread runs the document and paragraph passes (measure-pool.ts starts the task): they
 * need only the documents' anchors, which travel as one flat array. The worker runs the very same
 * function, so the pairs are the same.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { anchorRunsOf, candidatesOfRuns, type ContainmentCandidates } from '../detect/containment-candidates.js';

/** Every document's anchors one after another; document d's end at `ends[d]`. */
export interface AnchorLists {
  anchors: Uint32Array;
  ends: Uint32Array;
}

/**
 * The anchor candidates of the lists `task` holds (on a worker). The task lets go of them once the
 * runs of shared anchors are found: the runs are as large again, and a million documents' anchors
 * are half a gigabyte.
 */
export function anchorCandidatesOf(task: { lists: AnchorLists | null }): ContainmentCandidates {
  const runs = anchorRunsOf(documentsOf(task.lists!));
  task.lists = null;
  return candidatesOfRuns(runs);
}

function documentsOf(lists: AnchorLists): Array<{ anchors: Uint32Array }> {
  return Array.from(lists.ends, (end, d) => ({ anchors: lists.anchors.subarray(d === 0 ? 0 : lists.ends[d - 1]!, end) }));
}

/** The {@link AnchorLists} of `analyses` (on the main thread). */
export function anchorListsOf(analyses: readonly DocumentAnalysis[]): AnchorLists {
  const ends = new Uint32Array(analyses.length);
  let total = 0;
  analyses.forEach((analysis, d) => (ends[d] = total += analysis.anchors.length));
  const anchors = new Uint32Array(total);
  analyses.forEach((analysis, d) => anchors.set(analysis.anchors, d === 0 ? 0 : ends[d - 1]!));
  return { anchors, ends };
}
