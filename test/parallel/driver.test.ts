/**
 * The streaming driver: workers that read byte ranges of a JSONL file give the records, texts,
 * analyses and messages of a sequential read, for 1 and 2 workers and once the input is large
 * enough for workers — with lines that cross range ends, CRLF, blank lines, a last line without a
 * line break, bad lines and duplicate ids deep in the file; and the paragraph band keys the tasks
 * make are those of the kept records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInputs, type ReadInputsOptions } from '../../src/input/sources.js';
import { createAnalyzer, loadFingerprinter, resolveOptions, type DocumentAnalysis } from '../../src/index.js';
import { paragraphBandKeys } from '../../src/analyze/paragraph-keys.js';
import { itemMajor } from '../support/band-keys.js';
import { SpilledBandKeys } from '../../src/parallel/band-key-spill.js';
import { packAnalyses } from '../../src/parallel/codec.js';
import { readAndAnalyze, type InputAnalysisOptions } from '../../src/parallel/driver.js';
import { TextStore } from '../../src/parallel/textstore.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = resolveOptions();

/** About 1.3 MB: ranges of 64–160 KB end inside lines, one line alone is longer than a range. */
function jsonlLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 900; i++) {
    const paragraph = `فقرة رقم ${i} من الخبر، وفيها كلام يتكرر أحياناً ${'كلمة '.repeat(i % 40)}`;
    const text = i === 450 ? 'نص طويل جداً '.repeat(30_000) : `${paragraph}\n${paragraph.slice(0, 30 + (i % 7))}\n😀 ${i % 5}`;
    lines.push(JSON.stringify({ id: `doc-${i}`, source: `outlet-${i % 4}`, date: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`, text }));
    if (i % 97 === 0) lines.push('');
  }
  return lines;
}

function write(name: string, lines: readonly string[], lineEnd = '\n', trailing = true): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join(lineEnd) + (trailing ? lineEnd : ''));
  return file;
}

const packed = (analyses: readonly DocumentAnalysis[]): Buffer => {
  const { buffer, signatures, counts } = packAnalyses(analyses, options.numPerm);
  // The paragraph signatures too: a scan's analyses read them back from its spill.
  return Buffer.concat([Buffer.from(counts.buffer), Buffer.from(buffer), Buffer.from(signatures)]);
};
const bytes = (keys: Uint32Array): Buffer => Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);

/** What a sequential read and analysis give: records as JSON, analyses packed, messages. */
async function sequential(file: string, skip: boolean): Promise<{ records: string; analyses: Buffer; keys: Buffer; signatureValues: number; messages: string[] }> {
  const messages: string[] = [];
  const read: ReadInputsOptions = skip ? { onInvalid: (message) => messages.push(message) } : {};
  const items = await collectInputs([file], read);
  const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: false });
  const analyses = items.map(({ record }) => analyzer.analyze(record.text));
  return {
    records: JSON.stringify(items.map(({ record }) => record)),
    analyses: packed(analyses),
    keys: bytes(paragraphBandKeys(analyses, options)),
    signatureValues: analyses.reduce((sum, analysis) => sum + analysis.paragraphSignatures.length, 0),
    messages,
  };
}

async function driven(file: string, skip: boolean, settings: InputAnalysisOptions): Promise<{ records: string; analyses: Buffer; keys: Buffer; spilledChunks: number; messages: string[]; progress: number[] }> {
  const messages: string[] = [];
  const progress: number[] = [];
  const read: ReadInputsOptions = skip ? { onInvalid: (message) => messages.push(message) } : {};
  const store = new TextStore();
  try {
    const { records, analyses, paragraphKeys } = await readAndAnalyze([file], read, options, { ...settings, onProgress: (done) => progress.push(done) }, store);
    const plain = records.map(({ id, text, source, date, url, title }) => JSON.parse(JSON.stringify({ id, text, source, date, url, title })) as unknown);
    // The band keys the tasks made, of the kept records only, as the paragraph pass would compute them.
    const keys = paragraphKeys.take()!;
    const spilledChunks = keys instanceof SpilledBandKeys ? keys.table.chunks.length / 2 : 0;
    return { records: JSON.stringify(plain), analyses: packed(analyses), keys: bytes(itemMajor(keys)), spilledChunks, messages, progress };
  } finally {
    store.close();
  }
}

const runs: Array<[string, InputAnalysisOptions]> = [
  ['one thread', { jobs: 1 }],
  ['two workers', { jobs: 2 }],
  ['workers once the input is large', { parallelMinBytes: 200_000 }],
  ['a small input on this thread', { parallelMinBytes: 1e12 }],
  ['every paragraph signature spilled', { jobs: 2, signaturesInMemory: 0 }],
  ['some paragraph signatures spilled', { jobs: 1, signaturesInMemory: 60_000 }],
  ['paragraph band keys spilled by small chunks', { jobs: 2, bandKeysPerChunk: 1000 }],
];

describe('readAndAnalyze', () => {
  const lines = jsonlLines();
  const files = [
    ['LF', write('lf.jsonl', lines)],
    ['CRLF, no final line break', write('crlf.jsonl', lines, '\r\n', false)],
  ] as const;

  for (const [kind, file] of files) {
    it(`gives the records, texts and analyses of a sequential read (${kind})`, async () => {
      const expected = await sequential(file, false);
      // Long paragraphs, so that the paragraph signatures read back from the spill are compared.
      expect(expected.signatureValues).toBeGreaterThan(0);
      for (const [name, settings] of runs) {
        const run = await driven(file, false, settings);
        expect(run.records, name).toBe(expected.records);
        expect(run.analyses.equals(expected.analyses), name).toBe(true);
        expect(run.keys.equals(expected.keys), name).toBe(true);
        expect(run.progress.at(-1), name).toBe(900);
        if (settings.bandKeysPerChunk !== undefined) expect(run.spilledChunks, name).toBeGreaterThan(10);
      }
    });
  }

  it('reports the first bad line or duplicate id in input order, or each with onInvalid', async () => {
    const bad = [...lines];
    // A duplicate with long paragraphs: its band keys must be left out with it.
    bad.splice(700, 0, JSON.stringify({ id: 'doc-3', text: `مرة أخرى ${'نص مكرر في فقرة طويلة '.repeat(5)}\nفقرة ثانية طويلة بما يكفي لأن يكون لها توقيع خاص بها` }));
    bad.splice(600, 0, '{"id": "x", "text": 7}');
    bad.splice(300, 0, 'not json');
    bad.splice(800, 0, '{"id": "doc-800-bis", "text": "\u00ff"}');
    const file = write('bad.jsonl', bad);
    const expectedSkip = await sequential(file, true);
    expect(expectedSkip.messages.length).toBe(3);
    const firstError = await sequential(file, false).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(firstError).toMatch(/^\/.*bad\.jsonl:301: malformed JSON/);
    for (const [name, settings] of runs) {
      await expect(driven(file, false, settings), name).rejects.toThrow(firstError);
      const run = await driven(file, true, settings);
      expect(run.messages, name).toEqual(expectedSkip.messages);
      expect(run.records, name).toBe(expectedSkip.records);
      expect(run.analyses.equals(expectedSkip.analyses), name).toBe(true);
      expect(run.keys.equals(expectedSkip.keys), name).toBe(true);
    }
  });

  it('names a missing input, and reads a folder without text files as no records', async () => {
    const file = path.join(dir, 'gone.jsonl');
    await expect(driven(dir, false, { jobs: 1 })).resolves.toMatchObject({ records: '[]' });
    await expect(driven(file, false, { jobs: 2 })).rejects.toThrow(`${file}: no such file or directory`);
  });
});
