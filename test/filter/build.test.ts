/**
 * `syndic index build` extends an index: a re-run over inputs it already holds adds nothing and
 * says so, new inputs are added.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndex } from '../../src/index.js';
import { runSyndic } from '../cli/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => path.join(dir, name);
const jsonl = (records: Array<{ id: string; text: string }>): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

const first = [
  { id: 'a', text: 'أعلن وزير الخارجية الروسي أن بلاده مستعدة للتعاون مع المعارضة السورية الرافضة للإرهاب' },
  { id: 'b', text: 'ارتفعت أسعار النفط في التعاملات الآسيوية مع تراجع المخزونات الأمريكية للأسبوع الثالث' },
];
const second = [...first, { id: 'c', text: 'قال المتحدث باسم الحكومة إن المحادثات ستستأنف الشهر المقبل في العاصمة' }];

describe('syndic index build', () => {
  it('re-run over the same input adds nothing; a larger input adds only what is new', async () => {
    writeFileSync(at('first.jsonl'), jsonl(first));
    writeFileSync(at('second.jsonl'), jsonl(second));
    const index = at('news.idx');

    const built = await runSyndic(['index', 'build', at('first.jsonl'), '--index', index]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toContain('added 2 records; ');

    const rerun = await runSyndic(['index', 'build', at('first.jsonl'), '--index', index]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('added 0 records (2 already indexed, left as they were)');

    const extended = await runSyndic(['index', 'build', at('second.jsonl'), '--index', index]);
    expect(extended.code, extended.stderr).toBe(0);
    expect(extended.stderr).toContain('added 1 record (2 already indexed, left as they were)');

    const reopened = await openIndex({ path: index, readOnly: true });
    try {
      expect(reopened.size).toBe(3);
      expect(await reopened.contains('c')).toBe(true);
      expect(await reopened.contains('z')).toBe(false);
    } finally {
      await reopened.close();
    }
  });
});
