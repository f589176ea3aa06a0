/**
 * Inline SVG bar charts for the report overview: no scripts, no external assets; colours come
 * from the page's CSS classes so both themes apply.
 */
import { escapeHtml } from './escape.js';

/** One bar: its axis label, its value, and an optional longer description for the tooltip. */
export interface Bar {
  label: string;
  count: number;
  description?: string;
}

/** Chart text: `id` must be unique in the page (it links the accessible title and description). */
export interface ChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Shown instead of the bars when every count is zero. */
  emptyMessage: string;
}

const WIDTH = 360;
const HEIGHT = 210;
const MARGIN = { top: 22, right: 8, bottom: 44, left: 50 };

const format = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Render bars as an accessible SVG bar chart (`role="img"`, title, and a text description of every bar). */
export function barChartSvg(bars: readonly Bar[], options: ChartOptions): string {
  const id = escapeHtml(options.id);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(0, ...bars.map((bar) => bar.count));
  const description = bars.map((bar) => `${bar.description ?? bar.label}: ${bar.count}`).join('; ');
  const parts: string[] = [
    `<svg class="chart" id="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeHtml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(description || options.emptyMessage)}</desc>`,
  ];
  const baseline = MARGIN.top + plotHeight;
  parts.push(`<line class="axis" x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}"/>`);
  const ticks = max === 0 ? [0] : max === 1 ? [0, 1] : [0, Math.round(max / 2), max];
  for (const tick of ticks) {
    const y = baseline - (max === 0 ? 0 : (tick / max) * plotHeight);
    if (tick > 0) parts.push(`<line class="grid" x1="${MARGIN.left}" y1="${y.toFixed(1)}" x2="${WIDTH - MARGIN.right}" y2="${y.toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 5}" y="${(y + 3.5).toFixed(1)}" text-anchor="end">${format(tick)}</text>`);
  }
  if (max === 0 || bars.length === 0) {
    parts.push(`<text class="empty" x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle">${escapeHtml(options.emptyMessage)}</text>`);
  } else {
    const slot = plotWidth / bars.length;
    const barWidth = Math.max(1, slot * 0.78);
    bars.forEach((bar, index) => {
      const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
      const height = (bar.count / max) * plotHeight;
      const y = baseline - height;
      const center = (x + barWidth / 2).toFixed(1);
      parts.push(
        `<g class="bar-group"><title>${escapeHtml(`${bar.description ?? bar.label}: ${bar.count}`)}</title>` +
          `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"/>` +
          (bar.count > 0 ? `<text class="value" x="${center}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${bar.count}</text>` : '') +
          `</g>`,
        `<text class="tick" x="${center}" y="${baseline + 14}" text-anchor="middle">${escapeHtml(bar.label)}</text>`,
      );
    });
  }
  parts.push(`<text class="label" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`);
  parts.push(
    `<text class="label" transform="rotate(-90)" x="${-(MARGIN.top + plotHeight / 2)}" y="12" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Histogram of values in [from, to] with `binCount` equal bins; values outside are clamped into
 * the first or last bin (the last bin includes `to`).
 */
export function histogramBars(values: readonly number[], from: number, to: number, binCount: number, noun: string): Bar[] {
  const width = (to - from) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    const bin = Math.min(binCount - 1, Math.max(0, Math.floor((value - from) / width + 1e-9)));
    counts[bin]!++;
  }
  return counts.map((count, bin) => {
    const low = from + bin * width;
    const high = low + width;
    const closing = bin === binCount - 1 ? '≤' : '<';
    return { label: low.toFixed(2), count, description: `${noun} ${low.toFixed(2)} ≤ x ${closing} ${high.toFixed(2)}` };
  });
}

/** Distribution of cluster sizes: one bar per size from 2 to `maxSize - 1`, and one for `maxSize`+. */
export function clusterSizeBars(sizes: readonly number[], maxSize = 10): Bar[] {
  const bars: Bar[] = [];
  for (let size = 2; size <= maxSize; size++) {
    const open = size === maxSize;
    const count = sizes.filter((s) => (open ? s >= size : s === size)).length;
    bars.push({ label: open ? `${size}+` : String(size), count, description: `clusters of ${open ? `${size} or more` : size} documents` });
  }
  return bars;
}

/** One cell of a {@link heatMapSvg}: row and column indexes into the labels. */
export interface HeatCell {
  row: number;
  column: number;
  count: number;
  /** Tooltip and accessible description of the cell. */
  description: string;
}

/** Heat-map text: `id` must be unique in the page. */
export interface HeatMapOptions {
  id: string;
  title: string;
  rowLabel: string;
  columnLabel: string;
  emptyMessage: string;
}

const HEAT_LEVELS = 6;

/**
 * A matrix of counts as an accessible SVG heat map: rows and columns share `labels`; the shade of
 * a cell grows with the logarithm of its count (CSS classes `l1`…`l6`), and each cell shows its
 * count and names it in a tooltip.
 */
export function heatMapSvg(labels: readonly string[], cells: readonly HeatCell[], options: HeatMapOptions): string {
  const id = escapeHtml(options.id);
  const cell = 34;
  const left = 8 + 7 * Math.min(16, Math.max(4, ...labels.map((label) => label.length)));
  const top = left;
  const width = left + cell * labels.length + 8;
  const height = top + cell * labels.length + 8;
  const max = Math.max(0, ...cells.map((c) => c.count));
  const description = [...cells].sort((x, y) => y.count - x.count).map((c) => c.description).join('; ');
  const parts: string[] = [
    `<svg class="chart heat" id="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeHtml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(description || options.emptyMessage)}</desc>`,
  ];
  if (max === 0) {
    parts.push(`<text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">${escapeHtml(options.emptyMessage)}</text></svg>`);
    return parts.join('');
  }
  const short = (label: string): string => (label.length > 16 ? `${label.slice(0, 15)}…` : label);
  labels.forEach((label, i) => {
    const middle = (i + 0.5) * cell;
    parts.push(`<text class="tick" x="${left - 6}" y="${(top + middle + 3.5).toFixed(1)}" text-anchor="end">${escapeHtml(short(label))}</text>`);
    parts.push(`<text class="tick" transform="translate(${(left + middle + 3.5).toFixed(1)} ${top - 6}) rotate(-60)">${escapeHtml(short(label))}</text>`);
    for (let j = 0; j < labels.length; j++) parts.push(`<rect class="heat-cell l0" x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}"/>`);
  });
  for (const c of cells) {
    if (c.count === 0) continue;
    const level = Math.max(1, Math.ceil((HEAT_LEVELS * Math.log1p(c.count)) / Math.log1p(max)));
    const x = left + c.column * cell;
    const y = top + c.row * cell;
    parts.push(
      `<g class="bar-group"><title>${escapeHtml(c.description)}</title>` +
        `<rect class="heat-cell l${level}" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}"/>` +
        `<text class="heat-count${level > HEAT_LEVELS / 2 ? ' dark' : ''}" x="${x + (cell - 2) / 2}" y="${y + cell / 2 + 2}" text-anchor="middle">${c.count}</text></g>`,
    );
  }
  parts.push(`<text class="label" x="4" y="12">${escapeHtml(`${options.rowLabel} ↓  ${options.columnLabel} →`)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
