import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/index.js';
import { barChartSvg, clusterSizeBars, heatMapSvg, histogramBars } from '../../src/render/html/charts.js';
import { DURATION_SCRIPT, REPORT_SCRIPT } from '../../src/render/html/client.js';
import { duration, oneLine } from '../../src/render/shared.js';
import { buildReportData } from '../../src/render/html/data.js';
import { embedJson, escapeHtml } from '../../src/render/html/escape.js';
import { REPORT_DATA_ELEMENT_ID, REPORT_TEXTS_ELEMENT_ID, renderHtml } from '../../src/render/html/html.js';
import { REPORT_CSS } from '../../src/render/html/styles.js';
import { HOSTILE, syntheticRecords } from './fixture.js';

function embeddedJson(html: string, id = REPORT_DATA_ELEMENT_ID): string {
  const open = `<script type="application/json" id="${id}">`;
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf('</script>', start));
}

describe('escaping', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('embeds JSON that cannot close its script element and parses back to the same value', () => {
    const value = { text: '</script><script>alert(1)</script> <!-- --> \u2028\u2029 & عربي 😀', list: [1, 2.5, null] };
    const json = embedJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('renderHtml', async () => {
  const records = syntheticRecords();
  const result = await findDuplicates(records);
  const html = renderHtml(result, records);

  it('finds what the fixture plants', () => {
    expect(result.syndication.map((pair) => [pair.a, pair.b, pair.origin])).toEqual([['agency/origin.txt', HOSTILE.id, 'agency/origin.txt']]);
    expect(result.duplicates.clusters.map((cluster) => cluster.members)).toEqual([['site/near-1.txt', 'site/near-2.txt']]);
  });

  it('round-trips the embedded data and texts', () => {
    const { data, texts } = buildReportData(result, records);
    expect(JSON.parse(embeddedJson(html))).toEqual(data);
    expect(JSON.parse(embeddedJson(html, REPORT_TEXTS_ELEMENT_ID))).toEqual(texts);
  });

  it('lists only documents that appear in a finding, with headlines, and says so', () => {
    const { data, texts } = buildReportData(result, records);
    expect(data.documents.id).toEqual(['agency/origin.txt', HOSTILE.id, 'site/near-1.txt', 'site/near-2.txt']);
    // The title, else the first line.
    expect(data.documents.headline[0]).toBe('لافروف: Geneva talks');
    expect(data.documents.headline[2]).toBe(oneLine(records[3]!.text.split('\n')[0]!, 72));
    expect(data.documents.headline[2]!.length).toBeLessThanOrEqual(72);
    expect(data.documents.url).toEqual(['https://example.org/a', '', '', '']);
    expect(texts).toEqual([records[0]!.text, records[2]!.text, records[3]!.text, records[4]!.text]);
    expect(data.documentsTotal).toBe(5);
    expect(html).not.toContain('bystander.txt');
    expect(html).toContain('lists the 4 of 5 documents that appear in some finding, with their texts');
  });

  it('embeds texts within the budget, largest stories first, and lists the paragraphs they hold', () => {
    const budget = Buffer.byteLength(records[0]!.text + records[2]!.text);
    const { data, texts } = buildReportData(result, records, { textBudgetBytes: budget });
    // The story of two outlets comes first; its texts fill the budget, the next story's do not fit.
    expect(result.stories.map((story) => story.origin)).toEqual(['agency/origin.txt', 'site/near-1.txt']);
    expect(texts.map((text) => text !== null)).toEqual([true, true, false, false]);
    expect(data.texts).toEqual({ embedded: 2, bytes: budget, budgetBytes: budget });
    expect(data.paragraphs.length).toBeLessThan(data.paragraphsTotal);
    for (const cluster of data.paragraphs) expect([0, 1]).toContain(cluster[1]);
    expect(renderHtml(result, records, { textBudgetBytes: 10 })).toContain('the texts of 0 of them');
  });

  it('maps findings to embedded document indexes with original offsets', () => {
    const { data, texts } = buildReportData(result, records);
    data.paragraphs.forEach((cluster, c) => {
      const [, doc, , start, end] = cluster;
      expect(texts[doc!]!.slice(start, end)).toBe(result.paragraphs[c]!.text);
    });
    expect(data.syndication[0]).toEqual([0, 1, result.syndication[0]!.containment.aInB, result.syndication[0]!.containment.bInA, result.syndication[0]!.sharedParagraphs, 0]);
    expect(data.stories.map((story) => story.filter((_, i) => i >= 3 && (i - 3) % 6 === 0))).toEqual([[0, 1], [2, 3]]);
  });

  it('draws the outlet flows and the largest stories in the overview', () => {
    expect(html).toContain('<svg class="chart heat" id="chart-flows"');
    expect(html).toContain('agency → mirror: 1 copy, median delay 1 d 0 h');
    expect(html).toContain('<a href="#story-1" dir="auto" class="headline">لافروف: Geneva talks</a>');
  });

  it('counts in one unit per card and chart', () => {
    const kinds = (kind: string): number => result.paragraphs.filter((cluster) => cluster.kind === kind).length;
    expect(html).toContain(`<dt>Paragraph clusters inside one document</dt><dd>${kinds('internal-repeat')}</dd>`);
    expect(html).toContain(`<dt>Boilerplate paragraph clusters</dt><dd>${kinds('boilerplate')}</dd>`);
    expect(html).toContain(`boilerplate: ${kinds('boilerplate')}; inside one document: ${kinds('internal-repeat')}`);
  });

  it('lets no untrusted string reach the page as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(1)</script>');
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html).not.toMatch(/[\u2028\u2029]/);
  });

  it('allows only its own inline script and style through a Content-Security-Policy', () => {
    const hash = (text: string): string => createHash('sha256').update(text).digest('base64');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src 'sha256-${hash(REPORT_SCRIPT)}'`);
    expect(policy).toContain(`style-src 'sha256-${hash(REPORT_CSS)}'`);
    expect(html).toContain(`<script>${REPORT_SCRIPT}</script>`);
  });

  it('references no external resource', () => {
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('renders an empty run', async () => {
    const empty = await findDuplicates([{ id: 'only', text: 'نص قصير' }]);
    const page = renderHtml(empty, [{ id: 'only', text: 'نص قصير' }]);
    expect(page).toContain('No duplicate pairs');
    expect(JSON.parse(embeddedJson(page)).documents.id).toEqual([]);
    expect(page).toContain('No stories');
  });
});

describe('inline script', () => {
  it('is valid JavaScript that cannot end its script element', () => {
    expect(() => new Function(REPORT_SCRIPT)).not.toThrow();
    expect(REPORT_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(REPORT_SCRIPT).not.toContain('innerHTML');
  });

  it('formats delays as the text report does', () => {
    const clientDuration = new Function(`${DURATION_SCRIPT}; return duration;`)() as (seconds: number | null) => string;
    for (const seconds of [null, 0, 1, 59, 60, 61, 3599, 3600, 3661, 86399, 86400, 90061, 200000, -90, 1e7]) expect(clientDuration(seconds)).toBe(duration(seconds));
    expect(duration(3661)).toBe('1 h 01 min');
    expect(duration(90061)).toBe('1 d 1 h');
  });
});

describe('SVG charts', () => {
  it('draws one bar per bin with counts, an accessible title and escaped labels', () => {
    const svg = barChartSvg(
      [
        { label: '<a>', count: 3 },
        { label: 'b', count: 0 },
        { label: 'c', count: 6 },
      ],
      { id: 'c1', title: 'T & "t"', xLabel: 'x', yLabel: 'y', emptyMessage: 'none' },
    );
    expect(svg.startsWith('<svg class="chart" id="c1"')).toBe(true);
    expect(svg).toContain('role="img" aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('<title id="c1-title">T &amp; &quot;t&quot;</title>');
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('&lt;a&gt;');
    expect(svg).not.toContain('<a>');
    // The tallest bar spans the plot height; the others are proportional.
    const heights = [...svg.matchAll(/height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[0]! / heights[2]!).toBeCloseTo(0.5, 5);
    expect(heights[1]).toBe(0);
  });

  it('shows a message instead of bars when there is nothing to count', () => {
    const svg = barChartSvg([{ label: 'a', count: 0 }], { id: 'c2', title: 't', xLabel: 'x', yLabel: 'y', emptyMessage: 'Nothing here' });
    expect(svg).not.toContain('<rect');
    expect(svg).toContain('Nothing here');
  });

  it('bins values, clamping to the range and closing the last bin', () => {
    const bars = histogramBars([0.8, 0.81, 0.85, 0.99, 1, 0.5], 0.8, 1, 10, 'Jaccard');
    expect(bars.map((bar) => bar.count)).toEqual([3, 0, 1, 0, 0, 0, 0, 0, 0, 2]);
    expect(bars[0]!.label).toBe('0.80');
    expect(bars[9]!.description).toBe('Jaccard 0.98 ≤ x ≤ 1.00');
  });

  it('draws a heat map with one cell per pair of labels, shaded by count', () => {
    const svg = heatMapSvg(['a', '<b>'], [{ row: 0, column: 1, count: 10, description: 'a → b: 10' }, { row: 1, column: 1, count: 1, description: 'b → b: 1' }], {
      id: 'h',
      title: 'T',
      rowLabel: 'from',
      columnLabel: 'to',
      emptyMessage: 'none',
    });
    expect(svg.match(/<rect class="heat-cell l0"/g)).toHaveLength(4);
    expect(svg).toContain('<rect class="heat-cell l6"');
    expect(svg).toContain('<rect class="heat-cell l2"');
    expect(svg).toContain('<title>a → b: 10</title>');
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).not.toContain('<b>');
    expect(heatMapSvg(['a'], [], { id: 'e', title: 'T', rowLabel: 'r', columnLabel: 'c', emptyMessage: 'Nothing' })).toContain('Nothing');
  });

  it('groups cluster sizes with an open last bucket', () => {
    const bars = clusterSizeBars([2, 2, 3, 10, 34], 10);
    expect(bars.map((bar) => `${bar.label}:${bar.count}`)).toEqual(['2:2', '3:1', '4:0', '5:0', '6:0', '7:0', '8:0', '9:0', '10+:2']);
  });
});
