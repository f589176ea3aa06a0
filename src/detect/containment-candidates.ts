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
import { ChunkedU32 } from '../growable.js';
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

/**
 * Per document, the anchors it shares with other documents, numbered: what the anchor share of a
 * pair needs once the anchors themselves are gone. An anchor two documents share is in at least
 * two, so it is a run (2 to {@link ANCHOR_MAX_DOCUMENTS} documents) or a common anchor: counting
 * shared run and common numbers counts shared anchors.
 */
export interface SharedAnchors {
  /** Per document, its number of anchors. */
  anchorCounts: Uint32Array;
  /** The runs of each document, ascending (see {@link ByDocument}). */
  runs: ByDocument;
  /** The common anchors of each document, numbered apart, ascending. */
  common: ByDocument;
}

/** Per document d, its numbers `ids[starts[d] .. starts[d + 1])` (a compressed sparse row). */
export interface ByDocument {
  starts: Uint32Array;
  ids: Uint32Array;
}

/** Shared anchors of documents `a` and `b` over the smaller one's (1 when one has none). */
export function anchorShare(shared: SharedAnchors, a: number, b: number): number {
  const fewer = Math.min(shared.anchorCounts[a]!, shared.anchorCounts[b]!);
  if (fewer === 0) return 1;
  const { runs, common } = shared;
  return (intersectionSize(idsOf(runs, a), idsOf(runs, b)) + intersectionSize(idsOf(common, a), idsOf(common, b))) / fewer;
}

function idsOf(rows: ByDocument, d: number): Uint32Array {
  return rows.ids.subarray(rows.starts[d]!, rows.starts[d + 1]!);
}

/**
 * An anchor in more documents than this makes no pairs: it is site chrome or a stock phrase, and
 * its pairs would grow with the square of its documents. Copies of one article still share
 * their other anchors; identical documents are grouped by the document pass.
 */
export const ANCHOR_MAX_DOCUMENTS = 100;

/** Postings sorted at a time: bounds the sort's memory (16 bytes a posting). */
const POSTINGS_PER_SLICE = 1 << 22;

/** What the candidates are found from: each document's anchors (an analysis, or its anchors alone on a worker). */
export type Anchored = Pick<DocumentAnalysis, 'anchors'>;

/**
 * Candidate pairs of documents (flat [a0, b0, …], a < b, sorted), anchors left out as too common,
 * and the shared anchors of every document, for the anchor share of pairs from other sources.
 */
export interface ContainmentCandidates {
  pairs: Uint32Array;
  commonAnchors: number;
  shared: SharedAnchors;
}

/**
 * Shared anchors that make a pair a candidate: one more than this many of the required ones must
 * be found among the smaller document's rarer anchors before the pair is counted in full (the
 * rest are its most common anchors, whose long runs would cost the most to walk).
 */
const REQUIRED_RARE_HITS = 3;

/**
 * Pairs are found from the smaller document's side, as a prefix filter: a pair sharing at least
 * T = ⌈{@link ANCHOR_SHARE} · n⌉ of the n anchors of the smaller document shares at least
 * min(T, {@link REQUIRED_RARE_HITS}) of them outside any T − 3 of its anchors. So the smaller
 * document's most common anchors are left out, its other runs are walked with a dense counter
 * (ScanCount), and only a document reaching that many hits is counted in full (a merge of the two
 * documents' sorted run lists). The pairs are exactly those sharing ≥ T anchors.
 */
export function containmentCandidates(analyses: readonly Anchored[]): ContainmentCandidates {
  return candidatesOfRuns(anchorRunsOf(analyses));
}

/** The second step of {@link containmentCandidates}. */
export function candidatesOfRuns(runs: AnchorRuns): ContainmentCandidates {
  const { anchorCounts, commonAnchors } = runs;
  const count = anchorCounts.length;
  const byDocument = groupsByDocument(count, runs.start, runs.documents);
  const { starts, ids: runsOf } = byDocument;

  const hits = new Uint32Array(count);
  const touched = new Uint32Array(count);
  const byRunSize = new Uint32Array(ANCHOR_MAX_DOCUMENTS + 2);
  const kept = new PairCollector();
  for (let s = 0; s < count; s++) {
    const n = anchorCounts[s]!;
    const need = Math.max(1, Math.ceil(ANCHOR_SHARE * n));
    const first = starts[s]!;
    const last = starts[s + 1]!;
    if (last - first < need) continue;
    // Leave out the `skip` runs of s with the most documents: the largest run size kept whole is `cut`.
    let skip = Math.max(0, need - REQUIRED_RARE_HITS);
    byRunSize.fill(0);
    for (let q = first; q < last; q++) byRunSize[runSize(runs, runsOf[q]!)]!++;
    let cut = ANCHOR_MAX_DOCUMENTS + 1;
    while (cut > 0 && skip >= byRunSize[cut]!) skip -= byRunSize[cut--]!;
    // `skip` runs of size `cut` are left out too, the first ones met.
    let touchedCount = 0;
    for (let q = first; q < last; q++) {
      const r = runsOf[q]!;
      const size = runSize(runs, r);
      if (size > cut || (size === cut && skip > 0 && skip--)) continue;
      for (let o = runs.start[r]!, end = runs.start[r + 1]!; o < end; o++) {
        const b = runs.documents[o]!;
        // s is the smaller document of the pair (the one the share is of); ties once, from the earlier.
        const anchorsOfB = anchorCounts[b]!;
        if (anchorsOfB < n || (anchorsOfB === n && b <= s)) continue;
        const before = hits[b]!;
        hits[b] = before + 1;
        if (before === 0) touched[touchedCount++] = b;
      }
    }
    const required = Math.min(need, REQUIRED_RARE_HITS);
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t]!;
      if (hits[b]! >= required && intersectionSize(runsOf.subarray(first, last), runsOf.subarray(starts[b]!, starts[b + 1]!)) >= ANCHOR_SHARE * n) kept.add(s, b);
      hits[b] = 0;
    }
  }
  return { pairs: kept.finish(), commonAnchors, shared: { anchorCounts, runs: byDocument, common: runs.common } };
}

