/**
 * Test corpora for the filter: a seeded synthetic generator (no data files needed) and the real
 * data set when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type DocumentRecord } from '../../src/index.js';
import { splitMix32 } from '../../src/sketch/hash.js';

/** The real data set (absent in some checkouts: tests using it skip). */
export const REAL_DATA = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url).pathname;

/** A record as the tests use it. */
export interface TestRecord {
  id: string;
  text: string;
}

/** Records of the real data set with every field, or null when it is absent. */
export function loadRealRecords(): DocumentRecord[] | null {
  if (!existsSync(REAL_DATA)) return null;
  return gunzipSync(readFileSync(REAL_DATA))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DocumentRecord);
}

/** Records of the real data set (id and text only), or null when it is absent. */
export function loadRealData(): TestRecord[] | null {
  return loadRealRecords()?.map(({ id, text }) => ({ id, text })) ?? null;
}

const LETTERS = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';

/** Seeded generator of Arabic-letter pseudo-articles (4 paragraphs of 45 words). */
export function syntheticArticles(count: number, seed: number): TestRecord[] {
  const random = splitMix32(seed);
  const word = (): string => {
    const length = 3 + (random() % 5);
    let out = '';
    for (let i = 0; i < length; i++) out += LETTERS[random() % LETTERS.length];
    return out;
  };
  return Array.from({ length: count }, (_, i) => ({
    id: `s${seed}-${i}`,
    text: Array.from({ length: 4 }, () => Array.from({ length: 45 }, word).join(' ')).join('\n'),
  }));
}

/** A near-duplicate: `edits` words replaced (seeded). */
export function editWords(text: string, edits: number, seed: number): string {
  const random = splitMix32(seed);
  const words = text.split(' ');
  for (let e = 0; e < edits; e++) words[random() % words.length] = `تعديل${e}`;
  return words.join(' ');
}
