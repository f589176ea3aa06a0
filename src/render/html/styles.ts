/**
 * The report's stylesheet: system fonts only, light and dark themes (the system preference unless
 * the toggle set `data-theme` on the root), visible focus, paragraphs isolated for bidi text.
 */

/** The dark theme's colours, one declaration line each (the same for the toggle and the system preference). */
const DARK_PALETTE = [
  '--bg: #15171a; --panel: #1e2125; --text: #e6e7e9; --muted: #a3a9b0; --border: #3a3f45;',
  '--accent: #8ab4f8; --accent-text: #0d1117; --focus: #8ab4f8;',
  '--shared-bg: #5c4a0d; --shared-border: #e0b43a; --boiler-bg: #363b42; --boiler-border: #9aa3ad;',
  '--repeat-bg: #5a2640; --repeat-border: #e07aa5; --bar: #6f9eea; --bar2: #4fc196; --bar3: #c28ae6;',
  '--heat0: #24282d; --heat1: #1d3152; --heat2: #22437a; --heat3: #2b58a3; --heat4: #3f73c9; --heat5: #6c9bea; --heat6: #a9c6f7;',
];

function darkPalette(indent: string): string {
  return DARK_PALETTE.map((line) => `${indent}${line}\n`).join('');
}

/** The whole stylesheet, inlined in the report's <style>. */
export const REPORT_CSS = `
:root {
  color-scheme: light;
  --bg: #f7f7f5; --panel: #ffffff; --text: #1d1f21; --muted: #5b6168; --border: #d8dadc;
  --accent: #0b57d0; --accent-text: #ffffff; --focus: #0b57d0;
  --shared-bg: #ffe8a3; --shared-border: #c99a00; --boiler-bg: #e3e6ea; --boiler-border: #8a939c;
  --repeat-bg: #f6d2e4; --repeat-border: #b0466f; --bar: #3b74d6; --bar2: #2f9e74; --bar3: #a45ad1;
  --heat0: #eef0f2; --heat1: #dbe7fb; --heat2: #b5cdf6; --heat3: #86aef0; --heat4: #4f86e3; --heat5: #2a62c4; --heat6: #133f8f;
}
:root[data-theme="dark"] {
  color-scheme: dark;
${darkPalette('  ')}}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) {
    color-scheme: dark;
${darkPalette('    ')}  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); }
body {
  margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", Tahoma, sans-serif;
}
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 8px; top: 8px; background: var(--panel); padding: 6px 10px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 14px 24px; background: var(--panel); border-bottom: 1px solid var(--border); }
header.top h1 { margin: 0; font-size: 20px; }
header.top .sub { margin: 0; color: var(--muted); flex: 1; }
nav.sections { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 8px 24px; border-bottom: 1px solid var(--border); background: var(--panel); position: sticky; top: 0; z-index: 2; }
main { padding: 8px 24px 48px; max-width: 1400px; margin: 0 auto; }
section { margin-top: 24px; }
h2 { font-size: 18px; margin: 0 0 10px; }
.note { color: var(--muted); margin: 6px 0; }
button { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button:hover { border-color: var(--accent); }
#theme-toggle[aria-pressed="true"] { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
button.primary { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 0; }
.cards div { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; }
.cards dt { color: var(--muted); font-size: 13px; }
.cards dd { margin: 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; margin-top: 12px; }
.charts figure { margin: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px; }
.charts figcaption { font-weight: 600; font-size: 14px; margin: 0 4px 4px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .bar { fill: var(--bar); }
#chart-sizes .bar { fill: var(--bar2); }
#chart-kinds .bar { fill: var(--bar3); }
#chart-delays .bar { fill: var(--bar); }
.overview-main { display: grid; grid-template-columns: minmax(300px, 560px) minmax(0, 1fr); gap: 12px; margin-top: 12px; align-items: start; }
@media (max-width: 900px) { .overview-main { grid-template-columns: 1fr; } }
.overview-main figure { margin: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px; }
.overview-main figcaption { font-weight: 600; font-size: 14px; margin: 0 4px 4px; }
svg.chart .heat-cell { stroke: var(--border); stroke-width: .5; }
svg.chart .heat-cell.l0 { fill: var(--heat0); } svg.chart .heat-cell.l1 { fill: var(--heat1); } svg.chart .heat-cell.l2 { fill: var(--heat2); }
svg.chart .heat-cell.l3 { fill: var(--heat3); } svg.chart .heat-cell.l4 { fill: var(--heat4); } svg.chart .heat-cell.l5 { fill: var(--heat5); } svg.chart .heat-cell.l6 { fill: var(--heat6); }
svg.chart text.heat-count { fill: var(--text); font-size: 10px; font-weight: 600; pointer-events: none; }
svg.chart text.heat-count.dark { fill: var(--panel); }
.largest-box { min-width: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px; overflow: auto; }
table.largest { border: 0; }
table.largest caption { text-align: start; font-weight: 600; font-size: 14px; padding: 0 4px 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
svg.chart .bar-group:hover .bar { opacity: .8; }
svg.chart text { fill: var(--muted); font-size: 10px; font-family: inherit; }
svg.chart text.value { fill: var(--text); font-weight: 600; }
svg.chart text.label { font-size: 11px; }
svg.chart .axis { stroke: var(--muted); }
svg.chart .grid { stroke: var(--border); stroke-dasharray: 3 3; }
.params { font-size: 13px; color: var(--muted); }
.params code { color: var(--text); }
.list-tools { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-bottom: 6px; }
.list-tools input, .list-tools select { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 3px 8px; min-width: 16em; }
.list-tools select { min-width: 0; }
.list-tools .count { flex: 1; }
.count { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; }
th, td { text-align: start; padding: 6px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
thead th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.arrow { color: var(--muted); padding: 6px 0; }
.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; unicode-bidi: isolate; }
.meta { display: block; color: var(--muted); font-size: 12px; }
.doc-cell { min-width: 0; max-width: 60ch; }
.doc-cell .headline, a.headline { display: block; unicode-bidi: plaintext; font-weight: 500; overflow-wrap: anywhere; }
.doc-cell .meta .id { font-size: 12px; }
th button.sort { border: 0; background: none; padding: 0; font: inherit; color: inherit; font-weight: 600; cursor: pointer; }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; }
th[aria-sort="descending"] button.sort::after { content: " ▼"; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline li { display: grid; grid-template-columns: 8.5em 140px minmax(0, 3fr) minmax(0, 2fr) 15em; gap: 4px 12px; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--border); }
@media (max-width: 900px) { .timeline li { grid-template-columns: 8em 1fr; } }
.timeline .when { color: var(--muted); white-space: nowrap; }
.track { position: relative; display: block; height: 4px; background: var(--border); border-radius: 2px; }
.dot { position: absolute; top: -4px; width: 12px; height: 12px; border-radius: 50%; background: var(--bar); border: 2px solid var(--panel); }
.dot.origin { background: var(--shared-border); }
.dot.contains { background: var(--bar3); }
.dot.copy { background: var(--bar2); }
.how { display: flex; flex-wrap: wrap; gap: 2px 12px; align-items: center; font-size: 13px; }
.relation { font-weight: 600; unicode-bidi: plaintext; overflow-wrap: anywhere; }
.share { display: inline-flex; align-items: center; gap: 6px; color: var(--muted); white-space: nowrap; }
.meter { display: inline-block; inline-size: 60px; block-size: 6px; background: var(--border); border-radius: 3px; overflow: hidden; }
.meter .fill { display: block; block-size: 100%; background: var(--bar2); }
.meter.adds .fill { background: var(--bar3); }
.snippet { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; unicode-bidi: plaintext; max-width: 70ch; }
.kind { display: inline-block; font-size: 12px; border-radius: 10px; padding: 0 8px; border: 1px solid var(--border); white-space: nowrap; }
.kind.syndicated { background: var(--shared-bg); border-color: var(--shared-border); }
.kind.boilerplate { background: var(--boiler-bg); border-color: var(--boiler-border); }
.kind.internal-repeat { background: var(--repeat-bg); border-color: var(--repeat-border); }
.more { margin-top: 8px; }
dialog#detail { width: min(1400px, 96vw); max-height: 94vh; padding: 0; border: 1px solid var(--border); border-radius: 10px; background: var(--bg); color: var(--text); }
dialog#detail::backdrop { background: rgba(0, 0, 0, .45); }
.detail-head { display: flex; align-items: center; gap: 12px; padding: 10px 16px; background: var(--panel); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 1; }
.detail-head h2 { margin: 0; flex: 1; font-size: 17px; overflow-wrap: anywhere; }
/* The heading takes focus only to move the reader into new content; it is not a control. */
#detail-title:focus { outline: none; }
#detail-body { padding: 12px 16px 20px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13px; color: var(--muted); margin: 4px 0 10px; }
.legend mark { padding: 0 6px; }
.summary { margin: 0 0 10px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
@media (max-width: 800px) { .pair { grid-template-columns: 1fr; } }
.doc { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; min-width: 0; }
.doc-head { padding: 8px 12px; border-bottom: 1px solid var(--border); }
.doc-head .role { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.doc-head .title { display: block; font-weight: 600; unicode-bidi: plaintext; }
.doc-head a { word-break: break-all; font-size: 12px; }
.doc-text { padding: 4px 12px 10px; max-height: 70vh; overflow: auto; }
.doc-text p { margin: 8px 0; unicode-bidi: plaintext; overflow-wrap: anywhere; }
mark { color: inherit; border-radius: 3px; padding: 1px 0; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.shared { background: var(--shared-bg); box-shadow: inset 0 -2px 0 var(--shared-border); }
mark.boilerplate { background: var(--boiler-bg); box-shadow: inset 0 -2px 0 var(--boiler-border); }
mark.internal-repeat { background: var(--repeat-bg); box-shadow: inset 0 -2px 0 var(--repeat-border); }
mark.current { outline: 2px solid var(--focus); }
mark[data-n]::before { content: attr(data-n); display: inline-block; font-size: 11px; font-weight: 700; line-height: 1.4; min-width: 1.5em; text-align: center; margin-inline-end: 4px; border-radius: 8px; background: var(--shared-border); color: var(--panel); unicode-bidi: isolate; }
.members { list-style: none; padding: 0; margin: 0; }
.members li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; padding: 6px 0; border-bottom: 1px solid var(--border); }
.paragraph-text { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; unicode-bidi: plaintext; }
.back { display: inline-block; margin-bottom: 10px; }
`;
