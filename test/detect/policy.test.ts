/**
 * The one definition of a copy: tiny cases written out by hand, and the documents it must find
 * (a statement quoted whole in a long round-up, a story re-split into other paragraphs, a copy
 * edited throughout), which document LSH alone cannot.
 */
import { describe, expect, it } from 'vitest';
import { categorize, findDuplicates, resolveOptions, type PairMeasures } from '../../src/index.js';
import { originOf, relationOf } from '../../src/detect/policy.js';
import { syntheticArticles } from '../filter/corpus.js';

const options = resolveOptions();
const measures = (jaccard: number, aInB: number, bInA: number, aContent = 1000, bContent = 1000): PairMeasures => ({
  jaccard,
  aInB,
  bInA,
  aContent,
  bContent,
  jaccardMethod: 'exact',
  containmentMethod: 'exact',
});

describe('categorize', () => {
  it('near-duplicate at the Jaccard threshold, whatever the containments', () => {
    expect(categorize(measures(0.8, 0.9, 0.9), options)).toBe('duplicate');
    expect(categorize(measures(0.79, 0.85, 0.9), options)).toBe('syndicated');
  });
  it('syndicated when the smaller document lies inside the other, either way round', () => {
    expect(categorize(measures(0.1, 0.1, 0.8, 5000, 500), options)).toBe('syndicated');
    expect(categorize(measures(0.1, 0.8, 0.1, 500, 5000), options)).toBe('syndicated');
    expect(categorize(measures(0.1, 0.79, 0.1, 500, 5000), options)).toBe('unrelated');
  });
  it('never calls a few words a copy: the smaller content needs minParagraphChars', () => {
    const floor = options.minParagraphChars - options.shingleSize + 1;
    expect(categorize(measures(0.01, 1, 0.01, floor - 1, 5000), options)).toBe('unrelated');
    expect(categorize(measures(0.01, 1, 0.01, floor, 5000), options)).toBe('syndicated');
  });
});

describe('relation and origin', () => {
  it('a copy lies inside its origin; a copy that holds the origin inside new material contains it', () => {
    expect(relationOf('syndicated', 0.95, 0.3, options)).toBe('copy');
    expect(relationOf('syndicated', 0.3, 0.95, options)).toBe('contains');
    expect(relationOf('duplicate', 0.3, 0.95, options)).toBe('duplicate');
  });
  it('the origin is the earlier date, else the earlier in input order', () => {
    const dates = ['2015-07-22', '2015-07-21', undefined];
    expect(originOf((d) => dates[d], 0, 1)).toBe(1);
    expect(originOf((d) => dates[d], 0, 2)).toBe(0);
    expect(originOf(() => '2015-07-21', 1, 0)).toBe(0);
  });
});

describe('syndicated copies that document LSH cannot find', () => {
  const [a, b, c, d] = syntheticArticles(4, 3).map((record) => record.text);
  const paragraphsOf = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
  const statement = paragraphsOf(a!)[0]!;

  it('a short statement quoted whole inside a long round-up', async () => {
    const roundUp = [...paragraphsOf(b!), statement, ...paragraphsOf(c!), ...paragraphsOf(d!)].join('\n');
    const result = await findDuplicates([
      { id: 'statement', text: statement, date: '2015-07-21' },
      { id: 'round-up', text: roundUp, date: '2015-07-22' },
    ]);
    expect(result.syndication).toMatchObject([{ a: 'statement', b: 'round-up', origin: 'statement', containment: { aInB: 1 } }]);
    expect(result.syndication[0]!.jaccard).toBeLessThan(0.3);
  });

  it('a story re-split into other paragraphs, under another outlet header', async () => {
    const words = paragraphsOf(a!).join(' ').split(' ');
    const resplit = ['header of another outlet with its own words', ...Array.from({ length: Math.ceil(words.length / 17) }, (_, i) => words.slice(17 * i, 17 * i + 17).join(' '))].join('\n');
    const result = await findDuplicates([
      { id: 'story', text: a! },
      { id: 'resplit', text: resplit },
    ]);
    expect(result.duplicates.pairs.length + result.syndication.length).toBe(1);
    const pair = result.syndication[0] ?? result.duplicates.pairs[0]!;
    expect(Math.max(pair.containment.aInB, pair.containment.bInA)).toBeGreaterThanOrEqual(0.8);
  });

  it('a copy edited throughout (a word changed in every sentence) inside a longer article', async () => {
    const edited = paragraphsOf(a!)
      .map((paragraph) => paragraph.split(' ').map((word, i) => (i % 12 === 5 ? 'كلمة' : word)).join(' '))
      .join('\n');
    const longer = [edited, ...paragraphsOf(b!)].join('\n');
    const result = await findDuplicates([
      { id: 'agency', text: a! },
      { id: 'outlet', text: longer },
    ]);
    expect(result.syndication.map((pair) => [pair.a, pair.b])).toEqual([['agency', 'outlet']]);
    expect(result.syndication[0]!.containment.aInB).toBeGreaterThanOrEqual(0.8);
  });
});
