/**
 * Paths that cannot be read (what really fails for root: ENOENT, a dangling symlink, a folder where
 * a file is expected, a bad gzip) and index files that are truncated, damaged, of another version
 * or other parameters: exit 2, a message naming the path, and the index file left untouched.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { INDEX_FORMAT_VERSION } from '../../src/store/file/format.js';
import { expectInputError, expectNoCrash, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const { dir, at } = tempFolder('paths');
const texts = randomTexts(20, 11, 30);
const JSONL = texts.map((text, i) => line({ id: `d${i}`, text })).join('');

beforeAll(async () => {
  writeFileSync(at('good.jsonl'), JSONL);
  symlinkSync(at('missing-target.jsonl'), at('dangling.jsonl'));
  mkdirSync(at('folder'));
  writeFileSync(at('fake.jsonl.gz'), 'not gzip at all\n');
  const built = await runSyndic(['index', 'build', '--index', 'good.idx', 'good.jsonl'], { cwd: dir });
  expect(built.code, built.stderr).toBe(0);
});

describe('temporary folder', () => {
  it('scan: an unwritable TMPDIR is exit 2 naming it, not an internal error', async () => {
    // JSONL texts are spilled to a temporary file in 1 MiB pieces (this text is larger than one);
    // the folder does not exist.
    writeFileSync(at('large.jsonl'), line({ id: 'large', text: 'خبر عاجل من الرياض '.repeat(40_000) }));
    const run = await runSyndic(['scan', 'large.jsonl'], { cwd: dir, env: { TMPDIR: at('no-such-folder') } });
    expectInputError(run, /^syndic: cannot write a temporary file in .*no-such-folder \(ENOENT\); set TMPDIR to a writable folder/);
  });
});

describe('unreadable inputs', () => {
  const inputs = [
    ['a missing file', 'missing.jsonl', /^syndic: missing\.jsonl: no such file or directory$/],
    ['a dangling symlink', 'dangling.jsonl', /^syndic: dangling\.jsonl: no such file or directory$/],
    ['a file that is not gzip', 'fake.jsonl.gz', /^syndic: fake\.jsonl\.gz: not a valid gzip file \(or truncated\)$/],
    ['an unsupported file type', 'good.csv', /^syndic: good\.csv: not a supported input/],
  ] as const;
  for (const [what, input, message] of inputs) {
    for (const command of [['scan'], ['index', 'build', '--index', 'paths.idx'], ['check', '--index', 'good.idx']]) {
      it(`${command[0]}: ${what} is exit 2 naming it`, async () => {
        if (input === 'good.csv') writeFileSync(at('good.csv'), 'id,text\n');
        expectInputError(await runSyndic([...command, input], { cwd: dir }), message);
      });
    }
  }

  it('a dangling link inside a folder: exit 2 naming it; skipped and counted with --skip-invalid', async () => {
    mkdirSync(at('articles'));
    writeFileSync(at('articles/a.txt'), texts[0]!);
    symlinkSync(at('articles/gone.txt'), at('articles/b.txt'));
    for (const command of [['scan'], ['index', 'build', '--index', 'folder-links.idx'], ['check', '--index', 'good.idx']]) {
      expectInputError(await runSyndic([...command, 'articles'], { cwd: dir }), /^syndic: articles\/b\.txt: no such file or directory$/);
      // The strict run saved a.txt before stopping: the skipping run starts a fresh index.
      const skipped = await runSyndic([...command.map((arg) => arg.replace('links.idx', 'links-2.idx')), '--skip-invalid', 'articles'], { cwd: dir });
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stderr).toContain('syndic: articles/b.txt: no such file or directory (skipped)\nsyndic: skipped 1 invalid record\n');
    }
  });

  it('a FIFO is read like a file', async () => {
    const fifo = at('pipe.jsonl');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))));
    const writer = new Promise<void>((resolve) => spawn('sh', ['-c', `cat good.jsonl > pipe.jsonl`], { cwd: dir }).on('exit', () => resolve()));
    const run = await runSyndic(['scan', '--format', 'json', 'pipe.jsonl'], { cwd: dir });
    await writer;
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { stats: { documents: number } }).stats.documents).toBe(20);
  });
});

describe('a folder where a file is expected', () => {
  it('--index FOLDER: exit 2 for filter, check and index build', async () => {
    for (const command of [['filter'], ['check', 'good.jsonl'], ['index', 'build', 'good.jsonl']]) {
      const run = await runSyndic([...command, '--index', 'folder'], { cwd: dir, input: JSONL });
      expectInputError(run, /^syndic: index .*folder: cannot read it \(EISDIR\)$/);
      expect(run.stdout).toBe('');
    }
  });

  it('filter --rejects FOLDER: exit 2 before any record is accepted', async () => {
    const run = await runSyndic(['filter', '--create', '--index', 'rejects.idx', '--rejects', 'folder'], { cwd: dir, input: JSONL });
    expectInputError(run, /^syndic: cannot write folder: is a directory$/);
    expect(run.stdout).toBe('');
  });

  it('scan --out FOLDER and --dedup-out FOLDER: exit 2', async () => {
    expectInputError(await runSyndic(['scan', '--out', 'folder', 'good.jsonl'], { cwd: dir }), /^syndic: cannot write folder: is a directory$/);
    const dedup = await runSyndic(['scan', '--dedup-out', 'folder', 'good.jsonl'], { cwd: dir });
    expectNoCrash(dedup);
    expect(dedup.code).toBe(2);
    expect(dedup.stderr).toMatch(/^syndic: cannot write folder: is a directory$/m);
  });
});

describe('a bad index file is refused and left untouched', () => {
  const damaged: Array<[string, (good: Buffer) => Buffer, RegExp]> = [
    ['empty', () => Buffer.alloc(0), /not a syndic index file \(bad magic bytes\)/],
    ['truncated to its header', (good) => good.subarray(0, 40), /checksum mismatch|truncated/],
    ['truncated by one byte', (good) => good.subarray(0, good.length - 1), /checksum mismatch|truncated/],
    ['flipped in its signatures', (good) => flip(good, Math.floor(good.length / 2)), /checksum mismatch: the file is damaged or truncated/],
    ['flipped in its header counts', (good) => flip(good, 16), /checksum mismatch|does not match its header/],
    ['flipped in its checksum', (good) => flip(good, good.length - 2), /checksum mismatch/],
    [
      'of another format version',
      (good) => withVersion(good, INDEX_FORMAT_VERSION + 1),
      new RegExp(`format version ${INDEX_FORMAT_VERSION + 1}, this syndic reads version ${INDEX_FORMAT_VERSION}`),
    ],
    ['not an index at all', () => Buffer.from(JSONL), /not a syndic index file \(bad magic bytes\)/],
  ];
  for (const [what, make, message] of damaged) {
    it(`${what}: filter, check and index build exit 2`, async () => {
      const file = at(`${what.replace(/\W+/g, '-')}.idx`);
      const bytes = make(readFileSync(at('good.idx')));
      writeFileSync(file, bytes);
      for (const command of [['filter'], ['check', 'good.jsonl'], ['index', 'build', 'good.jsonl']]) {
        const run = await runSyndic([...command, '--index', file], { cwd: dir, input: JSONL });
        expectInputError(run, new RegExp(`^syndic: index ${escape(file)}: .*${message.source}`));
        expect(run.stdout).toBe('');
        expect(readFileSync(file).equals(bytes)).toBe(true);
      }
    });
  }

  it('of other parameters: exit 2 naming the parameter, file untouched', async () => {
    const before = readFileSync(at('good.idx'));
    for (const [flag, value, name] of [
      ['--num-perm', '64', 'numPerm=64'],
      ['--shingle-size', '3', 'shingleSize=3'],
      ['--seed', '9', 'seed=9'],
    ]) {
      for (const command of [['filter'], ['check', 'good.jsonl'], ['index', 'build', 'good.jsonl']]) {
        const run = await runSyndic([...command, '--index', 'good.idx', flag!, value!], { cwd: dir, input: JSONL });
        expectInputError(run, new RegExp(`was built with other parameters: ${name}`));
      }
    }
    expect(readFileSync(at('good.idx')).equals(before)).toBe(true);
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x55;
  return copy;
}

function withVersion(bytes: Buffer, version: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(version, 8);
  return copy;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
