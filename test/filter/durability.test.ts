/**
 * What a user's operations do to the file index and to every file syndic writes: SIGKILL at
 * random moments (the journal keeps every record printed as accepted), SIGINT / SIGTERM / SIGHUP
 * (a clean end: exit 128 + signal, index saved, no lock or temporary file left), and a full disk
 * (a small tmpfs: earlier files intact, no partial file).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileIndex, openIndex } from '../../src/index.js';
import { splitMix32 } from '../../src/sketch/hash.js';
import { BIN, pausedInWrite, runSyndic } from '../cli/run.js';
import { editWords, syntheticArticles, type TestRecord } from './corpus.js';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'syndic-durability-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const toJsonl = (records: TestRecord[]): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');
/** Ids of the complete lines of `jsonl` (a pipe can deliver part of a line that is being written). */
const idsOf = (jsonl: string): string[] =>
  jsonl
    .slice(0, jsonl.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);
/** Files of a folder that are temporary files or locks of syndic. */
const leftovers = (folder: string): string[] => readdirSync(folder).filter((name) => /\.tmp-\d+|\.lock$/.test(name));

/** A CLI child process with its output collected. */
interface Child {
  process: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Exit code and signal, once stdout and stderr are fully read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn the built CLI (or, with `entry`, another entry script's arguments before the CLI's). */
function start(args: string[], env: Record<string, string> = {}, entry: string[] = [BIN]): Child {
  const child = spawn(process.execPath, [...entry, ...args], { cwd: directory, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => {}); // A killed child stops reading.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { process: child, stdout: () => stdout, stderr: () => stderr, closed };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 60_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Fresh articles and, every fourth record, a light edit of an earlier one (rejected as a duplicate). */
function stream(count: number, seed: number): TestRecord[] {
  const fresh = syntheticArticles(count, seed);
  return fresh.map((record, i) => (i % 4 === 3 ? { id: `${record.id}-copy`, text: editWords(fresh[i - 3]!.text, 2, i) } : record));
}

describe('filter killed with SIGKILL', () => {
  it('at 20 random moments, with --save-every 500: every record printed as accepted is in the index (0 missing), which loads', async () => {
    const file = path.join(directory, 'kill.idx');
    const random = splitMix32(20);
    const accepted: string[] = [];
    let missing = 0;
    for (let run = 0; run < 20; run++) {
      const child = start(['filter', '--index', file, '--create', '--save-every', '500']);
      // Fed in steps while it runs, so that the kill lands with records in every stage: read, in hand, being synced, being saved.
      const records = stream(4000, 1000 + run);
      let killed = false;
      const feeding = (async () => {
        for (let at = 0; at < records.length && !killed; at += 100) {
          child.process.stdin.write(toJsonl(records.slice(at, at + 100)));
          await sleep(20);
        }
      })();
      await until(() => child.stdout().length > 0, 'a first accepted record');
      await sleep(random() % 1000);
      child.process.kill('SIGKILL');
      killed = true;
      await feeding;
      const { signal } = await child.closed;
      expect(signal).toBe('SIGKILL');
      accepted.push(...idsOf(child.stdout()));

      const index = (await openIndex({ path: file, readOnly: true, mustExist: true })) as FileIndex;
      missing += accepted.filter((id) => !index.has(id)).length;
      expect(index.size).toBeGreaterThanOrEqual(accepted.length);
      await index.close();
    }
    expect(missing).toBe(0);
    expect(accepted.length).toBeGreaterThan(20 * 100);
    // The next writer takes the stale lock over and removes the temporary files of killed saves.
    const index = (await openIndex({ path: file, mustExist: true })) as FileIndex;
    expect(leftovers(directory)).toEqual(['kill.idx.lock']);
    await index.close();
    expect(leftovers(directory)).toEqual([]);
  }, 300_000);
});

describe('stop signals end a run cleanly', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`filter: ${signal} is exit ${code}, every accepted record saved in the index, no lock or temporary file`, async () => {
      const records = stream(400, 3);
      const child = start(['filter', '--index', 'signal.idx', '--create', '--rejects', 'rejects.jsonl']);
      // stdin stays open: the filter waits for more input when the signal comes.
      child.process.stdin.write(toJsonl(records));
      await until(() => idsOf(child.stdout()).length >= 300, 'the accepted records');
      child.process.kill(signal);
      const ended = await child.closed;
      expect(ended.code, child.stderr()).toBe(code);
      expect(child.stderr()).toContain(`syndic: ${signal}: finishing the record in hand, saving the index and stopping`);
      expect(leftovers(directory)).toEqual([]);
      const accepted = idsOf(child.stdout());
      expect(accepted.length).toBe(300);
      // Saved as a snapshot: the journal is back to its header.
      expect(statSync(path.join(directory, 'signal.idx.journal')).size).toBe(16);
      const index = (await openIndex({ path: path.join(directory, 'signal.idx'), readOnly: true })) as FileIndex;
      expect(index.size).toBe(300);
      for (const id of accepted) expect(index.has(id)).toBe(true);
      expect(idsOf(readFileSync(path.join(directory, 'rejects.jsonl'), 'utf8'))).toEqual(records.filter((record) => !accepted.includes(record.id)).map((record) => record.id));
    });
  }

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`index build: ${signal} is exit ${code}, what was added saved, no lock or temporary file`, async () => {
      const child = start(['index', 'build', '-', '--index', 'build.idx', '--save-every', '50', '--verbose']);
      child.process.stdin.write(toJsonl(syntheticArticles(250, 4)));
      await until(() => child.stderr().includes('saved build.idx: 250 documents'), 'the save after the last record');
      child.process.kill(signal);
      const ended = await child.closed;
      expect(ended.code, child.stderr()).toBe(code);
      expect(child.stderr()).toMatch(/added 250 records; .*build\.idx holds 250 documents/);
      expect(leftovers(directory)).toEqual([]);
      expect(statSync(path.join(directory, 'build.idx.journal')).size).toBe(16);
      const index = (await openIndex({ path: path.join(directory, 'build.idx'), readOnly: true })) as FileIndex;
      expect(index.size).toBe(250);
    });

