/**
 * Small helpers the scan renderers share: record lookup, quoting original text, number formats.
 */
import type { DetectionResult, SyndicationPair } from '../detect/types.js';
import type { DocumentRecord } from '../records.js';

/** Index of each record by id. */
export function recordsById(records: readonly DocumentRecord[]): Map<string, number> {
  const byId = new Map<string, number>();
  records.forEach((record, index) => byId.set(record.id, index));
  return byId;
}

/** `0.9626` → `96%` (floored, so 99.9% never shows as 100%). */
export function percent(value: number): string {
  return `${Math.floor(value * 100)}%`;
}

/** One line of at most `maxChars` characters: whitespace collapsed, an ellipsis where cut. */
export function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1).trimEnd()}…`;
}

/** A shared passage of a syndication pair, quoted from the origin's original text. */
export interface SharedPassage {
  /** Id of the document quoted (the origin). */
  id: string;
  text: string;
}

/**
 * The longest paragraph the two documents of `pair` share (a `syndicated` paragraph cluster with
 * occurrences in both), quoted in its original form from the origin; null when none is listed
 * (a pair held together only by paragraphs contained in the other document).
 */
export function sharedPassage(pair: SyndicationPair, result: DetectionResult, records: readonly DocumentRecord[], byId: Map<string, number>): SharedPassage | null {
  const other = pair.origin === pair.a ? pair.b : pair.a;
  const origin = records[byId.get(pair.origin) ?? -1];
  if (!origin) return null;
  let best: { start: number; end: number } | null = null;
  for (const cluster of result.paragraphs) {
    if (cluster.kind !== 'syndicated') continue;
    // A result's clusters make their occurrences on each read (detect/paragraph-clusters.ts): read them once.
    const { occurrences } = cluster;
    const inOrigin = occurrences.find((occurrence) => occurrence.id === pair.origin);
    if (!inOrigin || !occurrences.some((occurrence) => occurrence.id === other)) continue;
    if (!best || inOrigin.end - inOrigin.start > best.end - best.start) best = inOrigin;
  }
  return best ? { id: origin.id, text: origin.text.slice(best.start, best.end) } : null;
}

/** Syndication pairs strongest first: larger covered share, then more shared paragraphs, then input order. */
export function strongestSyndication(pairs: readonly SyndicationPair[]): SyndicationPair[] {
  const strength = (pair: SyndicationPair): number => Math.max(pair.containment.aInB, pair.containment.bInA);
  return pairs
    .map((pair, index) => ({ pair, index }))
    .sort((x, y) => strength(y.pair) - strength(x.pair) || y.pair.sharedParagraphs - x.pair.sharedParagraphs || x.index - y.index)
    .map((entry) => entry.pair);
}

/** `1127` → `1,127`: digits grouped by three with commas, whatever the locale of the machine. */
export function formatCount(value: number): string {
  const [whole = '', fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A delay in seconds as `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`; `—` for none. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min`;
  if (s < 86400) return `${sign}${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${sign}${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** A document's headline: its title, else its first non-empty line, on one line of at most `maxChars`. */
export function headline(record: { title?: string | undefined; text: string }, maxChars: number): string {
  if (record.title?.trim()) return oneLine(record.title, maxChars);
  const firstLine = /[^\r\n]*\S[^\r\n]*/.exec(record.text.slice(0, 4 * maxChars + 400));
  return oneLine(firstLine?.[0] ?? '', maxChars);
}
