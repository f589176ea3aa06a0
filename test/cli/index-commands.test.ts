/**
 * Index housekeeping and what filter and check say: `index info`, `index remove`, the one-line
 * summary of filter and check, `check --fail-on-duplicates`, and the hint printed when stdin is
 * a terminal (in-process, with a CliIo that says so).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { formatBytes } from '../../src/cli/index-info.js';
import { INDEX_FORMAT_VERSION } from '../../src/store/file/format.js';
import { ROOT, runSyndic } from './run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-index-cmd-'));
const at = (name: string): string => path.join(dir, name);
const samples = path.join(ROOT, 'samples');
const seed = (name: string): string => readFileSync(path.join(samples, name), 'utf8');
const jsonl = (records: Array<{ id: string; text: string }>): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

beforeAll(async () => {
  const build = await runSyndic(['index', 'build', samples, '--index', at('news.idx')]);
  expect(build.code, build.stderr).toBe(0);
  writeFileSync(
    at('incoming.jsonl'),
    jsonl([
      { id: 'copy-of-003', text: seed('003_13b42c5a08ef7be2.txt') },
      { id: 'fresh', text: 'ارتفعت أسعار النفط في التعاملات الآسيوية مع تراجع المخزونات الأمريكية للأسبوع الثالث على التوالي' },
    ]),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syndic index info', () => {
  it('prints format version, documents, size and parameters; --format json the same as an object', async () => {
    const text = await runSyndic(['index', 'info', '--index', at('news.idx')]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`${at('news.idx')}: index file, format version ${INDEX_FORMAT_VERSION}`);
    expect(lines[1]).toMatch(/^ {2}documents +9$/);
    expect(lines[2]).toMatch(/^ {2}size +\d+\.\d KB \(\d+\.\d KB per document\)$/);
    expect(text.stdout).toMatch(/\n {4}numPerm +128\n/);
    expect(text.stdout).toMatch(/\n {4}normalize\.arabic +true\n/);

    const json = await runSyndic(['index', 'info', '--index', at('news.idx'), '--format', 'json']);
    const info = JSON.parse(json.stdout) as { backend: string; formatVersion: number; documents: number; sizeBytes: number; params: { numPerm: number; threshold: number } };
    expect(info).toMatchObject({ backend: 'file', formatVersion: INDEX_FORMAT_VERSION, documents: 9, params: { numPerm: 128, threshold: 0.8 } });
    expect(info.sizeBytes).toBe(readFileSync(at('news.idx')).length);
  });

  it('a missing index is exit 2 naming it', async () => {
    const run = await runSyndic(['index', 'info', '--index', at('none.idx')]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `syndic: index ${at('none.idx')} does not exist (syndic index build, or filter --create, creates one)\n` });
  });

  it('formats sizes in binary multiples', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(5.5 * 1024 * 1024), formatBytes(1500)]).toEqual(['512 bytes', '2.0 KB', '5.5 MB', '1.5 KB']);
  });
});

describe('syndic index remove', () => {
  it('removes the ids given and from stdin, names those not indexed, and saves', async () => {
    const index = at('remove.idx');
    expect((await runSyndic(['index', 'build', samples, '--index', index])).code).toBe(0);
    const run = await runSyndic(['index', 'remove', '--index', index, '007_edited_copy.txt', 'nope', '-'], { input: '008_unrelated_same_topic.txt\n\n' });
    expect(run).toEqual({ code: 0, stdout: '', stderr: `syndic: removed 2 records (1 not indexed: "nope"); ${index} holds 7 documents\n` });
    const info = JSON.parse((await runSyndic(['index', 'info', '--index', index, '--format', 'json'])).stdout) as { documents: number };
    expect(info.documents).toBe(7);
    const check = await runSyndic(['check', '--index', index, path.join(samples, '007_edited_copy.txt')]);
    // Its near-duplicate 003 is still indexed; 007 itself is gone.
    const verdict = JSON.parse(check.stdout) as { verdict: string; matches: Array<{ id: string }> };
    expect(verdict.verdict).toBe('duplicate');
    expect(verdict.matches[0]!.id).toBe('003_13b42c5a08ef7be2.txt');
    expect(verdict.matches.map((match) => match.id)).not.toContain('007_edited_copy.txt');
  });
});

describe('filter and check summaries', () => {
  it('check prints one summary line; --fail-on-duplicates exits 1 when a record is a copy', async () => {
    const run = await runSyndic(['check', '--index', at('news.idx'), at('incoming.jsonl')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('syndic: check: 2 records: 1 new, 1 duplicate\n');
    expect((await runSyndic(['check', '--index', at('news.idx'), at('incoming.jsonl'), '--fail-on-duplicates'])).code).toBe(1);
    const fresh = at('fresh.jsonl');
    writeFileSync(fresh, `${readFileSync(at('incoming.jsonl'), 'utf8').split('\n')[1]}\n`);
    expect(await runSyndic(['check', '--index', at('news.idx'), fresh, '--fail-on-duplicates'])).toMatchObject({ code: 0, stderr: 'syndic: check: 1 record: 1 new\n' });
  });

  it('filter prints one summary line without --verbose', async () => {
    const index = at('filter.idx');
    expect((await runSyndic(['index', 'build', samples, '--index', index])).code).toBe(0);
    const run = await runSyndic(['filter', '--index', index], { input: readFileSync(at('incoming.jsonl')) });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`syndic: filter: 2 records: 1 new, 1 duplicate; ${index} holds 10 documents\n`);
    expect(run.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['fresh']);
  });

  it('with a terminal on stdin, filter and check say they read JSONL; not when stdin is a pipe or inputs are files', async () => {
    const run = async (argv: string[], stdinIsTTY: boolean): Promise<string> => {
      const stderr = new PassThrough();
      const chunks: string[] = [];
      stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
      const stdin = new PassThrough();
      stdin.end();
      const io: CliIo = { stdin, stdout: new PassThrough(), stderr, env: {}, stderrIsTTY: false, stdinIsTTY, cwd: dir };
      expect(await runCli(argv, io)).toBe(0);
      return chunks.join('');
    };
    const hint = (command: string): string =>
      `syndic: ${command} reads JSONL records from stdin, one {"id": …, "text": …} object per line; type them and end with Ctrl-D, or pipe a file in: syndic ${command} --index FILE < records.jsonl\n`;
    expect(await run(['check', '--index', 'news.idx'], true)).toBe(`${hint('check')}syndic: check: 0 records: 0 new\n`);
    expect(await run(['filter', '--index', 'news.idx', '--no-add'], true)).toBe(`${hint('filter')}syndic: filter: 0 records: 0 new; news.idx holds 9 documents\n`);
    expect(await run(['check', '--index', 'news.idx'], false)).toBe('syndic: check: 0 records: 0 new\n');
    expect(await run(['check', '--index', 'news.idx', 'incoming.jsonl'], true)).toBe('syndic: check: 2 records: 1 new, 1 duplicate\n');
  });
});
