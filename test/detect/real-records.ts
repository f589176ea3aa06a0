/** The real data set's records (../shared/data), or null when the data set is absent. */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DocumentRecord } from '../../src/index.js';

const DATA = new URL('../../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url);

export function loadRealRecords(): DocumentRecord[] | null {
  if (!existsSync(DATA)) return null;
  return gunzipSync(readFileSync(DATA))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DocumentRecord);
}
