/**
 * findDuplicates end to end on the seed pages (known findings) and on planted cases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDuplicates, SyndicError, type DocumentRecord } from '../../src/index.js';

const SEED_NAMES = ['000_848e103266e47c76.txt', '001_c165a42ed11c2292.txt', '002_12ca15c9baea0e71.txt', '003_13b42c5a08ef7be2.txt', '004_cfbd479925494924.txt'];
const seedDir = [join(import.meta.dirname, '../../samples'), join(import.meta.dirname, '../../../shared/seeds')].find((dir) =>
  existsSync(join(dir, SEED_NAMES[0]!)),
)!;

function seeds(): DocumentRecord[] {
  return SEED_NAMES.map((name) => ({ id: name.slice(0, 3), text: readFileSync(join(seedDir, name), 'utf8') }));
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim().length > 0);
}

describe('seed pages with default options', () => {
  it('reports the 8 paragraphs seed 003 repeats, each paired with its first occurrence', async () => {
    const result = await findDuplicates(seeds());
    const doc003 = result.documents.find((doc) => doc.id === '003')!;
    expect(doc003.paragraphs).toBe(17);
    expect(doc003.internalRepeats).toEqual(Array.from({ length: 8 }, (_, i) => ({ paragraph: 9 + i, sameAs: 1 + i })));
  });

  it('finds the comment-form lines 000 and 004 share, as boilerplate', async () => {
    const result = await findDuplicates(seeds());
    const shared = result.paragraphs.filter((p) => p.occurrences.some((o) => o.id === '000') && p.occurrences.some((o) => o.id === '004'));
    expect(shared.map((p) => p.text).sort()).toEqual(['اترك تعليقاً', 'زر الذهاب إلى الأعلى']);
    expect(shared.every((p) => p.kind === 'boilerplate')).toBe(true);
    // Offsets quote the original text.
    const text000 = seeds()[0]!.text;
    for (const occurrence of shared.flatMap((p) => p.occurrences.filter((o) => o.id === '000'))) {
      expect(['اترك تعليقاً', 'زر الذهاب إلى الأعلى']).toContain(text000.slice(occurrence.start, occurrence.end));
    }
  });

  it('reports no pair of seed documents as near-duplicates or syndication', async () => {
    const result = await findDuplicates(seeds());
    expect(result.duplicates.pairs).toEqual([]);
    expect(result.duplicates.clusters).toEqual([]);
    expect(result.syndication).toEqual([]);
  });

  it('is deterministic', async () => {
    const first = JSON.stringify(await findDuplicates(seeds()));
    expect(JSON.stringify(await findDuplicates(seeds()))).toBe(first);
  });
});

describe('planted cases', () => {
  const original = seeds()[3]!.text;
  const body = lines(original).slice(0, 9).join('\n');

  it('finds a copy with a few words changed, diacritics, alef variants and punctuation altered at J ≥ 0.8', async () => {
    const edited = body
      .replace('كشف وزير', 'أعلن وزير')
      .replace('قريبة جداً', 'قريبةً جداً')
      .replace('الضامنة', 'الضَّامِنة')
      .replace('إطلاق', 'اطلاق')
      .replace('أمس الاثنين', 'امس الإثنين')
      .replace(/"/g, '«')
      .replace('برعاية روسية أمريكية', 'برعاية روسية-أمريكية')
      .replace('السابعة', 'الثامنة');
    expect(edited).not.toBe(body);
    const result = await findDuplicates([
      { id: 'original', text: body },
      { id: 'edited', text: edited },
      ...seeds().filter((record) => record.id !== '003'),
    ]);
    const pair = result.duplicates.pairs.find((p) => p.a === 'original' && p.b === 'edited');
    expect(pair).toBeDefined();
    expect(pair!.jaccard).toBeGreaterThanOrEqual(0.8);
    expect(pair!.method).toBe('exact');
    // No dates: the longer text (the edit added diacritics) represents the cluster.
    expect(result.duplicates.clusters).toEqual([{ representative: 'edited', members: ['original', 'edited'] }]);
  });

  it('finds the same article inside another outlet’s header and footer by containment, with direction', async () => {
    const header = ['الرئيسية | أخبار | سياسة | اقتصاد | رياضة', 'وكالة الأنباء العربية - خاص', 'آخر تحديث: الثلاثاء 12 يوليو 2017 - 10:45 بتوقيت غرينتش'];
    const footer = [
      'اقرأ أيضاً: أسعار النفط تتراجع مع ارتفاع المخزونات الأمريكية للأسبوع الثالث على التوالي',
      'جميع الحقوق محفوظة لشبكة الأخبار العربية © 2017، يمنع النسخ أو إعادة النشر دون إذن مسبق',
      'تابعونا على فيسبوك وتويتر وانستغرام ويوتيوب للحصول على آخر الأخبار العاجلة',
      'النشرة البريدية: اشترك الآن لتصلك أهم الأخبار يومياً على بريدك الإلكتروني',
    ];
    const wrapped = [...header, body, ...footer].join('\n');
    const result = await findDuplicates([
      { id: 'agency', text: body, date: '2017-07-11' },
      { id: 'outlet', text: wrapped, date: '2017-07-12' },
    ]);
    expect(result.duplicates.pairs).toEqual([]);
    expect(result.syndication).toHaveLength(1);
    const pair = result.syndication[0]!;
    expect(pair).toMatchObject({ a: 'agency', b: 'outlet', origin: 'agency' });
    expect(pair.containment.aInB).toBe(1);
    expect(pair.containment.bInA).toBeLessThan(0.8);
    expect(pair.sharedParagraphs).toBeGreaterThanOrEqual(7);
  });

  it('never collapses many tiny or empty texts into one cluster', async () => {
    const tiny = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, text: String.fromCharCode(0x0627 + (i % 30), 0x0628 + Math.floor(i / 30)) }));
    const result = await findDuplicates([...tiny, { id: 'e1', text: '' }, { id: 'e2', text: '  \n ' }]);
    expect(result.duplicates.clusters).toEqual([]);
    expect(result.stats.emptyDocuments).toBe(2);
  });
});

describe('bad records', () => {
  it('names the record and field', async () => {
    await expect(findDuplicates([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }])).rejects.toThrow(/record 2: duplicate id "a"/);
    await expect(findDuplicates([{ id: 'a', text: 5 as unknown as string }])).rejects.toThrow(/record 1 \(id a\): field "text"/);
    await expect(findDuplicates([{ id: '', text: 'x' }])).rejects.toThrow(SyndicError);
    await expect(findDuplicates([], { threshold: 2 })).rejects.toThrow(/option threshold must be a number from 0.01 to 0.99, got 2/);
  });
});

