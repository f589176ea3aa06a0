/**
 * DESIGN "Bad input", for scan, index build, filter and check: every bad record is exit 2 with one
 * line naming file, line and field — or, with --skip-invalid, a warning, a count, and the valid
 * records processed; records accepted before the bad one are kept.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type FileIndex } from '../../src/index.js';
import { BIN } from '../cli/run.js';
import { expectInputError, expectNoCrash, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const { dir, at } = tempFolder('bad-input');
const [first, second, third] = randomTexts(3, 7, 40);
const GOOD = line({ id: 'a', text: first });
const TAIL = line({ id: 'z', text: third });

/** Line 2 of each case is bad; line 1 is a valid record, line 3 another. */
const CASES: Array<{ name: string; bad: Buffer; message: RegExp; filterMessage?: RegExp }> = [
  { name: 'malformed JSON', bad: Buffer.from('{"id": "b", "text": \n'), message: /:2: malformed JSON/ },
  { name: 'a JSON array', bad: Buffer.from('[1,2]\n'), message: /:2: expected a JSON object, got an array/ },
  { name: 'missing id', bad: Buffer.from(line({ text: second })), message: /:2: field "id" \(id\) is missing/ },
  { name: 'null id', bad: Buffer.from(line({ id: null, text: second })), message: /:2: field "id" \(id\) is missing/ },
  { name: 'object id', bad: Buffer.from(line({ id: { nested: 1 }, text: second })), message: /:2: field "id" \(id\) must be a string, got object/ },
  { name: 'missing text', bad: Buffer.from(line({ id: 'b' })), message: /:2: field "text" \(text\) is missing/ },
  { name: 'numeric text', bad: Buffer.from(line({ id: 'b', text: 42 })), message: /:2: field "text" \(text\) must be a string, got number/ },
  { name: 'invalid UTF-8', bad: Buffer.concat([Buffer.from('{"id":"b","text":"caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]), message: /:2: invalid UTF-8 at byte 21 of the line/ },
  { name: 'binary bytes', bad: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x0a]), message: /:2: malformed JSON \(Unexpected token '\\u007f'/ },
  {
    name: 'a duplicate id',
    bad: Buffer.from(line({ id: 'a', text: second })),
    message: /:2: duplicate id "a" \(first seen at .*:1\)/,
    filterMessage: /<stdin>:2: id "a" is already in the index/,
  },
];

/** Which of the ids a, b, z the saved index file holds. */
async function indexedIds(file: string): Promise<string[]> {
  const index = (await openIndex({ path: file, readOnly: true, mustExist: true })) as FileIndex;
  const ids = ['a', 'b', 'z'].filter((id) => index.has(id));
  await index.close();
  return ids;
}

const caseInput = (bad: Buffer): Buffer => Buffer.concat([Buffer.from(GOOD), bad, Buffer.from(TAIL)]);

beforeAll(async () => {
  writeFileSync(at('good.jsonl'), GOOD);
  const built = await runSyndic(['index', 'build', '--index', 'checked.idx', 'good.jsonl'], { cwd: dir });
  expect(built.code, built.stderr).toBe(0);
});

describe.each(CASES.map((c, n) => ({ ...c, n })))('$name', ({ bad, message, filterMessage, n }) => {
  beforeAll(() => writeFileSync(at(`case${n}.jsonl`), caseInput(bad)));

  it('scan: exit 2 naming file and line', async () => {
    expectInputError(await runSyndic(['scan', `case${n}.jsonl`], { cwd: dir }), new RegExp(`^syndic: case${n}\\.jsonl${message.source}`));
  });

  it('index build: exit 2, and the records before it are saved', async () => {
    const run = await runSyndic(['index', 'build', '--index', `build${n}.idx`, `case${n}.jsonl`], { cwd: dir });
    expectInputError(run, new RegExp(`^syndic: case${n}\\.jsonl${message.source}`));
    expect(await indexedIds(at(`build${n}.idx`))).toEqual(['a']);
  });

  it('filter: exit 2; line 1 was printed and is in the index', async () => {
    const run = await runSyndic(['filter', '--create', '--index', `filter${n}.idx`], { cwd: dir, input: caseInput(bad) });
    expectInputError(run, filterMessage ?? new RegExp(`^syndic: <stdin>${message.source}`));
    expect(run.stdout).toBe(GOOD);
    expect(await indexedIds(at(`filter${n}.idx`))).toEqual(['a']);
  });

  it('check: exit 2 naming file and line; the index is unchanged', async () => {
    const before = readFileSync(at('checked.idx'));
    const run = await runSyndic(['check', '--index', 'checked.idx', `case${n}.jsonl`], { cwd: dir });
    expectInputError(run.stdout ? { ...run, stdout: '' } : run, new RegExp(`^syndic: case${n}\\.jsonl${message.source}`));
    expect(readFileSync(at('checked.idx')).equals(before)).toBe(true);
  });
});

describe('--skip-invalid: warn, count, skip, go on', () => {
  // Every bad line of the table in one input, between valid records 'a' and 'z'.
  const all = Buffer.concat([Buffer.from(GOOD), ...CASES.map((c) => c.bad), Buffer.from(TAIL)]);
  const expectSkipped = (stderr: string): void => {
    expect(stderr).toContain(`syndic: skipped ${CASES.length} invalid records`);
    expect(stderr.match(/\(skipped\)$/gm)).toHaveLength(CASES.length);
  };
  beforeAll(() => writeFileSync(at('all.jsonl'), all));

  it('scan', async () => {
    const run = await runSyndic(['scan', '--skip-invalid', '--format', 'json', 'all.jsonl'], { cwd: dir });
    expectNoCrash(run);
    expect(run.code).toBe(0);
    expectSkipped(run.stderr);
    expect((JSON.parse(run.stdout) as { documents: Array<{ id: string }> }).documents.map((d) => d.id)).toEqual(['a', 'z']);
  });

  it('index build', async () => {
    const run = await runSyndic(['index', 'build', '--skip-invalid', '--index', 'skip-build.idx', 'all.jsonl'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expectSkipped(run.stderr);
    expect(run.stderr).toContain('syndic: added 2 records; skip-build.idx holds 2 documents');
  });

  it('filter', async () => {
    const run = await runSyndic(['filter', '--create', '--skip-invalid', '--verbose', '--index', 'skip-filter.idx'], { cwd: dir, input: all });
    expect(run.code, run.stderr).toBe(0);
    expectSkipped(run.stderr);
    expect(run.stdout).toBe(GOOD + TAIL);
  });

  it('check', async () => {
    const run = await runSyndic(['check', '--skip-invalid', '--index', 'checked.idx', 'all.jsonl'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expectSkipped(run.stderr);
    expect(run.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string; verdict: string }).verdict)).toEqual(['duplicate', 'new']);
  });
});

describe('text files that are not text', () => {
  beforeAll(() => {
    writeFileSync(at('binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    writeFileSync(at('latin1.txt'), Buffer.from('caf\xe9 au lait, d\xe9j\xe0 vu', 'latin1'));
  });
  for (const command of [['scan'], ['index', 'build', '--index', 'text.idx'], ['check', '--index', 'checked.idx']]) {
    it(`${command[0]}: a binary .txt and a Latin-1 .txt are exit 2 naming the file; skipped with --skip-invalid`, async () => {
      expectInputError(await runSyndic([...command, 'binary.txt'], { cwd: dir }), /^syndic: binary\.txt: binary file \(contains NUL bytes\), not text$/m);
      expectInputError(await runSyndic([...command, 'latin1.txt'], { cwd: dir }), /^syndic: latin1\.txt: invalid UTF-8 at byte 3$/m);
      const skipped = await runSyndic([...command, '--skip-invalid', 'binary.txt', 'latin1.txt', 'good.jsonl'], { cwd: dir });
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stderr).toContain('syndic: skipped 2 invalid records');
    });
  }
});

describe('ids that cannot be stored, and a reader that goes away', () => {
  const lone = '{"id":"x\\ud800","text":"a text whose id is a lone surrogate"}\n';

  it('filter and index build: a lone-surrogate id is exit 2 naming the line (it would change on save)', async () => {
    expectInputError(await runSyndic(['filter', '--create', '--index', 'lone.idx'], { cwd: dir, input: GOOD + lone }), /^syndic: <stdin>:2: id "x\\ud800" is not valid Unicode \(a lone surrogate\) and cannot be stored$/);
    expectInputError(await runSyndic(['index', 'build', '--index', 'lone-build.idx', '-'], { cwd: dir, input: GOOD + lone }), /^syndic: <stdin>:2: id "x\\ud800" is not valid Unicode/);
  });

  it('filter whose stdout reader exits early: exit 2 with a message, no EPIPE stack trace; check: quiet exit 0', async () => {
    const many = randomTexts(3000, 3, 30).map((text, i) => line({ id: `m${i}`, text })).join('');
    writeFileSync(at('many.jsonl'), many);
    // A real pipe to a reader that leaves after 100 bytes.
    const script = (command: string): { stdout: string; stderr: string } =>
      spawnSync('bash', ['-c', `node "${BIN}" ${command} < many.jsonl | head -c 100 > /dev/null; echo "exit \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
    const filter = await script('filter --create --index epipe.idx');
    expect(filter.stdout.trim()).toBe('exit 2');
    expect(filter.stderr.trimEnd()).toMatch(/^syndic: cannot write to stdout \(EPIPE\) after \d+ accepted records; the ones the reader did not receive are in the index all the same$/);
    const check = await script('check --index epipe.idx -');
    expect(check.stdout.trim()).toBe('exit 0');
    expect(check.stderr).toBe('');
  });
});
