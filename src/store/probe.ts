/**
 * What the index needs of one record: its document signature and band keys, and for each long
 * paragraph its normalized length, band keys and a one-byte-per-slot signature (b-bit MinHash);
 * and a longer verification sketch of the document that duplicate decisions are made from.
 */
import { createAnalyzer, type Analyzer } from '../analyze/analyze.js';
import { distinctCount } from '../analyze/similarity.js';
import { SyndicError } from '../errors.js';
import type { Fingerprinter } from '../sketch/hash.js';
import { bandKeysInto } from '../lsh/bands.js';
import { lowBytes, VerificationSketcher } from '../sketch/bbit.js';
import type { ResolvedOptions } from '../options.js';

/** A record reduced to what is stored and compared. Plain typed arrays. */
export interface Probe {
  id: string;
  /** Document signature, numPerm values. */
  signature: Uint32Array;
  /** Document band keys, `bands` values. */
  bandKeys: Uint32Array;
  /** Long paragraphs (the ones with a MinHash signature): normalized lengths. */
  paragraphLengths: Uint32Array;
  /** Paragraph band keys, `bands` per paragraph. */
  paragraphBandKeys: Uint32Array;
  /** Low byte of each paragraph signature value, numPerm per paragraph. */
  paragraphBytes: Uint8Array;
  /** Nothing left after normalization: every empty text has the same signature, so it is compared with nothing. */
  empty: boolean;
  /** Document verification data: sketch and distinct-shingle count, VERIFICATION_BYTES bytes (see sketch/bbit.ts). */
  verification: Uint8Array;
}

/** Turns records into probes for one option set (reuses the analyzer's buffers). */
export class Prober {
  private readonly analyzer: Analyzer;
  private readonly verifier: VerificationSketcher;

  constructor(private readonly options: ResolvedOptions, fingerprinter: Fingerprinter) {
    this.analyzer = createAnalyzer(options, fingerprinter, { keepHashes: true });
    this.verifier = new VerificationSketcher(options.seed);
  }

  /** The probe of one record. */
  probe(id: string, text: string): Probe {
    // Ids are stored as UTF-8 (index file, Redis keys), where a lone surrogate turns into U+FFFD.
    if (/\p{Cs}/u.test(id)) throw new SyndicError(`id ${JSON.stringify(id)} is not valid Unicode (a lone surrogate) and cannot be stored`, 'input');
    const { numPerm, bands, rows } = this.options;
    const analysis = this.analyzer.analyze(text);
    const bandKeys = new Uint32Array(bands);
    bandKeysInto(analysis.signature, 0, { bands, rows }, bandKeys);
    const long = analysis.paragraphSignatures.length / numPerm;
    const paragraphLengths = new Uint32Array(long);
    for (let p = 0; p < analysis.signatureRow.length; p++) {
      const row = analysis.signatureRow[p]!;
      if (row >= 0) paragraphLengths[row] = analysis.normalizedEnd[p]! - analysis.normalizedStart[p]!;
    }
    const paragraphBandKeys = new Uint32Array(long * bands);
    for (let row = 0; row < long; row++) {
      bandKeysInto(analysis.paragraphSignatures, row * numPerm, { bands, rows }, paragraphBandKeys, row * bands);
    }
    const paragraphBytes = lowBytes(analysis.paragraphSignatures);
    const verification = this.verifier.sketch(analysis.hashes!, distinctCount(analysis.hashes!));
    return { id, signature: analysis.signature, bandKeys, paragraphLengths, paragraphBandKeys, paragraphBytes, empty: analysis.normalizedLength === 0, verification };
  }
}
