/**
 * The report in a real browser (Debian's chromium through playwright-core): open a syndication
 * pair, compare the highlighted passages with the shared paragraphs; open a story from the
 * keyboard, follow its timeline to a pair and back, sort, search a headline word, follow link
 * fragments, export a filtered list and read it back; no console errors, no network requests.
 * Skips when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findDuplicates, type DetectionResult, type DocumentRecord } from '../../src/index.js';
import { renderHtml } from '../../src/render/html/html.js';
import { HOSTILE, sampleRecords, storyRecords, syntheticRecords } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/report/html.browser.test.ts: skipped, ${CHROMIUM} not found (apt-get install chromium)`);

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Texts of the paragraphs of `id` in non-boilerplate clusters that also occur in `other`. */
function sharedTexts(result: DetectionResult, records: readonly DocumentRecord[], id: string, other: string): string[] {
  const text = records.find((record) => record.id === id)!.text;
  const out: string[] = [];
  for (const cluster of result.paragraphs) {
    if (cluster.kind === 'boilerplate' || !cluster.occurrences.some((o) => o.id === other)) continue;
    for (const o of cluster.occurrences) if (o.id === id) out.push(text.slice(o.start, o.end));
  }
  return out.sort();
}

describe.skipIf(!hasChromium)('HTML report in chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    dir = mkdtempSync(join(tmpdir(), 'syndic-report-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Open a report; collects every request other than the report file and every console error. */
  async function open(name: string, html: string, colorScheme: 'light' | 'dark' = 'light', fragment = '') {
    const file = join(dir, name);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme, acceptDownloads: true });
    const requests: string[] = [];
    const errors: string[] = [];
    // Exports are downloads of blob: URLs the page made itself: local, not network.
    page.on('request', (request) => void (request.url().replace(/#.*/, '') !== url && !request.url().startsWith('blob:') && requests.push(request.url())));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    // A script injected through document text would most likely call alert().
    page.on('dialog', (dialog) => void (errors.push(`dialog: ${dialog.message()}`), dialog.dismiss()));
    await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());
    await page.goto(url + fragment);
    await page.waitForSelector('html[data-ready]');
    return { page, requests, errors };
  }

  it('opens a syndication pair of the samples with exactly the shared paragraphs highlighted', async () => {
    const { from, records } = sampleRecords(repoRoot);
    console.info(`report corpus: ${from} (${records.length} documents)`);
    const result = await findDuplicates(records);
    expect(result.syndication.length).toBeGreaterThan(0);
    const { page, requests, errors } = await open('samples.html', renderHtml(result, records));

    const pair = result.syndication[0]!;
    const copy = pair.origin === pair.a ? pair.b : pair.a;
    const compare = page.locator('[data-action="compare-syndication"][data-index="0"]');
    await compare.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#detail');
    await expect.poll(() => dialog.getAttribute('open').then((open) => open !== null)).toBe(true);

    const [origin, copied] = await dialog.locator('article.doc').all();
    expect(await origin!.locator('.doc-head .id').textContent()).toBe(pair.origin);
    expect(await copied!.locator('.doc-head .id').textContent()).toBe(copy);
    const highlighted = async (side: typeof origin) => (await side!.locator('mark.shared').allTextContents()).sort();
    const expectedOrigin = sharedTexts(result, records, pair.origin, copy);
    expect(expectedOrigin.length).toBeGreaterThanOrEqual(pair.sharedParagraphs);
    expect(await highlighted(origin)).toEqual(expectedOrigin);
    expect(await highlighted(copied)).toEqual(sharedTexts(result, records, copy, pair.origin));
    // Every paragraph of the original text is shown, in its own direction-isolated element.
    expect(await origin!.locator('.doc-text p[dir="auto"]').count()).toBe(records.find((r) => r.id === pair.origin)!.text.split(/\r\n|\n|\r/).filter((line) => line.trim()).length);

    await page.screenshot({ path: join(dir, 'samples-pair.png') });
    const docsShot = process.env.SYNDIC_REPORT_SCREENSHOT;
    if (docsShot) await page.screenshot({ path: resolve(repoRoot, docsShot), type: 'png' });

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.getAttribute('open').then((open) => open !== null)).toBe(false);
    expect(await page.evaluate('document.activeElement?.getAttribute("data-action")')).toBe('compare-syndication');

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps hostile text inert, switches theme, and filters lists', async () => {
    const records = syntheticRecords();
    const { page, requests, errors } = await open('synthetic.html', renderHtml(await findDuplicates(records), records), 'dark');
    expect(await page.evaluate('getComputedStyle(document.documentElement).colorScheme')).toBe('dark');

    await page.locator('[data-action="compare-syndication"]').first().click();
    const copySide = page.locator('dialog#detail article.doc').nth(1);
    expect(await copySide.locator('.doc-head .id').textContent()).toBe(HOSTILE.id);
    expect(await copySide.locator('.doc-head .title').textContent()).toBe(HOSTILE.title);
    expect(await copySide.locator('a').count()).toBe(0);
    expect(await copySide.locator('.doc-text').textContent()).toContain(HOSTILE.line);
    expect(await page.locator('img').count()).toBe(0);
    await page.locator('dialog#detail .close').click();

    const toggle = page.locator('#theme-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await page.evaluate('document.documentElement.getAttribute("data-theme")')).toBe('light');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    const search = page.locator('#list-paragraphs input[type="search"]');
    await search.fill('no such text anywhere');
    await expect.poll(() => page.locator('#list-paragraphs tbody tr').count()).toBe(0);
    await search.fill('');
    await expect.poll(() => page.locator('#list-paragraphs tbody tr').count()).toBeGreaterThan(0);
    // Searching a word of a headline finds the pair it belongs to.
    await page.locator('#list-stories input[type="search"]').fill('لافروف');
    await expect.poll(() => page.locator('#list-stories .count').textContent()).toBe('1 of 2 stories match');
    expect(await page.locator('#list-stories tbody .headline').allTextContents()).toEqual(['لافروف: Geneva talks']);

    await page.locator('[data-action="open-cluster"]').first().click();
    await page.locator('[data-action="compare-member"]').first().click();
    // The dialog fills after the click's handler has run: poll, count() does not wait.
    await expect.poll(() => page.locator('dialog#detail article.doc').count()).toBe(2);
    await page.keyboard.press('Escape');

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  /** Press Tab until the focused element matches `selector` (keyboard only, as a user would). */
  async function tabTo(page: Page, selector: string, limit = 300): Promise<void> {
    for (let presses = 0; presses < limit; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  const isOpen = (page: Page) => page.locator('dialog#detail').getAttribute('open').then((open) => open !== null);
  const heading = (page: Page) => page.locator('#detail-title').textContent();

  it('opens a story from the keyboard, follows its timeline to a pair and back, sorts, searches and exports', async () => {
    const records = storyRecords();
    const result = await findDuplicates(records);
    const { page, requests, errors } = await open('stories.html', renderHtml(result, records));
    const story = result.stories[0]!;

    await tabTo(page, '[data-action="open-story"][data-index="0"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => isOpen(page)).toBe(true);
    expect(await heading(page)).toBe('Story 1: Geneva talks resume');
    expect(await page.evaluate('location.hash')).toBe('#story-1');
    const items = page.locator('dialog#detail .timeline li');
    expect(await items.count()).toBe(story.members.length);
    expect(await items.locator('.when').allTextContents()).toEqual(['first · 0 s', '+45 min', '+3 h 00 min', '+1 d 1 h']);
    expect(await items.nth(2).locator('.headline').textContent()).toBe('Talks in Geneva (short)');
    expect(await items.nth(2).locator('.relation').textContent()).toBe('copy');

    // The copy cut short: its timeline entry opens the syndication pair with the origin.
    await tabTo(page, '[data-action="story-compare"][data-member="2"]');
    await page.keyboard.press('Enter');
    const pair = result.syndication.findIndex((p) => [p.a, p.b].includes('paper-b/1') && [p.a, p.b].includes('agency/1'));
    await expect.poll(() => page.evaluate('location.hash')).toBe(`#syndication-${pair + 1}`);
    const sides = page.locator('dialog#detail article.doc');
    await expect.poll(() => sides.locator('.doc-head .id').allTextContents()).toEqual(['agency/1', 'paper-b/1']);
    await expect.poll(() => sides.nth(1).locator('mark.shared').count()).toBe(4);
    await tabTo(page, 'dialog#detail [data-action="back"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => heading(page)).toBe('Story 1: Geneva talks resume');
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page)).toBe(false);
    // Focus and fragment are restored by the dialog's close event, a task after it closes.
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("data-action")')).toBe('open-story');
    await expect.poll(() => page.evaluate('location.hash')).toBe('');

    // Sort the stories by date of first publication, then search a word of one headline.
    const originCells = () => page.locator('#list-stories tbody tr td:nth-child(2) .id').allTextContents();
    expect(await originCells()).toEqual(['agency/1', 'agency/2']);
    await tabTo(page, '#list-stories button.sort[data-sort="date"]');
    await page.keyboard.press('Enter');
    expect(await originCells()).toEqual(['agency/1', 'agency/2']);
    await page.keyboard.press('Enter');
    expect(await originCells()).toEqual(['agency/2', 'agency/1']);
    expect(await page.locator('#list-stories th[aria-sort="descending"] button').textContent()).toBe('First published');
    await tabTo(page, '#list-stories input[type="search"]');
    await page.keyboard.type('constitution');
    await expect.poll(() => page.locator('#list-stories .count').textContent()).toBe('1 of 2 stories match');
    expect(await originCells()).toEqual(['agency/2']);

    // Export the filtered list, and read it back.
    await tabTo(page, '#list-stories [data-action="export-csv"]');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(csv.suggestedFilename()).toBe('syndic-stories-filtered.csv');
    const rows = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(rows).toEqual([
      'story,origin,headline,source,date,documents,outlets,span_seconds,members',
      '2,agency/2,Constitution committee meets,agency,2015-07-21 12:00:00,2,2,1800,agency/2 paper-a/2',
    ]);
    await tabTo(page, '#list-stories [data-action="export-jsonl"]');
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const lines = readFileSync((await jsonl.path())!, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([{ story: 2, origin: 'agency/2', headline: 'Constitution committee meets', source: 'agency', date: '2015-07-21 12:00:00', documents: 2, outlets: 2, span_seconds: 1800, members: 'agency/2 paper-a/2' }]);

    // The outlet flows, sorted by median delay.
    expect(await page.locator('#list-flows tbody tr td:nth-child(2)').allTextContents()).toEqual(['paper-a', 'paper-b']);
    await page.locator('#list-flows button.sort[data-sort="delay"]').click();
    expect(await page.locator('#list-flows tbody tr td:nth-child(5)').allTextContents()).toEqual(['37 min', '14 h 00 min']);

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the view a link fragment names, and lists members by publication time with headlines', async () => {
    const records = storyRecords();
    const result = await findDuplicates(records);
    const html = renderHtml(result, records);
    for (const [fragment, title] of [
      ['#story-2', 'Story 2: Constitution committee meets'],
      ['#syndication-1', /^Syndication: Geneva talks resume → /],
      ['#duplicate-1', /^Near-duplicates: /],
      ['#cluster-1', /^Duplicate cluster 1 \(2 documents, in publication order\)$/],
      ['#paragraph-1', /^Repeated paragraph /],
      ['#document-1', 'Document: Geneva talks resume'],
    ] as const) {
      const { page, requests, errors } = await open('fragments.html', html, 'light', fragment);
      await expect.poll(() => isOpen(page)).toBe(true);
      if (typeof title === 'string') expect(await heading(page)).toBe(title);
      else expect(await heading(page)).toMatch(title);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page } = await open('fragments.html', html, 'light', '#cluster-1');
    const cluster = result.duplicates.clusters[0]!;
    const byTime = [...cluster.members].sort((x, y) => records.find((r) => r.id === x)!.date!.localeCompare(records.find((r) => r.id === y)!.date!));
    expect(await page.locator('dialog#detail .members .id').allTextContents()).toEqual(byTime);
    expect(await page.locator('dialog#detail .members .headline').first().textContent()).toBe(records.find((r) => r.id === byTime[0])!.title);
    // A fragment that names nothing opens nothing.
    await page.evaluate('location.hash = "#story-99"');
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page)).toBe(false);
    await page.close();
  });
});
