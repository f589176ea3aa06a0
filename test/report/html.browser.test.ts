/**
 * The report in a real browser (Debian's chromium through playwright-core): open a syndication
 * pair, compare the highlighted passages with the shared paragraphs, check keyboard handling and
 * that the page made no network request. Skips when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findDuplicates, type DetectionResult, type DocumentRecord } from '../../src/index.js';
import { renderHtml } from '../../src/render/html/html.js';
import { HOSTILE, sampleRecords, syntheticRecords } from './fixture.js';

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
  async function open(name: string, html: string, colorScheme: 'light' | 'dark' = 'light') {
    const file = join(dir, name);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => void (request.url() !== url && requests.push(request.url())));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    // A script injected through document text would most likely call alert().
    page.on('dialog', (dialog) => void (errors.push(`dialog: ${dialog.message()}`), dialog.dismiss()));
    await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());
    await page.goto(url);
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
    expect(await page.locator('#list-paragraphs tbody tr').count()).toBe(0);
    await search.fill('');
    expect(await page.locator('#list-paragraphs tbody tr').count()).toBeGreaterThan(0);

    await page.locator('[data-action="open-cluster"]').first().click();
    await page.locator('[data-action="compare-member"]').first().click();
    expect(await page.locator('dialog#detail article.doc').count()).toBe(2);
    await page.keyboard.press('Escape');

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
