/**
 * Self-contained HTML report of a scan: one file, no network requests. The overview (counts and
 * SVG charts) is static markup; the findings are embedded once as JSON and the lists and document
 * views are built on demand by a small inline script.
 */
import { createHash } from 'node:crypto';
import type { DetectionResult } from '../../detect/types.js';
import type { DocumentRecord } from '../../records.js';
import { barChartSvg, clusterSizeBars, histogramBars, type Bar } from './charts.js';
import { buildReportData, type ReportData } from './data.js';
import { embedJson, escapeHtml } from './escape.js';
import { REPORT_SCRIPT } from './client.js';
import { REPORT_CSS } from './styles.js';

/** Id of the `<script type="application/json">` element that holds the {@link ReportData}. */
export const REPORT_DATA_ELEMENT_ID = 'syndic-data';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Render a scan result and its records as one self-contained HTML page. Only the documents that
 * appear in some finding are embedded, with their texts; every string is escaped (texts are
 * untrusted), and a Content-Security-Policy allows only the page's own inline script and style.
 */
export function renderHtml(result: DetectionResult, records: readonly DocumentRecord[]): string {
  const data = buildReportData(result, records);
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
<a href="#clusters">Duplicate clusters (${data.clusters.length})</a>
<a href="#syndication">Syndication (${data.syndication.length})</a>
<a href="#paragraphs">Repeated paragraphs (${data.paragraphs.length})</a>
</nav>
<main id="main">
${overview(data)}
<section id="clusters" aria-labelledby="clusters-title">
<h2 id="clusters-title">Duplicate clusters</h2>
<p class="note">Documents whose Jaccard similarity with the cluster's representative is at least ${data.params.threshold}. The representative is the earliest, then longest document.</p>
<div id="list-clusters"></div>
</section>
<section id="syndication" aria-labelledby="syndication-title">
<h2 id="syndication-title">Syndication pairs</h2>
<p class="note">One document is largely made of the other's paragraphs (at least ${percent(data.params.containment)} of the smaller one). The origin is the earlier-dated document, or the earlier one in the input.</p>
<div id="list-syndication"></div>
</section>
<section id="paragraphs" aria-labelledby="paragraphs-title">
<h2 id="paragraphs-title">Repeated paragraphs</h2>
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
</body>
</html>
`;
}

const percent = (value: number): string => `${Math.round(value * 100)}%`;

function summaryLine(data: ReportData): string {
  const { stats } = data;
  return `${stats.documents} documents, ${stats.paragraphs} paragraphs · threshold ${data.params.threshold}, containment ${data.params.containment}`;
}

function overview(data: ReportData): string {
  const { stats, params } = data;
  const cards: Array<[string, number]> = [
    ['Documents', stats.documents],
    ['Duplicate clusters', stats.duplicateClusters],
    ['Documents that duplicate another', stats.duplicateDocuments],
    ['Duplicate pairs', stats.duplicatePairs],
    ['Syndication pairs', stats.syndicationPairs],
    ['Syndicated paragraphs', stats.syndicatedParagraphs],
    ['Boilerplate paragraphs', stats.boilerplateParagraphs],
    ['Paragraphs repeated inside a document', stats.internalRepeats],
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
  const sizes = clusterSizeBars(data.clusters.map((cluster) => cluster.members.length));
  const kinds: Bar[] = (['syndicated', 'boilerplate', 'internal-repeat'] as const).map((kind) => ({
    label: kind === 'internal-repeat' ? 'inside a document' : kind,
    count: data.paragraphs.filter((cluster) => cluster.kind === kind).length,
  }));
  const embedded = data.documents.length;
  const figure = (caption: string, svg: string): string => `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
  return `<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Overview</h2>
<dl class="cards">
${cards.map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${value.toLocaleString('en-US')}</dd></div>`).join('\n')}
</dl>
<div class="charts">
${figure('Similarity of duplicate pairs', barChartSvg(similarity, { id: 'chart-similarity', title: 'Duplicate pairs by Jaccard similarity', xLabel: 'Jaccard similarity (bin start)', yLabel: 'pairs', emptyMessage: 'No duplicate pairs' }))}
${figure('Duplicate cluster sizes', barChartSvg(sizes, { id: 'chart-sizes', title: 'Duplicate clusters by number of documents', xLabel: 'documents in the cluster', yLabel: 'clusters', emptyMessage: 'No duplicate clusters' }))}
${figure('Repeated paragraphs by kind', barChartSvg(kinds, { id: 'chart-kinds', title: 'Repeated-paragraph clusters by kind', xLabel: 'kind', yLabel: 'clusters', emptyMessage: 'No repeated paragraphs' }))}
</div>
<p class="note" id="embedded-note">This report includes the texts of the ${embedded.toLocaleString('en-US')} of ${data.documentsTotal.toLocaleString('en-US')} documents that appear in some finding; the others are counted above but not included.</p>
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
