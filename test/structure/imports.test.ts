/**
 * No import cycle in src/, type-only imports included: a cycle means two modules cannot be read,
 * tested or moved one without the other, and a type-only one still ties their layers together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.c?ts$/.test(entry.name) ? [full] : [];
  });
}

// `import … from`, `import type … from`, `export … from`, side-effect `import '…'`, `import x = require('…')`
// and `import('…')`; only relative specifiers name a module of src/.
const SPECIFIER = /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.[^'"]+)['"]|(?:^|[\s;])import\s*['"](\.[^'"]+)['"]|\b(?:require|import)\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The src/ modules that `file` imports, as paths relative to src/. */
export function importsOf(file: string, text: string): string[] {
  const found = new Set<string>();
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier === undefined) continue;
    const target = path.resolve(path.dirname(file), specifier).replace(/\.c?js$/, (ending) => (ending === '.cjs' ? '.cts' : '.ts'));
    found.add(path.relative(SRC, target));
  }
  return [...found].sort();
}

/** Every cycle's smallest representative, found by depth-first search from each module in name order. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string): void => {
    state.set(module, 'open');
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // Rotate to start at the smallest name, so each cycle is reported once.
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of [...graph.keys()].sort()) if (!state.has(module)) visit(module);
  return [...cycles.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, cycle]) => cycle);
}

describe('import graph of src/', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) graph.set(path.relative(SRC, file), importsOf(file, readFileSync(file, 'utf8')));

  it('reads every kind of import and export', () => {
    const file = path.join(SRC, 'cli', 'x.ts');
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "export type { D } from './d.js';",
      "export * from './e.js';",
      "import './f.js';",
      "import g = require('./g.cjs');",
      "const h = await import('./h.js');",
      "import { x,\n  y } from\n  './multi.js';",
      "import { readFileSync } from 'node:fs';",
      "// import { no } from './comment.js';",
    ].join('\n');
    expect(importsOf(file, text)).toEqual(['b/b.ts', 'cli/a.ts', 'cli/c.ts', 'cli/d.ts', 'cli/e.ts', 'cli/f.ts', 'cli/g.cts', 'cli/h.ts', 'cli/multi.ts']);
  });

  it('finds a cycle when there is one, and each once', () => {
    const cycles = findCycles(new Map([['a', ['b']], ['b', ['c', 'a']], ['c', ['b']], ['d', ['a']]]));
    expect(cycles).toEqual([['a', 'b'], ['b', 'c']]);
  });

  it('names only modules that exist', () => {
    const missing = [...graph].flatMap(([module, imports]) => imports.filter((target) => !graph.has(target)).map((target) => `${module} → ${target}`));
    expect(missing).toEqual([]);
  });

  it('keeps the library below the CLI: nothing outside cli/ imports cli/', () => {
    const upward = [...graph].flatMap(([module, imports]) => (module.startsWith('cli/') ? [] : imports.filter((target) => target.startsWith('cli/')).map((target) => `${module} → ${target}`)));
    expect(upward).toEqual([]);
  });

  it('has no cycle', () => {
    const cycles = findCycles(graph).map((cycle) => [...cycle, cycle[0]].join(' → '));
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });
});
