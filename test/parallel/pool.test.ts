/**
 * The wire codec, paragraph signatures spilled to disk, and the worker-thread analysis pool (loads dist/parallel/worker.js, built by the test setup): analyses equal to the
 * single-threaded analyzer's, results byte-identical to findDuplicates for any worker count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyzer, findDuplicates, findDuplicatesParallel, loadFingerprinter, resolveOptions, type Analyzer, type DocumentAnalysis, type DocumentRecord } from '../../src/index.js';
import { AnalysisPool } from '../../src/parallel/pool.js';
import { documentIdentity } from '../../src/analyze/analyze.js';
import { packAnalyses, releaseSignatures, SignatureBlocks, takeAnchors, unpackAnalyses } from '../../src/parallel/codec.js';
import { SignatureReader } from '../../src/parallel/signature-spill.js';
import { SpillFile } from '../../src/parallel/spill.js';

const samples = ['000_848e103266e47c76', '001_c165a42ed11c2292', '002_12ca15c9baea0e71', '003_13b42c5a08ef7be2', '004_cfbd479925494924'].map((name) => ({
  id: name,
  text: readFileSync(new URL(`../../samples/${name}.txt`, import.meta.url), 'utf8'),
}));
const records: DocumentRecord[] = [...samples, ...samples.map((record) => ({ id: `${record.id}-copy`, text: `${record.text}\nتم النسخ` })), { id: 'empty', text: '' }];

const FIELDS = ['chars', 'normalizedLength', 'signature', 'identity', 'hashes', 'paragraphStart', 'paragraphEnd', 'normalizedStart', 'normalizedEnd', 'fingerprints', 'signatureRow', 'paragraphSignatures', 'anchors'] as const;

/** An analysis's fields as a plain object (an unpacked one makes them on demand). */
function plain(analysis: DocumentAnalysis): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map((field) => [field, analysis[field]]));
}

/** The records analyzed at numPerm 16, and the analyzer. */
async function analyzedRecords(): Promise<{ analyzer: Analyzer; analyses: DocumentAnalysis[] }> {
  const analyzer = createAnalyzer(resolveOptions({ numPerm: 16 }), await loadFingerprinter(), { keepHashes: false });
  return { analyzer, analyses: records.map((record) => analyzer.analyze(record.text)) };
}

/** {@link plain} without one field. */
function plainWithout(field: (typeof FIELDS)[number]): (analysis: DocumentAnalysis) => Record<string, unknown> {
  return (analysis) => Object.fromEntries(FIELDS.filter((other) => other !== field).map((other) => [other, analysis[other]]));
}

describe('packAnalyses / unpackAnalyses', () => {
  it('round-trips a batch through one buffer, empty documents included', async () => {
    const { analyses } = await analyzedRecords();
    const packed = packAnalyses(analyses, 16);
    const unpacked = unpackAnalyses(packed, 16);
    expect(Object.keys(analyses[0]!).sort()).toEqual([...FIELDS].sort());
    expect(unpacked.map(plain)).toEqual(analyses.map(plain));
    expect(new Set(unpacked.map((analysis) => analysis.signature.buffer)).size).toBe(1);
    expect(unpackAnalyses(packAnalyses([], 16), 16)).toEqual([]);
  });

  it.each([
    ['signatures', 'paragraphSignatures'],
    ['anchors', 'anchors'],
    ['documentSignatures', 'signature'],
  ] as const)('leaves the part %s out when asked, and only it', async (part, field) => {
    const { analyses } = await analyzedRecords();
    expect(analyses.some((analysis) => analysis[field].length > 0)).toBe(true);
    const packed = packAnalyses(analyses, 16, { [part]: false });
    expect(packed[part].byteLength).toBe(0);
    expect(unpackAnalyses(packed, 16).map(plain)).toEqual(analyses.map((analysis) => ({ ...plain(analysis), [field]: new Uint32Array(0) })));
  });

  it('moves the document signatures into shared blocks and lets go of them when released, the identity kept', async () => {
    const { analyzer, analyses } = await analyzedRecords();
    // Copies differ by a line, the empty record has no text: identities are distinct, and the signature's.
    expect(new Set(analyses.map((analysis) => analysis.identity)).size).toBe(analyses.length);
    expect(analyses.map((analysis) => analysis.identity)).toEqual(analyses.map((analysis) => documentIdentity(analysis.signature, analysis.normalizedLength)));
    expect(analyzer.analyze(records[0]!.text).identity).toBe(analyses[0]!.identity);
    const blocks = new SignatureBlocks();
    // Blocks double from the first batch's size: the second batch needs a block of its own, the third fits in it.
    const batches = [analyses.slice(0, 4), analyses.slice(4, 7), analyses.slice(7)].map((batch) => unpackAnalyses(packAnalyses(batch, 16), 16));
    batches.forEach((batch) => blocks.adopt(batch));
    const unpacked = batches.flat();
    expect(unpacked.map(plain)).toEqual(analyses.map(plain));
    const buffers = batches.map((batch) => batch[0]!.signature.buffer);
    expect([buffers[0] !== buffers[1], buffers[1] === buffers[2]]).toEqual([true, true]);
    releaseSignatures(unpacked);
    expect(() => unpacked[0]!.signature).toThrow(/released/);
    expect(unpacked.map(plainWithout('signature'))).toEqual(analyses.map(plainWithout('signature')));
  });

  it('hands over the anchors of packed batches whole, in document order, and refuses to give them afterwards', async () => {
    const { analyses } = await analyzedRecords();
    // Two packed batches, then an analysis made on this thread (copied, not taken).
    const packed = [packAnalyses(analyses.slice(0, 4), 16), packAnalyses(analyses.slice(4, 10), 16)];
    const unpacked = [...packed.flatMap((batch) => unpackAnalyses(batch, 16)), ...analyses.slice(10)];
    const { parts, counts } = takeAnchors(unpacked);
    expect(parts.map((part) => part.buffer)).toEqual([...packed.map((batch) => batch.anchors), expect.anything()]);
    expect(parts[0]!.buffer).toBe(packed[0]!.anchors);
    expect([...counts]).toEqual(analyses.map((analysis) => analysis.anchors.length));
    expect([...parts.flatMap((part) => [...part])]).toEqual(analyses.flatMap((analysis) => [...analysis.anchors]));
    expect(() => unpacked[0]!.anchors).toThrow(/taken/);
    expect(analyses[10]!.anchors).toBe(unpacked[10]!.anchors);
    expect(unpacked.map(plainWithout('anchors'))).toEqual(analyses.map(plainWithout('anchors')));
  });
});

