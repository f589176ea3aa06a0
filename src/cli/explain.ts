/**
 * `syndic explain A B`: what two documents share — document Jaccard and containments, the verdict
 * a scan of the two would give, and each shared paragraph quoted from both in its original form.
 */
import { Command, Option } from 'commander';
import { createAnalyzer, type DocumentAnalysis } from '../analyze/analyze.js';
import { findDuplicates } from '../detect/detect.js';
import { SyndicError } from '../errors.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import type { DocumentRecord } from '../records.js';
import { exactSimilarity, toShingleSet } from '../analyze/similarity.js';
import type { CliIo } from './io.js';
import type { CommandContext } from './main.js';
import { percent } from '../render/shared.js';
import { addDetectionOptions, addInputOptions, checkDetectOptions, detectOptionsFrom, parseChoice, readOptionsFor, parseScanSettings, writeStdout, type RawScanOptions } from './scan.js';
import { collectInputs } from './sources.js';

/** One side of an explanation. */
export interface ExplainedDocument {
  id: string;
  source?: string | undefined;
  date?: string | undefined;
  chars: number;
  paragraphs: number;
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

/** What two documents share. */
export interface Explanation {
  a: ExplainedDocument;
  b: ExplainedDocument;
  jaccard: number;
  containment: { aInB: number; bInA: number };
  /** What `scan` reports for the two: a duplicate pair, a syndication pair, or nothing. */
  verdict: 'duplicate' | 'syndication' | 'none';
  /** The copy published first, when the verdict is not `none`. */
  origin: string | null;
  shared: SharedParagraph[];
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * Compare two records. A paragraph pair is shared when its Jaccard reaches the paragraph
 * threshold or one paragraph is at least `containment` inside the other (a paragraph cut short);
 * each paragraph of A is paired with its best match in B.
 */
export async function explainPair(a: DocumentRecord, b: DocumentRecord, options: DetectOptions = {}): Promise<Explanation> {
  const resolved = resolveOptions(options);
  const scan = await findDuplicates([a, b], options);
  const duplicate = scan.duplicates.pairs[0];
  const syndicated = scan.syndication[0];
  const analyzer = createAnalyzer(resolved, await loadFingerprinter(), { keepHashes: true });
  const analysisA = analyzer.analyze(a.text);
  const analysisB = analyzer.analyze(b.text);
  const whole = exactSimilarity(toShingleSet(analysisA.hashes!), toShingleSet(analysisB.hashes!));
  return {
    a: describe(a, analysisA),
    b: describe(b, analysisB),
    jaccard: round(whole.jaccard),
    containment: { aInB: round(whole.aInB), bInA: round(whole.bInA) },
    verdict: duplicate ? 'duplicate' : syndicated ? 'syndication' : 'none',
    origin: duplicate?.origin ?? syndicated?.origin ?? null,
    shared: sharedParagraphs(a, analysisA, b, analysisB, resolved),
  };
}

function describe(record: DocumentRecord, analysis: DocumentAnalysis): ExplainedDocument {
  return { id: record.id, source: record.source, date: record.date, chars: analysis.chars, paragraphs: analysis.paragraphStart.length };
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
          candidate = { a: p, b: q, jaccard: round(similarity.jaccard), containment: { aInB: round(similarity.aInB), bInA: round(similarity.bInA) } };
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

/** The explanation as text: both documents, the verdict, then each shared paragraph from both sides. */
export function renderExplanation(explanation: Explanation): string {
  const { a, b } = explanation;
  const out: string[] = [];
  const line = (label: string, doc: ExplainedDocument): string =>
    `${label}  ${doc.id}  ${doc.chars} chars, ${doc.paragraphs} paragraphs${doc.source ? `, ${doc.source}` : ''}${doc.date ? `, ${doc.date}` : ''}`;
  out.push(line('A', a), line('B', b), '');
  const originLabel = explanation.origin === a.id ? 'A' : 'B';
  if (explanation.verdict === 'none') out.push('verdict: neither duplicates nor syndication');
  else out.push(`verdict: ${explanation.verdict === 'duplicate' ? 'near-duplicates' : 'syndication'}, origin ${originLabel} (${explanation.origin})`);
  out.push(`document Jaccard ${explanation.jaccard.toFixed(3)}; ${percent(explanation.containment.aInB)} of A is in B, ${percent(explanation.containment.bInA)} of B is in A`);
  const inB = new Set(explanation.shared.map((pair) => pair.b)).size;
  out.push('', `shared paragraphs: ${explanation.shared.length} of A's ${a.paragraphs}, ${inB} of B's ${b.paragraphs}`);
  for (const pair of explanation.shared) {
    const how = pair.jaccard === 1 && pair.aText === pair.bText ? 'identical' : `Jaccard ${pair.jaccard.toFixed(3)}, A in B ${percent(pair.containment.aInB)}, B in A ${percent(pair.containment.bInA)}`;
    out.push('', `  A¶${pair.a} ↔ B¶${pair.b}  ${how}`, `    A: ${pair.aText}`);
    if (pair.bText !== pair.aText) out.push(`    B: ${pair.bText}`);
  }
  return `${out.join('\n')}\n`;
}

interface RawExplainOptions extends RawScanOptions {
  input?: string[];
}

/** Register `syndic explain` on the program. */
export function registerExplain(program: Command, context: CommandContext): void {
  const command = program
    .command('explain')
    .description('show what two documents share: Jaccard, containments, shared paragraphs side by side')
    .argument('<a>', 'a .txt/.md file, or an id in the --input records')
    .argument('<b>', 'a .txt/.md file, or an id in the --input records')
    .option('--input <input>', 'read the records from this input (repeatable) and take A and B as ids', (value: string, previous: string[] = []) => [...previous, value])
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'));
  addDetectionOptions(command);
  addInputOptions(command);
  command.action(async (a: string, b: string, raw: RawExplainOptions) => {
    const format = parseChoice('--format', raw.format, ['text', 'json'] as const) ?? 'text';
    const explanation = await explainFromCli(a, b, raw, context.io);
    await writeStdout(context.io.stdout, format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation));
  });
}

async function explainFromCli(a: string, b: string, raw: RawExplainOptions, io: CliIo): Promise<Explanation> {
  const detect = detectOptionsFrom(raw);
  checkDetectOptions(detect);
  const settings = parseScanSettings(raw.input ?? [a, b], { ...raw, format: 'text' });
  const skipped = { count: 0 };
  let recordA: DocumentRecord;
  let recordB: DocumentRecord;
  if (raw.input) {
    const items = await collectInputs(raw.input, readOptionsFor(settings, io, skipped));
    const find = (id: string): DocumentRecord => {
      const item = items.find((candidate) => candidate.record.id === id);
      if (!item) throw new SyndicError(`syndic: id "${id}" is not in ${raw.input!.join(', ')}`, 'input');
      return item.record;
    };
    recordA = find(a);
    recordB = find(b);
  } else {
    const single = async (input: string): Promise<DocumentRecord> => {
      const items = await collectInputs([input], readOptionsFor(settings, io, skipped));
      if (items.length !== 1) {
        throw new SyndicError(`syndic: ${input} holds ${items.length} records; give two files, or --input ${input} and two ids`, 'usage');
      }
      return items[0]!.record;
    };
    recordA = await single(a);
    recordB = await single(b);
    if (recordA.id === recordB.id) recordB = { ...recordB, id: `${recordB.id} (B)` };
  }
  return explainPair(recordA, recordB, detect);
}
