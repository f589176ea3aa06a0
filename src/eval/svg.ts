/**
 * A minimal SVG line/point chart, written by hand (no dependencies), deterministic to the byte.
 */

/** One plotted series: a polyline, or points (with optional ±error bars). */
export interface Series {
  name: string;
  color: string;
  style: 'line' | 'points' | 'dashed';
  points: ReadonlyArray<{ x: number; y: number; error?: number }>;
}

/** A chart: axes domains, tick values (with labels), series, and vertical marker lines. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  xTicks: ReadonlyArray<{ value: number; label: string }>;
  yTicks: ReadonlyArray<{ value: number; label: string }>;
  series: readonly Series[];
  markers?: ReadonlyArray<{ x: number; label: string }>;
}

const WIDTH = 720;
const HEIGHT = 460;
const MARGIN = { left: 70, right: 200, top: 40, bottom: 56 };

const fixed = (value: number): string => (Math.round(value * 10) / 10).toString();
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Render `chart` as a standalone SVG document. */
export function renderChart(chart: Chart): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - chart.xDomain[0]) / (chart.xDomain[1] - chart.xDomain[0])) * plotWidth;
  const sy = (y: number): number => MARGIN.top + plotHeight - ((y - chart.yDomain[0]) / (chart.yDomain[1] - chart.yDomain[0])) * plotHeight;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  out.push(`<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${escape(chart.title)}</text>`);
  for (const tick of chart.xTicks) {
    const x = fixed(sx(tick.value));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotHeight}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${escape(tick.label)}</text>`);
  }
  for (const tick of chart.yTicks) {
    const y = fixed(sy(tick.value));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotWidth}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escape(tick.label)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`);
  for (const marker of chart.markers ?? []) {
    const x = fixed(sx(marker.x));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotHeight}" stroke="#999" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${fixed(sx(marker.x) + 4)}" y="${MARGIN.top + plotHeight - 8}" fill="#666">${escape(marker.label)}</text>`);
  }
  chart.series.forEach((series, i) => {
    if (series.style === 'points') {
      for (const point of series.points) {
        const x = fixed(sx(point.x));
        if (point.error !== undefined) {
          out.push(`<line x1="${x}" y1="${fixed(sy(point.y - point.error))}" x2="${x}" y2="${fixed(sy(point.y + point.error))}" stroke="${series.color}"/>`);
        }
        out.push(`<circle cx="${x}" cy="${fixed(sy(point.y))}" r="3.5" fill="${series.color}"/>`);
      }
    } else {
      const path = series.points.map((point) => `${fixed(sx(point.x))},${fixed(sy(point.y))}`).join(' ');
      const dash = series.style === 'dashed' ? ' stroke-dasharray="6 4"' : '';
      out.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    }
    const ly = MARGIN.top + 14 + i * 20;
    const lx = MARGIN.left + plotWidth + 16;
    if (series.style === 'points') out.push(`<circle cx="${lx + 10}" cy="${ly}" r="4" fill="${series.color}"/>`);
    else out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${series.color}" stroke-width="2"${series.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escape(series.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
