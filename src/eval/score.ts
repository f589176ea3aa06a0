/**
 * A run's document pairs scored against exact truth, class by class: near-duplicates (document
 * Jaccard ≥ threshold) and syndicated copies (not near-duplicates, and at least `containment` of
 * the smaller document — the one with fewer shingles — inside the other), with recall by band.
 */
import { round4, scores, type Scores } from './metrics.js';

/** One pair of the truth, by id, with its exact measures. */
export interface TruthEntry {
  a: string;
  b: string;
  jaccard: number;
  /** |A ∩ B| / |A| and |A ∩ B| / |B|. */
  aInB: number;
  bInA: number;
  /** |A ∩ B| and the two set sizes, when known: the class is then decided from integers, as `scan` does. */
  shared?: number;
  shingles?: readonly [number, number];
}

/** What a pair of documents is under one threshold and containment. */
export type CopyClass = 'duplicate' | 'syndicated' | 'none';

/** A pair a run reported, and as what. */
export interface ReportedPair {
  a: string;
  b: string;
  kind: 'duplicate' | 'syndication';
}

/** The thresholds that define the classes. */
export interface ClassThresholds {
  threshold: number;
  containment: number;
  /**
   * A syndicated copy's smaller document needs at least this many shingles (a few words inside
   * an article are not a copy); applies where the truth gives set sizes. Default 0: no floor.
   */
  minShingles?: number;
}

/** Jaccard and the containment of the smaller document in the other (the larger of the two containments). */
export function entryMeasures(entry: TruthEntry): { jaccard: number; smallerInOther: number } {
  if (entry.shared !== undefined && entry.shingles !== undefined) {
    const [sizeA, sizeB] = entry.shingles;
    return { jaccard: entry.shared / (sizeA + sizeB - entry.shared), smallerInOther: entry.shared / Math.min(sizeA, sizeB) };
  }
  return { jaccard: entry.jaccard, smallerInOther: Math.max(entry.aInB, entry.bInA) };
}

/** The class of a truth pair: the one definition of a copy, applied to exact measures. */
export function truthClass(entry: TruthEntry, thresholds: ClassThresholds): CopyClass {
  const { jaccard, smallerInOther } = entryMeasures(entry);
  if (jaccard >= thresholds.threshold) return 'duplicate';
  if (entry.shingles && Math.min(...entry.shingles) < (thresholds.minShingles ?? 0)) return 'none';
  return smallerInOther >= thresholds.containment ? 'syndicated' : 'none';
}

/** Recall of the true pairs of one class whose measure falls in one band. */
export interface BandRecall {
  band: string;
  low: number;
  high: number;
  /** True pairs of the class in the band. */
  truth: number;
  /** Of those, reported as this class. */
  found: number;
  /** Of those, reported as the other class. */
  foundAsOther: number;
  recall: number;
}

/** Scores of one run. */
export interface CopyScores {
  thresholds: ClassThresholds;
  nearDuplicates: { scores: Scores; byJaccard: BandRecall[] };
  syndication: {
    scores: Scores;
    byContainment: BandRecall[];
    /** What the reported syndication pairs truly are. */
    reportedAre: Record<CopyClass, number>;
  };
  /** Either class reported as either class: how well a run finds copies at all. */
  copies: Scores;
  /** Pairs reported both as near-duplicates and as syndication: scored as near-duplicates only. */
  reportedAsBoth: number;
}

/** Key of an unordered id pair (ids cannot hold U+0000 in practice: JSON exports never carry it raw). */
export const idPairKey = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);

const STEP = 0.05;

/** Bands of width 0.05 from `low` up to 1; `exactOne` adds a band of its own for measure 1. */
export function measureBands(low: number, exactOne: boolean): Array<{ band: string; low: number; high: number; lastIncludesOne: boolean }> {
  const edges: number[] = [];
  for (let edge = low; edge < 1 - 1e-9; edge = round4(edge + STEP)) edges.push(edge);
  const bands = edges.map((edge, i) => {
    const high = edges[i + 1] ?? 1;
    const closed = !exactOne && i === edges.length - 1;
    return { band: `[${edge.toFixed(2)}, ${high.toFixed(2)}${closed ? ']' : ')'}`, low: edge, high, lastIncludesOne: closed };
  });
  if (exactOne) bands.push({ band: '1.00', low: 1, high: 1, lastIncludesOne: true });
  return bands;
}

