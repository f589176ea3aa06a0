import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/index.js';
import { barChartSvg, clusterSizeBars, histogramBars } from '../../src/render/html/charts.js';
import { REPORT_SCRIPT } from '../../src/render/html/client.js';
import { buildReportData } from '../../src/render/html/data.js';
import { embedJson, escapeHtml } from '../../src/render/html/escape.js';
import { REPORT_DATA_ELEMENT_ID, renderHtml } from '../../src/render/html/html.js';
import { REPORT_CSS } from '../../src/render/html/styles.js';
import { HOSTILE, syntheticRecords } from './fixture.js';

function embeddedJson(html: string): string {
  const open = `<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">`;
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

  it('round-trips the embedded data', () => {
    expect(JSON.parse(embeddedJson(html))).toEqual(buildReportData(result, records));
  });

  it('embeds only documents that appear in a finding, and says so', () => {
    const data = buildReportData(result, records);
    expect(data.documents.map((doc) => doc.id)).toEqual(['agency/origin.txt', HOSTILE.id, 'site/near-1.txt', 'site/near-2.txt']);
    expect(data.documentsTotal).toBe(5);
    expect(html).not.toContain('bystander.txt');
    expect(html).toContain('texts of the 4 of 5 documents that appear in some finding');
  });

  it('maps findings to embedded document indexes with original offsets', () => {
    const data = buildReportData(result, records);
    for (const cluster of data.paragraphs) {
      const source = result.paragraphs[data.paragraphs.indexOf(cluster)]!;
      const [doc, , start, end] = cluster.occurrences;
      expect(data.documents[doc!]!.text.slice(start, end)).toBe(source.text);
    }
    expect(data.syndication[0]).toMatchObject({ a: 0, b: 1, origin: 0 });
  });

  it('lets no untrusted string reach the page as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(1)</script>');
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.match(/<script/gi)).toHaveLength(2);
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
    expect(JSON.parse(embeddedJson(page)).documents).toEqual([]);
  });
});

describe('inline script', () => {
  it('is valid JavaScript that cannot end its script element', () => {
    expect(() => new Function(REPORT_SCRIPT)).not.toThrow();
    expect(REPORT_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(REPORT_SCRIPT).not.toContain('innerHTML');
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

  it('groups cluster sizes with an open last bucket', () => {
    const bars = clusterSizeBars([2, 2, 3, 10, 34], 10);
    expect(bars.map((bar) => `${bar.label}:${bar.count}`)).toEqual(['2:2', '3:1', '4:0', '5:0', '6:0', '7:0', '8:0', '9:0', '10+:2']);
  });
});