    it(`scan --out: ${signal} while the report is written is exit ${code}; the earlier report is untouched and no temporary file is left`, async () => {
      writeFileSync(path.join(directory, 'input.jsonl'), toJsonl(stream(300, 5)));
      writeFileSync(path.join(directory, 'report.json'), 'the earlier report\n');
      const marker = path.join(directory, 'paused');
      const child = start(['scan', 'input.jsonl', '--format', 'json', '--out', 'report.json', '--no-progress'], {}, pausedInWrite(marker, 1, 'report.json'));
      await until(() => existsSync(marker), 'the report half written');
      expect(readdirSync(directory).filter((name) => name.startsWith('report.json.tmp-'))).toHaveLength(1);
      child.process.kill(signal);
      expect((await child.closed).code).toBe(code);
      expect(readFileSync(path.join(directory, 'report.json'), 'utf8')).toBe('the earlier report\n');
      expect(leftovers(directory)).toEqual([]);
    });
  }
});

describe('output files that are not plain files', () => {
  it('--out through a symlink replaces the linked file (keeping its mode), not the link; --out FIFO writes into the FIFO', async () => {
    writeFileSync(path.join(directory, 'input.jsonl'), toJsonl(stream(20, 12)));
    writeFileSync(path.join(directory, 'real.json'), 'earlier\n', { mode: 0o600 });
    symlinkSync('real.json', path.join(directory, 'link.json'));
    const linked = await runSyndic(['scan', 'input.jsonl', '--format', 'json', '--out', 'link.json'], { cwd: directory });
    expect(linked.code, linked.stderr).toBe(0);
    expect(lstatSync(path.join(directory, 'link.json')).isSymbolicLink()).toBe(true);
    expect(statSync(path.join(directory, 'real.json')).mode & 0o777).toBe(0o600);
    const report = JSON.parse(readFileSync(path.join(directory, 'real.json'), 'utf8')) as { stats: { documents: number } };
    expect(report.stats.documents).toBe(20);
    // A FIFO, as `--out /dev/stdout` is in a shell pipeline: written directly, nothing renamed over it.
    const fifo = path.join(directory, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const read = new Promise<string>((resolve) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (chunk) => (text += chunk))
        .on('end', () => resolve(text));
    });
    const direct = await runSyndic(['scan', 'input.jsonl', '--format', 'json', '--out', fifo], { cwd: directory });
    expect(direct.code, direct.stderr).toBe(0);
    expect((JSON.parse(await read) as { stats: { documents: number } }).stats.documents).toBe(20);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers(directory)).toEqual([]);
  });
});

/**
 * A full disk, for real: a 4 MB tmpfs mounted for the test (needs root and a kernel that lets
 * this process mount; elsewhere the tests are skipped with the reason, except in CI, which sets
 * SYNDIC_CI=1 and must run them).
 */
