/**
 * Self-contained HTML report of a scan: one file, no network requests. The overview (counts and
 * SVG charts) is static markup; the findings are embedded once as JSON and the lists and document
 * views are built on demand by a small inline script.
 */
import { createHash } from 'node:crypto';
import type { DetectionResult } from '../../detect/types.js';
import type { DocumentRecord } from '../../records.js';
import { duration } from '../shared.js';
import { barChartSvg, clusterSizeBars, heatMapSvg, histogramBars, type Bar, type HeatCell } from './charts.js';
import { buildReportData, KIND_CODES, STORY_HEADER, STORY_MEMBER, type ReportData, type ReportOptions } from './data.js';
import { embedJson, escapeHtml } from './escape.js';
import { REPORT_SCRIPT } from './client.js';
import { REPORT_CSS } from './styles.js';

/** Id of the `<script type="application/json">` element that holds the {@link ReportData}. */
export const REPORT_DATA_ELEMENT_ID = 'syndic-data';
/**
 * Id of the element that holds the embedded texts: last in the page, so the lists are drawn while
 * the browser still reads the texts, and parsed only when a view needs them.
 */
export const REPORT_TEXTS_ELEMENT_ID = 'syndic-texts';

/** Outlets shown in the flow heat map at most (those with the most copies in or out). */
const HEAT_MAP_OUTLETS = 16;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Render a scan result and its records as one self-contained HTML page. Only the documents that
 * appear in some finding are listed, and their texts embedded within a budget; every string is
 * escaped (texts are untrusted), and a Content-Security-Policy allows only the page's own inline
 * script and style.
 */
