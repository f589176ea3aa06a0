/**
 * Deterministic synthetic corpus with planted copies, built from real Arabic news (../shared/data
 * and the seed pages). The same options always give byte-identical records and truth.
 *
 * Originals are real articles (re-cut into paragraphs when they have fewer than three) and, once
 * those run out, remixes of them (paragraphs shuffled, 60% of words replaced) so any size up to
 * 100k+ documents can be built. Every other document is a planted copy of one original.
 */
import type { DocumentRecord } from '../../src/index.js';
import { loadBaseMaterial, type BaseArticle, type BaseMaterial } from './base.js';
import { addDiacritics, editWords, truncate, varyAlef, varyDigits, varyPunctuation } from './edits.js';
import { createRandom, type Random } from './random.js';

/** Kinds of planted copy. */
export const PLANTED_KINDS = [
  'exact',
  'light-edit',
  'diacritics',
  'alef',
  'digits',
  'punctuation',
  'wrapped',
  'truncated',
  'paragraph-dropped',
  'paragraph-added',
  'paragraph-reordered',
  'excerpt',
  'same-topic',
] as const;

/** Kind of a planted copy. */
export type PlantedKind = (typeof PLANTED_KINDS)[number];

/** One planted relation: `copy` was made from `original` by `kind`. */
export interface PlantedPair {
  original: string;
  copy: string;
  kind: PlantedKind;
}

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  /** Number of records. */
  documents: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Share of records that are planted copies (default 0.4). */
  copyShare?: number;
  /** Relative weight of each kind (default: equal). A kind with weight 0 is never planted. */
  kindWeights?: Partial<Record<PlantedKind, number>>;
  /** Base material (default: {@link loadBaseMaterial}). */
  material?: BaseMaterial;
}

/** A generated corpus: records in publication order, and what was planted. */
export interface Corpus {
  records: DocumentRecord[];
  planted: PlantedPair[];
}

const OUTLETS = ['aawsat', 'aleqtisadiya', 'aljazirah', 'almadina', 'alriyadh', 'alwatan', 'alweeam', 'alyaum', 'arreyadi', 'okaz', 'sabq'];
const EPOCH_MS = Date.UTC(2024, 0, 1);
const RECENT_ORIGINALS = 500;

interface Original {
  id: string;
  source: string;
  title: string;
  paragraphs: string[];
  /** Outlets that carry it (its own and its copies'). */
  outlets: Set<string>;
}

/** Per-outlet page chrome: fixed header and footer lines, as a site's template would print them. */
interface Wrapper {
  header: string[];
  footer: string[];
}

function buildWrappers(material: BaseMaterial, random: Random): Map<string, Wrapper> {
  const wrappers = new Map<string, Wrapper>();
  const chrome = material.chromeLines.length > 0 ? material.chromeLines : ['أخر الأخبار', 'تابعونا على', 'جميع الحقوق محفوظة'];
  for (const outlet of OUTLETS) {
    wrappers.set(outlet, {
      header: [`${outlet} - ${random.pick(chrome)}`, random.pick(chrome), 'أخر الأخبار'],
      footer: [`جميع الحقوق محفوظة © ${outlet} ${random.between(2010, 2024)}`, random.pick(chrome), `تابعونا على تويتر @${outlet}`],
    });
  }
  return wrappers;
}

/**
 * Build a corpus of `documents` records with planted copies of every kind and the list of what
 * was planted. Records carry id, source (outlet), date (originals before their copies) and text.
 */
