/**
 * `syndic scan` keeps texts on disk, not in memory: through the built binary, plain JSONL,
 * gzipped JSONL, stdin (spilled to a temporary file) and a folder (read again in place) give the
 * report and `--dedup-out --clean` output of the in-memory library, for 1 and 2 jobs; the
 * temporary file is gone after the run, a failed one included.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsToJsonl } from '../../src/cli/scan.js';
import { renderReport } from '../../src/render/report.js';
import { dedupRecords, findDuplicates, type DocumentRecord } from '../../src/index.js';
import { ROOT, runSyndic } from './run.js';

let dir: string;
const at = (...names: string[]): string => path.join(dir, ...names);

const samples = readdirSync(path.join(ROOT, 'samples'))
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => readFileSync(path.join(ROOT, 'samples', name), 'utf8'));
const paragraphsOf = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

/** Copies, excerpts, boilerplate and internal repeats among the samples; a lone surrogate and emoji too. */
function corpus(): DocumentRecord[] {
  const records: DocumentRecord[] = [];
  samples.forEach((text, i) => {
    const paragraphs = paragraphsOf(text);
    records.push({ id: `orig-${i}`, source: `outlet-${i % 3}`, date: `2024-01-${String(10 + i).padStart(2, '0')}`, text });
    records.push({ id: `copy-${i}`, source: `outlet-${(i + 1) % 3}`, date: `2024-02-${String(10 + i).padStart(2, '0')}`, text: `${text}\nتابعونا على تويتر` });
    records.push({ id: `part-${i}`, source: `outlet-${(i + 2) % 3}`, text: [...paragraphs.slice(0, 3), paragraphs[0]!, 'فقرة خاصة بهذا الموقع وحده 😀 \ud800'].join('\n\n') });
  });
  records.push({ id: 'empty', text: '' });
  return records;
}

const records = corpus();
const jsonl = recordsToJsonl(records);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'syndic-streaming-'));
  writeFileSync(at('corpus.jsonl'), jsonl);
  writeFileSync(at('corpus.jsonl.gz'), gzipSync(jsonl));
  for (const record of records) {
    mkdirSync(at('folder', record.source ?? 'none'), { recursive: true });
    // Ids of folder records are their paths: the in-memory reference is built from the same files.
    writeFileSync(at('folder', record.source ?? 'none', `${record.id}.txt`), record.text.replace('\ud800', '?'));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run scan with a private temporary folder; returns the run, the dedup output and what was left in the folder. */
async function scan(inputs: string[], format: string, jobs: number, input?: string): Promise<{ stdout: string; dedup: string; code: number | null; stderr: string; leftOver: string[] }> {
  const temporary = mkdtempSync(path.join(dir, 'tmp-'));
  const dedupFile = path.join(dir, `dedup-${path.basename(temporary)}.jsonl`);
  const run = await runSyndic(['scan', ...inputs, '--format', format, '--jobs', String(jobs), '--dedup-out', dedupFile, '--clean'], {
    cwd: dir,
    env: { TMPDIR: temporary },
    ...(input !== undefined && { input }),
  });
  let dedup = '';
  try {
    dedup = readFileSync(dedupFile, 'utf8');
  } catch {
    // No output file: the run failed.
  }
  return { ...run, dedup, leftOver: readdirSync(temporary) };
}

describe('syndic scan with texts on disk', () => {
  it('gives the in-memory result for plain, gzipped and stdin JSONL, with 1 and 2 jobs', async () => {
    const result = await findDuplicates(records);
    expect(result.stats.duplicatePairs).toBeGreaterThan(0);
    expect(result.stats.syndicatedParagraphs + result.stats.internalRepeats).toBeGreaterThan(0);
    const expected = { code: 0, stderr: '', leftOver: [], dedup: recordsToJsonl(dedupRecords(records, result, { clean: true })) };
    for (const format of ['json', 'text', 'html'] as const) {
      // As written to stdout: UTF-8, where the lone surrogate of a quote becomes U+FFFD.
      const report = Buffer.from(renderReport(format, result, records)).toString('utf8');
      for (const jobs of [1, 2]) {
        expect(await scan(['corpus.jsonl'], format, jobs)).toEqual({ ...expected, stdout: report });
        expect(await scan(['corpus.jsonl.gz'], format, jobs)).toEqual({ ...expected, stdout: report });
      }
      expect(await scan(['-'], format, 2, jsonl)).toEqual({ ...expected, stdout: report });
    }
  });

  it('gives the in-memory result for a folder of text files', async () => {
    const folderRecords: DocumentRecord[] = records.map((record) => ({
      id: `${record.source ?? 'none'}/${record.id}.txt`,
      source: record.source ?? 'none',
      text: record.text.replace('\ud800', '?'),
    }));
    folderRecords.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const result = await findDuplicates(folderRecords);
    const run = await scan(['folder', '--source-from', 'dir'], 'json', 2);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      leftOver: [],
      stdout: renderReport('json', result, folderRecords),
      dedup: recordsToJsonl(dedupRecords(folderRecords, result, { clean: true })),
    });
  });

  it('deletes the temporary file when the input turns out bad', async () => {
    const bad = `${jsonl}{"id": "late", "text": 5}\n`;
    const run = await scan(['-'], 'json', 2, bad);
    expect(run).toMatchObject({ code: 2, stdout: '', leftOver: [], stderr: `syndic: <stdin>:${records.length + 1}: field "text" (text) must be a string, got number\n` });
  });
});