/**
 * The groups each document is in, ascending, from each group's documents (`documents[start[g] ..
 * start[g + 1])`, the groups numbered in anchor order).
 */
function groupsByDocument(count: number, start: Uint32Array, documents: Uint32Array): ByDocument {
  const starts = new Uint32Array(count + 1);
  for (let p = 0; p < documents.length; p++) starts[documents[p]! + 1]!++;
  for (let d = 0; d < count; d++) starts[d + 1]! += starts[d]!;
  const ids = new Uint32Array(documents.length);
  const fill = starts.slice(0, count);
  for (let g = 0; g + 1 < start.length; g++) {
    for (let p = start[g]!; p < start[g + 1]!; p++) ids[fill[documents[p]!]!++] = g;
  }
  return { starts, ids };
}

function runSize(runs: AnchorRuns, r: number): number {
  return runs.start[r + 1]! - runs.start[r]!;
}


/** Anchors shared by 2 to {@link ANCHOR_MAX_DOCUMENTS} documents: each one's documents, in input order. */
export interface AnchorRuns {
  /** Runs. */
  count: number;
  /** Postings in all runs. */
  size: number;
  /** Run r's documents are documents[start[r] .. start[r + 1]). */
  start: Uint32Array;
  documents: Uint32Array;
  /** Per document, its number of anchors. */
  anchorCounts: Uint32Array;
  /** Anchors left out as too common. */
  commonAnchors: number;
  /** The common anchors of each document (for {@link SharedAnchors}). */
  common: ByDocument;
}

/**
 * The first step of {@link containmentCandidates}: the runs of shared anchors and each document's
 * anchor count, all the second step needs (a caller that owns the anchors may drop them between).
 * Found by sorting the postings (anchor, document) in slices of the hash range (each document's
 * anchors are sorted, so a slice is a contiguous part of each).
 */
export function anchorRunsOf(analyses: readonly Anchored[]): AnchorRuns {
  // Taken once: an analysis may make a new view each time it is asked (parallel/codec.ts).
  const anchorsOf = analyses.map((analysis) => analysis.anchors);
  let total = 0;
  for (const anchors of anchorsOf) total += anchors.length;
  // Slices of the range the anchors fill, so that each holds about POSTINGS_PER_SLICE postings:
  // anchors are sampled hashes, all in the lowest 1/ANCHOR_SAMPLING of the 32-bit range (slices of
  // the whole range put every posting into the first few, a gigabyte each at a million documents).
  let span = 1;
  for (const anchors of anchorsOf) if (anchors.length > 0) span = Math.max(span, anchors[anchors.length - 1]! + 1);
  const slices = Math.max(1, Math.ceil(total / POSTINGS_PER_SLICE));
  const sliceWidth = Math.ceil(span / slices);
  const cursor = new Uint32Array(analyses.length);
  const starts = new ChunkedU32();
  const documentsOfRuns = new ChunkedU32();
  const commonStarts = new ChunkedU32();
  const documentsOfCommon = new ChunkedU32();
  for (let slice = 0; slice < slices; slice++) {
    const end = Math.min(span, (slice + 1) * sliceWidth);
    let size = 0;
    anchorsOf.forEach((anchorsOfD, d) => {
      let at = cursor[d]!;
      while (at < anchorsOfD.length && anchorsOfD[at]! < end) at++;
      size += at - cursor[d]!;
    });
    const anchors = new Uint32Array(size);
    const documents = new Uint32Array(size);
    let filled = 0;
    anchorsOf.forEach((anchorsOfD, d) => {
      let at = cursor[d]!;
      while (at < anchorsOfD.length && anchorsOfD[at]! < end) {
        anchors[filled] = anchorsOfD[at++]!;
        documents[filled++] = d;
      }
      cursor[d] = at;
    });
    // Stable: within a run of one anchor, documents stay in input order.
    radixSortPairs(anchors, documents, new Uint32Array(size), new Uint32Array(size));
    for (let start = 0, i = 1; i <= size; i++) {
      if (i < size && anchors[i] === anchors[start]) continue;
      if (i - start > 1) {
        const [groupStarts, groupDocuments] = i - start > ANCHOR_MAX_DOCUMENTS ? [commonStarts, documentsOfCommon] : [starts, documentsOfRuns];
        groupStarts.push(groupDocuments.length);
        for (let x = start; x < i; x++) groupDocuments.push(documents[x]!);
      }
      start = i;
    }
  }
  const count = starts.length;
  const size = documentsOfRuns.length;
  starts.push(size);
  const commonAnchors = commonStarts.length;
  commonStarts.push(documentsOfCommon.length);
  const common = groupsByDocument(analyses.length, commonStarts.join(), documentsOfCommon.join());
  const anchorCounts = Uint32Array.from(anchorsOf, (anchors) => anchors.length);
  return { count, size, start: starts.join(), documents: documentsOfRuns.join(), anchorCounts, commonAnchors, common };
}
