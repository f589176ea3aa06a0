/**
 * The package as a user gets it: the working tree copied as a fresh clone would have it (tracked
 * and new files, no dist/), packed with `npm pack` (its prepack builds), installed into an empty
 * project from the tarball, then used from there: the `syndic` command on the project's .bin, a
 * CommonJS `require` consumer and a strict TypeScript ESM consumer. publint and arethetypeswrong
 * check the same tarball. Slow (two TypeScript compilations: the package's prepack and the
 * consumer), hence the long timeouts.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

const work = mkdtempSync(path.join(tmpdir(), 'syndic-pack-'));
const clone = path.join(work, 'clone');
const consumer = path.join(work, 'consumer');
const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
let tarball = '';

/** Run a command; its output, or a failure carrying what it printed. */
function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const texts = {
  agency: 'أعلن وزير الخارجية الروسي أن بلاده مستعدة للتعاون مع المعارضة السورية الرافضة للإرهاب في إطار التسوية السياسية.',
  other: 'ارتفعت أسعار النفط في التعاملات الآسيوية مع تراجع المخزونات الأمريكية للأسبوع الثالث على التوالي.',
};

beforeAll(() => {
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], ROOT).split('\0').filter(Boolean);
  for (const file of files) {
    // A file deleted in the working tree but still in the index is not part of the clone.
    try {
      cpSync(path.join(ROOT, file), path.join(clone, file), { recursive: false });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  // The dev dependencies a fresh clone gets from `npm ci`; linked, not downloaded again.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  tarball = path.join(work, run('npm', ['pack', '--silent', '--pack-destination', work], clone).trim().split('\n').pop()!);

  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // From npm's cache when the dependencies were installed before (CI's `npm ci` filled it).
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], consumer);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack → install → run', () => {
  it('the tarball holds the build, the license and the schemas, and no source maps', () => {
    const listed = run('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    expect(listed).toContain('package/dist/cli/main.js');
    expect(listed).toContain('package/dist/index.cjs');
    expect(listed).toContain('package/dist/index.d.ts');
    expect(listed).toContain('package/LICENSE');
    expect(listed).toContain('package/README.md');
    expect(listed).toContain('package/schema/scan-report.schema.json');
    expect(listed.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(listed.filter((file) => !/^package\/(dist|schema)\/|^package\/(LICENSE|README\.md|package\.json)$/.test(file))).toEqual([]);
  });

  it('puts syndic on the project .bin, and it scans a folder', () => {
    const folder = path.join(consumer, 'articles');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.txt'), texts.agency);
    writeFileSync(path.join(folder, 'b.txt'), texts.agency);
    writeFileSync(path.join(folder, 'c.txt'), texts.other);
    const syndic = path.join(consumer, 'node_modules', '.bin', 'syndic');
    expect(run(syndic, ['--version'], consumer).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const report = JSON.parse(run(syndic, ['scan', 'articles', '--format', 'json'], consumer)) as { duplicates: { clusters: Array<{ members: string[] }> } };
    expect(report.duplicates.clusters.map((cluster) => cluster.members)).toEqual([['a.txt', 'b.txt']]);
  });

  it('works from a CommonJS require', () => {
    writeFileSync(
      path.join(consumer, 'consumer.cjs'),
      [
        "const syndic = require('syndic');",
        "const { findDuplicates } = require('syndic');",
        `const records = [{ id: 'a', text: ${JSON.stringify(texts.agency)} }, { id: 'b', text: ${JSON.stringify(texts.agency)} }, { id: 'c', text: ${JSON.stringify(texts.other)} }];`,
        'findDuplicates(records).then((result) => console.log(JSON.stringify({ same: syndic.findDuplicates === findDuplicates, clusters: result.duplicates.clusters })));',
      ].join('\n'),
    );
    const output = JSON.parse(run(process.execPath, ['consumer.cjs'], consumer)) as unknown;
    expect(output).toEqual({ same: true, clusters: [{ representative: 'a', members: ['a', 'b'] }] });
  });

  it('type-checks and runs in a strict TypeScript ESM project', () => {
    const project = path.join(consumer, 'ts');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, skipLibCheck: false, types: ['node'], outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(
      path.join(project, 'main.ts'),
      [
        "import { findDuplicates, openIndex, SyndicError, type DetectionResult, type DocumentRecord, type Verdict } from 'syndic';",
        `const records: DocumentRecord[] = [{ id: 'a', text: ${JSON.stringify(texts.agency)}, source: 'x' }, { id: 'b', text: ${JSON.stringify(texts.agency)} }];`,
        'const result: DetectionResult = await findDuplicates(records, { threshold: 0.8 });',
        "const index = await openIndex({ path: 'ts.idx' });",
        "const verdict: Verdict = await index.checkAndAdd({ id: 'x', text: records[0]?.text ?? '' });",
        'await index.close();',
        'let message = "";',
        'try { await findDuplicates(records, { threshold: 2 }); } catch (error) { if (error instanceof SyndicError) message = error.message; }',
        'console.log(JSON.stringify({ pairs: result.duplicates.pairs.length, source: result.documents[0]?.source, verdict: verdict.verdict, message }));',
      ].join('\n'),
    );
    // @types/node, as the consumer would install it (copied, not downloaded again).
    mkdirSync(path.join(consumer, 'node_modules', '@types'), { recursive: true });
    cpSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(consumer, 'node_modules', '@types', 'node'), { recursive: true });
    cpSync(path.join(ROOT, 'node_modules', 'undici-types'), path.join(consumer, 'node_modules', 'undici-types'), { recursive: true });
    run(bin('tsc'), ['-p', '.'], project);
    const output = JSON.parse(run(process.execPath, ['out/main.js'], project)) as { pairs: number; source: string; verdict: string; message: string };
    expect(output.pairs).toBe(1);
    expect(output.source).toBe('x');
    expect(output.verdict).toBe('new');
    expect(output.message).toMatch(/^option threshold/);
  }, 300_000);

  it('publint --strict and arethetypeswrong find no problem in the tarball', () => {
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    run('tar', ['-xzf', tarball, '-C', unpacked], work);
    expect(run(bin('publint'), ['--strict', '--pack', 'false', path.join(unpacked, 'package')], work)).toContain('All good');
    expect(run(bin('attw'), [tarball, '--format', 'ascii'], work)).toContain('No problems found');
    expect(readdirSync(unpacked)).toEqual(['package']);
  }, 300_000);
});