const mountPoint = mkdtempSync(path.join(tmpdir(), 'syndic-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { encoding: 'utf8' });
const fullDiskSkip = mounted.status === 0 ? '' : `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || 'mount failed').trim()})`;
afterAll(() => {
  if (mounted.status === 0) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(fullDiskSkip !== '' && !process.env.SYNDIC_CI)(`a full disk${fullDiskSkip ? ` (skipped: ${fullDiskSkip})` : ''}`, () => {
  let disk = '';
  beforeEach(() => {
    expect(fullDiskSkip, 'CI must be able to mount the tmpfs').toBe('');
    disk = path.join(mountPoint, `case-${Date.now()}`);
    mkdirSync(disk);
  });
  afterEach(() => rmSync(disk, { recursive: true, force: true }));

  /** Fill the tmpfs until `room` bytes are left. */
  const fill = (room: number): void => {
    const { bavail, bsize } = statfsSync(mountPoint);
    writeFileSync(path.join(disk, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - room)));
  };
  const files = (): string[] => readdirSync(disk).filter((name) => name !== 'filler').sort();

  it('scan --out and --dedup-out: exit 2 naming the file; the earlier files are intact and no partial file is left', async () => {
    const input = path.join(directory, 'input.jsonl');
    writeFileSync(input, toJsonl(stream(600, 6)));
    writeFileSync(path.join(disk, 'report.json'), 'earlier report\n');
    writeFileSync(path.join(disk, 'kept.jsonl'), 'earlier dedup\n');
    fill(8 * 1024);
    for (const [flag, name, earlier] of [
      ['--out', 'report.json', 'earlier report\n'],
      ['--dedup-out', 'kept.jsonl', 'earlier dedup\n'],
    ] as const) {
      const run = await runSyndic(['scan', input, '--format', 'json', flag, path.join(disk, name), ...(flag === '--dedup-out' ? ['--out', path.join(directory, 'r.json')] : [])]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^syndic: cannot write .*${name.replace('.', '\\.')}: no space left on the device`, 'm'));
      expect(readFileSync(path.join(disk, name), 'utf8')).toBe(earlier);
      expect(files()).toEqual(['kept.jsonl', 'report.json']);
    }
  });

  it('scan with TMPDIR on the full disk: exit 2 naming the folder, whichever thread wrote the texts, and no temporary file left', async () => {
    const input = path.join(directory, 'spilled.jsonl');
    writeFileSync(input, toJsonl(stream(1200, 11)));
    fill(64 * 1024);
    for (const jobs of ['1', '2']) {
      const run = await runSyndic(['scan', input, '--jobs', jobs, '--format', 'json', '--out', path.join(directory, 'r.json')], { env: { TMPDIR: disk } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^syndic: cannot write a temporary file in .* \(ENOSPC\); set TMPDIR to a writable folder/m);
      expect(files()).toEqual([]);
    }
  });

  it('filter --rejects: exit 2; the earlier rejects file is intact and no partial file is left', async () => {
    const records = syntheticArticles(300, 7);
    const built = await runSyndic(['index', 'build', '-', '--index', path.join(directory, 'r.idx')], { input: toJsonl(records) });
    expect(built.code, built.stderr).toBe(0);
    writeFileSync(path.join(disk, 'rejects.jsonl'), 'earlier rejects\n');
    fill(16 * 1024);
    // Every record is rejected (already indexed): far more verdicts than the room left.
    const run = await runSyndic(['filter', '--index', path.join(directory, 'r.idx'), '--rejects', path.join(disk, 'rejects.jsonl')], { input: toJsonl(records.map((record) => ({ ...record, id: `again-${record.id}` }))) });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^syndic: cannot write .*rejects\.jsonl: no space left on the device/m);
    expect(readFileSync(path.join(disk, 'rejects.jsonl'), 'utf8')).toBe('earlier rejects\n');
    expect(files()).toEqual(['rejects.jsonl']);
  });

  it('the index: filter and index build exit 2; the earlier snapshot is intact, it loads with every record printed as accepted, no partial file', async () => {
    const file = path.join(disk, 'full.idx');
    const built = await runSyndic(['index', 'build', '-', '--index', file], { input: toJsonl(syntheticArticles(100, 8)) });
    expect(built.code, built.stderr).toBe(0);
    const snapshot = readFileSync(file);
    fill(200 * 1024);
    const filtered = await runSyndic(['filter', '--index', file], { input: toJsonl(syntheticArticles(2000, 9)) });
    expect(filtered.code, filtered.stderr).toBe(2);
    expect(filtered.stderr).toMatch(/^syndic: index .*full\.idx: cannot save it \(ENOSPC\)/m);
    const again = await runSyndic(['index', 'build', '-', '--index', file], { input: toJsonl(syntheticArticles(2000, 10)) });
    expect(again.code, again.stderr).toBe(2);
    expect(readFileSync(file).equals(snapshot)).toBe(true);
    expect(files()).toEqual(['full.idx', 'full.idx.journal']);
    rmSync(path.join(disk, 'filler'));
    const index = (await openIndex({ path: file, readOnly: true, mustExist: true })) as FileIndex;
    const accepted = idsOf(filtered.stdout);
    expect(accepted.filter((id) => !index.has(id))).toEqual([]);
  });
});
