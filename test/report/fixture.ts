/**
 * Report fixtures: a small synthetic corpus with one syndication pair, one near-duplicate pair
 * and hostile strings, and the seed corpus (samples/, or the shared seeds plus a wrapped copy of
 * seed 003's body) for the browser test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DocumentRecord } from '../../src/index.js';

const ARABIC = ['وزير', 'الخارجية', 'موسكو', 'مؤتمر', 'صحفي', 'المعارضة', 'سوريا', 'الحكومة', 'اتفاق', 'المنطقة', 'الأمم', 'المتحدة', 'جنيف', 'الوفد', 'الدستور', 'العملية'];
const LATIN = ['Reuters', 'UN', 'Geneva', 'AFP', '2017', 'de Mistura'];

/** A deterministic paragraph of mostly Arabic words with a few Latin ones (mixed direction). */
export function paragraph(seed: number, words = 40): string {
  let state = seed * 2654435761 + 1;
  const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(next() % 9 === 0 ? LATIN[next() % LATIN.length]! : ARABIC[next() % ARABIC.length]!);
  return `${out.join(' ')} ${seed}.`;
}

/** Hostile strings that must reach the page as text, never as markup or script. */
export const HOSTILE = {
  id: 'evil/<img src=x onerror=alert(1)>.txt',
  title: '</script><script>alert("title")</script>',
  line: '</script><script>alert(1)</script> <!-- \u2028 \u2029 & "quoted" \'single\'',
};

/** Synthetic corpus: origin + wrapped, shortened copy (syndication), a near-duplicate pair, a bystander. */
export function syntheticRecords(): DocumentRecord[] {
  const body = [1, 2, 3, 4, 5, 6].map((s) => paragraph(s));
  const other = [11, 12, 13, 14].map((s) => paragraph(s));
  return [
    { id: 'agency/origin.txt', source: 'agency', date: '2017-02-20', title: 'لافروف: Geneva talks', url: 'https://example.org/a', text: body.join('\n') },
    { id: 'bystander.txt', text: [21, 22, 23].map((s) => paragraph(s)).join('\n') },
    {
      id: HOSTILE.id,
      source: 'mirror',
      date: '2017-02-21',
      title: HOSTILE.title,
      url: 'javascript:alert(1)',
      text: ['Mirror News | الرئيسية', HOSTILE.line, ...body.slice(0, 5), '© Mirror News'].join('\n'),
    },
    { id: 'site/near-1.txt', text: other.join('\n') },
    { id: 'site/near-2.txt', text: `${other.join('\n')}\nاقرأ أيضاً` },
  ];
}

/**
 * Two stories with known outlets and dates: an agency story copied whole by paper-a (45 min later),
 * cut short under paper-b's chrome (3 h), and held inside a paper-b feature (a day later); and an
 * agency story paper-a reran 30 minutes later. Plus an unrelated article.
 */
export function storyRecords(): DocumentRecord[] {
  const body = [1, 2, 3, 4, 5, 6].map((seed) => paragraph(seed));
  const second = [31, 32, 33, 34, 35].map((seed) => paragraph(seed));
  return [
    { id: 'agency/1', source: 'agency', date: '2015-07-21 08:00:00', title: 'Geneva talks resume', text: body.join('\n') },
    { id: 'paper-b/1', source: 'paper-b', date: '2015-07-21 11:00:00', title: 'Talks in Geneva (short)', text: ['Paper B | الرئيسية', ...body.slice(0, 4), '© Paper B'].join('\n') },
    { id: 'paper-a/1', source: 'paper-a', date: '2015-07-21 08:45:00', title: 'Geneva talks resume today', text: body.join('\n') },
    {
      id: 'paper-b/2',
      source: 'paper-b',
      date: '2015-07-22 09:00:00',
      title: 'The week in diplomacy',
      text: [...body, ...[41, 42, 43, 44, 45, 46].map((seed) => paragraph(seed))].join('\n'),
    },
    { id: 'agency/2', source: 'agency', date: '2015-07-21 12:00:00', title: 'Constitution committee meets', text: second.join('\n') },
    { id: 'paper-a/2', source: 'paper-a', date: '2015-07-21 12:30:00', title: 'Constitution committee meets again', text: second.join('\n') },
    { id: 'paper-a/3', source: 'paper-a', date: '2015-07-21 13:00:00', title: 'Weather', text: [51, 52, 53, 54].map((seed) => paragraph(seed)).join('\n') },
  ];
}

function walk(dir: string, root: string, out: DocumentRecord[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else if (/\.(txt|md)$/i.test(name)) out.push({ id: relative(root, path).split(sep).join('/'), text: readFileSync(path, 'utf8') });
  }
}

/**
 * The browser test's corpus: the `.txt`/`.md` files of samples/ when that folder exists, else the
 * shared seeds plus a copy of seed 003's first five body lines wrapped in another site's chrome,
 * else the synthetic corpus. Returns where it came from for the test log.
 */
export function sampleRecords(repoRoot: string): { from: string; records: DocumentRecord[] } {
  const samples = join(repoRoot, 'samples');
  if (existsSync(samples)) {
    const records: DocumentRecord[] = [];
    walk(samples, samples, records);
    if (records.length > 0) return { from: samples, records };
  }
  const seeds = join(repoRoot, '..', 'shared', 'seeds');
  if (existsSync(seeds)) {
    const records: DocumentRecord[] = [];
    walk(seeds, seeds, records);
    const seed003 = records.find((record) => record.id.startsWith('003_'));
    if (seed003) {
      const body = seed003.text.split('\n').slice(0, 5).join('\n');
      records.push({ id: 'copy/003-wrapped.txt', text: `Wire Mirror — أخبار العالم | Home\nعاجل: Breaking news ticker 24/7\n${body}\n© 2024 Wire Mirror. جميع الحقوق محفوظة\n` });
      return { from: `${seeds} + a wrapped copy of seed 003`, records };
    }
  }
  return { from: 'synthetic corpus', records: syntheticRecords() };
}
