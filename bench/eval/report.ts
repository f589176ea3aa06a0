/**
 * Markdown rendering of the accuracy report (bench/results/accuracy.md).
 */
import type { CurveBin } from '../../src/eval/curve.js';
import { bandTable, SCORE_HEADER, scoreCells } from '../../src/eval/report.js';
import { fixed as f, percentage as pct, table } from '../../src/eval/table.js';
import { TINY_DOCUMENT_CHARS, type RunScores } from './evaluate.js';
import type { ErrorRow } from './sketch.js';
import type { SweepRow } from './sweep.js';

/** Everything `npm run eval` measured; written as accuracy.json. */
export interface EvalReport {
  version: 1;
  command: string;
  defaults: Record<string, unknown> & { threshold: number; numPerm: number; bands: number; rows: number };
  synthetic: { documents: number; seed: number; plantedByKind: Record<string, number> };
  truthBounds: Record<string, unknown>;
  main: Array<{ dataset: string; documents: number; truthPairs: number; truthVerified: number; scores: RunScores }>;
  sweeps: {
    shingleSize: Array<SweepRow & { truthPairs: number }>;
    numPerm: SweepRow[];
    recall: SweepRow[];
    minParagraphChars: SweepRow[];
    arabic: SweepRow[];
    verify: SweepRow[];
  };
  estimation: ErrorRow[];
  sCurve: { layout: { bands: number; rows: number }; bins: CurveBin[]; pairs: number };
}

function sweepTable(rows: readonly SweepRow[], settingName: string, options: { paragraphs?: boolean; planted?: boolean; extra?: (row: SweepRow) => string[]; extraHeader?: string[] }): string {
  const header = [settingName, 'bands×rows', 'doc P', 'doc R', 'doc F1', 'cand./doc', 'merge steps/doc'];
  if (options.paragraphs) header.push('para P', 'para R', 'para F1', 'para cand./para');
  if (options.planted) header.push('near-copy R', 'wrapped R', 'truncated R', 'same-topic reported');
  header.push(...(options.extraHeader ?? []));
  return table(
    header,
    rows.map((row) => {
      const cells = [row.setting, `${row.bands}×${row.rows}`, f(row.documents.precision), f(row.documents.recall), f(row.documents.f1), f(row.candidatesPerDocument, 3), String(row.mergeStepsPerDocument)];
      if (options.paragraphs) cells.push(f(row.paragraphs?.precision), f(row.paragraphs?.recall), f(row.paragraphs?.f1), f(row.paragraphCandidatesPerParagraph, 3));
      if (options.planted) cells.push(f(row.nearCopyRecall), f(row.wrappedRecall), f(row.truncatedRecall), f(row.unrelatedReported));
      cells.push(...(options.extra?.(row) ?? []));
      return cells;
    }),
  );
}

