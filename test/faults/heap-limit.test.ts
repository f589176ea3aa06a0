/**
 * A scan larger than V8's heap limit stops with a clear message (exit 2, nothing written) instead
 * of V8's fatal "JavaScript heap out of memory" crash. The limit is made small with NODE_OPTIONS
 * so that a few megabytes of input pass it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectInputError, expectNoCrash, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const { dir, at } = tempFolder('heap');
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=96' };
let big = '';

beforeAll(() => {
  // What a run holds per document fills the heap, not the texts (which are spilled): many documents.
  const texts = randomTexts(250_000, 24, 80);
  // On stdin, read in 4 MB chunks: the heap grows by a few MB between two looks, well inside
  // the margin between the check (75% of the limit) and V8's own end.
  big = texts.map((text, i) => line({ id: `d${i}`, text })).join('');
  writeFileSync(at('small.jsonl'), texts.slice(0, 300).map((text, i) => line({ id: `d${i}`, text })).join(''));
});

describe('the heap limit', () => {
  it('a scan that does not fit stops with a message naming the limit and what to do', async () => {
    const run = await runSyndic(['scan', '-', '--format', 'json', '--out', 'report.json', '--jobs', '1'], { cwd: dir, env: SMALL_HEAP, input: big });
    expectInputError(run, /^syndic: out of memory while (reading|comparing|quoting)[^:]* [\d,]+ documents: live data fills [\d,]+ MiB of the JavaScript heap limit of [\d,]+ MiB\. .*--max-old-space-size=\d+/);
    expect(run.stderr).not.toContain('FATAL');
    expect(existsSync(at('report.json'))).toBe(false);
  });

  it('a scan that fits the same limit runs as usual', async () => {
    const run = await runSyndic(['scan', 'small.jsonl', '--format', 'json', '--jobs', '1'], { cwd: dir, env: SMALL_HEAP });
    expectNoCrash(run);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { stats: { documents: number } }).stats.documents).toBe(300);
  });
});
