/**
 * readInputs: the records of folders, text files, JSONL (plain, gzipped, stdin) with their
 * locations, in a deterministic order; invalid records throw or go to onInvalid.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInputs, readInputs, type SourcedRecord } from '../../src/input/sources.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const summary = (items: SourcedRecord[]) => items.map(({ record, file, line }) => ({ ...record, file: path.relative(dir, file) || file, line }));

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'syndic-sources-'));
  mkdirSync(at('site/b'), { recursive: true });
  mkdirSync(at('site/a/deep'), { recursive: true });
  writeFileSync(at('site/b/two.md'), 'two');
  writeFileSync(at('site/a/deep/one.txt'), '\uFEFFone');
  writeFileSync(at('site/a/Z.txt'), 'capital sorts first');
  writeFileSync(at('site/a/skip.json'), '{}');
  writeFileSync(at('site/root.txt'), 'root');
  writeFileSync(at('crlf.jsonl'), '{"id":"x","text":"a"}\r\n\r\n   \n{"id":"y","text":"b","date":"2015-07-21"}');
  writeFileSync(at('remap.jsonl.gz'), gzipSync('{"key":7,"body":"t","outlet":"o","when":"d"}\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputs', () => {
  it('walks a folder depth first in code-unit order, ids relative with /, .txt and .md only, BOM dropped', async () => {
    const items = await collectInputs([at('site')], { sourceFrom: 'dir' });
    expect(items.map((item) => [item.record.id, item.record.source, item.record.text])).toEqual([
      ['a/Z.txt', 'a', 'capital sorts first'],
      ['a/deep/one.txt', 'a', 'one'],
      ['b/two.md', 'b', 'two'],
      ['root.txt', undefined, 'root'],
    ]);
    expect(items[0]!.line).toBeUndefined();
  });

  it('notes a folder with no document files but JSONL ones (not read), and only such a folder', async () => {
    mkdirSync(at('dump/2015'), { recursive: true });
    writeFileSync(at('dump/2015/a.jsonl.gz'), gzipSync('{"id":"a","text":"t"}\n'));
    writeFileSync(at('dump/b.ndjson'), '{"id":"b","text":"t"}\n');
    const notes: string[] = [];
    expect(await collectInputs([at('dump'), at('site')], { onNote: (message) => notes.push(message) })).toHaveLength(4);
    expect(notes).toEqual([
      `${at('dump')}: no document files in this folder (a folder input reads .txt and .md files), but 2 JSONL files: name them as inputs (${at('dump')}/2015/a.jsonl.gz ${at('dump')}/b.ndjson)`,
    ]);
  });

  it('reads JSONL with CRLF, blank lines and no final newline, counting lines', async () => {
    expect(summary(await collectInputs([at('crlf.jsonl')]))).toEqual([
      { id: 'x', text: 'a', file: 'crlf.jsonl', line: 1 },
      { id: 'y', text: 'b', date: '2015-07-21', file: 'crlf.jsonl', line: 4 },
    ]);
  });

  it('remaps field names in gzipped JSONL', async () => {
    const items = await collectInputs([at('remap.jsonl.gz')], { fields: { id: 'key', text: 'body', source: 'outlet', date: 'when' } });
    expect(items.map((item) => item.record)).toEqual([{ id: '7', text: 't', source: 'o', date: 'd' }]);
  });

  it('reads - from the given stdin stream, in chunks that split lines and characters', async () => {
    const bytes = Buffer.from('{"id":"s","text":"سطر عربي"}\n{"id":"t","text":"ok"}\n');
    const stdin = Readable.from([bytes.subarray(0, 20), bytes.subarray(20, 21), bytes.subarray(21)]);
    const items = await collectInputs(['-'], { stdin });
    expect(items.map((item) => [item.record.id, item.record.text, item.file, item.line])).toEqual([
      ['s', 'سطر عربي', '<stdin>', 1],
      ['t', 'ok', '<stdin>', 2],
    ]);
  });

  it('yields records as it reads (an async iterable)', async () => {
    const iterator = readInputs([at('crlf.jsonl')])[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.record.id).toBe('x');
    await iterator.return?.(undefined);
  });

  it('throws on the first invalid record, or reports it and goes on with onInvalid', async () => {
    writeFileSync(at('mixed.jsonl'), '{"id":"a","text":"x"}\n[1]\n{"id":"a","text":"again"}\n{"id":"b","text":"y"}\n');
    await expect(collectInputs([at('mixed.jsonl')])).rejects.toThrow(`${at('mixed.jsonl')}:2: expected a JSON object, got an array`);
    const warnings: string[] = [];
    const items = await collectInputs([at('mixed.jsonl')], { onInvalid: (message) => warnings.push(message) });
    expect(items.map((item) => item.record.id)).toEqual(['a', 'b']);
    expect(warnings).toEqual([
      `${at('mixed.jsonl')}:2: expected a JSON object, got an array`,
      `${at('mixed.jsonl')}:3: duplicate id "a" (first seen at ${at('mixed.jsonl')}:1)`,
    ]);
  });

  it('refuses - twice', async () => {
    await expect(collectInputs(['-', '-'], { stdin: Readable.from([]) })).rejects.toThrow("'-' (stdin) given more than once");
  });
});
