/**
 * Anchors: a content-defined sample of a document's passages, the candidate source for
 * containment (a short text inside a long one has a tiny Jaccard, so document LSH cannot find it).
 *
 * An anchor is a window of {@link ANCHOR_WIDTH} normalized characters whose hash falls in the
 * lowest 1/{@link ANCHOR_SAMPLING} of the hash range ("0 mod p" sampling, Manber 1994). The choice
 * depends only on the window's text, so two documents sharing a passage share that passage's
 * anchors wherever it sits, whatever the paragraphs around it; an edit changes only the windows
 * that overlap it. Windows are longer than shingles so that common short phrases are rarely
 * anchors shared by unrelated articles.
 */
import { createShingleHasher, type ShingleHasher } from '../sketch/shingle.js';
import { toShingleSet } from './similarity.js';

/** Characters of an anchor window (about three or four words of Arabic news). */
export const ANCHOR_WIDTH = 20;

/** One window in this many is an anchor, on average. */
export const ANCHOR_SAMPLING = 16;

/** Keeps a document's anchors apart from its shingle hashes of the same seed. */
const ANCHOR_SEED_MIX = 0x61c88647;

const ANCHOR_LIMIT = Math.floor(0x1_0000_0000 / ANCHOR_SAMPLING);

/** Computes the sorted, distinct anchors of normalized texts; reuses its buffer (not re-entrant). */
export class AnchorSampler {
  private readonly hasher: ShingleHasher;
  private windows = new Uint32Array(1 << 14);

  constructor(seed: number) {
    this.hasher = createShingleHasher(ANCHOR_WIDTH, (seed ^ ANCHOR_SEED_MIX) >>> 0);
  }

  /** Anchors of `units[0..length)`, ascending and distinct; none for a text shorter than a window. */
  anchors(units: Uint16Array, length: number): Uint32Array {
    if (length < ANCHOR_WIDTH) return new Uint32Array(0);
    // At most every window is kept: room for all of them.
    if (this.windows.length < length) this.windows = new Uint32Array(length * 2);
    const kept = this.hasher.sampleInto(units, 0, length, ANCHOR_LIMIT, this.windows);
    return toShingleSet(this.windows.subarray(0, kept));
  }
}
