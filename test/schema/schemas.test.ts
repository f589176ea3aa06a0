/**
 * The JSON Schema files in schema/ describe what syndic really prints: the scan report, every
 * JSONL line, the --dedup-out records (annotated) and the verdicts of check and filter --rejects,
 * each produced by the built CLI over real inputs and validated with Ajv (JSON Schema 2020-12).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runSyndic } from '../cli/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-schema-'));
const at = (name: string): string => path.join(dir, name);
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const file of readdirSync(path.join(ROOT, 'schema'))) ajv.addSchema(JSON.parse(readFileSync(path.join(ROOT, 'schema', file), 'utf8')) as object);
const validator = (name: string) => ajv.getSchema(`https://syndic.invalid/schema/${name}.schema.json`)!;
const lines = (text: string): unknown[] => text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);

/** Throws with Ajv's errors when `value` does not match the schema. */
function expectValid(name: string, value: unknown): void {
  const validate = validator(name);
  expect(validate(value), JSON.stringify(validate.errors, null, 2)).toBe(true);
}

const samples = path.join(ROOT, 'samples');
const data = path.join(ROOT, '..', 'shared', 'data', 'saudinewsnet-dev.jsonl.gz');
let withMetadata = '';

beforeAll(() => {
  // Articles with every metadata field: a copy republished a day later by another outlet.
  const agency = readFileSync(path.join(samples, '003_13b42c5a08ef7be2.txt'), 'utf8');
  const records = [
    { id: 'spa-1', source: 'spa', date: '2015-07-20', title: 'خبر الوكالة', url: 'https://example.org/1', text: agency },
    { id: 'okaz-1', source: 'okaz', date: '2015-07-21', title: 'نقلا عن الوكالة', url: 'https://example.org/2', text: agency },
    { id: 'other', source: 'okaz', date: '2015-07-21', text: readFileSync(path.join(samples, '000_848e103266e47c76.txt'), 'utf8') },
  ];
  withMetadata = at('metadata.jsonl');
  writeFileSync(withMetadata, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('schema/scan-report.schema.json', () => {
  it('matches the JSON report of the samples and of articles with metadata', async () => {
    for (const input of [samples, withMetadata]) {
      const run = await runSyndic(['scan', input, '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      expectValid('scan-report', JSON.parse(run.stdout));
    }
  });

  it.skipIf(!existsSync(data))('matches the report of the 6,228 real articles (when ../shared/data is there)', async () => {
    const run = await runSyndic(['scan', data, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { documents: Array<{ source?: string; date?: string; title?: string; url?: string }> };
    expectValid('scan-report', report);
    // Every article of the data set has the four fields (six have an empty title).
    expect(report.documents.filter((doc) => [doc.source, doc.date, doc.title, doc.url].every((field) => typeof field === 'string'))).toHaveLength(6228);
    expect(report.documents[0]).toMatchObject({ id: 'aawsat/2015-07-21/0000', source: 'aawsat', date: '2015-07-21 02:51:32' });
  });

  it('rejects a report that breaks the contract', async () => {
    const report = JSON.parse((await runSyndic(['scan', withMetadata, '--format', 'json'])).stdout) as { documents: Array<Record<string, unknown>>; duplicates: { pairs: Array<Record<string, unknown>> } };
    report.documents[0]!.chars = -1;
    delete report.duplicates.pairs[0]!.origin;
    const validate = validator('scan-report');
    expect(validate(report)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath).sort()).toEqual(['/documents/0/chars', '/duplicates/pairs/0']);
  });
});

describe('schema/scan-jsonl-line.schema.json and dedup-record.schema.json', () => {
  it('match every JSONL line and every annotated survivor', async () => {
    const run = await runSyndic(['scan', withMetadata, samples, '--format', 'jsonl', '--dedup-out', at('dedup.jsonl'), '--annotate'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const reported = lines(run.stdout) as Array<{ type: string }>;
    expect(new Set(reported.map((line) => line.type))).toEqual(new Set(['stats', 'document', 'duplicate', 'cluster', 'syndication', 'paragraph', 'story', 'outlet', 'flow']));
    for (const line of reported) expectValid('scan-jsonl-line', line);
    const survivors = lines(readFileSync(at('dedup.jsonl'), 'utf8')) as Array<{ cluster?: unknown }>;
    for (const survivor of survivors) expectValid('dedup-record', survivor);
    expect(survivors.filter((survivor) => survivor.cluster !== undefined)).toHaveLength(2);
    expect(validator('scan-jsonl-line')({ type: 'cluster', representative: 'a', members: ['a', 'b'] })).toBe(false);
  });
});

describe('schema/verdict.schema.json', () => {
  it('matches the verdicts of check and of filter --rejects', async () => {
    const index = at('news.idx');
    expect((await runSyndic(['index', 'build', samples, '--index', index])).code).toBe(0);
    const check = await runSyndic(['check', '--index', index, withMetadata]);
    expect(check.code, check.stderr).toBe(0);
    const verdicts = lines(check.stdout) as Array<{ verdict: string }>;
    expect(verdicts.map((verdict) => verdict.verdict)).toContain('duplicate');
    for (const verdict of verdicts) expectValid('verdict', verdict);
    const filter = await runSyndic(['filter', '--index', index, '--rejects', at('rejects.jsonl')], { input: readFileSync(withMetadata) });
    expect(filter.code, filter.stderr).toBe(0);
    const rejects = lines(readFileSync(at('rejects.jsonl'), 'utf8'));
    expect(rejects.length).toBeGreaterThan(0);
    for (const verdict of rejects) expectValid('verdict', verdict);
    expect(validator('verdict')({ id: 'x', verdict: 'maybe', matches: [] })).toBe(false);
  });
});
