/**
 * Library errors say what is wrong without the program's name: the CLI adds `syndic: ` once, a
 * library caller gets a message it can prefix itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageForError } from '../../src/cli/io.js';
import { createSketcher, estimateJaccard, findDuplicates, openIndex, resolveOptions, SyndicError } from '../../src/index.js';
import { ROOT } from '../cli/run.js';

/** Every .ts file under `folder`, as paths relative to the repository. */
function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe('library error messages', () => {
  it('no string literal outside src/cli starts with "syndic:"', () => {
    const offending = sourceFiles('src')
      .filter((file) => !file.startsWith(`src${path.sep}cli${path.sep}`))
      .flatMap((file) =>
        readFileSync(path.join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, index) => ({ where: `${file}:${index + 1}`, line }))
          .filter(({ line }) => /['"`]syndic: /.test(line)),
      )
      .map(({ where }) => where);
    expect(offending).toEqual([]);
  });

  it('errors thrown by the library carry no prefix; the CLI adds it once', async () => {
    const caught: unknown[] = [];
    const record = async (action: () => unknown): Promise<void> => {
      try {
        await action();
      } catch (error) {
        caught.push(error);
      }
    };
    await record(() => resolveOptions({ threshold: 2 }));
    await record(() => findDuplicates([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }]));
    await record(() => openIndex({}));
    const a = createSketcher({ numPerm: 64, seed: 1, shingleSize: 5, variant: 'oph' });
    const b = createSketcher({ numPerm: 64, seed: 2, shingleSize: 5, variant: 'oph' });
    await record(() => estimateJaccard(a.sketch(new Uint32Array([1, 2, 3])), b.sketch(new Uint32Array([1, 2, 3]))));
    expect(caught).toHaveLength(4);
    for (const error of caught) {
      expect(error).toBeInstanceOf(SyndicError);
      expect((error as Error).message).not.toMatch(/^syndic/);
      expect(messageForError(error)).toBe(`syndic: ${(error as Error).message}`);
    }
  });
});
