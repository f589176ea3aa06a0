/**
 * The repeated-paragraph clusters of a run in flat arrays, and the result's view of them. A
 * million documents make millions of clusters: an object with two typed arrays each, then an
 * occurrence object per paragraph and a copy of every quoted paragraph, were most of the heap
 * (gigabytes). Here a cluster is a range of occurrence columns, and each {@link ParagraphCluster}
 * of a result reads its occurrences and quotes its text when asked.
 */
import type { DocumentAnalysis } from '../analyze/analyze.js';
import { growableU32, growableU8 } from '../growable.js';
import type { DocumentRecord } from '../records.js';
import type { DocumentSummary, ParagraphCluster, ParagraphKind, ParagraphOccurrence } from './types.js';

const KINDS: readonly ParagraphKind[] = ['internal-repeat', 'syndicated', 'boilerplate'];

/** Clusters by document and paragraph index, each sorted by occurrence, in the order of their first occurrence. */
export class ParagraphClusters {
  constructor(
    private readonly kinds: Uint8Array,
    /** Occurrences of cluster c are [offsets[c], offsets[c + 1]). */
    private readonly offsets: Uint32Array,
    private readonly occurrenceDoc: Uint32Array,
    private readonly occurrenceParagraph: Uint32Array,
  ) {}

  get count(): number {
    return this.kinds.length;
  }

  kind(c: number): ParagraphKind {
    return KINDS[this.kinds[c]!]!;
  }

  /** Number of clusters of `kind`. */
  countOf(kind: ParagraphKind): number {
    const code = KINDS.indexOf(kind);
    let count = 0;
    for (let c = 0; c < this.kinds.length; c++) if (this.kinds[c] === code) count++;
    return count;
  }

  /** Occurrences of all clusters. */
  get occurrenceCount(): number {
    return this.occurrenceDoc.length;
  }

  /** Index of cluster c's first occurrence among all clusters' (its occurrences follow it). */
  firstOccurrence(c: number): number {
    return this.offsets[c]!;
  }

  /** The documents of cluster c's occurrences (a view). */
  docs(c: number): Uint32Array {
    return this.occurrenceDoc.subarray(this.offsets[c]!, this.offsets[c + 1]!);
  }

  /** The paragraph indexes of cluster c's occurrences (a view). */
  paragraphs(c: number): Uint32Array {
    return this.occurrenceParagraph.subarray(this.offsets[c]!, this.offsets[c + 1]!);
  }
}

/** Collects clusters in any order; {@link finish} orders them by first occurrence. */
export class ParagraphClusterBuilder {
  private readonly kinds = growableU8();
  private readonly offsets = growableU32(new Uint32Array(1));
  private readonly docs = growableU32();
  private readonly paragraphs = growableU32();

  /** Add a cluster whose occurrences are sorted by document, then paragraph. */
  add(kind: ParagraphKind, docs: ArrayLike<number>, paragraphs: ArrayLike<number>): void {
    this.kinds.push(KINDS.indexOf(kind));
    this.docs.append(docs);
    this.paragraphs.append(paragraphs);
    this.offsets.push(this.docs.length);
  }

  finish(): ParagraphClusters {
    const kinds = this.kinds.view();
    const offsets = this.offsets.view();
    const docs = this.docs.view();
    const paragraphs = this.paragraphs.view();
    const count = kinds.length;
    const order = new Uint32Array(count);
    for (let c = 0; c < count; c++) order[c] = c;
    const first = (c: number): number => offsets[c]!;
    order.sort((x, y) => docs[first(x)]! - docs[first(y)]! || paragraphs[first(x)]! - paragraphs[first(y)]!);
    const sortedKinds = new Uint8Array(count);
    const sortedOffsets = new Uint32Array(count + 1);
    const sortedDocs = new Uint32Array(docs.length);
    const sortedParagraphs = new Uint32Array(docs.length);
    for (let k = 0; k < count; k++) {
      const c = order[k]!;
      const at = sortedOffsets[k]!;
      sortedKinds[k] = kinds[c]!;
      sortedDocs.set(docs.subarray(offsets[c]!, offsets[c + 1]!), at);
      sortedParagraphs.set(paragraphs.subarray(offsets[c]!, offsets[c + 1]!), at);
      sortedOffsets[k + 1] = at + offsets[c + 1]! - offsets[c]!;
    }
    return new ParagraphClusters(sortedKinds, sortedOffsets, sortedDocs, sortedParagraphs);
  }
}

/** The cluster of every paragraph of a run (−1 when none), in one array: document d's are {@link of}(d). */
export class ClusterOfParagraph {
  private readonly starts: Uint32Array;
  private readonly clusters: Int32Array;

  constructor(paragraphCounts: ArrayLike<number>) {
    this.starts = new Uint32Array(paragraphCounts.length + 1);
    for (let d = 0; d < paragraphCounts.length; d++) this.starts[d + 1] = this.starts[d]! + paragraphCounts[d]!;
    this.clusters = new Int32Array(this.starts[paragraphCounts.length]!).fill(-1);
  }

  /** The clusters of document `d`'s paragraphs. */
  of(d: number): Int32Array {
    return this.clusters.subarray(this.starts[d]!, this.starts[d + 1]!);
  }

