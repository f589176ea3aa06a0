/**
 * A data set prepared for evaluation: the tool's own analyses (normalization, segmentation,
 * shingling), exact shingle sets of documents and of paragraphs, and brute-force truth on them.
 */
import {
  createAnalyzer,
  loadFingerprinter,
  resolveOptions,
  toShingleSet,
  type DetectOptions,
  type DocumentAnalysis,
  type DocumentRecord,
  type ResolvedOptions,
} from '../../src/index.js';
import { exactPairs, type TruthBounds, type TruthPair } from '../../src/eval/truth.js';

/** Records analyzed with one option set (shingle hashes kept for exact measures). */
export interface AnalyzedSet {
  records: readonly DocumentRecord[];
  options: ResolvedOptions;
  analyses: DocumentAnalysis[];
}

/** Analyze every record with the tool's analyzer, keeping shingle hashes. */
export async function analyzeRecords(records: readonly DocumentRecord[], options: DetectOptions): Promise<AnalyzedSet> {
  const resolved = resolveOptions({ ...options, verify: 'exact' });
  const analyzer = createAnalyzer(resolved, await loadFingerprinter());
  return { records, options: resolved, analyses: records.map((record) => analyzer.analyze(record.text)) };
}

/** Paragraphs compared at paragraph level: (document, paragraph) of each item, and its shingle set. */
export interface ParagraphItems {
  doc: Int32Array;
  paragraph: Int32Array;
  sets: Uint32Array[];
  /** `${doc}/${paragraph}` → item index. */
  itemOf: Map<string, number>;
}

/** Exact truth of one analyzed set. */
export interface DatasetTruth {
  documentSets: Uint32Array[];
  documents: TruthPair[];
  documentsVerified: number;
  paragraphs: ParagraphItems;
  paragraphPairs: TruthPair[];
  paragraphsVerified: number;
}

/** Shingle sets of every paragraph at least `floorChars` normalized characters long. */
export function paragraphItems(set: AnalyzedSet, floorChars: number): ParagraphItems {
  const k = set.options.shingleSize;
  const doc: number[] = [];
  const paragraph: number[] = [];
  const sets: Uint32Array[] = [];
  const itemOf = new Map<string, number>();
  set.analyses.forEach((analysis, d) => {
    for (let p = 0; p < analysis.normalizedStart.length; p++) {
      const start = analysis.normalizedStart[p]!;
      const end = analysis.normalizedEnd[p]!;
      if (end - start < Math.max(floorChars, k)) continue;
      itemOf.set(`${d}/${p}`, sets.length);
      doc.push(d), paragraph.push(p);
      sets.push(toShingleSet(analysis.hashes!.subarray(start, end - k + 1)));
    }
  });
  return { doc: Int32Array.from(doc), paragraph: Int32Array.from(paragraph), sets, itemOf };
}

/**
 * Brute-force truth: document pairs meeting `documentBounds`, and paragraph pairs (paragraphs of
 * at least `paragraphFloorChars`, inside one document too) meeting `paragraphBounds`.
 */
export function computeTruth(
  set: AnalyzedSet,
  documentBounds: TruthBounds,
  paragraphBounds: TruthBounds | null,
  paragraphFloorChars: number,
): DatasetTruth {
  const documentSets = set.analyses.map((analysis) => toShingleSet(analysis.hashes!));
  const documents = exactPairs(documentSets, documentBounds);
  const paragraphs = paragraphItems(set, paragraphFloorChars);
  const paragraphTruth = paragraphBounds ? exactPairs(paragraphs.sets, paragraphBounds) : { pairs: [], verified: 0 };
  return {
    documentSets,
    documents: documents.pairs,
    documentsVerified: documents.verified,
    paragraphs,
    paragraphPairs: paragraphTruth.pairs,
    paragraphsVerified: paragraphTruth.verified,
  };
}
