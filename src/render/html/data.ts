/**
 * The data embedded in the HTML report: the findings of a run with document references turned
 * into indexes into a list that holds only the documents appearing in some finding. Every such
 * document carries its headline and metadata; texts (for the side-by-side views and text search)
 * are embedded separately, within a byte budget, so a run of 100k documents stays a file a browser
 * opens in a second. Large collections are tuples, documented field by field.
 */
import type { DetectionResult, DetectionStats, ParagraphKind } from '../../detect/types.js';
import type { OutletFlow, OutletSummary, StoryRelation } from '../../detect/stories.js';
import type { DocumentRecord } from '../../records.js';
import { parseDate, publicationOrder } from '../../detect/stories.js';
import { headline } from '../shared.js';

/** Default budget of embedded texts: UTF-8 bytes of the texts themselves. */
export const TEXT_BUDGET_BYTES = 12 * 1024 * 1024;

/** Headlines are cut to this many characters. */
const HEADLINE_CHARS = 72;

/** Options of {@link buildReportData}. */
export interface ReportOptions {
  /** UTF-8 bytes of document texts to embed at most (default {@link TEXT_BUDGET_BYTES}). */
  textBudgetBytes?: number;
}

/** The documents that appear in some finding, column by column (one entry per document). */
export interface ReportDocuments {
  id: string[];
  /** Title, else first non-empty line, at most 72 characters. */
  headline: string[];
  /** Index into {@link ReportData.outletNames}, −1 without a source. */
  source: number[];
  /** As in the input; '' without. */
  date: string[];
  /** Only `http(s)` URLs are shown; '' without. */
  url: string[];
  chars: number[];
  paragraphs: number[];
  /** Rank in publication order (dated documents by time, then the others; ties in input order). */
  published: number[];
}

/**
 * A story (its id is its position + 1) as `[documents, outlets, spanSeconds, ...members]`, the
 * members flattened six numbers each, the origin first: document, relation code, via document
 * (−1: compared with the origin), keeps, adds, delay seconds (null: unknown).
 */
export type ReportStory = Array<number | null>;

/** Where the members start in a {@link ReportStory}, and how many numbers each takes. */
export const STORY_HEADER = 3;
export const STORY_MEMBER = 6;

/** Relation codes used in {@link ReportStory}. */
export const RELATION_CODES: readonly StoryRelation[] = ['origin', 'duplicate', 'copy', 'contains'];

/** Paragraph-cluster kind codes. */
export const KIND_CODES: readonly ParagraphKind[] = ['syndicated', 'boilerplate', 'internal-repeat'];

/** Everything the report page needs, as embedded in its JSON script element. */
export interface ReportData {
  version: 2;
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
  /** Documents in the run; only `documents.id.length` of them appear in findings and are listed. */
  documentsTotal: number;
  /** Documents whose text is embedded, and the budget that limited them. */
  texts: { embedded: number; bytes: number; budgetBytes: number };
  outletNames: string[];
  /** Whether the input had sources and parseable dates. */
  sources: boolean;
  dates: boolean;
  documents: ReportDocuments;
  /** Duplicate pairs as `[a, b, jaccard]`. */
  duplicatePairs: Array<[number, number, number]>;
  /** Clusters as `[representative, ...members]` (members in input order, the representative among them). */
  clusters: number[][];
  /** Syndication pairs as `[a, b, aInB, bInA, sharedParagraphs, origin]`. */
  syndication: Array<[number, number, number, number, number, number]>;
  /**
   * Paragraph clusters with an occurrence in a document whose text is embedded (all of them when
   * every text is), as `[kind code, document, paragraph, start, end, document, paragraph, start, end, ...]`.
   */
  paragraphs: number[][];
  /** Paragraph clusters of the run, listed or not. */
  paragraphsTotal: number;
  stories: ReportStory[];
  outletSummaries: OutletSummary[];
  flows: OutletFlow[];
}

/** Document texts embedded beside the data, by document index (null: not embedded). */
export type ReportTexts = Array<string | null>;

/**
 * Build the embedded report data and texts from a result and the records it was computed from.
 * Documents keep input order; ids in the result that are not among the records are an error.
 * Texts are embedded in story order (largest stories first), then the other documents in input
 * order, until the budget is spent.
 */
