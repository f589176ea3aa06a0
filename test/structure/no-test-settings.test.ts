/**
 * Production code reads no test setting from the environment: tests inject their hooks (see
 * test/support/pause-in-write.mjs) instead of leaving a switch in every user's process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('src/', () => {
  it('reads no SYNDIC_TEST* environment variable', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    const readers = files.filter((name) => /SYNDIC_TEST/.test(readFileSync(path.join(SRC, name), 'utf8')));
    expect(readers).toEqual([]);
  });
});
