/**
 * The filter's decision for one incoming record against its candidates, shared by every backend:
 * duplicate when the verification-sketch estimate of Jaccard reaches `threshold`; syndicated when shared,
 * non-boilerplate long paragraphs cover at least `containment` of either document; else new.
 */
import type { ResolvedOptions } from '../options.js';
import { bbitEstimate, verificationEstimate } from '../sketch/bbit.js';
import type { Probe } from './probe.js';

/** Verdict of the filter for one record. */
export type VerdictKind = 'new' | 'duplicate' | 'syndicated';

/** One indexed record a verdict names, with the measured values. */
export interface VerdictMatch {
  id: string;
  /** Estimate of the Jaccard similarity of the two documents (from their verification sketches). */
  jaccard: number;
  /** Share of the incoming or the indexed document (the larger share) covered by shared paragraphs. */
  containment: number;
}

/** The contract's verdict object. */
export interface Verdict {
  id: string;
  verdict: VerdictKind;
  matches: VerdictMatch[];
}

/** An indexed document as the decision reads it (views into the store). */
export interface IndexedView {
  id: string;
  signature: Uint32Array;
  paragraphLengths: Uint32Array;
  paragraphBytes: Uint8Array;
  verification: Uint8Array;
}

/** Paragraph candidates: parallel arrays of (incoming paragraph, indexed document, its paragraph). */
export interface ParagraphHits<K> {
  incoming: number[];
  documents: K[];
  paragraphs: number[];
}

/** At most this many matches are listed in a verdict (the best ones). */
export const MAX_MATCHES = 10;

/** Thresholds of the decision. */
export type VerdictOptions = Pick<ResolvedOptions, 'threshold' | 'containment' | 'paragraphThreshold' | 'numPerm' | 'boilerplateMinDocsUnsourced'>;

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

interface Coverage {
  incoming: Set<number>;
  indexed: Set<number>;
  boilerplate: Set<number>;
}

/**
 * Decide the verdict of `probe` given its document candidates and paragraph hits. `view` gives
 * the stored data of a candidate. An incoming paragraph found in at least
 * `boilerplateMinDocsUnsourced` indexed documents is boilerplate: it counts for neither side, and
 * makes no document a candidate (candidates come from the document bands and shared
 * non-boilerplate paragraphs).
 */
export function decide<K>(probe: Probe, options: VerdictOptions, documents: Iterable<K>, hits: ParagraphHits<K>, view: (key: K) => IndexedView): Verdict {
  // Like scan, which leaves empty documents out of every comparison (they would all be one cluster).
  if (probe.empty) return { id: probe.id, verdict: 'new', matches: [] };
  const { numPerm } = options;
  const views = new Map<K, IndexedView>();
  const viewOf = (key: K): IndexedView => {
    let found = views.get(key);
    if (!found) views.set(key, (found = view(key)));
    return found;
  };

  const coverage = new Map<K, Coverage>();
  const incomingCount = probe.paragraphLengths.length;
  let incomingBoilerplateChars = 0;
  const candidates = new Set<K>(documents);
  if (hits.incoming.length > 0) {
    const minDocs = options.boilerplateMinDocsUnsourced;
    const docsOf: Array<Map<K, number[]>> = Array.from({ length: incomingCount }, () => new Map());
    const verify = (h: number): void => {
      const x = hits.incoming[h]!;
      const key = hits.documents[h]!;
      const y = hits.paragraphs[h]!;
      const already = docsOf[x]!.get(key);
      if (already?.includes(y)) return;
      const indexed = viewOf(key);
      if (bbitEstimate(probe.paragraphBytes, x * numPerm, indexed.paragraphBytes, y * numPerm, numPerm, 8) < options.paragraphThreshold) return;
      if (already) already.push(y);
      else docsOf[x]!.set(key, [y]);
    };
    // Once an incoming paragraph is known to be boilerplate, its other hits (up to maxBucketSize
    // per band) are only verified for documents compared anyway, further down.
    const deferred: number[] = [];
    for (let h = 0; h < hits.incoming.length; h++) {
      if (docsOf[hits.incoming[h]!]!.size >= minDocs) deferred.push(h);
      else verify(h);
    }
    const boilerplate = docsOf.map((docs) => docs.size >= minDocs);
    const entryOf = (key: K): Coverage => {
      let entry = coverage.get(key);
      if (!entry) coverage.set(key, (entry = { incoming: new Set(), indexed: new Set(), boilerplate: new Set() }));
      return entry;
    };
    for (let x = 0; x < incomingCount; x++) {
      if (boilerplate[x]) {
        incomingBoilerplateChars += probe.paragraphLengths[x]!;
        continue;
      }
      for (const [key, paragraphs] of docsOf[x]!) {
        const entry = entryOf(key);
        for (const y of paragraphs) entry.indexed.add(y);
        entry.incoming.add(x);
        candidates.add(key);
      }
    }
    // Boilerplate paragraphs count for neither side: they only leave the compared documents' totals.
    for (const h of deferred) if (candidates.has(hits.documents[h]!)) verify(h);
    for (let x = 0; x < incomingCount; x++) {
      if (!boilerplate[x]) continue;
      for (const [key, paragraphs] of docsOf[x]!) {
        if (!candidates.has(key)) continue;
        const entry = entryOf(key);
        for (const y of paragraphs) entry.boilerplate.add(y);
      }
    }
  }

  let incomingTotal = -incomingBoilerplateChars;
  for (const length of probe.paragraphLengths) incomingTotal += length;
  const matches: VerdictMatch[] = [];
  let duplicate = false;
  let syndicated = false;
  for (const key of candidates) {
    const indexed = viewOf(key);
    const jaccard = verificationEstimate(probe.verification, indexed.verification);
    let containment = 0;
    const entry = coverage.get(key);
    if (entry) {
      let covered = 0;
      for (const x of entry.incoming) covered += probe.paragraphLengths[x]!;
      let indexedTotal = 0;
      let indexedCovered = 0;
      for (let y = 0; y < indexed.paragraphLengths.length; y++) {
        if (entry.boilerplate.has(y) && !entry.indexed.has(y)) continue;
        indexedTotal += indexed.paragraphLengths[y]!;
        if (entry.indexed.has(y)) indexedCovered += indexed.paragraphLengths[y]!;
      }
      const incomingShare = incomingTotal > 0 ? covered / incomingTotal : 0;
      const indexedShare = indexedTotal > 0 ? indexedCovered / indexedTotal : 0;
      containment = Math.min(1, Math.max(incomingShare, indexedShare));
    }
    const isDuplicate = jaccard >= options.threshold;
    const isSyndicated = containment >= options.containment;
    if (!isDuplicate && !isSyndicated) continue;
    duplicate ||= isDuplicate;
    syndicated ||= isSyndicated;
    matches.push({ id: indexed.id, jaccard: round(jaccard), containment: round(containment) });
  }
  matches.sort((a, b) => b.jaccard - a.jaccard || b.containment - a.containment || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (matches.length > MAX_MATCHES) matches.length = MAX_MATCHES;
  return { id: probe.id, verdict: duplicate ? 'duplicate' : syndicated ? 'syndicated' : 'new', matches };
}
