/**
 * The normalization rules (one switch each) and the fold table built from them: each code point
 * is folded once per option set (NFKC, case fold, Arabic folding, digits, punctuation, controls,
 * whitespace) and cached, so the fold loop in normalize.ts reads one table slot per character.
 */

/** Switches for each normalization rule; every rule can be turned off on its own. */
export interface NormalizeOptions {
  /** Unicode NFKC compatibility normalization. */
  nfkc: boolean;
  /** Lower-case (Unicode simple case folding via `toLowerCase`). */
  caseFold: boolean;
  /** Collapse runs of whitespace to one space and trim the ends. */
  whitespace: boolean;
  /**
   * Arabic folding: strip tashkeel, Quranic marks and tatweel; alef variants → ا, ى → ي,
   * ة → ه, ؤ → و, ئ → ي, Persian yeh/keheh → ي/ك.
   */
  arabic: boolean;
  /** Arabic-Indic and Persian digits → ASCII digits. */
  digits: boolean;
  /** Quote, dash and Arabic punctuation variants → one ASCII form each. */
  punctuation: boolean;
  /** Remove bidi, zero-width and other invisible format controls. */
  controls: boolean;
}

/** Default normalization: every rule on. */
export const DEFAULT_NORMALIZE: Readonly<NormalizeOptions> = Object.freeze({
  nfkc: true,
  caseFold: true,
  whitespace: true,
  arabic: true,
  digits: true,
  punctuation: true,
  controls: true,
});

/** Resolve a partial option set field by field against {@link DEFAULT_NORMALIZE}. */
export function resolveNormalizeOptions(options: Partial<NormalizeOptions> = {}): NormalizeOptions {
  return {
    nfkc: options.nfkc ?? DEFAULT_NORMALIZE.nfkc,
    caseFold: options.caseFold ?? DEFAULT_NORMALIZE.caseFold,
    whitespace: options.whitespace ?? DEFAULT_NORMALIZE.whitespace,
    arabic: options.arabic ?? DEFAULT_NORMALIZE.arabic,
    digits: options.digits ?? DEFAULT_NORMALIZE.digits,
    punctuation: options.punctuation ?? DEFAULT_NORMALIZE.punctuation,
    controls: options.controls ?? DEFAULT_NORMALIZE.controls,
  };
}

const ARABIC_MARK_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0610, 0x061a], // Quranic annotation signs
  [0x064b, 0x065f], // tashkeel (harakat, tanwin, shadda, sukun, ...)
  [0x0670, 0x0670], // superscript alef
  [0x06d6, 0x06dc], // Quranic small high ligatures
  [0x06df, 0x06e4],
  [0x06e7, 0x06e8],
  [0x06ea, 0x06ed],
  [0x08d3, 0x08ff], // extended Arabic marks
];
const TATWEEL = 0x0640;

const ARABIC_LETTER_FOLDS: ReadonlyArray<readonly [number, string]> = [
  [0x0622, 'ا'], // آ
  [0x0623, 'ا'], // أ
  [0x0625, 'ا'], // إ
  [0x0671, 'ا'], // ٱ
  [0x0672, 'ا'],
  [0x0673, 'ا'],
  [0x0649, 'ي'], // ى
  [0x06cc, 'ي'], // Persian yeh
  [0x0626, 'ي'], // ئ
  [0x0629, 'ه'], // ة
  [0x0624, 'و'], // ؤ
  [0x06a9, 'ك'], // Persian keheh
];

const CONTROL_CODE_POINTS: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad], // soft hyphen
  [0x061c, 0x061c], // Arabic letter mark
  [0x180e, 0x180e],
  [0x200b, 0x200f], // zero-width space/joiners, LRM, RLM
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x2064],
  [0x2066, 0x2069], // bidi isolates
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
];

const PUNCTUATION_FOLDS: ReadonlyArray<readonly [string, string]> = [
  ['“”„‟«»″〝〞＂', '"'],
  ['‘’‚‛′`´＇', "'"],
  ['‐‑‒–—―−﹘﹣－', '-'],
  ['،', ','],
  ['؛', ';'],
  ['؟', '?'],
  ['٪', '%'],
  ['٫', '.'],
  ['٬', ','],
];

function inRanges(codePoint: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [low, high] of ranges) if (codePoint >= low && codePoint <= high) return true;
  return false;
}

const COMBINING_MARK = /^\p{M}$/u;
const WHITESPACE = /^\s$/u;

/**
 * Codes in {@link FoldTable.codes}: 0 = not computed yet, then these, else output unit + UNIT_BASE.
 * Ordered so that one compare (`code < CODE_DROP`) sends every unit the fast path cannot fold
 * on its own to the slow path.
 */
const CODE_MULTI = 1;
const CODE_SURROGATE = 2;
/** A combining mark that survives folding: the hot loop refolds it together with its base. */
export const CODE_MARK = 3;
/** A unit folded to nothing (the lowest code the plain loop folds on its own). */
export const CODE_DROP = 4;
/** A unit folded to a space (collapsed with its neighbours when `whitespace` is on). */
export const CODE_SPACE = 5;
/** Codes from here are one output unit: `code − UNIT_BASE`. */
export const UNIT_BASE = 16;

/**
 * Per-option-set folding table: code point → folded output, computed once per code point. Single-unit
 * results (nearly all) are stored as a number so the hot loop reads one typed-array slot per char.
 * Internal.
 */
