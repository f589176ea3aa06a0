/**
 * The files `syndic truth` writes and `syndic eval` reads, as lines of text (the CLI does the
 * reading and writing):
 *
 * - a truth file, JSONL: an optional header `{"type":"truth","version":1,"documents","jaccard",
 *   "containment","shingleSize","seed","normalize"}` (what was computed and its floors), pair
 *   lines `{"a","b","jaccard","containment":{"aInB","bInA"},"shared","shingles":[|A|,|B|]}`
 *   (`a` before `b` in input order; `shared` and `shingles` optional), and cluster lines
 *   `{"id","cluster"}` as labelled corpora ship them;
 * - a run to score: a `scan --format json` report, or JSONL of pairs `{"a","b","type"?}` from
 *   syndic (`scan --format jsonl`) or any other tool, with optional `{"id","cluster"}` lines.
 */
import { SyndicError } from '../errors.js';
import type { NormalizeOptions } from '../text/rules.js';
import type { ReportedPair, TruthEntry } from './score.js';

/** The header line of a truth file: what was compared and which pairs it holds. */
export interface TruthHeader {
  type: 'truth';
  version: 1;
  documents: number;
  /** Floors: the file holds every pair with Jaccard ≥ `jaccard` or either containment ≥ `containment`. */
  jaccard: number;
  containment: number;
  shingleSize: number;
  seed: number;
  normalize: NormalizeOptions;
}

/** A truth file read back. */
export interface TruthFile {
  header: TruthHeader | null;
  pairs: TruthEntry[];
  /** Item id → true cluster label; empty when the file has no cluster lines. */
  clusters: Map<string, string>;
}

/** A run read back: its pairs, its clusters when it gives them, and its parameters when it is a syndic report. */
export interface RunFile {
  pairs: ReportedPair[];
  clusters: Map<string, string> | null;
  params: { threshold?: number; containment?: number; shingleSize?: number } | null;
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/** The header line (with its line break). */
export function truthHeaderLine(header: Omit<TruthHeader, 'type' | 'version'>): string {
  const { documents, jaccard, containment, shingleSize, seed, normalize } = header;
  return `${JSON.stringify({ type: 'truth', version: 1, documents, jaccard, containment, shingleSize, seed, normalize })}\n`;
}

/** One pair line (with its line break); measures rounded to 6 decimals, counts exact. */
export function truthPairLine(entry: Required<TruthEntry>): string {
  const { a, b, jaccard, aInB, bInA, shared, shingles } = entry;
  return `${JSON.stringify({ a, b, jaccard: round6(jaccard), containment: { aInB: round6(aInB), bInA: round6(bInA) }, shared, shingles })}\n`;
}

type Json = Record<string, unknown>;

function parseLine(line: string, where: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new SyndicError(`${where}: malformed JSON (${error instanceof Error ? error.message : String(error)})`, 'input');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SyndicError(`${where}: expected a JSON object`, 'input');
  return value as Json;
}

function idField(object: Json, field: string, where: string): string {
  const value = object[field];
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new SyndicError(`${where}: field "${field}" must be a non-empty string, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, 'input');
}

function shareField(object: Json, field: string, where: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new SyndicError(`${where}: field "${field}" must be a number from 0 to 1, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, 'input');
  }
  return value;
}

function countField(object: Json, field: string, where: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SyndicError(`${where}: field "${field}" must be a count, got ${JSON.stringify(value)}`, 'input');
  return value;
}

function* numberedLines(text: string): Generator<[number, string]> {
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() !== '') yield [line, raw];
  }
}

function clusterLine(object: Json, where: string, clusters: Map<string, string>): void {
  const id = idField(object, 'id', where);
  const cluster = idField(object, 'cluster', where);
  if (clusters.has(id)) throw new SyndicError(`${where}: id ${JSON.stringify(id)} is given a cluster twice`, 'input');
  clusters.set(id, cluster);
}

