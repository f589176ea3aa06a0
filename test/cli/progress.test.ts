/**
 * Progress lines: redrawn in place on a terminal, plain lines elsewhere, colour only on a terminal
 * without NO_COLOR, nothing at all when disabled.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { formatDuration, Progress, progressEnabled } from '../../src/cli/progress.js';

function ioWith(stderrIsTTY: boolean, env: NodeJS.ProcessEnv = {}): { io: CliIo; written: () => string } {
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env, stderrIsTTY, cwd: '/' };
  return { io, written: () => chunks.join('') };
}

describe('Progress', () => {
  it('is on by default only on a terminal; the flags decide otherwise', () => {
    expect(progressEnabled(undefined, ioWith(true).io)).toBe(true);
    expect(progressEnabled(undefined, ioWith(false).io)).toBe(false);
    expect(progressEnabled(true, ioWith(false).io)).toBe(true);
    expect(progressEnabled(false, ioWith(true).io)).toBe(false);
  });

  it('writes plain lines off a terminal', async () => {
    const { io, written } = ioWith(false);
    const progress = new Progress(io, true);
    progress.begin('analyzing', 2);
    progress.update(2);
    progress.end('2 documents');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toMatch(/^syndic: analyzing 0\/2 \(0%\)\nsyndic: analyzing 2\/2 \(100%\)\nsyndic: done 2 documents in \d+\.\d s\n$/);
  });

  it('shows the percentage, and the time left once a second has passed, when the total is known', async () => {
    const { io, written } = ioWith(false);
    let nowMs = 0;
    const progress = new Progress(io, true, () => nowMs);
    progress.begin('analyzing', 4000);
    nowMs = 500;
    progress.update(100);
    nowMs = 2000;
    progress.update(1000);
    nowMs = 200_000;
    progress.update(3999);
    progress.begin('reading');
    nowMs = 201_500;
    progress.update(12_345);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe(
      [
        'syndic: analyzing 0/4,000 (0%)',
        // 1,000 of 4,000 in 2 s: 3,000 more take 6 s.
        'syndic: analyzing 1,000/4,000 (25%, about 6 s left)',
        'syndic: analyzing 3,999/4,000 (99%, about 1 s left)',
        'syndic: reading',
        'syndic: reading 12,345',
        '',
      ].join('\n'),
    );
    expect([formatDuration(400), formatDuration(59_400), formatDuration(200_000), formatDuration(3_900_000)]).toEqual(['1 s', '59 s', '3 min 20 s', '1 h 5 min']);
  });

  it('redraws one line on a terminal, dimmed unless NO_COLOR is set', async () => {
    const coloured = ioWith(true);
    new Progress(coloured.io, true).begin('reading');
    const plain = ioWith(true, { NO_COLOR: '1' });
    new Progress(plain.io, true).begin('reading');
    await new Promise((resolve) => setImmediate(resolve));
    expect(coloured.written()).toBe('\r\u001b[K\u001b[2msyndic: reading\u001b[22m');
    expect(plain.written()).toBe('\r\u001b[Ksyndic: reading');
  });

  it('writes nothing when disabled', async () => {
    const { io, written } = ioWith(true);
    const progress = new Progress(io, false);
    progress.begin('reading');
    progress.end('done');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('');
  });
});