export function buildReportData(result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): { data: ReportData; texts: ReportTexts } {
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
  const outletNames: string[] = [];
  const outletCode = new Map<string, number>();
  const codeOf = (source: string | undefined): number => {
    if (!source) return -1;
    let code = outletCode.get(source);
    if (code === undefined) outletCode.set(source, (code = outletNames.push(source) - 1));
    return code;
  };
  const documents: ReportDocuments = { id: [], headline: [], source: [], date: [], url: [], chars: [], paragraphs: [], published: [] };
  order.forEach((index, position) => {
    const record = records[index]!;
    local.set(record.id, position);
    const summary = summaries.get(record.id);
    documents.id.push(record.id);
    documents.headline.push(headline(record, HEADLINE_CHARS));
    documents.source.push(codeOf(record.source));
    documents.date.push(record.date ?? '');
    documents.url.push(/^https?:\/\//i.test(record.url ?? '') ? record.url! : '');
    documents.chars.push(summary?.chars ?? record.text.length);
    documents.paragraphs.push(summary?.paragraphs ?? 0);
  });
  const at = (id: string): number => local.get(id)!;
  documents.published = publicationRanks(documents.date);

  const stories = result.stories.map((story): ReportStory => [
    story.documents,
    story.outlets,
    story.spanSeconds,
    ...story.members.flatMap((m) => [at(m.id), RELATION_CODES.indexOf(m.relation), m.via === undefined ? -1 : at(m.via), m.keeps, m.adds, m.delaySeconds]),
  ]);

  const budget = options.textBudgetBytes ?? TEXT_BUDGET_BYTES;
  const texts: ReportTexts = new Array<string | null>(order.length).fill(null);
  const priority = [...result.stories.flatMap((story) => story.members.map((m) => at(m.id))), ...order.map((_, position) => position)];
  let bytes = 0;
  let embedded = 0;
  for (const d of priority) {
    // A UTF-16 unit is at least one UTF-8 byte: skip without reading a text that cannot fit.
    if (texts[d] !== null || bytes + documents.chars[d]! > budget) continue;
    const text = records[order[d]!]!.text;
    const size = Buffer.byteLength(text, 'utf8');
    if (bytes + size > budget) continue;
    texts[d] = text;
    bytes += size;
    embedded++;
  }

  const { params } = result;
  const data: ReportData = {
    version: 2,
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
    texts: { embedded, bytes, budgetBytes: budget },
    outletNames,
    sources: result.outlets.sources,
    dates: result.outlets.dates,
    documents,
    duplicatePairs: result.duplicates.pairs.map((pair) => [at(pair.a), at(pair.b), pair.jaccard]),
    clusters: result.duplicates.clusters.map((cluster) => [at(cluster.representative), ...cluster.members.map(at)]),
    syndication: result.syndication.map((pair) => [at(pair.a), at(pair.b), pair.containment.aInB, pair.containment.bInA, pair.sharedParagraphs, at(pair.origin)]),
    // A result's clusters make their occurrences on each read (detect/paragraph-clusters.ts): read them once.
    paragraphs: result.paragraphs
      .map((cluster) => ({ kind: cluster.kind, occurrences: cluster.occurrences }))
      .filter(({ occurrences }) => occurrences.some((occurrence) => texts[at(occurrence.id)] !== null))
      .map(({ kind, occurrences }) => [KIND_CODES.indexOf(kind), ...occurrences.flatMap((occurrence) => [at(occurrence.id), occurrence.paragraph, occurrence.start, occurrence.end])]),
    paragraphsTotal: result.paragraphs.length,
    stories,
    outletSummaries: result.outlets.outlets,
    flows: result.outlets.flows,
  };
  return { data, texts };
}

/** Each document's rank in publication order, as stories order their members. */
function publicationRanks(dates: readonly string[]): number[] {
  const order = dates.map((_, d) => d).sort(publicationOrder(dates.map((date) => parseDate(date))));
  const ranks = new Array<number>(dates.length);
  order.forEach((d, rank) => (ranks[d] = rank));
  return ranks;
}
