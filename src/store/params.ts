/**
 * The parameters an index is built with: stored in the index, compared on open, hashed into the
 * Redis key prefix. Stored parameters win over defaults; explicit options that disagree are an error.
 */
import { createHash } from 'node:crypto';
import { SyndicError } from '../errors.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';

/** Options that change what is stored (signatures, band keys, paragraph data). */
const DATA_KEYS = ['shingleSize', 'numPerm', 'seed', 'variant', 'bands', 'rows', 'minParagraphChars', 'unit', 'normalize'] as const;

/** Version of the stored record layout (2: with the verification sketch). */
const RECORD_LAYOUT = 2;

/** Options that only change verdicts. */
const VERDICT_KEYS = ['threshold', 'containment', 'paragraphThreshold', 'boilerplateMinDocsUnsourced', 'maxBucketSize'] as const;

/** The stored subset of {@link ResolvedOptions}, as plain JSON. */
export type StoredParams = Pick<ResolvedOptions, (typeof DATA_KEYS)[number] | (typeof VERDICT_KEYS)[number] | 'recall'>;

/** The parameters to store for resolved options. */
export function storedParamsOf(options: ResolvedOptions): StoredParams {
  const stored = {} as Record<string, unknown>;
  for (const key of [...DATA_KEYS, ...VERDICT_KEYS, 'recall'] as const) stored[key] = options[key];
  return structuredClone(stored) as StoredParams;
}

/** Resolved options back from stored parameters (validated like any options). */
export function resolveStoredParams(stored: StoredParams): ResolvedOptions {
  const detect: DetectOptions = { ...stored, normalize: { ...stored.normalize } };
  const resolved = resolveOptions(detect);
  return resolved;
}

/** Short hash of the data parameters: indexes with the same hash hold comparable data. */
export function dataParamsHash(options: ResolvedOptions): string {
  // The record layout is part of what must agree: records of another layout live under another prefix.
  const data: Record<string, unknown> = { recordLayout: RECORD_LAYOUT };
  for (const key of DATA_KEYS) data[key] = options[key];
  return createHash('sha256').update(stableJson(data)).digest('hex').slice(0, 12);
}

/**
 * Throw a `params` error when an explicitly given option disagrees with the stored parameters.
 * `explicit` holds only the options the caller set; `where` names the index in the message.
 */
export function assertCompatible(stored: ResolvedOptions, explicit: DetectOptions, where: string): void {
  // Each explicit option is resolved on its own terms and compared with the stored value.
  const merged = resolveOptions(definedOnly(explicit));
  const conflicts: string[] = [];
  for (const key of Object.keys(definedOnly(explicit)) as Array<keyof DetectOptions>) {
    if (key === 'normalize') {
      for (const [name, value] of Object.entries(explicit.normalize ?? {})) {
        const was = (stored.normalize as unknown as Record<string, unknown>)[name];
        if (value !== undefined && value !== was) conflicts.push(`normalize.${name}=${String(value)} (index has ${String(was)})`);
      }
      continue;
    }
    const want = merged[key as keyof ResolvedOptions];
    const have = stored[key as keyof ResolvedOptions];
    if (stableJson(want) !== stableJson(have)) conflicts.push(`${key}=${stableJson(want)} (index has ${stableJson(have)})`);
  }
  if (conflicts.length > 0) {
    throw new SyndicError(`${where} was built with other parameters: ${conflicts.join(', ')}; drop these options to use the index's own`, 'params');
  }
}

function definedOnly(options: DetectOptions): DetectOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as DetectOptions;
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