export function renderHtml(result: DetectionResult, records: readonly DocumentRecord[], options: ReportOptions = {}): string {
  const { data, texts } = buildReportData(result, records, options);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(REPORT_SCRIPT)}`,
    `style-src ${sha256(REPORT_CSS)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const { stats } = data;
  const title = `syndic report: ${stats.documents} documents`;
  const count = (n: number): string => n.toLocaleString('en-US');
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<h1>syndic report</h1>
<p class="sub">${escapeHtml(summaryLine(data))}</p>
<button type="button" id="theme-toggle" aria-pressed="false">Dark theme</button>
</header>
<nav class="sections" aria-label="Sections">
<a href="#overview">Overview</a>
<a href="#stories">Stories (${count(data.stories.length)})</a>
<a href="#outlets">Outlets</a>
<a href="#clusters">Duplicate clusters (${count(data.clusters.length)})</a>
<a href="#syndication">Syndication pairs (${count(data.syndication.length)})</a>
<a href="#paragraphs">Repeated paragraphs (${count(data.paragraphs.length)})</a>
</nav>
<main id="main">
${overview(data)}
<section id="stories" aria-labelledby="stories-title">
<h2 id="stories-title">Stories</h2>
<p class="note">Documents joined by near-duplicate or syndication pairs. The origin is the earliest${data.dates ? '' : ' in input order (the input has no dates)'}; every other member is compared with the origin, or with the member it is linked through.</p>
<div id="list-stories"></div>
</section>
<section id="outlets" aria-labelledby="outlets-title">
<h2 id="outlets-title">Outlets</h2>
${data.sources ? `<p class="note">Every story member other than the origin counts once, as a copy from the origin's outlet to its own.</p>
<h3>Flows between outlets</h3>
<div id="list-flows"></div>
<h3>Share of each outlet's articles that copy an earlier story</h3>
<div id="list-outlets"></div>` : '<p class="note">The input has no sources (outlets), so there are no outlet flows: give them with <code>--source-field</code>, or <code>--source-from dir</code> for folders.</p>'}
</section>
<section id="clusters" aria-labelledby="clusters-title">
<h2 id="clusters-title">Duplicate clusters</h2>
<p class="note">Documents whose Jaccard similarity with the cluster's representative is at least ${data.params.threshold}. The representative is the earliest, then longest document.</p>
<div id="list-clusters"></div>
</section>
<section id="syndication" aria-labelledby="syndication-title">
<h2 id="syndication-title">Syndication pairs</h2>
<p class="note">One document is largely made of the other (at least ${percent(data.params.containment)} of the smaller one). The origin is the earlier-dated document, or the earlier one in the input.</p>
<div id="list-syndication"></div>
</section>
<section id="paragraphs" aria-labelledby="paragraphs-title">
<h2 id="paragraphs-title">Repeated paragraphs</h2>
<p class="note">Paragraph clusters: one row per paragraph text, with every place it occurs (${count(stats.internalRepeats)} paragraphs repeat an earlier paragraph of their own document).</p>
<div id="list-paragraphs"></div>
</section>
<noscript><p class="note">The lists and the document views need JavaScript; the overview above does not.</p></noscript>
</main>
<dialog id="detail" aria-labelledby="detail-title">
<div class="detail-head"><h2 id="detail-title" tabindex="-1"></h2><button type="button" class="close">Close <span aria-hidden="true">(Esc)</span></button></div>
<div id="detail-body"></div>
</dialog>
<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${embedJson(data)}</script>
<script>${REPORT_SCRIPT}</script>
<script type="application/json" id="${REPORT_TEXTS_ELEMENT_ID}">${embedJson(texts)}</script>
</body>
</html>
`;
}

const percent = (value: number): string => `${Math.round(value * 100)}%`;

function summaryLine(data: ReportData): string {
  const { stats } = data;
  return `${stats.documents.toLocaleString('en-US')} documents, ${stats.paragraphs.toLocaleString('en-US')} paragraphs · threshold ${data.params.threshold}, containment ${data.params.containment}`;
}

/** Copies (story members other than origins) by delay after their origin. */
function delayBars(data: ReportData): Bar[] {
  const bins: Array<[string, number, string]> = [
    ['< 1 h', 3600, 'under an hour'],
    ['1–6 h', 6 * 3600, '1 to 6 hours'],
    ['6–24 h', 86400, '6 to 24 hours'],
    ['1–2 d', 2 * 86400, '1 to 2 days'],
    ['≥ 2 d', Infinity, '2 days or more'],
  ];
  const counts = bins.map(() => 0);
  for (const story of data.stories) {
    for (let i = STORY_HEADER + STORY_MEMBER; i < story.length; i += STORY_MEMBER) {
      const delay = story[i + 5];
      if (delay === null || delay === undefined) continue;
      counts[bins.findIndex(([, below]) => delay < below)]!++;
    }
  }
  return bins.map(([label, , description], i) => ({ label, count: counts[i]!, description: `copies ${description} after the origin` }));
}

function flowHeatMap(data: ReportData): string {
  const volume = new Map<string, number>();
  for (const flow of data.flows) {
    volume.set(flow.from, (volume.get(flow.from) ?? 0) + flow.copies);
    volume.set(flow.to, (volume.get(flow.to) ?? 0) + flow.copies);
  }
  const labels = [...volume.keys()].sort((x, y) => volume.get(y)! - volume.get(x)! || (x < y ? -1 : 1)).slice(0, HEAT_MAP_OUTLETS);
  const position = new Map(labels.map((label, i) => [label, i]));
  const cells: HeatCell[] = [];
  for (const flow of data.flows) {
    const row = position.get(flow.from);
    const column = position.get(flow.to);
    if (row === undefined || column === undefined) continue;
    const delay = flow.medianDelaySeconds === null ? '' : `, median delay ${duration(flow.medianDelaySeconds)}`;
    cells.push({ row, column, count: flow.copies, description: `${flow.from} → ${flow.to}: ${flow.copies} ${flow.copies === 1 ? 'copy' : 'copies'}${delay}` });
  }
  const more = volume.size > labels.length ? ` (the ${labels.length} outlets with the most copies of ${volume.size})` : '';
  return `<figure><figcaption>Copies from outlet to outlet${escapeHtml(more)}: rows publish first, columns copy</figcaption>${heatMapSvg(labels, cells, {
    id: 'chart-flows',
    title: 'Copies from the outlet of a story\'s origin (row) to the outlet of each other member (column)',
    rowLabel: 'origin',
    columnLabel: 'copy',
    emptyMessage: 'No copies between outlets',
  })}</figure>`;
}

function largestStories(data: ReportData): string {
  const top = data.stories.slice(0, 5);
  if (top.length === 0) return '<p class="note">No stories: no document was found near-duplicated or syndicated.</p>';
  const docs = data.documents;
  const rows = top.map((story, position) => {
    const [documents, outlets, spanSeconds, origin] = story as [number, number, number | null, number];
    const id = position + 1;
    const meta = [docs.source[origin]! >= 0 ? data.outletNames[docs.source[origin]!] : '', docs.date[origin]].filter(Boolean).join(' · ');
    return `<tr><td class="num">${id}</td><td><a href="#story-${id}" dir="auto" class="headline">${escapeHtml(docs.headline[origin] || docs.id[origin]!)}</a>${meta ? `<span class="meta">${escapeHtml(meta)}</span>` : ''}</td><td class="num">${documents}</td><td class="num">${outlets}</td><td class="num">${escapeHtml(duration(spanSeconds))}</td></tr>`;
  });
  return `<table class="largest"><caption>Largest stories</caption><thead><tr><th scope="col">#</th><th scope="col">Origin</th><th scope="col">Documents</th><th scope="col">Outlets</th><th scope="col">Span</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function overview(data: ReportData): string {
  const { stats, params } = data;
  const kindCount = (kind: (typeof KIND_CODES)[number]): number => data.paragraphs.filter((cluster) => KIND_CODES[cluster[0]!] === kind).length;
  // Each label names its unit; the charts below count in the same units.
  const cards: Array<[string, number]> = [
    ['Documents', stats.documents],
    ['Stories', data.stories.length],
    ['Documents in stories', data.stories.reduce((sum, story) => sum + story[0]!, 0)],
    ['Near-duplicate pairs', stats.duplicatePairs],
    ['Duplicate clusters', stats.duplicateClusters],
    ['Documents that duplicate another', stats.duplicateDocuments],
    ['Syndication pairs', stats.syndicationPairs],
    ['Syndicated paragraph clusters', kindCount('syndicated')],
    ['Boilerplate paragraph clusters', kindCount('boilerplate')],
    ['Paragraph clusters inside one document', kindCount('internal-repeat')],
  ];
  const floor = Math.min(1, Math.floor(params.threshold * 20) / 20);
  const binCount = Math.max(1, Math.round((1 - floor) / 0.02));
  const similarity = histogramBars(
    data.duplicatePairs.map((pair) => pair[2]),
    floor,
    1,
    floor === 1 ? 1 : binCount,
    'Jaccard',
  );
  const sizes = clusterSizeBars(data.clusters.map((cluster) => cluster.length - 1));
  const kinds: Bar[] = KIND_CODES.map((kind) => ({ label: kind === 'internal-repeat' ? 'inside one document' : kind, count: kindCount(kind) }));
  const listed = data.documents.id.length;
  const figure = (caption: string, svg: string): string => `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
  const textNote =
    data.texts.embedded === listed
      ? `This report lists the ${listed.toLocaleString('en-US')} of ${data.documentsTotal.toLocaleString('en-US')} documents that appear in some finding, with their texts; the others are counted above but not included.`
      : `This report lists the ${listed.toLocaleString('en-US')} of ${data.documentsTotal.toLocaleString('en-US')} documents that appear in some finding, with their headlines; the texts of ${data.texts.embedded.toLocaleString('en-US')} of them (the largest stories first) are included, ${(data.texts.bytes / 1048576).toFixed(1)} MB within a budget of ${(data.texts.budgetBytes / 1048576).toFixed(0)} MB. For the others, <code>syndic explain</code> shows the texts side by side.`;
  return `<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Overview</h2>
<dl class="cards">
${cards.map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${value.toLocaleString('en-US')}</dd></div>`).join('\n')}
</dl>
<div class="overview-main">
${data.sources ? flowHeatMap(data) : ''}
<div class="largest-box">${largestStories(data)}</div>
</div>
<div class="charts">
${data.dates ? figure('Copies by delay after the origin', barChartSvg(delayBars(data), { id: 'chart-delays', title: 'Copies (story members other than the origin) by delay after the origin', xLabel: 'delay after the origin', yLabel: 'copies', emptyMessage: 'No dated copies' })) : ''}
${figure('Similarity of near-duplicate pairs', barChartSvg(similarity, { id: 'chart-similarity', title: 'Near-duplicate pairs by Jaccard similarity', xLabel: 'Jaccard similarity (bin start)', yLabel: 'pairs', emptyMessage: 'No duplicate pairs' }))}
${figure('Duplicate cluster sizes', barChartSvg(sizes, { id: 'chart-sizes', title: 'Duplicate clusters by number of documents', xLabel: 'documents in the cluster', yLabel: 'clusters', emptyMessage: 'No duplicate clusters' }))}
${figure('Repeated-paragraph clusters by kind', barChartSvg(kinds, { id: 'chart-kinds', title: 'Repeated-paragraph clusters by kind', xLabel: 'kind', yLabel: 'paragraph clusters', emptyMessage: 'No repeated paragraphs' }))}
</div>
<p class="note" id="embedded-note">${textNote}</p>
${data.sources && data.dates ? '' : `<p class="note">${[data.sources ? '' : 'The input has no sources, so stories have no outlets.', data.dates ? '' : 'The input has no dates, so origins and timelines follow input order.'].filter(Boolean).join(' ')}</p>`}
<p class="params">Parameters: ${[
    ['threshold', params.threshold],
    ['containment', params.containment],
    ['paragraph threshold', params.paragraphThreshold],
    ['shingle size', params.shingleSize],
    ['signature', `${params.numPerm} (${params.variant})`],
    ['LSH', `${params.bands} bands × ${params.rows} rows`],
    ['unit', params.unit],
    ['verify', params.verify],
  ]
    .map(([name, value]) => `${escapeHtml(String(name))} <code>${escapeHtml(String(value))}</code>`)
    .join(' · ')}</p>
</section>`;
}
