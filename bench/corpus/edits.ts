/**
 * Text edits that plant one kind of copy each. Every edit takes paragraphs and a seeded
 * {@link Random} and returns new paragraphs; none touches its input.
 */
import type { Random } from './random.js';

/** Replace, delete or insert words at `rate` (share of words touched, at least one per paragraph). */
export function editWords(paragraphs: readonly string[], rate: number, random: Random, vocabulary: readonly string[]): string[] {
  return paragraphs.map((paragraph) => {
    const words = paragraph.split(' ');
    const edits = Math.max(1, Math.round(words.length * rate));
    for (let e = 0; e < edits; e++) {
      const at = random.int(words.length);
      const op = random.float();
      if (op < 0.6 || words.length < 4) words[at] = random.pick(vocabulary);
      else if (op < 0.8) words.splice(at, 1);
      else words.splice(at, 0, random.pick(vocabulary));
    }
    return words.join(' ');
  });
}

/** Map every character through `change` (which may return several characters or none). */
function mapCharacters(paragraphs: readonly string[], change: (ch: string, before: string, after: string) => string): string[] {
  return paragraphs.map((paragraph) => {
    const chars = [...paragraph];
    let out = '';
    for (let i = 0; i < chars.length; i++) out += change(chars[i]!, chars[i - 1] ?? ' ', chars[i + 1] ?? ' ');
    return out;
  });
}

const isArabicLetter = (ch: string): boolean => ch >= '\u0621' && ch <= '\u064a' && ch !== '\u0640';
const HARAKAT = ['\u064b', '\u064c', '\u064d', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652'];

/** Tashkeel on about a third of the Arabic letters, and an occasional tatweel. */
export function addDiacritics(paragraphs: readonly string[], random: Random): string[] {
  return mapCharacters(paragraphs, (ch, _before, after) => {
    if (!isArabicLetter(ch)) return ch;
    let out = ch;
    if (isArabicLetter(after) && random.chance(0.03)) out += '\u0640';
    if (random.chance(0.33)) out += random.pick(HARAKAT);
    return out;
  });
}

/** Hamza and madda on word-initial alef, ى/ي and ة/ه swapped at word ends, Persian yeh here and there. */
export function varyAlef(paragraphs: readonly string[], random: Random): string[] {
  return mapCharacters(paragraphs, (ch, before, after) => {
    const wordStart = !isArabicLetter(before);
    const wordEnd = !isArabicLetter(after);
    if (ch === 'ا' && wordStart && random.chance(0.7)) return random.pick(['أ', 'إ', 'آ']);
    if (ch === 'ي' && wordEnd && random.chance(0.5)) return random.pick(['ى', 'ی']);
    if (ch === 'ى' && random.chance(0.5)) return 'ي';
    if (ch === 'ة' && random.chance(0.5)) return 'ه';
    if (ch === 'ه' && wordEnd && random.chance(0.3)) return 'ة';
    return ch;
  });
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

/** ASCII digits written as Arabic-Indic (or Persian) digits, and the reverse. */
export function varyDigits(paragraphs: readonly string[], random: Random): string[] {
  const digits = random.chance(0.8) ? ARABIC_INDIC : PERSIAN;
  return mapCharacters(paragraphs, (ch) => {
    if (ch >= '0' && ch <= '9') return digits[ch.charCodeAt(0) - 48]!;
    const indic = ARABIC_INDIC.indexOf(ch);
    return indic >= 0 ? String(indic) : ch;
  });
}

/** Arabic comma/semicolon/question mark, guillemets or curly quotes, dash variants, doubled spaces. */
export function varyPunctuation(paragraphs: readonly string[], random: Random): string[] {
  const [open, close] = random.pick([['«', '»'], ['“', '”'], ['"', '"']] as const);
  let quoteOpen = true;
  return mapCharacters(paragraphs, (ch) => {
    switch (ch) {
      case ',':
        return '،';
      case '،':
        return random.chance(0.5) ? ',' : ch;
      case ';':
        return '؛';
      case '?':
        return '؟';
      case '"':
      case '“':
      case '”':
      case '«':
      case '»':
        quoteOpen = !quoteOpen;
        return quoteOpen ? close : open;
      case '-':
        return random.pick(['–', '—', '-']);
      case ' ':
        return random.chance(0.05) ? '  ' : random.chance(0.02) ? '\u00a0' : ch;
      default:
        return ch;
    }
  });
}

/** First `share` of the text, cut at a paragraph end or (half the time) at a sentence end inside one. */
export function truncate(paragraphs: readonly string[], share: number, random: Random): string[] {
  const total = paragraphs.reduce((sum, p) => sum + p.length, 0);
  const target = total * share;
  const out: string[] = [];
  let length = 0;
  for (const paragraph of paragraphs) {
    if (length + paragraph.length <= target || out.length === 0) {
      out.push(paragraph);
      length += paragraph.length;
      continue;
    }
    if (random.chance(0.5)) {
      const sentences = paragraph.split(/(?<=[.!?؟])\s+/u);
      let kept = '';
      for (const sentence of sentences) {
        if (length + kept.length + sentence.length > target) break;
        kept = kept ? `${kept} ${sentence}` : sentence;
      }
      if (kept) out.push(kept);
    }
    break;
  }
  return out;
}
