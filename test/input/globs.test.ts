/**
 * Which files of a folder are documents: the glob syntax, the defaults (no README, LICENSE or
 * hidden files), --include/--exclude/--no-default-exclude through the CLI, and the hint for two
 * folders holding the same file names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFolderFilter, compilePattern } from '../../src/input/globs.js';
import { collectInputs } from '../../src/input/sources.js';
import { runSyndic } from '../cli/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-globs-'));
const write = (relative: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
  writeFileSync(path.join(dir, relative), text);
};
const ids = async (folder: string, filter?: Parameters<typeof compileFolderFilter>[0]): Promise<string[]> =>
  (await collectInputs([folder], { cwd: dir, ...(filter && { folderFilter: filter }) })).map((item) => item.record.id);

beforeAll(() => {
  for (const file of ['news/README.md', 'news/LICENSE', 'news/CHANGELOG.md', 'news/.hidden.txt', 'news/.git/note.txt', 'news/a.txt', 'news/B.TXT', 'news/notes.md', 'news/page.html']) write(file, `text of ${file}`);
  for (const file of ['news/drafts/d.txt', 'news/2015/07/story.txt', 'news/2015/07/story.md']) write(file, `text of ${file}`);
  write('outletA/story.txt', 'first outlet');
  write('outletB/story.txt', 'second outlet');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('glob patterns', () => {
  it('*, **, ?, [..], [!..] and {a,b} match as in a shell, * and ? never across a /', () => {
    const matches = (pattern: string, value: string): boolean => compilePattern(pattern, '--include').regex.test(value);
    expect(matches('*.txt', 'a.txt')).toBe(true);
    expect(matches('*.txt', 'a/b.txt')).toBe(false);
    expect(matches('**/*.txt', 'b.txt')).toBe(true);
    expect(matches('**/*.txt', 'x/y/b.txt')).toBe(true);
    expect(matches('2015/**', '2015/07/a.txt')).toBe(true);
    expect(matches('201?/*', '2015/a')).toBe(true);
    expect(matches('[ab].txt', 'b.txt')).toBe(true);
    expect(matches('[!ab].txt', 'b.txt')).toBe(false);
    expect(matches('*.{txt,md}', 'a.md')).toBe(true);
    expect(matches('a+b.txt', 'a+b.txt')).toBe(true);
    expect(matches('a.txt', 'abtxt')).toBe(false);
  });

  it('a malformed or empty pattern is a usage error naming the option', () => {
    expect(() => compilePattern('[ab', '--include')).toThrow('option --include: pattern "[ab" has a "[" without its "]"');
    expect(() => compilePattern('{a,b', '--exclude')).toThrow('option --exclude: pattern "{a,b" has a "{" without its "}"');
    expect(() => compilePattern('', '--exclude')).toThrow('option --exclude needs a pattern, got an empty string');
  });
});

describe('folder filter', () => {
  it('reads .txt and .md files (any case) and leaves out README, LICENSE, CHANGELOG and hidden files and folders', async () => {
    expect(await ids('news')).toEqual(['2015/07/story.md', '2015/07/story.txt', 'B.TXT', 'a.txt', 'drafts/d.txt', 'notes.md']);
  });

  it('--include replaces the default endings; --exclude adds to the default exclusions, by name or by path', async () => {
    expect(await ids('news', { include: ['*.html'] })).toEqual(['page.html']);
    expect(await ids('news', { exclude: ['drafts', '*.md'] })).toEqual(['2015/07/story.txt', 'B.TXT', 'a.txt']);
    expect(await ids('news', { include: ['2015/**/*.txt'] })).toEqual(['2015/07/story.txt']);
    expect(await ids('news', { exclude: ['2015/'] })).toEqual(['B.TXT', 'a.txt', 'drafts/d.txt', 'notes.md']);
  });

  it('--no-default-exclude reads what the defaults leave out', async () => {
    expect(await ids('news', { defaultExclude: false, include: ['*.md', '*.txt'] })).toEqual([
      '.git/note.txt',
      '.hidden.txt',
      '2015/07/story.md',
      '2015/07/story.txt',
      'CHANGELOG.md',
      'README.md',
      'a.txt',
      'drafts/d.txt',
      'notes.md',
    ]);
  });

  it('the defaults do not apply to a file named on the command line', async () => {
    expect((await collectInputs(['news/README.md'], { cwd: dir })).map((item) => item.record.id)).toEqual(['news/README.md']);
  });
});

describe('the CLI', () => {
  it('scan --include/--exclude choose the files; index build and check take the same options', async () => {
    const run = await runSyndic(['scan', 'news', '--format', 'json', '--include', '*.txt', '--exclude', 'drafts'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { documents: Array<{ id: string }> }).documents.map((doc) => doc.id)).toEqual(['2015/07/story.txt', 'a.txt']);
    const build = await runSyndic(['index', 'build', 'news', '--index', 'news.idx', '--exclude', '2015/'], { cwd: dir });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toContain('added 4 records;');
    const check = await runSyndic(['check', '--index', 'news.idx', 'news', '--include', 'notes.md'], { cwd: dir });
    expect(check.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['notes.md']);
  });

  it('a bad pattern is exit 2 with one line', async () => {
    expect(await runSyndic(['scan', 'news', '--include', '[x'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'syndic: option --include: pattern "[x" has a "[" without its "]"\n' });
  });

  it('two folders with the same file names: exit 2 with a hint; scanning their parent gives unique ids', async () => {
    const clash = await runSyndic(['scan', 'outletA', 'outletB'], { cwd: dir });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toBe(
      'syndic: outletB/story.txt: duplicate id "story.txt" (first seen at outletA/story.txt); ids of folder files are their paths relative to the folder, ' +
        'so two folders with the same file names clash: scan their parent folder instead (ids then start with the folder name; add --source-from dir to take the outlet from it)\n',
    );
    write('outlets/outletA/story.txt', 'first outlet');
    write('outlets/outletB/story.txt', 'second outlet');
    const parent = await runSyndic(['scan', 'outlets', '--source-from', 'dir', '--format', 'json'], { cwd: dir });
    expect(parent.code, parent.stderr).toBe(0);
    expect((JSON.parse(parent.stdout) as { documents: Array<{ id: string; source: string }> }).documents.map(({ id, source }) => `${source}:${id}`)).toEqual([
      'outletA:outletA/story.txt',
      'outletB:outletB/story.txt',
    ]);
  });
});