describe('unpackAnalyses with spilled signatures', () => {
  it('gives analyses that read their paragraph signatures back from the spill, holding no view of the batch', async () => {
    const { analyses } = await analyzedRecords();
    const spill = new SpillFile();
    try {
      // Two batches, so that the second one's offsets start past the first one's bytes.
      const batches = [analyses.slice(0, 4), analyses.slice(4)].map((batch) => {
        const packed = packAnalyses(batch, 16);
        return { packed, offset: spill.append(new Uint8Array(packed.signatures)) };
      });
      const spilledWith = (reader: SignatureReader): DocumentAnalysis[] =>
        batches.flatMap(({ packed, offset }) =>
          unpackAnalyses({ ...packed, signatures: new ArrayBuffer(0) }, 16, { reader, offset }).map((analysis) => {
            for (const value of Object.values(plain(analysis))) if (ArrayBuffer.isView(value)) expect(value.buffer).not.toBe(packed.signatures);
            return analysis;
          }),
        );
      expect(spill.size).toBe(analyses.reduce((sum, analysis) => sum + analysis.paragraphSignatures.byteLength, 0));
      // In order (read ahead within each batch), then in reverse (one read each) and in order again (from the cache).
      const inOrder = spilledWith(new SignatureReader(spill));
      inOrder.forEach((analysis, d) => expect(analysis.paragraphSignatures).toEqual(analyses[d]!.paragraphSignatures));
      const spilled = spilledWith(new SignatureReader(spill));
      for (const d of [...spilled.keys()].reverse()) expect(spilled[d]!.paragraphSignatures).toEqual(analyses[d]!.paragraphSignatures);
      spilled.forEach((analysis, d) => expect(plain(analysis)).toEqual(plain(analyses[d]!)));
    } finally {
      spill.close();
    }
  });
});

describe('AnalysisPool', () => {
  const options = resolveOptions();
  const pool = new AnalysisPool(options, 2);
  afterAll(() => pool.close());

  it('returns the analyses of the in-thread analyzer, in input order', async () => {
    const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
    const expected = records.map((record) => analyzer.analyze(record.text));
    const progress: number[] = [];
    const analyses = await pool.analyze(
      records.map((record) => record.text),
      { onProgress: (done) => progress.push(done) },
    );
    expect(analyses.map(plain)).toEqual(expected.map(plain));
    expect(progress.at(-1)).toBe(records.length);
    expect(pool.size).toBe(2);
  });

  it('can be used again, and for no texts at all', async () => {
    expect(await pool.analyze([])).toEqual([]);
    expect((await pool.analyze(['نص قصير'])).length).toBe(1);
  });

  it('refuses work once closed', async () => {
    const closed = new AnalysisPool(options, 1);
    await closed.close();
    await expect(closed.analyze(['x'])).rejects.toThrow('closed');
  });
});

describe('findDuplicatesParallel', () => {
  it('is byte-identical to findDuplicates for 1, 2 and 3 jobs', async () => {
    const expected = JSON.stringify(await findDuplicates(records));
    for (const jobs of [1, 2, 3]) expect(JSON.stringify(await findDuplicatesParallel(records, {}, { jobs }))).toBe(expected);
  });

  it('uses a pool the caller started, and leaves it open', async () => {
    const pool = new AnalysisPool(resolveOptions({ shingleSize: 4 }), 2);
    try {
      const expected = JSON.stringify(await findDuplicates(records, { shingleSize: 4 }));
      expect(JSON.stringify(await findDuplicatesParallel(records, { shingleSize: 4 }, { pool }))).toBe(expected);
      expect(JSON.stringify(await findDuplicatesParallel(records, { shingleSize: 4 }, { pool }))).toBe(expected);
      await expect(findDuplicatesParallel(records, { shingleSize: 6 }, { pool })).rejects.toThrow('the analysis pool was built with other options');
    } finally {
      await pool.close();
    }
  });

  it('validates jobs', async () => {
    await expect(findDuplicatesParallel(records, {}, { jobs: 0 })).rejects.toThrow('option jobs must be an integer from 1 to 1024, got 0');
  });

  const data = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url);
  it.skipIf(!existsSync(data))('is byte-identical on the first 1,500 real articles with 2 jobs', async () => {
    const lines = gunzipSync(readFileSync(data)).toString('utf8').split('\n').slice(0, 1500);
    const real = lines.map((line) => JSON.parse(line) as DocumentRecord);
    const expected = JSON.stringify(await findDuplicates(real));
    expect(JSON.stringify(await findDuplicatesParallel(real, {}, { jobs: 2 }))).toBe(expected);
  });
});

