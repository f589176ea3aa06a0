/**
 * The anchor candidates of syndication (detect/containment-candidates.ts) found on a worker while
 * the main thread runs the document and paragraph passes (measure-pool.ts starts the task): they
 * need only the documents' anchors, which travel in the buffers the batches were read into (see
 * takeAnchors in codec.ts). The worker runs the very same function, so the pairs are the same; it
 * hands back with them the documents' shared anchors, all the run needs of the anchors afterwards.
 */
import { anchorRunsOf, candidatesOfRuns, type ContainmentCandidates } from '../detect/containment-candidates.js';
import { collectReleased } from '../heap-budget.js';
import type { AnchorParts } from './codec.js';

/**
 * The anchor candidates of the anchors `task` holds (on a worker). The task lets go of them once
 * the runs of shared anchors are found, and collects them at once: the runs and their index by
 * document are as large again, a million documents' anchors are half a gigabyte, and the
 * worker's heap, nearly all typed arrays, may not reach a full collection before the task ends.
 */
export function anchorCandidatesOf(task: { anchors: AnchorParts | null }): ContainmentCandidates {
  const runs = anchorRunsOf(documentsOf(task.anchors!));
  task.anchors = null;
  collectReleased();
  return candidatesOfRuns(runs);
}

function documentsOf({ parts, counts }: AnchorParts): Array<{ anchors: Uint32Array }> {
  const documents: Array<{ anchors: Uint32Array }> = [];
  let part = 0;
  let at = 0;
  for (const count of counts) {
    // A part holds whole documents' anchors; an empty part may hold documents without any.
    while (at + count > parts[part]!.length && part + 1 < parts.length) (part++, (at = 0));
    documents.push({ anchors: parts[part]!.subarray(at, at + count) });
    at += count;
  }
  return documents;
}

/** The buffers of anchors sent to a task, moved rather than copied. */
export function anchorsTransfer({ parts, counts }: AnchorParts): ArrayBuffer[] {
  return [...parts, counts].map((array) => array.buffer as ArrayBuffer);
}

/** The buffers of the candidates a task found, moved rather than copied back. */
export function candidatesTransfer(candidates: ContainmentCandidates): ArrayBuffer[] {
  const { anchorCounts, runs, common } = candidates.shared;
  return [candidates.pairs, anchorCounts, runs.starts, runs.ids, common.starts, common.ids].map((array) => array.buffer as ArrayBuffer);
}
