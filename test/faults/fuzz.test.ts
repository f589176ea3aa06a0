/**
 * Fuzz, fixed seed: random bytes and random JSONL (valid, broken, odd Unicode, huge numbers,
 * nested objects, nulls) piped to `scan -` and `filter`. Never a crash: exit 0 or 2, no stack
 * trace, and an exit 2 names the offending line as `<stdin>:LINE`.
 */
import { describe, expect, it } from 'vitest';
import { expectNoCrash, prng, runSyndic, tempFolder } from './helpers.js';

const { dir } = tempFolder('fuzz');
const random = prng(0x5eed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const integer = (below: number): number => Math.floor(random() * below);

const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff lone low',
  '\u202e\u2066 bidi \u200f\u200b',
  'مَرْحَبًا بِكُمْ فِي الأَخْبَارِ ـــ ٣٤٥',
  '👩‍👩‍👧‍👦🏳️‍🌈 emoji',
  'e\u0301\u0301\u0301 combining',
  '\ufeffBOM inside',
  'line\u2028separator\u2029',
  'x'.repeat(5000),
  'Breaking: the agency reported on Monday that talks would resume.',
];

function randomValue(depth = 0): unknown {
  switch (integer(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 123456789012345678901234567890]);
    case 2:
      return pick(ODD_TEXT);
    case 3:
      return random() < 0.5;
    case 4:
      return Array.from({ length: integer(5) }, () => pick(ODD_TEXT)).join(' ');
    case 5:
      return `id-${integer(30)}`;
    case 6:
      return Array.from({ length: integer(4) }, () => randomValue(depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: integer(4) }, () => [pick(['id', 'text', 'source', 'date', 'x']), randomValue(depth + 1)]));
  }
}

function randomLine(): string {
  switch (integer(10)) {
    case 0:
      return JSON.stringify(randomValue());
    case 1: {
      const valid = JSON.stringify({ id: `v${integer(1e6)}`, text: pick(ODD_TEXT) });
      return valid.slice(0, integer(valid.length));
    }
    case 2:
      return pick(['1e400', '{"id": 1e400, "text": "x"}', '{"id": -0, "text": "zero"}', '{"id": 12345678901234567890123, "text": "big"}', '[]', '""', 'null', '{}', '{"__proto__": {"id": "p"}, "text": "t"}']);
    case 3:
      return `${'['.repeat(integer(20_000))}${']'.repeat(integer(20_000))}`;
    case 4:
      return '';
    case 5:
      return `{"id":"${integer(50)}","text":${JSON.stringify(pick(ODD_TEXT))},"source":${JSON.stringify(randomValue(3))}}\r`;
    default:
      return JSON.stringify({ id: `r${integer(1e9)}`, text: Array.from({ length: 1 + integer(6) }, () => pick(ODD_TEXT)).join(pick(['\n', ' ', '\n\n'])), date: pick([undefined, '2024-01-01', null]) });
  }
}

function randomInput(kind: number): Buffer {
  if (kind % 4 === 0) return Buffer.from(Array.from({ length: integer(4000) }, () => integer(256)));
  const lines = Array.from({ length: 1 + integer(60) }, randomLine).join('\n');
  // Sometimes a few random bytes in the middle: invalid UTF-8, stray NULs.
  if (kind % 4 === 1) {
    const bytes = Buffer.from(lines);
    for (let i = 0; i < 4; i++) bytes[integer(bytes.length)] = integer(256);
    return bytes;
  }
  return Buffer.from(lines);
}

const INPUTS = Array.from({ length: 20 }, (_, kind) => randomInput(kind));

function expectContract(run: { stdout: string; stderr: string; code: number | null }, input: Buffer): void {
  expectNoCrash(run);
  expect([0, 2], run.stderr).toContain(run.code);
  if (run.code === 2) {
    const match = /^syndic: <stdin>:(\d+): /.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    const lines = input.toString('latin1').split('\n').length;
    expect(Number(match![1])).toBeLessThanOrEqual(lines);
  }
}

describe('fuzz (seed 0x5eed)', () => {
  it.each(INPUTS.map((input, n) => ({ input, n })))('input $n: scan - and filter never crash', async ({ input, n }) => {
    const skip = n % 2 === 1 ? ['--skip-invalid'] : [];
    expectContract(await runSyndic(['scan', '--format', 'json', ...skip, '-'], { cwd: dir, input }), input);
    expectContract(await runSyndic(['filter', '--create', '--index', `fuzz${n}.idx`, ...skip], { cwd: dir, input }), input);
  });
});
