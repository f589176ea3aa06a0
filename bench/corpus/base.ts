/**
 * Base material of the synthetic corpus: the real articles of ../shared/data and the seed pages,
 * read in place (never copied into the repository).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DocumentRecord } from '../../src/index.js';

/** One real article: its outlet, title and paragraphs. */
export interface BaseArticle {
  id: string;
  source: string;
  title: string;
  paragraphs: string[];
}

/** Real material: articles, short chrome lines of real pages, and a word list. */
export interface BaseMaterial {
  articles: BaseArticle[];
  /** Short lines from the seed pages (navigation, tickers, captions): wrapper material. */
  chromeLines: string[];
  /** Distinct words of the articles, in first-seen order. */
  vocabulary: string[];
}

/** The repository root: the nearest folder above this module holding package.json. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('syndic eval: cannot find the repository root');
    dir = parent;
  }
  return dir;
}

/** Default location of the shared real data set (outside the repository). */
export function defaultDataFile(): string {
  return process.env.SYNDIC_EVAL_DATA ?? join(repositoryRoot(), '..', 'shared', 'data', 'saudinewsnet-dev.jsonl.gz');
}

/** Default location of the seed pages. */
export function defaultSeedsDir(): string {
  return process.env.SYNDIC_EVAL_SEEDS ?? join(repositoryRoot(), '..', 'shared', 'seeds');
}

/** Read the real data set as records (id, source, date, url, title, text). */
export function loadRealRecords(file = defaultDataFile()): DocumentRecord[] {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const records: DocumentRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as Record<string, string>;
    records.push({ id: row.id!, text: row.text!, source: row.source!, date: row.date!, title: row.title! });
  }
  return records;
}

const SENTENCE_END = /(?<=[.!?؟])\s+/u;

/** Paragraphs of a text; a text with fewer than three is re-cut into paragraphs of 1–3 sentences. */
function toParagraphs(text: string, sentencesPerParagraph: (index: number) => number): string[] {
  const lines = text.split(/\n+/).map((line) => line.replace(/\s+/g, ' ').trim()).filter((line) => line.length > 0);
  if (lines.length >= 3) return lines;
  const sentences = lines.join(' ').split(SENTENCE_END).filter((s) => s.length > 0);
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const take = sentencesPerParagraph(paragraphs.length);
    paragraphs.push(sentences.slice(i, i + take).join(' '));
    i += take;
  }
  return paragraphs;
}

let cached: { key: string; material: BaseMaterial } | undefined;

/** Load (once per process) the real articles, seed pages and vocabulary. */
export function loadBaseMaterial(dataFile = defaultDataFile(), seedsDir = defaultSeedsDir()): BaseMaterial {
  const key = `${dataFile}\n${seedsDir}`;
  if (cached?.key === key) return cached.material;
  // Paragraph lengths cycle 1, 2, 3 sentences so the layout does not depend on any random state.
  const cut = (index: number): number => 1 + (index % 3);
  const articles: BaseArticle[] = [];
  const chromeLines: string[] = [];
  for (const name of readdirSync(seedsDir).sort()) {
    const lines = readFileSync(join(seedsDir, name), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    const long = lines.filter((line) => line.length >= 80 && line.length <= 1000);
    for (const line of lines) if (line.length >= 8 && line.length < 80) chromeLines.push(line);
    if (long.length > 0) articles.push({ id: `seed/${name}`, source: 'seed', title: lines[0]!.slice(0, 120), paragraphs: long });
  }
  for (const record of loadRealRecords(dataFile)) {
    const paragraphs = toParagraphs(record.text, cut);
    if (paragraphs.length > 0) articles.push({ id: record.id, source: record.source ?? '', title: record.title ?? '', paragraphs });
  }
  const seen = new Set<string>();
  const vocabulary: string[] = [];
  for (const article of articles) {
    for (const paragraph of article.paragraphs) {
      for (const word of paragraph.split(' ')) {
        if (word.length >= 3 && !seen.has(word)) seen.add(word), vocabulary.push(word);
      }
    }
  }
  const material = { articles, chromeLines: [...new Set(chromeLines)], vocabulary };
  cached = { key, material };
  return material;
}
