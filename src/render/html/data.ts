/**
 * The data embedded in the HTML report: the findings of a run, with document references turned
 * into indexes into a list that holds only the documents appearing in some finding (with their
 * texts), so a report over 10k documents embeds the few that matter once.
 */
import type { DetectionResult, DetectionStats, DocumentSummary, ParagraphKind } from '../../detect/types.js';
import type { DocumentRecord } from '../../records.js';

/** A document that appears in some finding, with its original text. */
export interface ReportDocument extends Omit<DocumentSummary, 'internalRepeats'> {
  text: string;
}

/** A syndication pair by document index; `origin` is `a` or `b`. */
export interface ReportSyndication {
  a: number;
  b: number;
  aInB: number;
  bInA: number;
  sharedParagraphs: number;
  origin: number;
}

/** A repeated-paragraph cluster; occurrences flattened as `[document, paragraph, start, end, ...]`. */
export interface ReportParagraph {
  kind: ParagraphKind;
  occurrences: number[];
}

/** Everything the report page needs, as embedded in its JSON script element. */
export interface ReportData {
  version: 1;
  params: {
    threshold: number;
    containment: number;
    paragraphThreshold: number;
    shingleSize: number;
    numPerm: number;
    bands: number;
    rows: number;
    unit: string;
    variant: string;
    verify: string;
  };
  stats: DetectionStats;
  /** Documents in the run; only `documents.length` of them are embedded. */
  documentsTotal: number;
  documents: ReportDocument[];
  /** Duplicate pairs as `[a, b, jaccard]`. */
  duplicatePairs: Array<[number, number, number]>;
  clusters: Array<{ representative: number; members: number[] }>;
  syndication: ReportSyndication[];
  paragraphs: ReportParagraph[];
}

/**
 * Build the embedded report data from a result and the records it was computed from. Documents
 * keep input order; ids in the result that are not among the records are an error.
 */
export function buildReportData(result: DetectionResult, records: readonly DocumentRecord[]): ReportData {
  const recordIndex = new Map<string, number>();
  records.forEach((record, index) => recordIndex.set(record.id, index));
  const involved = new Set<number>();
  const note = (id: string): void => {
    const index = recordIndex.get(id);
    if (index === undefined) throw new Error(`report: id "${id}" is in the result but not among the records`);
    involved.add(index);
  };
  for (const cluster of result.duplicates.clusters) cluster.members.forEach(note);
  for (const pair of result.duplicates.pairs) note(pair.a), note(pair.b);
  for (const pair of result.syndication) note(pair.a), note(pair.b);
  for (const cluster of result.paragraphs) for (const occurrence of cluster.occurrences) note(occurrence.id);

  const order = [...involved].sort((x, y) => x - y);
  const local = new Map<string, number>();
  const summaries = new Map(result.documents.map((doc) => [doc.id, doc]));
  const documents = order.map((index, position): ReportDocument => {
    const record = records[index]!;
    local.set(record.id, position);
    const summary = summaries.get(record.id);
    const doc: ReportDocument = { id: record.id, chars: summary?.chars ?? record.text.length, paragraphs: summary?.paragraphs ?? 0, text: record.text };
    if (record.source) doc.source = record.source;
    if (record.date) doc.date = record.date;
    if (record.title) doc.title = record.title;
    if (record.url) doc.url = record.url;
    return doc;
  });
  const at = (id: string): number => local.get(id)!;

  const { params } = result;
  return {
    version: 1,
    params: {
      threshold: params.threshold,
      containment: params.containment,
      paragraphThreshold: params.paragraphThreshold,
      shingleSize: params.shingleSize,
      numPerm: params.numPerm,
      bands: params.bands,
      rows: params.rows,
      unit: params.unit,
      variant: params.variant,
      verify: params.verify,
    },
    stats: result.stats,
    documentsTotal: result.stats.documents,
    documents,
    duplicatePairs: result.duplicates.pairs.map((pair) => [at(pair.a), at(pair.b), pair.jaccard]),
    clusters: result.duplicates.clusters.map((cluster) => ({ representative: at(cluster.representative), members: cluster.members.map(at) })),
    syndication: result.syndication.map((pair) => ({
      a: at(pair.a),
      b: at(pair.b),
      aInB: pair.containment.aInB,
      bInA: pair.containment.bInA,
      sharedParagraphs: pair.sharedParagraphs,
      origin: at(pair.origin),
    })),
    paragraphs: result.paragraphs.map((cluster) => ({
      kind: cluster.kind,
      occurrences: cluster.occurrences.flatMap((occurrence) => [at(occurrence.id), occurrence.paragraph, occurrence.start, occurrence.end]),
    })),
  };
}
