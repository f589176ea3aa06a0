/**
 * `--format text`: a human summary — counts, the largest duplicate clusters, the strongest
 * syndication pairs quoting a shared passage in its original form, internal repeats, boilerplate.
 */
import type { DetectionResult } from '../detect/types.js';
import type { DocumentRecord } from '../records.js';
import { duration, formatCount, headline, oneLine, percent, recordsById, sharedPassage, strongestSyndication } from './shared.js';

/** How many entries each section lists (`--top N` sets the four counts to N). */
export interface TextReportLimits {
  clusters: number;
  syndication: number;
  documents: number;
  boilerplate: number;
  quoteChars: number;
  stories: number;
  flows: number;
}

/** Default section lengths. */
export const TEXT_REPORT_LIMITS: Readonly<TextReportLimits> = Object.freeze({ clusters: 5, syndication: 5, documents: 5, boilerplate: 5, quoteChars: 160, stories: 5, flows: 10 });

/** Limits with every section listing `top` entries. */
export function textReportLimits(top: number): TextReportLimits {
  return { ...TEXT_REPORT_LIMITS, clusters: top, syndication: top, documents: top, boilerplate: top };
}

const plural = (count: number, noun: string, nouns = `${noun}s`): string => `${formatCount(count)} ${count === 1 ? noun : nouns}`;

/** The text report. Pure: the same result and records give the same string. */
export function renderText(result: DetectionResult, records: readonly DocumentRecord[], limits: TextReportLimits = TEXT_REPORT_LIMITS): string {
  const { stats } = result;
  const byId = recordsById(records);
  const out: string[] = [];
  const repeatedDocuments = result.documents.filter((doc) => doc.internalRepeats.length > 0);

  out.push(`syndic scan: ${plural(stats.documents, 'document')}, ${plural(stats.paragraphs, 'paragraph')}${stats.emptyDocuments > 0 ? ` (${formatCount(stats.emptyDocuments)} empty)` : ''}`);
  out.push('');
  // With outlets known, say how many pairs cross from one outlet to another.
  const sourced = records.some((record) => record.source);
  const across = (pairs: ReadonlyArray<{ a: string; b: string }>): string => {
    if (!sourced || pairs.length === 0) return '';
    const source = (id: string): string | undefined => records[byId.get(id) ?? -1]?.source;
    return ` (${formatCount(pairs.filter((pair) => source(pair.a) !== source(pair.b)).length)} across outlets)`;
  };
  out.push(
    `  near-duplicates      ${plural(stats.duplicatePairs, 'pair')}${across(result.duplicates.pairs)} in ${plural(stats.duplicateClusters, 'cluster')}, ` +
      `${plural(stats.duplicateDocuments, 'redundant copy', 'redundant copies')}`,
  );
  out.push(`  syndicated copies    ${plural(stats.syndicationPairs, 'pair')}${across(result.syndication)}`);
  out.push(
    `  repeated paragraphs  ${plural(stats.internalRepeats, 'internal repeat')} in ${plural(repeatedDocuments.length, 'document')}, ` +
      `${formatCount(stats.syndicatedParagraphs)} syndicated, ${formatCount(stats.boilerplateParagraphs)} boilerplate`,
  );
  if (stats.oversizedBuckets > 0) out.push(`  oversized LSH buckets ${formatCount(stats.oversizedBuckets)} (not expanded into pairs)`);

  const clusters = result.duplicates.clusters
    .map((cluster, index) => ({ cluster, index }))
    .sort((x, y) => y.cluster.members.length - x.cluster.members.length || x.index - y.index)
    .slice(0, limits.clusters);
  if (clusters.length > 0) {
    out.push('', `Largest duplicate clusters (of ${formatCount(stats.duplicateClusters)})`);
    const jaccardWith = new Map<string, number>();
    for (const pair of result.duplicates.pairs) jaccardWith.set(`${pair.a}\u0000${pair.b}`, pair.jaccard).set(`${pair.b}\u0000${pair.a}`, pair.jaccard);
    clusters.forEach(({ cluster }, rank) => {
      out.push(`  ${rank + 1}. ${plural(cluster.members.length, 'document')}, keeps ${cluster.representative}`);
      const shown = cluster.members.filter((id) => id !== cluster.representative);
      for (const id of shown.slice(0, limits.documents)) {
        const jaccard = jaccardWith.get(`${cluster.representative}\u0000${id}`);
        out.push(`       ${id}${jaccard === undefined ? '' : `  (Jaccard ${jaccard.toFixed(3)})`}`);
      }
      if (shown.length > limits.documents) out.push(`       … and ${formatCount(shown.length - limits.documents)} more`);
    });
  }

  const strongest = strongestSyndication(result.syndication).slice(0, limits.syndication);
  if (strongest.length > 0) {
    out.push('', `Strongest syndicated copies (of ${formatCount(stats.syndicationPairs)}), origin → copy`);
    strongest.forEach((pair, rank) => {
      const copy = pair.origin === pair.a ? pair.b : pair.a;
      const sources = [pair.origin, copy].map((id) => records[byId.get(id) ?? -1]?.source);
      const outlets = sources[0] && sources[1] ? `  [${sources[0]} → ${sources[1]}]` : '';
      out.push(`  ${rank + 1}. ${pair.origin} → ${copy}${outlets}`);
      const [copyInOrigin, originInCopy] = pair.origin === pair.a ? [pair.containment.bInA, pair.containment.aInB] : [pair.containment.aInB, pair.containment.bInA];
      out.push(
        `     ${percent(copyInOrigin)} of the copy is in the origin, ${percent(originInCopy)} of the origin is in the copy; ` +
          `${plural(pair.sharedParagraphs, 'shared paragraph')}`,
      );
      const passage = sharedPassage(pair, result, records, byId);
      if (passage) out.push(`     “${oneLine(passage.text, limits.quoteChars)}”`);
    });
  }

  if (repeatedDocuments.length > 0) {
    const ranked = [...repeatedDocuments].sort((x, y) => y.internalRepeats.length - x.internalRepeats.length).slice(0, limits.documents);
    out.push('', `Documents repeating their own paragraphs (of ${formatCount(repeatedDocuments.length)})`);
    for (const doc of ranked) out.push(`  ${doc.id}: ${plural(doc.internalRepeats.length, 'repeated paragraph')} of ${formatCount(doc.paragraphs)}`);
  }

  const boilerplate = result.paragraphs
    .filter((cluster) => cluster.kind === 'boilerplate')
    .map((cluster) => ({ cluster, documents: new Set(cluster.occurrences.map((occurrence) => occurrence.id)).size }))
    .sort((x, y) => y.documents - x.documents)
    .slice(0, limits.boilerplate);
  if (boilerplate.length > 0) {
    out.push('', `Most widespread boilerplate (of ${formatCount(stats.boilerplateParagraphs)})`);
    for (const { cluster, documents } of boilerplate) out.push(`  “${oneLine(cluster.text, limits.quoteChars)}” in ${plural(documents, 'document')}`);
  }
  out.push(...storySections(result, records, byId, limits));
  return `${out.join('\n')}\n`;
}

