// Render the HTML report of a JSONL(.gz) corpus and measure its size and time to first render in
// chromium. Run after `npm run build`:
//   node bench/measure-report.mjs ../shared/data/saudinewsnet-dev.jsonl.gz /tmp/report.html
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findDuplicates } from '../dist/index.js';
import { renderHtml } from '../dist/render/html/html.js';

const [input, output = '/tmp/syndic-report.html'] = process.argv.slice(2);
const raw = readFileSync(input);
const lines = (input.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean);
const records = lines.map((line) => {
  const { id, text, source, date, url, title } = JSON.parse(line);
  return { id: String(id), text, source, date, url, title };
});
let started = performance.now();
const result = await findDuplicates(records);
const detectMs = performance.now() - started;
started = performance.now();
const html = renderHtml(result, records);
const renderMs = performance.now() - started;
writeFileSync(output, html);
console.log(`${records.length} documents: detect ${detectMs.toFixed(0)} ms, renderHtml ${renderMs.toFixed(0)} ms`);
console.log(`${output}: ${Buffer.byteLength(html)} bytes (${gzipSync(html).length} gzipped)`);

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
  await page.waitForSelector('html[data-ready]');
  const timing = await page.evaluate(() => ({
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    listsReady: performance.getEntriesByName('syndic-ready')[0]?.startTime,
  }));
  started = performance.now();
  await page.locator('[data-action="compare-syndication"]').first().click();
  await page.locator('dialog#detail article.doc').nth(1).waitFor();
  const pairMs = performance.now() - started;
  console.log(`run ${run}: first contentful paint ${timing.firstContentfulPaint?.toFixed(0)} ms, lists ready ${timing.listsReady?.toFixed(0)} ms, open a pair ${pairMs.toFixed(0)} ms, network requests ${requests.length}`);
  await page.close();
}
await browser.close();
