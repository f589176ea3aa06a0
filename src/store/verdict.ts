/**
 * The filter's decision for one incoming record against its candidates, shared by every backend.
 * Each candidate pair is decided by the one policy (detect/policy.ts), from estimates: Jaccard
 * from the two verification sketches, and the containments that it gives with the two documents'
 * shingle counts, less the shingles of boilerplate paragraphs. The indexed record is the origin:
 * `duplicate` (a near-duplicate of an indexed record), `syndicated` (the incoming record is a copy
 * of an indexed one: it lies inside it), `contains` (an indexed article sits inside new
 * material), else `new`.
 */
import { categorize, relationOf, roundMeasure, type PairMeasures } from '../detect/policy.js';
import type { ResolvedOptions } from '../options.js';
import { bbitEstimate, verificationEstimate, verifiedShingles } from '../sketch/bbit.js';
import type { Probe } from './probe.js';

/** Verdict of the filter for one record. */
export type VerdictKind = 'new' | 'duplicate' | 'syndicated' | 'contains';

/** Verdicts that `filter` rejects (and `checkAndAdd` does not add) unless told otherwise. */
export const DEFAULT_REJECT: readonly VerdictKind[] = Object.freeze(['duplicate', 'syndicated']);

/** True when `verdict` passes: it is not one of `reject`. */
export function passes(verdict: Verdict, reject: readonly VerdictKind[] = DEFAULT_REJECT): boolean {
  return verdict.verdict === 'new' || !reject.includes(verdict.verdict);
}

/** One indexed record a verdict names, with the measured values (all estimated). */
export interface VerdictMatch {
  id: string;
  /** What this match makes of the incoming record. */
  verdict: Exclude<VerdictKind, 'new'>;
  /** Estimate of the document Jaccard (from the verification sketches). */
  jaccard: number;
  /** Share of the incoming record's content (`aInB`) inside the indexed one's, and the reverse (`bInA`). */
  containment: { aInB: number; bInA: number };
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
export type VerdictOptions = Pick<
  ResolvedOptions,
  'threshold' | 'containment' | 'paragraphThreshold' | 'numPerm' | 'boilerplateMinDocsUnsourced' | 'minParagraphChars' | 'shingleSize'
>;

/** What a candidate shares with the incoming record: boilerplate paragraphs on each side. */
interface Coverage {
  /** Incoming boilerplate paragraphs this candidate holds too. */
  sharedBoilerplate: Set<number>;
  /** The candidate's paragraphs that match them. */
  boilerplate: Set<number>;
}

/**
 * Decide the verdict of `probe` given its document candidates and paragraph hits. `view` gives
 * the stored data of a candidate. An incoming paragraph found in at least
 * `boilerplateMinDocsUnsourced` indexed documents is boilerplate: its shingles count for neither
 * side's content, and it makes no document a candidate (candidates come from the document bands
 * and shared non-boilerplate paragraphs).
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
  const candidates = new Set<K>(documents);
  let boilerplateOf: boolean[] = [];
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
    boilerplateOf = docsOf.map((docs) => docs.size >= minDocs);
    for (let x = 0; x < incomingCount; x++) {
      if (!boilerplateOf[x]) for (const key of docsOf[x]!.keys()) candidates.add(key);
    }
    for (const h of deferred) if (candidates.has(hits.documents[h]!)) verify(h);
    for (let x = 0; x < incomingCount; x++) {
      if (!boilerplateOf[x]) continue;
      for (const [key, paragraphs] of docsOf[x]!) {
        if (!candidates.has(key)) continue;
        let entry = coverage.get(key);
        if (!entry) coverage.set(key, (entry = { sharedBoilerplate: new Set(), boilerplate: new Set() }));
        entry.sharedBoilerplate.add(x);
        for (const y of paragraphs) entry.boilerplate.add(y);
      }
    }
  }

  const shingles = (length: number): number => Math.max(0, length - options.shingleSize + 1);
  let incomingBoilerplate = 0;
  for (let x = 0; x < incomingCount; x++) if (boilerplateOf[x]) incomingBoilerplate += shingles(probe.paragraphLengths[x]!);
  const incomingShingles = verifiedShingles(probe.verification);
  const matches: VerdictMatch[] = [];
  for (const key of candidates) {
    const indexed = viewOf(key);
    const indexedShingles = verifiedShingles(indexed.verification);
    const jaccard = verificationEstimate(probe.verification, indexed.verification);
    // Shingles both hold, then less those of the boilerplate paragraphs they share.
    let sharedBoilerplate = 0;
    let indexedBoilerplate = 0;
    const entry = coverage.get(key);
    if (entry) {
      for (const x of entry.sharedBoilerplate) sharedBoilerplate += shingles(probe.paragraphLengths[x]!);
      for (const y of entry.boilerplate) indexedBoilerplate += shingles(indexed.paragraphLengths[y]!);
    }
    const intersection = Math.max(0, (jaccard * (incomingShingles + indexedShingles)) / (1 + jaccard) - sharedBoilerplate);
    const aContent = Math.max(1, incomingShingles - incomingBoilerplate);
    const bContent = Math.max(1, indexedShingles - indexedBoilerplate);
    const measures: PairMeasures = {
      jaccard,
      aInB: Math.min(1, intersection / aContent),
      bInA: Math.min(1, intersection / bContent),
      aContent,
      bContent,
      jaccardMethod: 'estimate',
      containmentMethod: 'estimate',
    };
    const category = categorize(measures, options);
    if (category === 'unrelated') continue;
    const relation = relationOf(category, measures.aInB, measures.bInA, options);
    matches.push({
      id: indexed.id,
      verdict: relation === 'duplicate' ? 'duplicate' : relation === 'copy' ? 'syndicated' : 'contains',
      jaccard: roundMeasure(jaccard),
      containment: { aInB: roundMeasure(measures.aInB), bInA: roundMeasure(measures.bInA) },
    });
  }
  const rank = (match: VerdictMatch): number => VERDICT_ORDER.indexOf(match.verdict);
  const strength = (match: VerdictMatch): number => Math.max(match.containment.aInB, match.containment.bInA);
  matches.sort((a, b) => rank(a) - rank(b) || b.jaccard - a.jaccard || strength(b) - strength(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (matches.length > MAX_MATCHES) matches.length = MAX_MATCHES;
  return { id: probe.id, verdict: matches[0]?.verdict ?? 'new', matches };
}

/** The strongest verdict first: a record that duplicates one article and contains another is a duplicate. */
const VERDICT_ORDER: ReadonlyArray<Exclude<VerdictKind, 'new'>> = ['duplicate', 'syndicated', 'contains'];