/** Render the report as Markdown. */
export function renderReport(report: EvalReport): string {
  const out: string[] = [];
  const d = report.defaults;
  out.push('# syndic accuracy report\n');
  out.push(`Reproduce with \`${report.command}\` (deterministic: the same code gives this file byte for byte).\n`);
  out.push(
    `Defaults measured: threshold ${d.threshold}, containment ${String(d.containment)}, shingleSize ${String(d.shingleSize)}, numPerm ${d.numPerm} (${String(d.variant)}), ` +
      `recall bias ${String(d.recall)} → ${d.bands} bands × ${d.rows} rows, minParagraphChars ${String(d.minParagraphChars)}, Arabic folding on, exact verification.\n`,
  );
  out.push('Truth is exact: every pair of documents (and of paragraphs of ≥ ' +
    `${String((report.truthBounds as { paragraphFloorChars: number }).paragraphFloorChars)} normalized characters) is compared by brute force ` +
    '(all pairs, prefix-filtered inverted index over shingle hashes, no sampling), with the tool\'s own normalization and shingling. ' +
    'A document pair is a true duplicate when its exact Jaccard is ≥ the threshold; a true syndication (copy) relation when, in addition, ' +
    'either containment is ≥ the containment threshold. A reported pair is a duplicate pair; "related" means reported as a duplicate pair, ' +
    'put in one duplicate cluster, or reported as a syndication pair.\n');
  const synthetic = report.synthetic;
  out.push(`Synthetic corpus: ${synthetic.documents} documents, seed ${synthetic.seed}, built from the real articles and seed pages; planted copies: ` +
    Object.entries(synthetic.plantedByKind).map(([kind, count]) => `${kind} ${count}`).join(', ') + '.\n');

  out.push('## Summary\n');
  out.push(table(
    ['data set', 'documents', ...SCORE_HEADER, 'co-clustered precision'],
    report.main.map((run) => [run.dataset, run.documents, ...scoreCells(run.scores.documents.scores), f(run.scores.documents.coClustered.precision)]),
  ));

  for (const run of report.main) {
    const s = run.scores;
    out.push(`## ${run.dataset}: documents\n`);
    out.push('By Jaccard band (all pairs with exact Jaccard ≥ 0.5 or containment ≥ 0.5 are in the truth):\n');
    out.push(table(
      ['exact Jaccard', 'pairs', 'LSH candidates', 'reported duplicate', 'reported related'],
      s.documents.byBand.map((row) => [row.band, row.pairs, pct(row.candidateRate), pct(row.duplicateRate), pct(row.relatedRate)]),
    ));
    if (s.documents.byKind.length > 1) {
      out.push('By planted kind (duplicate pairs, exact Jaccard ≥ threshold; "sibling" = two copies of one original, "unplanted" = natural duplicates in the real base articles):\n');
      out.push(table(['kind', 'planted', ...SCORE_HEADER], s.documents.byKind.map((row) => [row.kind, row.planted, ...scoreCells(row)])));
    }
    out.push(`Duplicate clusters: ${s.documents.coClustered.pairs} co-clustered pairs, ${s.documents.coClustered.belowThreshold} of them below the threshold (merged through the representative).\n`);
    out.push(`## ${run.dataset}: syndication and copies\n`);
    const copies = s.copies;
    out.push(`Class by class, as \`syndic eval\` scores them: a true near-duplicate has document Jaccard ≥ ${copies.thresholds.threshold}; a true syndicated copy has Jaccard < ${copies.thresholds.threshold} ` +
      `and ≥ ${copies.thresholds.containment} of the smaller document (fewer shingles) inside the other. Reported near-duplicate pairs are scored against the first, reported syndication pairs against the second.\n`);
    out.push(table(['class', ...SCORE_HEADER], [
      ['near-duplicates', ...scoreCells(copies.nearDuplicates.scores)],
      ['syndicated copies', ...scoreCells(copies.syndication.scores)],
      ['either (class ignored)', ...scoreCells(copies.copies)],
    ]));
    out.push('Syndication recall by containment of the smaller document:\n');
    out.push(bandTable('containment', copies.syndication.byContainment, 'duplicate', 'markdown'));
    out.push(`Reported syndication pairs that are truly syndicated copies: ${copies.syndication.reportedAre.syndicated}; near-duplicates: ${copies.syndication.reportedAre.duplicate}; neither: ${copies.syndication.reportedAre.none}` +
      (copies.reportedAsBoth > 0 ? `; ${copies.reportedAsBoth} pairs reported both as near-duplicates and as syndication are scored once, as near-duplicates` : '') + '.\n');
    out.push('Any copy relation (a duplicate pair, one duplicate cluster, or a syndication pair) against pairs with Jaccard ≥ threshold or either containment ≥ containment:\n');
    out.push(table(['relation', ...SCORE_HEADER], [['related (duplicate or containment ≥ threshold)', ...scoreCells(s.syndication.scores)]]));
    if (s.syndication.byKind.length > 0) {
      out.push('Recall by planted kind (share of planted pairs reported related; and of those whose exact Jaccard or containment reaches the thresholds):\n');
      out.push(table(
        ['kind', 'planted', 'truth related', 'reported related', 'recall (planted)', 'recall (truth)'],
        s.syndication.byKind.map((row) => [row.kind, row.planted, row.truthRelated, row.found, f(row.recallPlanted), f(row.recallTruth)]),
      ));
    }
    const m = s.misses;
    out.push(`What it misses and wrongly merges: ${m.duplicatesNotCandidate} true duplicate pairs were never LSH candidates and ${m.duplicatesCandidateNotReported} were candidates but not reported; ` +
      `${m.falseRelated} reported related pairs reach neither threshold. Missed related pairs below the Jaccard threshold, by the smaller document: ` +
      `${m.relatedTinyDocument} tiny (< ${TINY_DOCUMENT_CHARS} normalized characters: titles, captions), ${m.relatedSingleParagraph} single-paragraph ` +
      `(no paragraph can match when the copy is edited or cut), ${m.relatedSeveralParagraphs} with several paragraphs` +
      (m.examples.length > 0 ? ` (e.g. ${m.examples.slice(0, 3).map((e) => `\`${e}\``).join(', ')})` : '') + '.\n');
    out.push(`## ${run.dataset}: paragraphs\n`);
    out.push('Pairs of paragraphs (≥ floor length) with exact Jaccard ≥ the paragraph threshold, against pairs reported in one repeated-paragraph cluster:\n');
    out.push(table(SCORE_HEADER, [scoreCells(s.paragraphs.scores)]));
    out.push(`Missed paragraph pairs: ${m.paragraphsShort} with a side shorter than minParagraphChars (matched only when identical), ` +
      `${m.paragraphsSplit} put in two different clusters and ${m.paragraphsRejected} with one side left out of its cluster ` +
      `(clusters are verified against their representative so that chains of edits do not merge unrelated paragraphs), ${m.paragraphsUnfound} not found at all.\n`);
    out.push(table(['exact Jaccard', 'pairs', 'reported in one cluster'], s.paragraphs.byBand.map((row) => [row.band, row.pairs, pct(row.duplicateRate)])));
    out.push(table(['document pair kind', ...SCORE_HEADER], s.paragraphs.byKind.map((row) => [row.kind, ...scoreCells(row)])));
    out.push(`## ${run.dataset}: cost\n`);
    const c = s.cost;
    out.push(table(
      ['documents', 'candidate pairs', 'candidates/doc', 'confirmed share', 'verification merge steps', 'merge steps/doc', 'paragraphs', 'paragraph candidates', 'candidates/paragraph'],
      [[c.documents, c.candidatePairs, f(c.candidatesPerDocument, 3), pct(c.confirmedShare), c.mergeSteps, c.mergeStepsPerDocument, c.paragraphs, c.paragraphCandidatePairs, f(c.paragraphCandidatesPerParagraph, 3)]],
    ));
    out.push(`Brute-force truth measured ${run.truthVerified} candidate pairs exactly to find ${run.truthPairs} pairs with Jaccard or containment ≥ 0.5.\n`);
  }

  out.push('## MinHash estimation error\n');
  out.push(`${report.sCurve.pairs} document pairs (a real article and an edited copy, edit share spread over [0, 0.9], so exact Jaccard covers 0–1). ` +
    'Theory: the binomial RMSE sqrt(mean J(1−J)/numPerm); "within 2σ" should be near 95%.\n');
  out.push(table(
    ['variant', 'numPerm', 'mean |error|', 'RMSE', 'theory RMSE', 'max |error|', 'within 2σ', 'bias'],
    report.estimation.map((row) => [row.variant, row.numPerm, f(row.meanAbsError), f(row.rmse), f(row.theoryRmse), f(row.maxAbsError), pct(row.within2Sigma), f(row.bias)]),
  ));
  out.push('![estimation error](estimation-error.svg)\n');
  out.push('## LSH S-curve\n');
  out.push(`Share of the same pairs whose signatures share at least one band (${report.sCurve.layout.bands} bands × ${report.sCurve.layout.rows} rows) against 1 − (1 − s^rows)^bands at the bin's mean Jaccard.\n`);
  out.push(table(['Jaccard bin', 'pairs', 'mean Jaccard', 'measured', 'theory'], report.sCurve.bins.map((bin) => [`[${bin.low.toFixed(2)}, ${bin.high.toFixed(2)})`, bin.pairs, f(bin.meanJaccard), f(bin.empirical), f(bin.theory)])));
  out.push('![LSH S-curve](lsh-s-curve.svg)\n');

  out.push('## Parameter sweeps (how the defaults were chosen)\n');
  out.push('Each row is a full detection run scored against brute-force truth; only the named parameter differs from the defaults. ' +
    '"near-copy R": planted exact/light-edit/diacritics/alef/digits/punctuation/reordered copies reported as duplicates; ' +
    '"wrapped R"/"truncated R": those copies reported related; "same-topic reported": unrelated same-topic pairs reported related (false merges).\n');
  for (const dataset of ['synthetic', 'real']) {
    const planted = dataset === 'synthetic';
    const pick = (rows: readonly SweepRow[]) => rows.filter((row) => row.dataset === dataset);
    out.push(`### ${dataset}: shingle size\n`);
    out.push('Truth is recomputed for each shingle size (pairs with Jaccard ≥ 0.8 under that size), so the planted columns are the size-independent comparison.\n');
    out.push(sweepTable(pick(report.sweeps.shingleSize), 'shingleSize', {
      planted,
      extraHeader: planted ? ['truth pairs ≥ 0.8', 'light-edit J', 'same-topic J'] : ['truth pairs ≥ 0.8'],
      extra: (row) => {
        const truthPairs = String((row as SweepRow & { truthPairs: number }).truthPairs);
        return planted ? [truthPairs, f(row.lightEditJaccard, 3), f(row.sameTopicJaccard, 3)] : [truthPairs];
      },
    }));
    out.push(`### ${dataset}: numPerm (OPH; "estimate" = verify by signature instead of exact sets)\n`);
    out.push(sweepTable(pick(report.sweeps.numPerm), 'numPerm', { planted }));
    out.push(`### ${dataset}: recall bias (candidate probability at the threshold)\n`);
    out.push(sweepTable(pick(report.sweeps.recall), 'recall', { planted }));
    out.push(`### ${dataset}: minimum paragraph length\n`);
    out.push('Paragraph truth covers paragraphs of ≥ 20 normalized characters; shorter than minParagraphChars are matched only when identical.\n');
    out.push(sweepTable(pick(report.sweeps.minParagraphChars), 'minParagraphChars', { planted, paragraphs: true }));
    out.push(`### ${dataset}: Arabic folding\n`);
    out.push(sweepTable(pick(report.sweeps.arabic), 'arabic folding', { planted }));
    out.push(`### ${dataset}: verification\n`);
    out.push(sweepTable(pick(report.sweeps.verify), 'verify', { planted, paragraphs: true }));
  }
  return out.join('\n');
}
