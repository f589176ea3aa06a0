/**
 * Documents as exact shingle sets, with syndic's own normalization and shingling: the sets that
 * truth and verification compare.
 */
import { createAnalyzer } from '../analyze/analyze.js';
import { toShingleSet } from '../analyze/similarity.js';
import { resolveOptions, type DetectOptions, type ResolvedOptions } from '../options.js';
import type { Fingerprinter } from '../sketch/hash.js';

/** A builder of document shingle sets for one option set (not re-entrant: it reuses buffers). */
export interface DocumentSetBuilder {
  options: ResolvedOptions;
  /** The sorted, duplicate-free shingle hashes of `text` (empty when it normalizes to nothing). */
  documentSet(text: string): Uint32Array;
}

/**
 * A builder of the shingle sets `scan` verifies with: the same normalization, shingle size and
 * hash seed as `options` (paragraph options play no part).
 */
export function createDocumentSetBuilder(options: DetectOptions, fingerprinter: Fingerprinter): DocumentSetBuilder {
  const resolved = resolveOptions({ ...options, unit: 'document', verify: 'exact' });
  const analyzer = createAnalyzer(resolved, fingerprinter, { keepHashes: true });
  return {
    options: resolved,
    documentSet: (text) => {
      const analysis = analyzer.analyze(text);
      return analysis.normalizedLength === 0 ? new Uint32Array(0) : toShingleSet(analysis.hashes!);
    },
  };
}
