/**
 * One 50 MB document, generated into a temporary folder (never committed): scan reads it as a
 * .txt file, filter takes it as one 50 MB JSONL line on stdin, passes it through and indexes it.
 */
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoCrash, line, prng, runSyndic, tempFolder } from './helpers.js';

const { dir, at } = tempFolder('huge');
const SIZE = 50 * 1024 * 1024;
let text = '';

beforeAll(async () => {
  const random = prng(50);
  const words = Array.from({ length: 20_000 }, () => Math.floor(random() * 1e12).toString(36));
  const parts: string[] = [];
  let length = 0;
  while (length < SIZE) {
    // Paragraphs of 10–40 words.
    const paragraph = Array.from({ length: 10 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' ');
    parts.push(paragraph);
    length += paragraph.length + 1;
  }
  text = parts.join('\n');
  const out = createWriteStream(at('huge.txt'));
  out.end(text);
  await once(out, 'finish');
});

describe('a 50 MB document', () => {
  it('scan reads it and reports one document', async () => {
    expect(statSync(at('huge.txt')).size).toBeGreaterThanOrEqual(SIZE);
    const run = await runSyndic(['scan', '--format', 'jsonl', '--unit', 'document', 'huge.txt'], { cwd: dir });
    expectNoCrash(run);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; id?: string; documents?: number });
    expect(lines.map((line) => line.type)).toEqual(['stats', 'document']);
    expect(lines[0]!.documents).toBe(1);
    expect(lines[1]!.id).toBe('huge.txt');
  });

  it('filter takes it as one JSONL line and passes it through whole, then the record after it', async () => {
    const big = line({ id: 'huge', text });
    const small = line({ id: 'small', text: 'a short note after the huge one' });
    const run = await runSyndic(['filter', '--create', '--index', 'huge.idx', '--verbose'], { cwd: dir, input: Buffer.from(big + small) });
    expectNoCrash(run);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(big.length + small.length);
    expect(run.stdout.startsWith(big)).toBe(true);
    expect(run.stderr).toContain('syndic: filter: 2 records: 2 new; huge.idx holds 2 documents');
  });
});
