/**
 * Candidate pairs for containment: documents that share a good part of the smaller one's
 * anchors (see analyze/anchors.ts). A short statement quoted whole inside a long round-up, or a
 * copy edited throughout, has a document Jaccard far under any LSH threshold, but it keeps most of
 * the anchors of the passages it shares, wherever they sit.
 *
 * Postings (anchor, document) are sorted by anchor in slices of the hash range, so memory stays
 * bounded; every run of an anchor adds its document pairs to a counter, and a pair becomes a
 * candidate when its shared anchors reach {@link ANCHOR_SHARE} of the smaller document's.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { intersectionSize } from '../analyze/similarity.js';
import { PairCollector, radixSortPairs } from '../lsh/group.js';

/**
 * Share of the smaller document's anchors that a pair must share. A copy whose content lies 80%
 * inside the other keeps most of its anchors even when edited every few words; unrelated articles
 * on one topic share a few phrases, not a fifth of their passages.
 */
export const ANCHOR_SHARE = 0.2;

/**
 * Share of the smaller document's anchors that a candidate from another source (a document LSH
 * pair under the threshold, a shared syndicated paragraph) must share to be measured at all.
 * Half of {@link ANCHOR_SHARE}: those sources find copies the anchor counts miss only because
 * common anchors make no pairs, and such copies still share most of their rarer anchors; a pair
 * under it would be measured for nothing (on ../shared/data every syndicated copy shares at least
 * 16% of its anchors).
 */
export const ANCHOR_GATE = ANCHOR_SHARE / 2;

/** Shared anchors of documents `a` and `b` over the smaller one's (1 when one has none). */
export function anchorShare(a: DocumentAnalysis, b: DocumentAnalysis): number {
  const fewer = Math.min(a.anchors.length, b.anchors.length);
  return fewer === 0 ? 1 : intersectionSize(a.anchors, b.anchors) / fewer;
}

/**
 * An anchor in more documents than this makes no pairs: it is site chrome or a stock phrase, and
 * its pairs would grow with the square of its documents. Copies of one article still share
 * their other anchors; identical documents are grouped by the document pass.
 */
export const ANCHOR_MAX_DOCUMENTS = 100;

/** Postings sorted at a time: bounds the sort's memory (16 bytes a posting). */
const POSTINGS_PER_SLICE = 1 << 22;

/** Candidate pairs of documents (flat [a0, b0, …], a < b, sorted) and anchors left out as too common. */
export interface ContainmentCandidates {
  pairs: Uint32Array;
  commonAnchors: number;
}

export function containmentCandidates(analyses: readonly DocumentAnalysis[]): ContainmentCandidates {
  let total = 0;
  for (const analysis of analyses) total += analysis.anchors.length;
  const slices = Math.max(1, Math.ceil(total / POSTINGS_PER_SLICE));
  const sliceWidth = Math.ceil(0x1_0000_0000 / slices);
  const cursor = new Uint32Array(analyses.length);
  const shared = new PairCollector();
  let commonAnchors = 0;
  for (let slice = 0; slice < slices; slice++) {
    const end = Math.min(0x1_0000_0000, (slice + 1) * sliceWidth);
    let size = 0;
    analyses.forEach((analysis, d) => {
      let at = cursor[d]!;
      while (at < analysis.anchors.length && analysis.anchors[at]! < end) at++;
      size += at - cursor[d]!;
    });
    const anchors = new Uint32Array(size);
    const documents = new Uint32Array(size);
    let filled = 0;
    analyses.forEach((analysis, d) => {
      let at = cursor[d]!;
      while (at < analysis.anchors.length && analysis.anchors[at]! < end) {
        anchors[filled] = analysis.anchors[at++]!;
        documents[filled++] = d;
      }
      cursor[d] = at;
    });
    // Stable: within a run of one anchor, documents stay in input order.
    radixSortPairs(anchors, documents, new Uint32Array(size), new Uint32Array(size));
    for (let start = 0, i = 1; i <= size; i++) {
      if (i < size && anchors[i] === anchors[start]) continue;
      if (i - start > ANCHOR_MAX_DOCUMENTS) commonAnchors++;
      else for (let x = start; x < i; x++) for (let y = x + 1; y < i; y++) shared.add(documents[x]!, documents[y]!);
      start = i;
    }
  }

  const { pairs, counts } = shared.finishCounted();
  const kept = new PairCollector();
  for (let p = 0; p < counts.length; p++) {
    const a = pairs[2 * p]!;
    const b = pairs[2 * p + 1]!;
    const fewer = Math.min(analyses[a]!.anchors.length, analyses[b]!.anchors.length);
    if (counts[p]! >= ANCHOR_SHARE * fewer) kept.add(a, b);
  }
  return { pairs: kept.finish(), commonAnchors };
}
