/**
 * Shared by the fault tests: temporary folders, JSONL builders and the "no crash" checks every
 * run of the built CLI must pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { RunResult } from '../cli/run.js';

export { runSyndic, type RunResult } from '../cli/run.js';

/** A temporary folder removed after the file's tests; `at(name)` is a path inside it. */
export function tempFolder(prefix: string): { dir: string; at: (name: string) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), `syndic-faults-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, at: (name) => path.join(dir, name) };
}

/** One JSONL line. */
export const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct news-like texts of random words (seeded). */
export function randomTexts(count: number, seed: number, words = 12): string[] {
  const random = prng(seed);
  const vocabulary = Array.from({ length: 5000 }, () => Math.floor(random() * 1e12).toString(36));
  return Array.from({ length: count }, () => Array.from({ length: words }, () => vocabulary[Math.floor(random() * vocabulary.length)]!).join(' '));
}

/** The run ended as the contract says: a known exit code, no stack trace, no internal error. */
export function expectNoCrash(run: RunResult): void {
  expect(run.stderr).not.toMatch(/\n\s+at .*:\d+/);
  expect(run.stderr).not.toContain('internal error');
  expect(run.stderr).not.toContain('Unhandled');
  expect([0, 1, 2]).toContain(run.code);
}

/** Exit 2 with one message line matching `pattern`. */
export function expectInputError(run: RunResult, pattern: RegExp): void {
  expectNoCrash(run);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trimEnd()).toMatch(pattern);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
}