function bandRecall(
  entries: ReadonlyArray<{ measure: number; key: string }>,
  bands: ReturnType<typeof measureBands>,
  found: ReadonlySet<string>,
  foundAsOther: ReadonlySet<string>,
): BandRecall[] {
  return bands.map(({ band, low, high, lastIncludesOne }) => {
    const inBand = entries.filter(({ measure }) => measure >= low && (measure < high || (lastIncludesOne && measure <= high)));
    const hits = inBand.filter(({ key }) => found.has(key)).length;
    return {
      band,
      low,
      high,
      truth: inBand.length,
      found: hits,
      foundAsOther: inBand.filter(({ key }) => foundAsOther.has(key)).length,
      recall: round4(inBand.length === 0 ? 1 : hits / inBand.length),
    };
  });
}

/**
 * Score `reported` against `truth`. The truth must hold every pair at or above the thresholds
 * (a truth computed with floors no higher than them); a reported pair it does not hold is wrong.
 */
export function scoreCopies(truth: readonly TruthEntry[], reported: readonly ReportedPair[], thresholds: ClassThresholds): CopyScores {
  const duplicates: Array<{ measure: number; key: string }> = [];
  const syndicated: Array<{ measure: number; key: string }> = [];
  const classOf = new Map<string, CopyClass>();
  for (const entry of truth) {
    const kind = truthClass(entry, thresholds);
    if (kind === 'none') continue;
    const key = idPairKey(entry.a, entry.b);
    const measures = entryMeasures(entry);
    classOf.set(key, kind);
    if (kind === 'duplicate') duplicates.push({ measure: measures.jaccard, key });
    else syndicated.push({ measure: measures.smallerInOther, key });
  }
  const reportedDuplicates = new Set<string>();
  const reportedSyndication = new Set<string>();
  for (const pair of reported) {
    if (pair.a === pair.b) continue;
    (pair.kind === 'duplicate' ? reportedDuplicates : reportedSyndication).add(idPairKey(pair.a, pair.b));
  }
  // A pair reported as both counts as a duplicate (one category per pair).
  let reportedAsBoth = 0;
  for (const key of reportedDuplicates) if (reportedSyndication.delete(key)) reportedAsBoth++;

  const hits = (found: ReadonlySet<string>, kind: CopyClass): number => {
    let count = 0;
    for (const key of found) if (classOf.get(key) === kind) count++;
    return count;
  };
  const reportedAre: Record<CopyClass, number> = { duplicate: 0, syndicated: 0, none: 0 };
  for (const key of reportedSyndication) reportedAre[classOf.get(key) ?? 'none']++;
  let copyHits = 0;
  for (const key of [...reportedDuplicates, ...reportedSyndication]) if (classOf.has(key)) copyHits++;
  return {
    thresholds: { threshold: thresholds.threshold, containment: thresholds.containment, minShingles: thresholds.minShingles ?? 0 },
    nearDuplicates: {
      scores: scores(duplicates.length, reportedDuplicates.size, hits(reportedDuplicates, 'duplicate')),
      byJaccard: bandRecall(duplicates, measureBands(thresholds.threshold, true), reportedDuplicates, reportedSyndication),
    },
    syndication: {
      scores: scores(syndicated.length, reportedSyndication.size, hits(reportedSyndication, 'syndicated')),
      byContainment: bandRecall(syndicated, measureBands(thresholds.containment, false), reportedSyndication, reportedDuplicates),
      reportedAre,
    },
    copies: scores(classOf.size, reportedDuplicates.size + reportedSyndication.size, copyHits),
    reportedAsBoth,
  };
}
