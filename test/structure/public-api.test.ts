/**
 * The README's "Exports, name by name" and src/index.ts list the same names, one by one, and the
 * CommonJS entry gives the same values as the ES module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as syndic from '../../src/index.js';

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** Every backticked token of the README's export list (the subsection up to the next heading). */
export function readmeExportNames(readme: string): string[] {
  const start = readme.indexOf('\n### Exports, name by name\n');
  if (start < 0) throw new Error('README.md has no "### Exports, name by name" section');
  const body = readme.slice(readme.indexOf('\n', start + 1) + 1);
  const end = body.search(/^#/m);
  const section = end < 0 ? body : body.slice(0, end);
  return [...section.matchAll(/`([^`]*)`/g)].map((match) => match[1]!);
}

/** The names of `export { … } from` and `export type { … } from` statements, by kind. */
export function moduleExportNames(source: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  if (/^export \*/m.test(source)) throw new Error('index.ts re-exports a whole module: its names are not listed one by one');
  for (const match of source.matchAll(/^export (type )?\{([^}]*)\} from '[^']+';$/gm)) {
    const names = match[2]!.split(',').map((name) => name.trim()).filter(Boolean);
    (match[1] ? types : values).push(...names);
  }
  return { values, types };
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('public API', () => {
  const readme = readmeExportNames(read('README.md'));
  const { values, types } = moduleExportNames(read('src/index.ts'));

  it('reads both lists', () => {
    expect(readmeExportNames('# x\n### Exports, name by name\n- `a`, `b` (`C`)\n## Next\n`d`\n')).toEqual(['a', 'b', 'C']);
    expect(moduleExportNames("export { a, b } from './a.js';\nexport type {\n  C,\n  D,\n} from './c.js';\n")).toEqual({ values: ['a', 'b'], types: ['C', 'D'] });
    expect(values.length).toBeGreaterThan(20);
  });

  it('README and src/index.ts name the same exports, each once', () => {
    const exported = [...values, ...types];
    expect(new Set(exported).size, 'a name exported twice').toBe(exported.length);
    const listed = new Set(readme);
    const missingFromReadme = exported.filter((name) => !listed.has(name));
    const notExported = sorted(listed).filter((name) => !exported.includes(name));
    expect({ missingFromReadme, notExported }).toEqual({ missingFromReadme: [], notExported: [] });
  });

  it('the parsed value names are the module\'s, in ES and CommonJS alike', () => {
    expect(sorted(Object.keys(syndic))).toEqual(sorted(values));
    const cjs = createRequire(import.meta.url)('../../dist/index.cjs') as Record<string, unknown>;
    expect(sorted(Object.keys(cjs).filter((key) => key !== 'default' && key !== '__esModule' && key !== 'module.exports'))).toEqual(sorted(values));
  });
});