  set(d: number, p: number, cluster: number): void {
    this.clusters[this.starts[d]! + p] = cluster;
  }

  /** Mark the paragraphs of every cluster. */
  static of(clusters: ParagraphClusters, paragraphCounts: ArrayLike<number>): ClusterOfParagraph {
    const clusterOf = new ClusterOfParagraph(paragraphCounts);
    for (let c = 0; c < clusters.count; c++) {
      const docs = clusters.docs(c);
      const paragraphs = clusters.paragraphs(c);
      for (let o = 0; o < docs.length; o++) clusterOf.set(docs[o]!, paragraphs[o]!, c);
    }
    return clusterOf;
  }
}

/** Record in each document's summary the paragraphs that repeat an earlier one of the same document. */
export function addInternalRepeats(clusters: ParagraphClusters, documents: DocumentSummary[]): void {
  const firstInDoc = new Map<number, number>();
  for (let c = 0; c < clusters.count; c++) {
    const docs = clusters.docs(c);
    const paragraphs = clusters.paragraphs(c);
    firstInDoc.clear();
    for (let o = 0; o < docs.length; o++) {
      const d = docs[o]!;
      const first = firstInDoc.get(d);
      if (first === undefined) firstInDoc.set(d, paragraphs[o]!);
      else documents[d]!.internalRepeats.push({ paragraph: paragraphs[o]!, sameAs: first });
    }
  }
  for (const doc of documents) if (doc.internalRepeats.length > 1) doc.internalRepeats.sort((x, y) => x.paragraph - y.paragraph);
}

/**
 * The result's clusters, each quoted from its first occurrence. The original offsets of every
 * occurrence are taken from the analyses now (they are dropped before the report is written);
 * the text is read from the records when asked, so a run holds no copy of it.
 */
export function quoteParagraphs(clusters: ParagraphClusters, records: readonly DocumentRecord[], analyses: readonly DocumentAnalysis[]): ParagraphCluster[] {
  const starts = new Uint32Array(clusters.occurrenceCount);
  const ends = new Uint32Array(clusters.occurrenceCount);
  // Offsets of every paragraph of the run, document by document: one view of an analysis per document.
  const base = new Uint32Array(analyses.length + 1);
  for (let d = 0; d < analyses.length; d++) base[d + 1] = base[d]! + analyses[d]!.paragraphStart.length;
  const paragraphStart = new Uint32Array(base[analyses.length]!);
  const paragraphEnd = new Uint32Array(base[analyses.length]!);
  for (let d = 0; d < analyses.length; d++) {
    const analysis = analyses[d]!;
    paragraphStart.set(analysis.paragraphStart, base[d]!);
    paragraphEnd.set(analysis.paragraphEnd, base[d]!);
  }
  const quoted = new Array<ParagraphCluster>(clusters.count);
  const source: QuoteSource = { clusters, records, starts, ends };
  for (let c = 0, at = 0; c < clusters.count; c++) {
    const docs = clusters.docs(c);
    const paragraphs = clusters.paragraphs(c);
    for (let o = 0; o < docs.length; o++, at++) {
      const paragraph = base[docs[o]!]! + paragraphs[o]!;
      starts[at] = paragraphStart[paragraph]!;
      ends[at] = paragraphEnd[paragraph]!;
    }
    quoted[c] = new QuotedParagraph(source, c);
  }
  return quoted;
}

/** What every quoted cluster of a run reads from. */
interface QuoteSource {
  clusters: ParagraphClusters;
  records: readonly DocumentRecord[];
  /** Original offsets of every occurrence, in the clusters' order of occurrences. */
  starts: Uint32Array;
  ends: Uint32Array;
}

/**
 * A cluster of a result: its occurrences and text are made from the records when read (the same
 * each time while the records are unchanged and, in a scan, the text store is open). `toJSON`
 * gives the plain object of the JSON contract.
 */
class QuotedParagraph implements ParagraphCluster {
  readonly #source: QuoteSource;
  readonly #cluster: number;

  constructor(source: QuoteSource, cluster: number) {
    this.#source = source;
    this.#cluster = cluster;
  }

  get kind(): ParagraphKind {
    return this.#source.clusters.kind(this.#cluster);
  }

  /** The paragraph's text at its first occurrence. */
  get text(): string {
    const { clusters, records, starts, ends } = this.#source;
    const first = clusters.firstOccurrence(this.#cluster);
    return records[clusters.docs(this.#cluster)[0]!]!.text.slice(starts[first]!, ends[first]!);
  }

  get occurrences(): ParagraphOccurrence[] {
    const { clusters, records, starts, ends } = this.#source;
    const docs = clusters.docs(this.#cluster);
    const paragraphs = clusters.paragraphs(this.#cluster);
    const first = clusters.firstOccurrence(this.#cluster);
    return Array.from(docs, (d, o) => ({ id: records[d]!.id, paragraph: paragraphs[o]!, start: starts[first + o]!, end: ends[first + o]! }));
  }

  toJSON(): { kind: ParagraphKind; text: string; occurrences: ParagraphOccurrence[] } {
    return { kind: this.kind, text: this.text, occurrences: this.occurrences };
  }
}
