// Render the HTML report of a JSONL(.gz) corpus and measure its size and time to first render in
// chromium. Run after `npm run build`:
//   node bench/measure-report.mjs ../shared/data/saudinewsnet-dev.jsonl.gz /tmp/report.html
// With --result FILE (the output of `syndic scan CORPUS --format json`), the pairs are read from
// FILE instead of detected again (a 100k-document scan takes minutes on a loaded machine), and the
// stories rebuilt from them with this build:
//   node bench/measure-report.mjs corpus100k.jsonl /tmp/report100k.html --result scan100k.json
// With --screenshots DIR, the overview and the largest story's timeline are saved there as PNG.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findDuplicates } from '../dist/index.js';
import { buildStories } from '../dist/detect/stories.js';
import { renderHtml } from '../dist/render/html/html.js';

const args = process.argv.slice(2);
const resultAt = args.indexOf('--result');
const resultFile = resultAt >= 0 ? args.splice(resultAt, 2)[1] : undefined;
const shotsAt = args.indexOf('--screenshots');
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : undefined;
const [input, output = '/tmp/syndic-report.html'] = args;
const raw = readFileSync(input);
const lines = (input.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean);
const records = lines.map((line) => {
  const { id, text, source, date, url, title } = JSON.parse(line);
  return { id: String(id), text, source, date, url, title };
});
let started = performance.now();
const result = resultFile ? JSON.parse(readFileSync(resultFile, 'utf8')) : await findDuplicates(records);
if (resultFile) Object.assign(result, buildStories(records, result.duplicates.pairs, result.syndication, result.params.containment));
const detectMs = performance.now() - started;
started = performance.now();
const html = renderHtml(result, records);
const renderMs = performance.now() - started;
writeFileSync(output, html);
console.log(`${records.length} documents: ${resultFile ? 'read result' : 'detect'} ${detectMs.toFixed(0)} ms, renderHtml ${renderMs.toFixed(0)} ms`);
console.log(`${output}: ${Buffer.byteLength(html)} bytes (${(Buffer.byteLength(html) / 1048576).toFixed(1)} MB, ${(gzipSync(html).length / 1048576).toFixed(1)} MB gzipped)`);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (let run = 1; run <= 3; run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on('request', (request) => request.url().startsWith('file:') || requests.push(request.url()));
  await page.goto(pathToFileURL(output).href);
  await page.waitForSelector('html[data-ready]', { timeout: 120_000 });
  const timing = await page.evaluate(() => ({
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    listsReady: performance.getEntriesByName('syndic-lists')[0]?.startTime,
    allReady: performance.getEntriesByName('syndic-ready')[0]?.startTime,
  }));
  if (shots && run === 1) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/report-overview.png` });
    await page.locator('[data-action="open-story"]').first().click();
    await page.locator('dialog#detail .timeline li').first().waitFor();
    await page.screenshot({ path: `${shots}/report-story.png` });
    await page.keyboard.press('Escape');
  }
  started = performance.now();
  await page.locator('[data-action="open-story"]').first().click();
  await page.locator('dialog#detail .timeline li').first().waitFor();
  const storyMs = performance.now() - started;
  started = performance.now();
  await page.locator('[data-action="story-compare"]').first().click();
  await page.locator('dialog#detail article.doc').nth(1).waitFor();
  const pairMs = performance.now() - started;
  await page.keyboard.press('Escape');
  started = performance.now();
  await page.locator('#list-stories input[type="search"]').fill('zzzz-no-such-word');
  await page.locator('#list-stories .count', { hasText: 'match' }).waitFor();
  const searchMs = performance.now() - started;
  console.log(
    `run ${run}: first contentful paint (the overview) ${timing.firstContentfulPaint?.toFixed(0)} ms, lists ready ${timing.listsReady?.toFixed(0)} ms, ` +
      `texts read and paragraph list ready ${timing.allReady?.toFixed(0)} ms, ` +
      `open a story ${storyMs.toFixed(0)} ms, its first pair ${pairMs.toFixed(0)} ms, a text search ${searchMs.toFixed(0)} ms (incl. 120 ms debounce), network requests ${requests.length}`,
  );
  await page.close();
}
await browser.close();