export class FoldTable {
  readonly codes = new Uint32Array(0x10000);
  private readonly multi = new Map<number, string>();
  /** Per BMP unit: 0 unknown, 2 kept combining mark, 3 not (read inline by the hot loop). */
  readonly marks = new Uint8Array(0x10000).fill(3, 0, 0x300);
  private readonly letterFolds = new Map<number, string>(ARABIC_LETTER_FOLDS);
  private readonly punctuationFolds = new Map<number, string>();

  constructor(readonly options: NormalizeOptions) {
    for (const [chars, target] of PUNCTUATION_FOLDS) {
      for (const ch of chars) this.punctuationFolds.set(ch.codePointAt(0)!, target);
    }
  }

  /** Folded output of a BMP code unit as a code (see CODE_*), computing it on first use. */
  code(unit: number): number {
    const code = this.codes[unit]!;
    return code !== 0 ? code : this.learn(unit);
  }

  /** Folded output of any code point as a string. */
  foldToString(codePoint: number): string {
    if (codePoint < 0x10000) {
      const code = this.code(codePoint);
      if (code === CODE_DROP) return '';
      if (code === CODE_SPACE) return ' ';
      if (code === CODE_MULTI || code === CODE_MARK) return this.multi.get(codePoint)!;
      if (code === CODE_SURROGATE) return String.fromCharCode(codePoint);
      return String.fromCharCode(code - UNIT_BASE);
    }
    let folded = this.multi.get(codePoint);
    if (folded === undefined) this.multi.set(codePoint, (folded = this.compute(String.fromCodePoint(codePoint))));
    return folded;
  }

  /** True for a combining mark that survives folding (it must join its base for NFKC). */
  isKeptCombiningMark(codePoint: number): boolean {
    if (codePoint < 0x300) return false;
    if (codePoint < 0x10000) {
      let state = this.marks[codePoint]!;
      if (state === 0) this.marks[codePoint] = state = this.classifyMark(codePoint) ? 2 : 3;
      return state === 2;
    }
    return this.classifyMark(codePoint);
  }

  /** Fold a base character with its combining marks as one unit. */
  foldSequence(sequence: string): string {
    return this.compute(sequence);
  }

  private classifyMark(codePoint: number): boolean {
    const stripped = this.options.arabic && isArabicMark(codePoint);
    return !stripped && COMBINING_MARK.test(String.fromCodePoint(codePoint));
  }

  private learn(unit: number): number {
    let code: number;
    if (unit >= 0xd800 && unit <= 0xdfff) {
      code = CODE_SURROGATE; // the caller folds surrogates as whole code points
    } else if (this.isKeptCombiningMark(unit)) {
      this.multi.set(unit, this.compute(String.fromCharCode(unit)));
      code = CODE_MARK;
    } else {
      const folded = this.compute(String.fromCharCode(unit));
      if (folded === '') code = CODE_DROP;
      else if (folded === ' ') code = CODE_SPACE;
      else if (folded.length === 1) code = UNIT_BASE + folded.charCodeAt(0);
      else {
        this.multi.set(unit, folded);
        code = CODE_MULTI;
      }
    }
    this.codes[unit] = code;
    return code;
  }

  private compute(source: string): string {
    const options = this.options;
    let text = source;
    if (options.controls) {
      let kept = '';
      for (const ch of text) if (!inRanges(ch.codePointAt(0)!, CONTROL_CODE_POINTS)) kept += ch;
      text = kept;
    }
    if (options.nfkc) text = text.normalize('NFKC');
    if (options.caseFold) text = text.toLowerCase();
    let out = '';
    for (const ch of text) out += this.foldAfterNfkc(ch.codePointAt(0)!);
    return out;
  }

  private foldAfterNfkc(codePoint: number): string {
    const options = this.options;
    if (options.whitespace && WHITESPACE.test(String.fromCodePoint(codePoint))) return ' ';
    if (options.controls && inRanges(codePoint, CONTROL_CODE_POINTS)) return '';
    if (options.arabic) {
      if (codePoint === TATWEEL || isArabicMark(codePoint)) return '';
      const letter = this.letterFolds.get(codePoint);
      if (letter !== undefined) return letter;
    }
    if (options.digits) {
      if (codePoint >= 0x0660 && codePoint <= 0x0669) return String.fromCharCode(48 + codePoint - 0x0660);
      if (codePoint >= 0x06f0 && codePoint <= 0x06f9) return String.fromCharCode(48 + codePoint - 0x06f0);
    }
    if (options.punctuation) {
      const punctuation = this.punctuationFolds.get(codePoint);
      if (punctuation !== undefined) return punctuation;
    }
    return String.fromCodePoint(codePoint);
  }
}

function isArabicMark(codePoint: number): boolean {
  return codePoint >= 0x0610 && codePoint <= 0x08ff && inRanges(codePoint, ARABIC_MARK_RANGES);
}

const tables = new Map<string, FoldTable>();

/** The fold table of an option set, shared by every normalizer of it. Internal. */
export function foldTableFor(options: NormalizeOptions): FoldTable {
  const key = `${+options.nfkc}${+options.caseFold}${+options.whitespace}${+options.arabic}${+options.digits}${+options.punctuation}${+options.controls}`;
  let table = tables.get(key);
  if (!table) tables.set(key, (table = new FoldTable(options)));
  return table;
}
