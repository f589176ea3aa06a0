/**
 * Deduplicated output: survivors in input order, cleaning of repeats and boilerplate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dedupRecords, findDuplicates, type DocumentRecord } from '../src/index.js';
import { paragraphsToRemove, removeLines } from '../src/detect/dedup.js';

const seed003 = readFileSync(new URL('../samples/003_13b42c5a08ef7be2.txt', import.meta.url), 'utf8');
const body = seed003.split('\n').slice(0, 9).join('\n');

describe('removeLines', () => {
  it('removes whole lines with their line breaks', () => {
    const text = 'one\ntwo\nthree\n';
    expect(removeLines(text, [[4, 7]])).toBe('one\nthree\n');
    expect(removeLines(text, [[0, 3], [8, 13]])).toBe('two\n');
  });

  it('removes an indented paragraph (offsets are of the trimmed text)', () => {
    expect(removeLines('a\n   b  \nc', [[5, 6]])).toBe('a\nc');
  });

  it('keeps paragraph spacing when removing a paragraph between blank lines', () => {
    expect(removeLines('a\n\nb\n\nc\n', [[3, 4]])).toBe('a\n\nc\n');
    expect(removeLines('a\r\n\r\nb\r\n\r\nc', [[6, 7]])).toBe('a\r\n\r\nc');
  });

  it('removes the last line without a final line break', () => {
    expect(removeLines('a\nb', [[2, 3]])).toBe('a\n');
  });
});

describe('dedupRecords', () => {
  const records: DocumentRecord[] = [
    { id: 'doubled', text: seed003 },
    { id: 'other', text: 'Something else entirely, a different story about the weather in the mountains.' },
    { id: 'copy', text: body },
  ];

  it('keeps the representative of each cluster and every other record, in input order', async () => {
    const result = await findDuplicates(records);
    expect(result.duplicates.clusters).toEqual([{ representative: 'doubled', members: ['doubled', 'copy'] }]);
    expect(dedupRecords(records, result).map((record) => record.id)).toEqual(['doubled', 'other']);
    expect(dedupRecords(records, result)[0]).toBe(records[0]);
  });

  it('with clean, drops internal repeats: seed 003 keeps its body once', async () => {
    const result = await findDuplicates(records);
    const [doubled] = dedupRecords(records, result, { clean: true });
    expect(doubled!.text).toBe(`${body}\n`);
    expect(records[0]!.text).toBe(seed003);
  });

  it('with clean, drops every occurrence of boilerplate paragraphs', async () => {
    const footer = 'شارك الخبر على تويتر';
    const stories = ['توقعات بأمطار غزيرة على المرتفعات الجبلية خلال عطلة نهاية الأسبوع.', 'افتتاح مكتبة عامة جديدة في وسط المدينة تضم عشرين ألف كتاب.'];
    const pages = stories.map((story, index) => ({ id: `page${index}`, text: `${story}\n${footer}\n` }));
    const result = await findDuplicates(pages);
    expect(result.paragraphs.map((cluster) => cluster.kind)).toEqual(['boilerplate']);
    expect(paragraphsToRemove(result).get('page1')).toEqual([[pages[1]!.text.indexOf(footer), pages[1]!.text.indexOf(footer) + footer.length]]);
    expect(dedupRecords(pages, result, { clean: true }).map((page) => page.text.includes(footer))).toEqual([false, false]);
  });
});
