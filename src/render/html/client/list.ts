/**
 * The report script's list widget (`makeList`): text search over headlines, outlets and texts,
 * facets, sortable columns, paging, and export of what matches as CSV or JSONL.
 *
 * Part of one script (see ../client.ts): it shares the enclosing function's names with the other
 * parts. Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */

/** List part of the report script. */
export const LIST_SCRIPT = String.raw`

  // Lists: filter by text (headlines, outlets, embedded texts), sort by any sortable column, page
  // through, and export what matches as CSV or JSONL.
  var matchCache = { query: null, docs: new Map() };
  function docMatches(d, query) {
    if (matchCache.query !== query) matchCache = { query: query, docs: new Map() };
    var known = matchCache.docs.get(d);
    if (known !== undefined) return known;
    var text = textOf(d);
    var found = headlineOf(d).toLowerCase().indexOf(query) >= 0 || D.id[d].toLowerCase().indexOf(query) >= 0 ||
      outletOf(d).toLowerCase().indexOf(query) >= 0 || (text !== null && text.toLowerCase().indexOf(query) >= 0);
    matchCache.docs.set(d, found);
    return found;
  }
  function csvField(value) {
    var text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var a = el('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function makeList(container, options) {
    if (options.rows.length === 0) {
      container.append(el('p', { class: 'note', text: options.empty }));
      return;
    }
    var shown = PAGE;
    var query = '';
    var facet = '';
    var sortColumn = options.sort[0];
    var descending = options.sort[1] === 'desc';
    var search = el('input', { type: 'search', 'aria-label': options.filterLabel, placeholder: options.filterLabel });
    var tools = el('div', { class: 'list-tools' }, [search]);
    var select = null;
    if (options.facets) {
      select = el('select', { 'aria-label': options.facets.label }, options.facets.values.map(function (v) { return el('option', { value: v[0], text: v[1] }); }));
      tools.append(select);
      select.addEventListener('change', function () { facet = select.value; shown = PAGE; render(); });
    }
    var count = el('p', { class: 'count', 'aria-live': 'polite' });
    tools.append(count,
      button('Export CSV', function () { whenTexts(function () { exportRows('csv'); }); }, { 'data-action': 'export-csv' }),
      button('Export JSONL', function () { whenTexts(function () { exportRows('jsonl'); }); }, { 'data-action': 'export-jsonl' }));
    var headers = options.columns.map(function (col, c) {
      var th = el('th', { scope: 'col' });
      if (col.sort) {
        th.append(button(col.head, function () {
          if (sortColumn === c) descending = !descending;
          else { sortColumn = c; descending = col.firstDescending !== false; }
          shown = PAGE;
          render();
        }, { class: 'sort', 'data-sort': col.name }));
      } else th.textContent = col.head;
      return th;
    });
    var body = el('tbody');
    var table = el('table', null, [el('thead', null, [el('tr', null, headers)]), body]);
    var more = button('Show more', function () { shown += PAGE; render(); }, { class: 'more' });
    var timer = null;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { query = search.value.trim().toLowerCase(); shown = PAGE; whenTexts(render); }, 120);
    });
    var keys = [];
    var position = new Map();
    options.rows.forEach(function (row, i) { position.set(row, i); });
    function matching() {
      var rows = options.rows.filter(function (row) {
        if (facet && !options.facets.test(row, facet)) return false;
        if (!query) return true;
        if (options.extra && options.extra(row).toLowerCase().indexOf(query) >= 0) return true;
        return options.docs(row).some(function (d) { return docMatches(d, query); });
      });
      var sortBy = options.columns[sortColumn].sort;
      if (!keys[sortColumn]) {
        keys[sortColumn] = new Map();
        options.rows.forEach(function (row) { keys[sortColumn].set(row, sortBy(row)); });
      }
      var key = keys[sortColumn];
      var sign = descending ? -1 : 1;
      return rows.sort(function (x, y) {
        var kx = key.get(x);
        var ky = key.get(y);
        var order = kx < ky ? -1 : kx > ky ? 1 : 0;
        return sign * order || position.get(x) - position.get(y);
      });
    }
    function render() {
      var rows = matching();
      headers.forEach(function (th, c) {
        if (!options.columns[c].sort) return;
        th.setAttribute('aria-sort', c === sortColumn ? (descending ? 'descending' : 'ascending') : 'none');
      });
      body.replaceChildren.apply(body, rows.slice(0, shown).map(function (row) {
        return el('tr', null, options.columns.map(function (col) { return el('td', { class: col.cls }, [col.cell(row)]); }));
      }));
      count.textContent = rows.length === options.rows.length ? plural(rows.length, options.unit[0], options.unit[1]) + ' in total' : rows.length.toLocaleString('en-US') + ' of ' + plural(options.rows.length, options.unit[0], options.unit[1]) + ' match';
      more.hidden = rows.length <= shown;
      more.textContent = 'Show ' + Math.min(PAGE, rows.length - shown) + ' more';
    }
    function exportRows(format) {
      var records = matching().map(options.exportRow);
      var name = 'syndic-' + options.name + (query ? '-filtered' : '');
      if (format === 'jsonl') {
        download(name + '.jsonl', 'application/x-ndjson', records.map(function (r) { return JSON.stringify(r) + '\n'; }).join(''));
        return;
      }
      var head = records.length > 0 ? Object.keys(records[0]) : options.exportColumns;
      download(name + '.csv', 'text/csv', [head].concat(records.map(function (r) { return head.map(function (k) { return r[k]; }); }))
        .map(function (row) { return row.map(csvField).join(',') + '\r\n'; }).join(''));
    }
    container.append(tools, table, more);
    render();
  }`;
