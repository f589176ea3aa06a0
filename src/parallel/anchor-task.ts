/**
 * The anchor candidates of syndication (detect/containment-candidates.ts) found on a worker while
 * the main thread runs the document and paragraph passes (measure-pool.ts starts the task): they
 * need only the documents' anchors, which travel as one flat array. The worker runs the very same
 * function, so the pairs are the same.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { containmentCandidates, type ContainmentCandidates } from '../detect/containment-candidates.js';

/** Every document's anchors one after another; document d's end at `ends[d]`. */
export interface AnchorLists {
  anchors: Uint32Array;
  ends: Uint32Array;
}

/** The anchor candidates of `lists` (on a worker). */
export function anchorCandidatesOf(lists: AnchorLists): ContainmentCandidates {
  const documents = Array.from(lists.ends, (end, d) => ({ anchors: lists.anchors.subarray(d === 0 ? 0 : lists.ends[d - 1]!, end) }));
  return containmentCandidates(documents);
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
