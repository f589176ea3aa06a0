/**
 * AtomicFile: what is written reaches the file byte for byte, strings (encoded into one reused
 * buffer) and byte chunks mixed in order, small and larger than a write, Arabic, emoji and lone
 * surrogates included; nothing is at the target before the commit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../src/atomic.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* chunks(): Generator<string | Uint8Array> {
  yield 'خبر عاجل من الرياض 📰\n';
  yield new Uint8Array([0, 1, 2, 255]);
  for (let i = 0; i < 3000; i++) yield `{"id": "d${i}", "text": "${'نص '.repeat(i % 97)}"}\n`;
  yield 'x'.repeat(3 << 20); // past the encoding buffer and past 1 MB pending
  yield Buffer.from('bytes after a long string');
  yield 'a line before large bytes\n';
  yield Uint8Array.from({ length: 3 << 20 }, (_, i) => i % 251); // larger than the buffer: written as they are
  yield 'a line after them\n';
  yield '\ud800 lone';
  yield '';
  yield 'end';
}

describe('AtomicFile', () => {
  it('writes strings and bytes in order, exactly as their UTF-8 and bytes, and only at the commit', async () => {
    const target = path.join(dir, 'out.json');
    const expected = Buffer.concat([...chunks()].map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)));
    const file = await AtomicFile.create(target);
    for (const chunk of chunks()) await file.write(chunk);
    expect(existsSync(target)).toBe(false);
    await file.commit();
    expect(readFileSync(target).equals(expected)).toBe(true);

    await writeFileAtomic(target, ['only ', 'this']);
    expect(readFileSync(target, 'utf8')).toBe('only this');
  });
});
