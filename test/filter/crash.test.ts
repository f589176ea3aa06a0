/**
 * SIGKILL in the middle of a save. Method: the CLI run through test/support/pause-in-write.mjs
 * (a pause injected into atomic writes, MARKER 3 .idx) makes the third save of the real `syndic filter` process stop after writing half of its
 * temporary file, create MARKER and wait; the test kills the process with SIGKILL as soon as
 * MARKER exists, so the kill lands in the middle of that save every time (no timing luck needed).
 * The index must then load (stale lock taken over, the half-written temporary file removed) and
 * hold every record printed as accepted: the last completed save plus the journal after it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileIndex, openIndex } from '../../src/index.js';
import { pausedInWrite, runSyndic } from '../cli/run.js';
import { syntheticArticles } from './corpus.js';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'syndic-crash-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const toJsonl = (records: Array<{ id: string; text: string }>): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

describe('syndic filter killed during a save', () => {
  it('leaves an index that loads and holds every record printed as accepted; the next writer removes the temporary file', async () => {
    const file = path.join(directory, 'crash.idx');
    const marker = path.join(directory, 'paused');
    const built = await runSyndic(['index', 'build', '-', '--index', file], { input: toJsonl(syntheticArticles(200, 1)) });
    expect(built.code).toBe(0);

    const child = spawn(process.execPath, [...pausedInWrite(marker, 3, '.idx'), 'filter', '--index', file, '--save-every', '100', '--verbose'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => {});
    child.stdin.end(toJsonl(syntheticArticles(1000, 2)));
    // 'close', not 'exit': stdout and stderr are fully read by then.
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('close', (_, signal) => resolve(signal)));
    for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 20) await sleep(20);
    expect(existsSync(marker)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const saves = [...stderr.matchAll(/saved .*: (\d+) documents/g)].map((match) => Number(match[1]));
    expect(saves).toEqual([300, 400]);
    const accepted = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(accepted.length).toBeGreaterThanOrEqual(300);

    const temporaries = (): string[] => readdirSync(directory).filter((name) => name.startsWith('crash.idx.tmp-'));
    expect(temporaries()).toHaveLength(1);

    const index = (await openIndex({ path: file })) as FileIndex;
    expect(temporaries()).toEqual([]);
    // The save was killed after its commit: the records it would have held are in the journal.
    expect(index.size).toBeGreaterThanOrEqual(200 + accepted.length);
    for (const id of accepted) expect(index.has(id)).toBe(true);
    await index.close();
  });
});