/** The largest stories with their timelines, and the outlet flows. */
function storySections(result: DetectionResult, records: readonly DocumentRecord[], byId: Map<string, number>, limits: TextReportLimits): string[] {
  const { stories, outlets } = result;
  if (stories.length === 0) return [];
  const out: string[] = ['', `Largest stories (of ${stories.length}), in publication order${outlets.dates ? '' : ' (no dates in the input: input order)'}`];
  for (const story of stories.slice(0, limits.stories)) {
    const origin = records[byId.get(story.origin) ?? -1];
    const spread = [plural(story.documents, 'document'), story.outlets > 0 ? plural(story.outlets, 'outlet') : '', story.spanSeconds === null ? '' : `over ${duration(story.spanSeconds)}`];
    out.push(`  ${story.id}. ${spread.filter(Boolean).join(', ')}${origin ? `: “${headline(origin, 80)}”` : ''}`);
    const width = Math.max(...story.members.slice(0, limits.documents + 1).map((member) => (member.source ?? '').length));
    for (const member of story.members.slice(0, limits.documents + 1)) {
      const when = member.delaySeconds === null ? '' : member.relation === 'origin' ? 'first' : `+${duration(member.delaySeconds)}`;
      const how =
        member.relation === 'origin'
          ? 'origin'
          : `${member.relation}${member.via ? `${member.relation === 'contains' ? '' : ' of'} ${member.via}` : ''}, keeps ${percent(member.keeps)}, adds ${percent(member.adds)}`;
      out.push(`       ${outlets.dates ? `${when.padEnd(13)} ` : ''}${member.source ? `${member.source.padEnd(width)}  ` : ''}${member.id}  ${how}`);
    }
    if (story.members.length > limits.documents + 1) out.push(`       … and ${story.members.length - limits.documents - 1} more`);
  }
  if (!outlets.sources) {
    out.push('', 'Outlet flows: the input has no sources (outlets); give them with --source-field, or --source-from dir for folders');
    return out;
  }
  if (outlets.flows.length > 0) {
    out.push('', `Outlet flows (of ${outlets.flows.length}): copies from the outlet of a story's origin to each other member's outlet`);
    const width = Math.max(...outlets.flows.slice(0, limits.flows).map((flow) => flow.from.length + flow.to.length + 3));
    for (const flow of outlets.flows.slice(0, limits.flows)) {
      const kinds = (['duplicate', 'copy', 'contains'] as const).filter((kind) => flow[kind] > 0).map((kind) => `${flow[kind]} ${kind}`);
      const delay = flow.medianDelaySeconds === null ? '' : `, median delay ${duration(flow.medianDelaySeconds)}`;
      out.push(`  ${`${flow.from} → ${flow.to}`.padEnd(width)}  ${plural(flow.copies, 'copy', 'copies')} (${kinds.join(', ')})${delay}`);
    }
  }
  const copying = outlets.outlets.filter((outlet) => outlet.copies > 0).sort((x, y) => y.copyShare - x.copyShare || y.copies - x.copies);
  if (copying.length > 0) {
    out.push('', 'Share of each outlet\'s articles that copy an earlier story');
    const width = Math.max(...copying.map((outlet) => outlet.source.length));
    for (const outlet of copying) out.push(`  ${outlet.source.padEnd(width)}  ${percent(outlet.copyShare).padStart(4)} (${outlet.copies} of ${outlet.articles}), first in ${plural(outlet.origins, 'story', 'stories')}`);
  }
  return out;
}