export function generateCorpus(options: CorpusOptions): Corpus {
  const { documents } = options;
  if (!Number.isInteger(documents) || documents < 1) throw new Error(`generateCorpus: documents must be a positive integer, got ${documents}`);
  const random = createRandom(options.seed ?? 1);
  const material = options.material ?? loadBaseMaterial();
  const copyShare = options.copyShare ?? 0.4;
  const weights = PLANTED_KINDS.map((kind) => options.kindWeights?.[kind] ?? 1);
  const vocabulary = material.vocabulary;
  const pool = random.shuffle(material.articles.map((_, i) => i));
  const wrappers = buildWrappers(material, random);

  const records: DocumentRecord[] = [];
  const planted: PlantedPair[] = [];
  const originals: Original[] = [];
  let poolNext = 0;

  const freshParagraphs = (): { article: BaseArticle; paragraphs: string[] } => {
    const article = material.articles[pool[poolNext++ % pool.length]!]!;
    if (poolNext <= pool.length) return { article, paragraphs: article.paragraphs };
    // Past the end of the real pool: a remix that shares little with its base article.
    return { article, paragraphs: editWords(random.shuffle([...article.paragraphs]), 0.6, random, vocabulary) };
  };
  const otherArticle = (): BaseArticle => random.pick(material.articles);
  const headlines = (count: number): string => Array.from({ length: count }, () => otherArticle().title).join(' | ');

  for (let i = 0; i < documents; i++) {
    const id = `syn-${String(i).padStart(6, '0')}`;
    const date = new Date(EPOCH_MS + i * 60_000).toISOString();
    if (originals.length === 0 || !random.chance(copyShare)) {
      const { article, paragraphs } = freshParagraphs();
      const source = OUTLETS.includes(article.source) ? article.source : random.pick(OUTLETS);
      originals.push({ id, source, title: article.title, paragraphs, outlets: new Set([source]) });
      records.push({ id, source, date, text: paragraphs.join('\n\n') });
      continue;
    }
    const kind = PLANTED_KINDS[random.weighted(weights)]!;
    // News is copied while it is fresh: the original is one of the latest RECENT_ORIGINALS.
    const pickOriginal = (): Original => originals[originals.length - 1 - random.int(Math.min(originals.length, RECENT_ORIGINALS))]!;
    let original = pickOriginal();
    if (kind === 'digits') {
      for (let attempt = 0; attempt < 10 && !/[0-9]/.test(original.paragraphs.join(' ')); attempt++) original = pickOriginal();
    }
    // An outlet republishes a story once: copies of one original go to outlets that have not carried it.
    const fresh = OUTLETS.filter((outlet) => !original.outlets.has(outlet));
    const source = random.pick(fresh.length > 0 ? fresh : OUTLETS.filter((outlet) => outlet !== original.source));
    original.outlets.add(source);
    const from = original.paragraphs;
    let paragraphs: string[];
    switch (kind) {
      case 'exact':
        paragraphs = [...from];
        break;
      case 'light-edit':
        paragraphs = editWords(from, 0.02 + random.float() * 0.04, random, vocabulary);
        break;
      case 'diacritics':
        paragraphs = addDiacritics(from, random);
        break;
      case 'alef':
        paragraphs = varyAlef(from, random);
        break;
      case 'digits':
        paragraphs = varyDigits(from, random);
        break;
      case 'punctuation':
        paragraphs = varyPunctuation(from, random);
        break;
      case 'wrapped': {
        const wrapper = wrappers.get(source)!;
        const related = Array.from({ length: random.between(2, 4) }, () => `إقرأ أيضاً: ${otherArticle().title}`);
        paragraphs = [...wrapper.header, headlines(random.between(3, 6)), original.title, ...from, ...related, ...wrapper.footer];
        break;
      }
      case 'truncated':
        paragraphs = truncate(from, 0.4 + random.float() * 0.4, random);
        break;
      case 'paragraph-dropped': {
        paragraphs = [...from];
        if (paragraphs.length > 1) paragraphs.splice(random.int(paragraphs.length), 1);
        break;
      }
      case 'paragraph-added': {
        paragraphs = [...from];
        const added = freshParagraphs().paragraphs;
        paragraphs.splice(random.int(paragraphs.length + 1), 0, random.pick(added));
        break;
      }
      case 'paragraph-reordered': {
        paragraphs = [...from];
        if (paragraphs.length > 1) {
          const a = random.int(paragraphs.length);
          const b = (a + 1 + random.int(paragraphs.length - 1)) % paragraphs.length;
          [paragraphs[a], paragraphs[b]] = [paragraphs[b]!, paragraphs[a]!];
        }
        break;
      }
      case 'excerpt': {
        // A few paragraphs (at most 40% of the original) quoted inside a longer article of its own.
        const quoted = Math.max(1, Math.min(3, Math.floor(from.length * 0.4)));
        const start = random.int(Math.max(1, from.length - quoted + 1));
        const host = freshParagraphs().paragraphs;
        const body = [...host, ...freshParagraphs().paragraphs];
        const at = random.int(body.length + 1);
        paragraphs = [...body.slice(0, at), ...from.slice(start, start + quoted), ...body.slice(at)];
        break;
      }
      case 'same-topic':
        // Same story told in other words: half the words replaced, paragraphs shuffled.
        paragraphs = editWords(random.shuffle([...from]), 0.5, random, vocabulary);
        break;
    }
    records.push({ id, source, date, text: paragraphs.join('\n\n') });
    planted.push({ original: original.id, copy: id, kind });
  }
  return { records, planted };
}
