/**
 * Explain a pair: the measures and category the policy gives it in a run, and each shared
 * paragraph quoted from both documents. The run's context matters (which paragraphs are
 * boilerplate), so an explainer analyzes the whole input once, as `scan` does, and measures the
 * pair with the same {@link PairMeasurer}: `explain` and `scan` agree by construction.
 */
import { createAnalyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { exactSimilarity, toShingleSet } from '../analyze/similarity.js';
import { SyndicError } from '../errors.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import { validateRecords, type DocumentRecord } from '../records.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { prepareRun } from './detect.js';
import type { PairMeasurer } from './measure.js';
import { categorize, originOf, roundMeasure, type PairCategory } from './policy.js';
import type { Method } from './types.js';

/** One side of an explanation. */
export interface ExplainedDocument {
  id: string;
  source?: string | undefined;
  date?: string | undefined;
  chars: number;
  paragraphs: number;
  /** Paragraphs the run found to be boilerplate (they count for neither side's content). */
  boilerplateParagraphs: number;
}

/** A paragraph of A matched to one of B: same text (short paragraphs) or similar enough. */
export interface SharedParagraph {
  a: number;
  b: number;
  /** Jaccard of the two paragraphs' shingle sets (1 for an exact match of short paragraphs). */
  jaccard: number;
  /** How much of A's paragraph is inside B's, and the reverse. */
  containment: { aInB: number; bInA: number };
  aText: string;
  bText: string;
}

/** What two documents share, and what the policy makes of them. */
export interface Explanation {
  a: ExplainedDocument;
  b: ExplainedDocument;
  /** Document Jaccard of the whole shingle sets. */
  jaccard: number;
  /** Share of each document's content (boilerplate paragraphs left out) found in the other's. */
  containment: { aInB: number; bInA: number };
  method: { jaccard: Method; containment: Method };
  /** The policy's category: what `scan` reports the pair as (policy.ts). */
  category: PairCategory;
  /** The same, in the words of the first contract: a duplicate pair, a syndication pair, or nothing. */
  verdict: 'duplicate' | 'syndication' | 'none';
  /** The copy published first, when the pair is not unrelated. */
  origin: string | null;
  shared: SharedParagraph[];
}

function describe(record: DocumentRecord, analysis: DocumentAnalysis, boilerplate: Uint8Array | null): ExplainedDocument {
  const boilerplateParagraphs = boilerplate ? boilerplate.reduce((sum, flag) => sum + flag, 0) : 0;
  return { id: record.id, source: record.source, date: record.date, chars: analysis.chars, paragraphs: analysis.paragraphStart.length, boilerplateParagraphs };
}

function sharedParagraphs(a: DocumentRecord, analysisA: DocumentAnalysis, b: DocumentRecord, analysisB: DocumentAnalysis, options: ResolvedOptions): SharedParagraph[] {
  const { shingleSize, paragraphThreshold, containment } = options;
  const paragraphSets = (analysis: DocumentAnalysis): Array<Uint32Array | null> =>
    Array.from(analysis.paragraphStart, (_, p) => {
      const start = analysis.normalizedStart[p]!;
      const end = analysis.normalizedEnd[p]!;
      return end - start >= shingleSize ? toShingleSet(analysis.hashes!.subarray(start, end - shingleSize + 1)) : null;
    });
  const setsA = paragraphSets(analysisA);
  const setsB = paragraphSets(analysisB);
  const originalText = (record: DocumentRecord, analysis: DocumentAnalysis, p: number): string =>
    record.text.slice(analysis.paragraphStart[p]!, analysis.paragraphEnd[p]!);
  const shared: SharedParagraph[] = [];
  for (let p = 0; p < setsA.length; p++) {
    let best: SharedParagraph | null = null;
    for (let q = 0; q < setsB.length; q++) {
      const setA = setsA[p]!;
      const setB = setsB[q]!;
      let candidate: Omit<SharedParagraph, 'aText' | 'bText'> | null = null;
      if (setA && setB) {
        const similarity = exactSimilarity(setA, setB);
        if (similarity.jaccard >= paragraphThreshold || Math.max(similarity.aInB, similarity.bInA) >= containment) {
          candidate = { a: p, b: q, jaccard: roundMeasure(similarity.jaccard), containment: { aInB: roundMeasure(similarity.aInB), bInA: roundMeasure(similarity.bInA) } };
        }
      } else if (!setA && !setB && sameNormalizedParagraph(analysisA, p, analysisB, q)) {
        candidate = { a: p, b: q, jaccard: 1, containment: { aInB: 1, bInA: 1 } };
      }
      if (candidate && (!best || candidate.jaccard > best.jaccard)) {
        best = { ...candidate, aText: originalText(a, analysisA, p), bText: originalText(b, analysisB, q) };
      }
    }
    if (best) shared.push(best);
  }
  return shared;
}

/**
 * Paragraphs too short for one whole shingle compare by the fingerprint of their normalized text
 * (the analyzer keeps it for paragraphs matched exactly; none with `--unit document`).
 */
function sameNormalizedParagraph(analysisA: DocumentAnalysis, p: number, analysisB: DocumentAnalysis, q: number): boolean {
  const fingerprint = analysisA.fingerprints[p]!;
  return fingerprint !== 0n && fingerprint === analysisB.fingerprints[q];
}


/** Explains pairs of one input. */
export interface Explainer {
  /** The explanation of the records with ids `idA` and `idB`. */
  explain(idA: string, idB: string): Explanation;
}

/** Analyze `records` as a scan with `options` would, to explain pairs among them. */
export async function createExplainer(records: readonly DocumentRecord[], options: DetectOptions = {}): Promise<Explainer> {
  const resolved = resolveOptions(options);
  validateRecords(records);
  const fingerprinter = await loadFingerprinter();
  const analyzer = createAnalyzer(resolved, fingerprinter, { keepHashes: false });
  const analyses = records.map((record) => analyzer.analyze(record.text));
  const run = await prepareRun(records, analyses, resolved);
  const measurer: PairMeasurer = run.measurer();
  const withHashes = createAnalyzer(resolved, fingerprinter, { keepHashes: true });
  const indexOf = new Map(records.map((record, d) => [record.id, d]));
  const find = (id: string): number => {
    const d = indexOf.get(id);
    if (d === undefined) throw new SyndicError(`id "${id}" is not among the records`, 'input');
    return d;
  };
  return {
    explain(idA, idB) {
      const a = find(idA);
      const b = find(idB);
      const measures = measurer.measure(a, b);
      const category = categorize(measures, resolved);
      const recordA = records[a]!;
      const recordB = records[b]!;
      const hashedA = withHashes.analyze(recordA.text);
      const hashedB = withHashes.analyze(recordB.text);
      const dateOf = (d: number): string | undefined => records[d]!.date;
      return {
        a: describe(recordA, hashedA, run.masks[a] ?? null),
        b: describe(recordB, hashedB, run.masks[b] ?? null),
        jaccard: roundMeasure(measures.jaccard),
        containment: { aInB: roundMeasure(measures.aInB), bInA: roundMeasure(measures.bInA) },
        method: { jaccard: measures.jaccardMethod, containment: measures.containmentMethod },
        category,
        verdict: category === 'duplicate' ? 'duplicate' : category === 'syndicated' ? 'syndication' : 'none',
        origin: category === 'unrelated' ? null : records[originOf(dateOf, a, b)]!.id,
        shared: sharedParagraphs(recordA, hashedA, recordB, hashedB, resolved),
      };
    },
  };
}

/** Explain two records on their own (the run is the two of them). */
export async function explainPair(a: DocumentRecord, b: DocumentRecord, options: DetectOptions = {}): Promise<Explanation> {
  return (await createExplainer([a, b], options)).explain(a.id, b.id);
}
