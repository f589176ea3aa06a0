/**
 * The report's inline script (plain ES2020, no dependencies): reads the embedded JSON once (the
 * texts only when a view needs them), fills sortable, searchable, exportable lists a page at a
 * time, and builds story, pair and document views on demand behind URL fragments (`#story-3`,
 * `#syndication-12`, `#duplicate-4`, `#cluster-2`, `#paragraph-9`, `#document-17`). Every string
 * from the data reaches the page through `textContent` or `setAttribute`, never as markup.
 * The page logic is one closure in four parts by concern (client/page, views, list, tables),
 * joined here in that order; each part uses names the ones before it define.
 */
import { LIST_SCRIPT } from './client/list.js';
import { PAGE_SCRIPT } from './client/page.js';
import { TABLES_SCRIPT } from './client/tables.js';
import { VIEWS_SCRIPT } from './client/views.js';

/**
 * The report's delay format, the same as `duration` in src/render/shared.ts (a test holds the two
 * to the same output); on its own so that test can run it.
 */
export const DURATION_SCRIPT = String.raw`function duration(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    var sign = seconds < 0 ? '−' : '';
    var s = Math.abs(Math.round(seconds));
    if (s < 60) return sign + s + ' s';
    if (s < 3600) return sign + Math.floor(s / 60) + ' min';
    if (s < 86400) return sign + Math.floor(s / 3600) + ' h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + ' min';
    return sign + Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }`;

const BODY = PAGE_SCRIPT + VIEWS_SCRIPT + LIST_SCRIPT + TABLES_SCRIPT;

/** The whole inline script: the delay format, then the page logic, in one strict function. */
export const REPORT_SCRIPT = `(function () {\n  'use strict';\n  ${DURATION_SCRIPT}\n${BODY}})();\n`;
