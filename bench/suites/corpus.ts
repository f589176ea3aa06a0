/**
 * Benchmark fixtures: the real articles of ../shared/data, the seed pages, documents of fixed
 * sizes cut from them, and a synthetic corpus of any size. Everything is built once per process.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DocumentRecord } from '../../src/index.js';

/** Root of the repository (dist-bench/bench/suites → ../../..). */
export const REPOSITORY = join(import.meta.dirname, '..', '..', '..');
/** The real data set; benchmarks that need it are skipped when it is absent. */
export const DATA_FILE = process.env.SYNDIC_BENCH_DATA ?? join(REPOSITORY, '..', 'shared', 'data', 'saudinewsnet-dev.jsonl.gz');

const SEED_DIRS = [join(REPOSITORY, 'samples'), join(REPOSITORY, '..', 'shared', 'seeds')];

let realCache: DocumentRecord[] | null | undefined;

/** The real articles, or null when the data file is absent. */
export function realRecords(): DocumentRecord[] | null {
  if (realCache !== undefined) return realCache;
  if (!existsSync(DATA_FILE)) return (realCache = null);
  const lines = gunzipSync(readFileSync(DATA_FILE)).toString('utf8').split('\n');
  realCache = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { id: string; text: string; source?: string; date?: string };
    realCache.push({ id: row.id, text: row.text, source: row.source, date: row.date });
  }
  return realCache;
}

/** The seed pages (samples/ or ../shared/seeds), possibly empty. */
export function seedRecords(): DocumentRecord[] {
  for (const dir of SEED_DIRS) {
    if (!existsSync(dir)) continue;
    const names = readdirSync(dir).filter((name) => name.endsWith('.txt')).sort();
    if (names.length > 0) return names.map((name) => ({ id: name, text: readFileSync(join(dir, name), 'utf8') }));
  }
  return [];
}

/** UTF-8 size of texts: throughput is reported in MB (10^6 bytes) of original UTF-8 text. */
export function utf8Bytes(texts: readonly string[]): number {
  let total = 0;
  for (const text of texts) total += Buffer.byteLength(text, 'utf8');
  return total;
}

/** Seeded PRNG (mulberry32) for fixtures. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paragraphs of the material (real data, else seeds): the stuff sized documents are made of. */
export function materialParagraphs(): string[] {
  const records = realRecords() ?? seedRecords();
  const paragraphs: string[] = [];
  for (const record of records) {
    for (const line of record.text.split('\n')) if (line.trim().length > 0) paragraphs.push(line.trim());
  }
  return paragraphs;
}

/** A document of about `sizeBytes` UTF-8 bytes, made of random real paragraphs. */
export function sizedDocument(sizeBytes: number, seed = 1): string {
  const paragraphs = materialParagraphs();
  const random = seededRandom(seed);
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < sizeBytes) {
    let paragraph = paragraphs[Math.floor(random() * paragraphs.length)]!;
    const room = sizeBytes - bytes;
    if (Buffer.byteLength(paragraph) > room) paragraph = paragraph.slice(0, Math.max(1, Math.floor(room / 2)));
    parts.push(paragraph);
    bytes += Buffer.byteLength(paragraph) + 2;
  }
  return parts.join('\n\n');
}

interface Generator {
  generateCorpus(options: { documents: number; seed?: number }): { records: DocumentRecord[] };
}

/**
 * A synthetic corpus of `documents` records: bench/corpus's generator (planted copies of every
 * kind) when it is there, else real articles whose paragraphs are recombined and word-edited by a
 * seeded PRNG, a third of them copies of a recent document with a header and footer added.
 */
export async function syntheticCorpus(documents: number, seed = 1): Promise<{ records: DocumentRecord[]; generator: string }> {
  const generatorPath = '../corpus/generate.js';
  const generator = (await import(generatorPath).catch(() => null)) as Generator | null;
  if (generator && realRecords()) {
    try {
      return { records: generator.generateCorpus({ documents, seed }).records, generator: 'bench/corpus/generate' };
    } catch {
      // Fall through to the recombination below.
    }
  }
  const paragraphs = materialParagraphs();
  const words = paragraphs.slice(0, 2000).join(' ').split(' ').filter((word) => word.length > 1);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const records: DocumentRecord[] = [];
  for (let i = 0; i < documents; i++) {
    const id = `syn-${String(i).padStart(6, '0')}`;
    if (records.length > 0 && random() < 0.33) {
      const original = records[records.length - 1 - Math.floor(random() * Math.min(records.length, 500))]!;
      records.push({ id, text: `${pick(words)} ${pick(words)}\n${original.text}\n${pick(words)} ${pick(words)} ${pick(words)}` });
      continue;
    }
    const count = 2 + Math.floor(random() * 7);
    const parts: string[] = [];
    for (let p = 0; p < count; p++) {
      // Replace half the words so that recombined paragraphs do not all match each other.
      parts.push(pick(paragraphs).split(' ').map((word) => (random() < 0.5 ? pick(words) : word)).join(' '));
    }
    records.push({ id, text: parts.join('\n\n') });
  }
  return { records, generator: 'recombined real paragraphs (bench/suites/corpus.ts)' };
}
