/**
 * One tinybench suite per stage of the hashing core and of candidate generation: normalize,
 * shingle, sketch (classic vs oph over numPerm), band keys and batch grouping, verification.
 * Documents of 1 KB to 100 KB are cut from the real data (or the seeds when it is absent).
 */
import { batchCandidates, createNormalizer, createShingleHasher, createSketcher, createTextSketcher, exactSimilarity, lshParams, segmentParagraphs, toShingleSet } from '../../src/index.js';
import { bandKeysInto } from '../../src/lsh/bands.js';
import { sizedDocument, seededRandom } from './corpus.js';
import { consume, runSuite, type Row, type TaskSpec } from './harness.js';

const SIZES = [1_000, 10_000, 100_000];
const NUM_PERMS = [32, 128, 512];
const label = (bytes: number): string => `${bytes / 1000} KB`;

/** Normalization and segmentation of one document per size. */
export async function normalizeSuite(): Promise<Row[]> {
  const normalizer = createNormalizer();
  const tasks: TaskSpec[] = [];
  for (const size of SIZES) {
    const text = sizedDocument(size, size);
    const sizeBytes = Buffer.byteLength(text);
    tasks.push({ name: `normalize ${label(size)}`, fn: () => consume(normalizer.normalizeToUnits(text).length), sizeBytes, params: { size } });
    tasks.push({ name: `String#normalize NFKC ${label(size)}`, fn: () => consume(text.normalize('NFKC').length), sizeBytes, params: { size } });
    tasks.push({ name: `segment ${label(size)}`, fn: () => consume(segmentParagraphs(text).length), sizeBytes, params: { size } });
  }
  return runSuite('normalize', tasks);
}

/** Rolling shingle hashing of normalized text. */
export async function shingleSuite(): Promise<Row[]> {
  const normalizer = createNormalizer();
  const hasher = createShingleHasher(5, 1);
  const tasks: TaskSpec[] = [];
  for (const size of SIZES) {
    const text = sizedDocument(size, size);
    const normalized = normalizer.normalizeToUnits(text);
    const units = normalized.units.slice(0, normalized.length);
    const out = new Uint32Array(units.length + 1);
    tasks.push({ name: `shingle k=5 ${label(size)}`, fn: () => consume(hasher.hashInto(units, 0, units.length, out, 0)), sizeBytes: Buffer.byteLength(text), params: { size } });
  }
  return runSuite('shingle', tasks);
}

/** Signatures from shingle hashes: classic reference vs one-permutation hashing, numPerm 32–512. */
export async function sketchSuite(): Promise<Row[]> {
  const normalizer = createNormalizer();
  const hasher = createShingleHasher(5, 1);
  const tasks: TaskSpec[] = [];
  for (const size of [10_000, 100_000]) {
    const text = sizedDocument(size, size);
    const hashes = hasher.hashText(normalizer.normalize(text));
    for (const numPerm of NUM_PERMS) {
      for (const variant of ['classic', 'oph'] as const) {
        if (variant === 'classic' && size > 10_000 && numPerm > 128) continue; // seconds per call
        const sketcher = createSketcher({ numPerm, seed: 1, shingleSize: 5, variant });
        const out = new Uint32Array(numPerm);
        tasks.push({
          name: `${variant} numPerm=${numPerm} ${label(size)}`,
          fn: () => {
            sketcher.sketchInto(hashes, 0, hashes.length, out, 0);
            consume(out[0]!);
          },
          sizeBytes: Buffer.byteLength(text),
          params: { size, numPerm, variant },
        });
      }
    }
  }
  // The whole hashing core per document (normalize, then shingles hashed and sketched in one loop).
  for (const size of SIZES) {
    const text = sizedDocument(size, size);
    for (const numPerm of NUM_PERMS) {
      const sketcher = createTextSketcher({ numPerm, seed: 1, shingleSize: 5 });
      const out = new Uint32Array(numPerm);
      tasks.push({
        name: `text → oph numPerm=${numPerm} ${label(size)}`,
        fn: () => {
          sketcher.sketchTextInto(text, out, 0);
          consume(out[0]!);
        },
        sizeBytes: Buffer.byteLength(text),
        params: { size, numPerm, variant: 'oph', input: 'text' },
      });
    }
  }
  return runSuite('sketch', tasks);
}

/** Random signatures where a share of rows are near-copies of others, so buckets are not all singletons. */
function signatureMatrix(count: number, numPerm: number): Uint32Array {
  const random = seededRandom(count + numPerm);
  const signatures = new Uint32Array(count * numPerm);
  for (let row = 0; row < count; row++) {
    const copyOf = row > 0 && random() < 0.2 ? Math.floor(random() * row) : -1;
    for (let i = 0; i < numPerm; i++) {
      signatures[row * numPerm + i] = copyOf >= 0 && random() < 0.9 ? signatures[copyOf * numPerm + i]! : (random() * 4294967296) >>> 0;
    }
  }
  return signatures;
}

/** Band keys and sort-based batch grouping over 10k and 100k signatures. */
export async function lshSuite(): Promise<Row[]> {
  const tasks: TaskSpec[] = [];
  for (const numPerm of NUM_PERMS) {
    const params = lshParams(0.8, numPerm);
    const count = 10_000;
    const signatures = signatureMatrix(count, numPerm);
    const keys = new Uint32Array(count * params.bands);
    tasks.push({
      name: `band keys numPerm=${numPerm} (b=${params.bands}, r=${params.rows}) ×10k`,
      fn: () => {
        for (let item = 0; item < count; item++) bandKeysInto(signatures, item * numPerm, params, keys, item * params.bands);
        consume(keys[0]!);
      },
      params: { numPerm, bands: params.bands, rows: params.rows, items: count },
    });
  }
  for (const count of [10_000, 100_000]) {
    const numPerm = 128;
    const params = lshParams(0.8, numPerm);
    const signatures = signatureMatrix(count, numPerm);
    tasks.push({
      name: `batch grouping numPerm=128 ×${count / 1000}k`,
      fn: () => consume(batchCandidates(signatures, count, numPerm, params).pairs.length),
      params: { numPerm, items: count },
    });
  }
  return runSuite('lsh', tasks);
}

/** Exact verification: building sorted shingle sets and intersecting them. */
export async function verifySuite(): Promise<Row[]> {
  const normalizer = createNormalizer();
  const hasher = createShingleHasher(5, 1);
  const tasks: TaskSpec[] = [];
  for (const size of SIZES) {
    const text = sizedDocument(size, size);
    const hashes = hasher.hashText(normalizer.normalize(text));
    // A near-copy: the same text with every 20th word dropped.
    const copy = text.split(' ').filter((_, i) => i % 20 !== 7).join(' ');
    const setA = toShingleSet(hashes);
    const setB = toShingleSet(hasher.hashText(normalizer.normalize(copy)));
    tasks.push({ name: `shingle set (sort + dedup) ${label(size)}`, fn: () => consume(toShingleSet(hashes).length), sizeBytes: Buffer.byteLength(text), params: { size } });
    tasks.push({ name: `exact Jaccard ${label(size)}`, fn: () => consume(exactSimilarity(setA, setB).intersection), sizeBytes: Buffer.byteLength(text), params: { size } });
  }
  return runSuite('verify', tasks);
}