/** Read a truth file; every error names the file, the line and the field. */
export function parseTruth(text: string, file: string): TruthFile {
  const result: TruthFile = { header: null, pairs: [], clusters: new Map() };
  for (const [line, raw] of numberedLines(text)) {
    const where = `${file}:${line}`;
    const object = parseLine(raw, where);
    if (object.type === 'truth') {
      if (result.header) throw new SyndicError(`${where}: a second truth header`, 'input');
      if (object.version !== 1) throw new SyndicError(`${where}: field "version" must be 1, got ${JSON.stringify(object.version)}`, 'input');
      result.header = {
        type: 'truth',
        version: 1,
        documents: countField(object, 'documents', where),
        jaccard: shareField(object, 'jaccard', where),
        containment: shareField(object, 'containment', where),
        shingleSize: countField(object, 'shingleSize', where),
        seed: countField(object, 'seed', where),
        normalize: object.normalize as NormalizeOptions,
      };
    } else if ('cluster' in object) {
      clusterLine(object, where, result.clusters);
    } else {
      const a = idField(object, 'a', where);
      const b = idField(object, 'b', where);
      const containment = object.containment;
      if (containment === null || typeof containment !== 'object') throw new SyndicError(`${where}: field "containment" must be an object {aInB, bInA}`, 'input');
      const entry: TruthEntry = {
        a,
        b,
        jaccard: shareField(object, 'jaccard', where),
        aInB: shareField(containment as Json, 'aInB', `${where}: containment`),
        bInA: shareField(containment as Json, 'bInA', `${where}: containment`),
      };
      if (object.shared !== undefined || object.shingles !== undefined) {
        const sizes = object.shingles;
        if (!Array.isArray(sizes) || sizes.length !== 2) throw new SyndicError(`${where}: field "shingles" must be [|A|, |B|]`, 'input');
        entry.shared = countField(object, 'shared', where);
        entry.shingles = [countField({ size: sizes[0] }, 'size', `${where}: shingles`), countField({ size: sizes[1] }, 'size', `${where}: shingles`)];
      }
      result.pairs.push(entry);
    }
  }
  return result;
}

const PAIR_TYPES: Readonly<Record<string, ReportedPair['kind'] | null>> = Object.freeze({
  duplicate: 'duplicate',
  'near-duplicate': 'duplicate',
  syndication: 'syndication',
  syndicated: 'syndication',
  // The other lines of `scan --format jsonl` claim no pair.
  paragraph: null,
  story: null,
  outlet: null,
  flow: null,
  stats: null,
  document: null,
  cluster: null,
});

/**
 * Read a run: a `scan --format json` report (one JSON object with `duplicates` and
 * `syndication`), or JSONL of pairs. A pair line's `type` says what it claims (`duplicate`,
 * `syndication`; paragraph, story, outlet, flow, stats, document and cluster lines are skipped); a line without `type` is a near-duplicate claim.
 */
export function parseRun(text: string, file: string): RunFile {
  const whole = wholeJson(text);
  if (whole && typeof whole === 'object' && 'duplicates' in whole && 'syndication' in whole) return fromScanReport(whole, file);
  const pairs: ReportedPair[] = [];
  const clusters = new Map<string, string>();
  for (const [line, raw] of numberedLines(text)) {
    const where = `${file}:${line}`;
    const object = parseLine(raw, where);
    if ('cluster' in object) {
      clusterLine(object, where, clusters);
      continue;
    }
    const type = object.type;
    let kind: ReportedPair['kind'] | null = 'duplicate';
    if (type !== undefined) {
      const known = typeof type === 'string' ? PAIR_TYPES[type] : undefined;
      if (known === undefined) throw new SyndicError(`${where}: field "type" must be one of ${Object.keys(PAIR_TYPES).join(', ')}, got ${JSON.stringify(type)}`, 'input');
      kind = known;
    }
    if (kind === null) continue;
    pairs.push({ a: idField(object, 'a', where), b: idField(object, 'b', where), kind });
  }
  return { pairs, clusters: clusters.size > 0 ? clusters : null, params: null };
}

/** The text as one JSON value, or undefined when it is not one (JSONL of several lines fails fast). */
function wholeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromScanReport(report: object, file: string): RunFile {
  const object = report as { duplicates?: { pairs?: unknown }; syndication?: unknown; params?: Json };
  if (!Array.isArray(object.duplicates?.pairs) || !Array.isArray(object.syndication)) {
    throw new SyndicError(`${file}: a JSON report needs "duplicates.pairs" and "syndication" arrays (syndic scan --format json)`, 'input');
  }
  const pairs: ReportedPair[] = [];
  const read = (list: unknown[], field: string, kind: ReportedPair['kind']): void =>
    list.forEach((pair, i) => {
      const where = `${file}: ${field}[${i}]`;
      if (pair === null || typeof pair !== 'object') throw new SyndicError(`${where}: expected an object {a, b}`, 'input');
      pairs.push({ a: idField(pair as Json, 'a', where), b: idField(pair as Json, 'b', where), kind });
    });
  read(object.duplicates!.pairs as unknown[], 'duplicates.pairs', 'duplicate');
  read(object.syndication as unknown[], 'syndication', 'syndication');
  const params = object.params ?? {};
  const number = (key: string): number | undefined => (typeof params[key] === 'number' ? (params[key] as number) : undefined);
  const found: NonNullable<RunFile['params']> = {};
  for (const key of ['threshold', 'containment', 'shingleSize'] as const) {
    const value = number(key);
    if (value !== undefined) found[key] = value;
  }
  return { pairs, clusters: null, params: found };
}
