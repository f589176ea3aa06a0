/**
 * `syndic scan` through the built binary on small fixtures written to a temporary folder:
 * stdout, stderr and exit code of each run, bad inputs included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runSyndic } from './run.js';

const SEED_003 = readFileSync(path.join(ROOT, 'samples/003_13b42c5a08ef7be2.txt'), 'utf8');
const BODY = SEED_003.split('\n').slice(0, 9).join('\n');
let dir: string;
const at = (name: string): string => path.join(dir, name);
const jsonl = (...records: object[]): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'syndic-cli-'));
  writeFileSync(at('good.jsonl'), jsonl({ id: 'a', text: BODY, source: 'one', date: '2017-07-11' }, { id: 'b', text: BODY, source: 'two', date: '2017-07-10' }, { id: 'c', text: 'Unrelated.' }));
  writeFileSync(at('good.jsonl.gz'), gzipSync(readFileSync(at('good.jsonl'))));
  writeFileSync(at('renamed.jsonl'), jsonl({ key: 1, body: BODY, outlet: 'one' }, { key: 2, body: `${BODY}\nآخر سطر` }));
  writeFileSync(at('malformed.jsonl'), `${jsonl({ id: 'a', text: 'x' })}{"id": "b", "text": \n`);
  writeFileSync(at('wrong-type.jsonl'), jsonl({ id: 'a', text: 'x' }, { id: 'b', text: 5 }, { id: 'c', text: 'y' }));
  writeFileSync(at('missing-id.jsonl'), jsonl({ text: 'x' }));
  writeFileSync(at('duplicate-id.jsonl'), jsonl({ id: 'a', text: 'x' }, { id: 'a', text: 'y' }));
  writeFileSync(at('bad-utf8.jsonl'), Buffer.concat([Buffer.from('{"id":"a","text":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
  writeFileSync(at('binary.txt'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(at('not-gzip.jsonl.gz'), 'plain text\n');
  writeFileSync(at('report.pdf'), '%PDF');
  mkdirSync(at('folder/outlet-b'), { recursive: true });
  mkdirSync(at('folder/outlet-a'), { recursive: true });
  writeFileSync(at('folder/outlet-b/copy.md'), `عنوان الموقع الآخر\n${BODY}\n`);
  writeFileSync(at('folder/outlet-a/original.txt'), `${BODY}\n`);
  writeFileSync(at('folder/outlet-a/notes.json'), '{}');
  writeFileSync(at('folder/top.txt'), 'A page of its own, not like the others.\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syndic scan: inputs', () => {
  it('reads JSONL, finds the duplicate, and takes the earlier date as origin', async () => {
    const run = await runSyndic(['scan', at('good.jsonl'), '--format', 'csv']);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'type,a,b,jaccard,a_in_b,b_in_a,shared_paragraphs,origin,method,copy,origin_source,origin_date,origin_title,origin_url,copy_source,copy_date,copy_title,copy_url\r\n' +
        'duplicate,a,b,1,1,1,,b,exact,a,two,2017-07-10,,,one,2017-07-11,,\r\n',
    });
  });

  it('reads gzipped JSONL and JSONL on stdin the same way', async () => {
    const plain = await runSyndic(['scan', at('good.jsonl'), '--format', 'json']);
    const gzipped = await runSyndic(['scan', at('good.jsonl.gz'), '--format', 'json']);
    const stdin = await runSyndic(['scan', '-', '--format', 'json'], { input: readFileSync(at('good.jsonl')) });
    expect(gzipped.stdout).toBe(plain.stdout);
    expect(stdin.stdout).toBe(plain.stdout);
  });

  it('remaps JSONL field names and accepts numeric ids', async () => {
    const run = await runSyndic(['scan', at('renamed.jsonl'), '--id-field', 'key', '--text-field', 'body', '--source-field', 'outlet', '--format', 'jsonl']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; id?: string; source?: string });
    expect(lines.find((line) => line.type === 'duplicate')).toMatchObject({ type: 'duplicate', a: '1', b: '2' });
    expect(lines.filter((line) => line.type === 'document').map(({ id, source }) => ({ id, source }))).toEqual([
      { id: '1', source: 'one' },
      { id: '2', source: undefined },
    ]);
  });

  it('walks folders in sorted order with /-separated relative ids; --source-from dir names the outlet', async () => {
    const run = await runSyndic(['scan', at('folder'), '--source-from', 'dir', '--dedup-out', at('folder.jsonl')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('syndic scan: 3 documents');
    // The longer text represents the cluster; the first in input order is the origin of the pair.
    expect(run.stdout).toContain('1. 2 documents, keeps outlet-b/copy.md\n       outlet-a/original.txt  (Jaccard 0.982)');
    const survivors = readFileSync(at('folder.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; source?: string });
    expect(survivors.map(({ id, source }) => ({ id, source }))).toEqual([
      { id: 'outlet-b/copy.md', source: 'outlet-b' },
      { id: 'top.txt', source: undefined },
    ]);
    const json = JSON.parse((await runSyndic(['scan', at('folder'), '--format', 'json'])).stdout) as { documents: Array<{ id: string }>; duplicates: { pairs: Array<{ origin: string }> } };
    expect(json.documents.map((doc) => doc.id)).toEqual(['outlet-a/original.txt', 'outlet-b/copy.md', 'top.txt']);
    expect(json.duplicates.pairs.map((pair) => pair.origin)).toEqual(['outlet-a/original.txt']);
  });
});

describe('syndic scan: bad input exits 2 with one line naming file, line and field', () => {
  const cases: Array<[string, string[], string]> = [
    ['malformed JSON', ['malformed.jsonl'], 'malformed.jsonl:2: malformed JSON ('],
    ['a non-string text', ['wrong-type.jsonl'], 'wrong-type.jsonl:2: field "text" (text) must be a string, got number\n'],
    ['a missing id', ['missing-id.jsonl'], 'missing-id.jsonl:1: field "id" (id) is missing\n'],
    ['a duplicate id', ['duplicate-id.jsonl'], 'duplicate-id.jsonl:2: duplicate id "a" (first seen at '],
    ['invalid UTF-8', ['bad-utf8.jsonl'], 'bad-utf8.jsonl:1: invalid UTF-8 at byte 18 of the line\n'],
    ['a binary file', ['binary.txt'], 'binary.txt: binary file (contains NUL bytes), not text\n'],
    ['a broken gzip file', ['not-gzip.jsonl.gz'], 'not-gzip.jsonl.gz: not a valid gzip file (or truncated)\n'],
    ['an unsupported file type', ['report.pdf'], 'report.pdf: not a supported input'],
    ['a missing path', ['no-such-folder'], 'no-such-folder: no such file or directory\n'],
  ];
  for (const [what, files, message] of cases) {
    it(what, async () => {
      const run = await runSyndic(['scan', ...files], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.startsWith(`syndic: ${message}`) || run.stderr === `syndic: ${message}`).toBe(true);
      expect(run.stderr.split('\n').length).toBe(2);
      expect(run.stderr).not.toContain('    at ');
    });
  }

  it('one huge document on one JSONL line (20,000 repeated paragraphs, 8 MB) is read and analyzed', async () => {
    const line = `${'كلمة عربية طويلة في سطر '.repeat(16)}\n`;
    writeFileSync(at('huge.jsonl'), jsonl({ id: 'huge', text: line.repeat(20_000) }, { id: 'small', text: 'نص قصير مختلف تماما' }));
    const run = await runSyndic(['scan', 'huge.jsonl', '--format', 'json', '--jobs', '1'], { cwd: dir });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { documents: Array<{ id: string; paragraphs: number; internalRepeats: unknown[] }> };
    expect(result.documents.map(({ id, paragraphs, internalRepeats }) => [id, paragraphs, internalRepeats.length])).toEqual([
      ['huge', 20_000, 19_999],
      ['small', 1, 0],
    ]);
  });

  it('--skip-invalid warns, counts and goes on with the valid records', async () => {
    const run = await runSyndic(['scan', 'wrong-type.jsonl', '--skip-invalid', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('syndic: wrong-type.jsonl:2: field "text" (text) must be a string, got number (skipped)\nsyndic: skipped 1 invalid record\n');
    expect((JSON.parse(run.stdout) as { documents: Array<{ id: string }> }).documents.map((doc) => doc.id)).toEqual(['a', 'c']);
  });
});

describe('syndic scan: options', () => {
  const usage: Array<[string, string[], string]> = [
    ['no input', [], 'syndic: scan needs at least one input: a folder, a .txt/.md/.jsonl/.jsonl.gz file, or - for JSONL on stdin\n'],
    ['a threshold out of range', ['good.jsonl', '--threshold', '2'], 'syndic: option --threshold must be a number from 0.01 to 0.99, got 2\n'],
    ['a threshold that is not a number', ['good.jsonl', '--threshold', 'high'], 'syndic: option --threshold expects a number, got "high"\n'],
    ['a fractional shingle size', ['good.jsonl', '--shingle-size', '2.5'], 'syndic: option --shingle-size must be an integer from 1 to 64, got 2.5\n'],
    ['zero jobs', ['good.jsonl', '--jobs', '0'], 'syndic: option --jobs must be an integer from 1 to 1024, got 0\n'],
    ['--clean without --dedup-out', ['good.jsonl', '--clean'], 'syndic: option --clean works with --dedup-out FILE (it cleans the deduplicated texts)\n'],
    ['an unknown format', ['good.jsonl', '--format', 'yaml'], "error: option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json, jsonl, csv, html.\n"],
    ['an unknown option', ['good.jsonl', '--bogus'], "error: unknown option '--bogus'\n"],
    ['an unwritable --out', ['good.jsonl', '--out', 'no-such-dir/report.txt'], 'syndic: cannot write no-such-dir/report.txt: no such directory\n'],
  ];
  for (const [what, args, stderr] of usage) {
    it(`exits 2 on ${what}`, async () => {
      expect(await runSyndic(['scan', ...args], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr });
    });
  }

  it('--fail-on-duplicates exits 1 when something is found, 0 otherwise', async () => {
    expect((await runSyndic(['scan', 'good.jsonl', '--fail-on-duplicates', '--format', 'csv'], { cwd: dir })).code).toBe(1);
    expect((await runSyndic(['scan', 'folder/top.txt', '--fail-on-duplicates'], { cwd: dir })).code).toBe(0);
  });

  it('--out writes the report to a file and nothing to stdout', async () => {
    const run = await runSyndic(['scan', 'good.jsonl', '--format', 'jsonl', '--out', 'report.jsonl'], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(at('report.jsonl'), 'utf8')).toBe((await runSyndic(['scan', 'good.jsonl', '--format', 'jsonl'], { cwd: dir })).stdout);
  });

  it('--format html writes the self-contained report', async () => {
    const run = await runSyndic(['scan', 'good.jsonl', '--format', 'html', '--out', 'report.html'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(at('report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('--dedup-out keeps one record per cluster; --clean leaves 003 with its body once', async () => {
    const run = await runSyndic(['scan', 'samples', '--format', 'csv', '--dedup-out', path.join(dir, 'dedup.jsonl'), '--clean']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const records = readFileSync(at('dedup.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; text: string });
    expect(records.map((record) => record.id)).not.toContain('007_edited_copy.txt');
    expect(records).toHaveLength(8);
    const cleaned = records.find((record) => record.id.startsWith('003_'))!;
    expect(cleaned.text).toBe(`${BODY}\n`);
  });

  it('ends quietly with code 0 when the reader of stdout goes away (| head)', async () => {
    const many = Array.from({ length: 3000 }, (_, index) => ({ id: `record-${index}`, text: `Record number ${index} has its own words: ${index * 7919}.` }));
    writeFileSync(at('many.jsonl'), jsonl(...many));
    const child = spawn(process.execPath, [BIN, 'scan', 'many.jsonl', '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('shows progress on stderr with --progress, and never colours it off a terminal', async () => {
    const run = await runSyndic(['scan', 'good.jsonl', '--format', 'csv', '--progress'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^syndic: reading\n/);
    expect(run.stderr).toMatch(/syndic: done 3 documents, 1 duplicate pairs, 0 syndication pairs in \d+\.\d s\n$/);
    expect(run.stderr).not.toContain('\u001b');
  });
});
