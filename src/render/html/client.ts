/**
 * The report's inline script (plain ES2020, no dependencies): reads the embedded JSON once, fills
 * the lists a page at a time, and builds document views only when one is opened. Every string
 * from the data reaches the page through `textContent` or `setAttribute`, never as markup.
 * Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('syndic-data').textContent);
  var docs = data.documents;
  var PAGE = 50;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'text') node.textContent = String(value);
        else if (key === 'class') node.className = value;
        else if (key === 'onclick') node.addEventListener('click', value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    if (children) children.forEach(function (child) { if (child !== null && child !== undefined) node.append(child); });
    return node;
  }
  function button(label, onclick, attrs) {
    var node = el('button', Object.assign({ type: 'button', text: label }, attrs || {}));
    node.addEventListener('click', onclick);
    return node;
  }
  function percent(x) { return (x * 100).toFixed(x >= 0.995 || x === 0 ? 0 : 1) + '%'; }
  function docId(d) { return el('bdi', { class: 'id', text: docs[d].id }); }
  function metaText(d) {
    var doc = docs[d];
    return [doc.source, doc.date].filter(Boolean).join(' · ');
  }
  function docCell(d) {
    var meta = metaText(d);
    return el('div', null, [docId(d), meta ? el('bdi', { class: 'meta', text: meta }) : null]);
  }
  function safeUrl(url) { return /^https?:\/\//i.test(url || '') ? url : null; }

  // Theme: the system preference until the toggle picks one; the choice is remembered if storage allows.
  var toggle = document.getElementById('theme-toggle');
  var media = window.matchMedia('(prefers-color-scheme: dark)');
  function isDark() {
    var chosen = root.getAttribute('data-theme');
    return chosen ? chosen === 'dark' : media.matches;
  }
  function syncToggle() { toggle.setAttribute('aria-pressed', String(isDark())); }
  try {
    var saved = localStorage.getItem('syndic-theme');
    if (saved === 'dark' || saved === 'light') root.setAttribute('data-theme', saved);
  } catch (e) { /* storage unavailable (file:// policies): keep the system theme */ }
  toggle.addEventListener('click', function () {
    var next = isDark() ? 'light' : 'dark';
    root.setAttribute('data-theme', next);
    try { localStorage.setItem('syndic-theme', next); } catch (e) { /* see above */ }
    syncToggle();
  });
  media.addEventListener('change', syncToggle);
  syncToggle();

  // Paragraph occurrences per document, built on the first document view.
  var occurrencesByDoc = null;
  function occurrencesOf(d) {
    if (!occurrencesByDoc) {
      occurrencesByDoc = new Map();
      data.paragraphs.forEach(function (cluster, c) {
        var o = cluster.occurrences;
        for (var i = 0; i < o.length; i += 4) {
          var list = occurrencesByDoc.get(o[i]);
          if (!list) occurrencesByDoc.set(o[i], (list = []));
          list.push({ cluster: c, paragraph: o[i + 1], start: o[i + 2], end: o[i + 3] });
        }
      });
    }
    return occurrencesByDoc.get(d) || [];
  }
  var paragraphTexts = [];
  function paragraphText(c) {
    if (paragraphTexts[c] === undefined) {
      var o = data.paragraphs[c].occurrences;
      paragraphTexts[c] = docs[o[0]].text.slice(o[2], o[3]);
    }
    return paragraphTexts[c];
  }
  var pairJaccard = new Map();
  data.duplicatePairs.forEach(function (p) { pairJaccard.set(Math.min(p[0], p[1]) + ':' + Math.max(p[0], p[1]), p[2]); });
  function jaccardOf(a, b) { return pairJaccard.get(Math.min(a, b) + ':' + Math.max(a, b)); }

  // A document's original text, one <p dir="auto"> per line, marks at the given offsets.
  function renderText(d, marks) {
    var text = docs[d].text;
    var box = el('div', { class: 'doc-text', tabindex: 0, 'aria-label': 'Text of ' + docs[d].id });
    marks = marks.slice().sort(function (x, y) { return x.start - y.start; });
    var first = 0;
    var breaks = /\r\n|\n|\r/g;
    var lineStart = 0;
    for (;;) {
      var found = breaks.exec(text);
      var lineEnd = found ? found.index : text.length;
      if (text.slice(lineStart, lineEnd).trim()) {
        var p = el('p', { dir: 'auto' });
        var pos = lineStart;
        while (first < marks.length && marks[first].end <= lineStart) first++;
        for (var m = first; m < marks.length && marks[m].start < lineEnd; m++) {
          var mark = marks[m];
          var s = Math.max(mark.start, pos);
          var e = Math.min(mark.end, lineEnd);
          if (e <= s) continue;
          if (s > pos) p.append(text.slice(pos, s));
          p.append(el('mark', { class: mark.cls, 'data-n': mark.n, 'data-cluster': mark.cluster, title: mark.title, text: text.slice(s, e) }));
          pos = e;
        }
        if (pos < lineEnd) p.append(text.slice(pos, lineEnd));
        box.append(p);
      }
      if (!found) break;
      lineStart = breaks.lastIndex;
    }
    if (!box.firstChild) box.append(el('p', { class: 'note', text: '(empty text)' }));
    return box;
  }

  function docPanel(d, role, marks) {
    var doc = docs[d];
    var url = safeUrl(doc.url);
    var meta = metaText(d) + ' · ' + doc.chars.toLocaleString() + ' characters, ' + doc.paragraphs + ' paragraphs';
    return el('article', { class: 'doc', 'aria-label': role + ' ' + doc.id }, [
      el('div', { class: 'doc-head' }, [
        el('div', { class: 'role', text: role }),
        docId(d),
        el('bdi', { class: 'meta', text: meta.replace(/^ · /, '') }),
        doc.title ? el('bdi', { class: 'title', dir: 'auto', text: doc.title }) : null,
        url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', dir: 'ltr', text: url }) : null,
      ]),
      renderText(d, marks),
    ]);
  }

  function legend(items) {
    return el('p', { class: 'legend' }, items.map(function (item) { return el('span', null, [el('mark', { class: item[0], text: item[1] })]); }));
  }

  // Two documents side by side; paragraphs found in both are numbered in the order of the left one.
  function pairView(left, right, roles, summary) {
    var inRight = new Set(occurrencesOf(right).map(function (o) { return o.cluster; }));
    var numbers = new Map();
    occurrencesOf(left).forEach(function (o) { if (inRight.has(o.cluster) && !numbers.has(o.cluster)) numbers.set(o.cluster, numbers.size + 1); });
    function marksFor(d) {
      var marks = [];
      occurrencesOf(d).forEach(function (o) {
        var kind = data.paragraphs[o.cluster].kind;
        var n = numbers.get(o.cluster);
        if (n !== undefined) {
          var boiler = kind === 'boilerplate';
          marks.push({ start: o.start, end: o.end, cluster: o.cluster, n: n, cls: boiler ? 'boilerplate' : 'shared', title: boiler ? 'Boilerplate in both documents' : 'Shared paragraph ' + n });
        } else if (kind === 'internal-repeat') {
          marks.push({ start: o.start, end: o.end, cluster: o.cluster, cls: 'internal-repeat', title: 'Repeated inside this document' });
        }
      });
      return marks;
    }
    return el('div', null, [
      el('p', { class: 'summary', text: summary }),
      legend([['shared', 'shared paragraph (numbered)'], ['boilerplate', 'shared boilerplate'], ['internal-repeat', 'repeated inside one document']]),
      el('div', { class: 'pair' }, [docPanel(left, roles[0], marksFor(left)), docPanel(right, roles[1], marksFor(right))]),
    ]);
  }

  function singleView(d, focusCluster) {
    var marks = occurrencesOf(d).map(function (o) {
      var kind = data.paragraphs[o.cluster].kind;
      var cls = kind === 'syndicated' ? 'shared' : kind;
      return { start: o.start, end: o.end, cluster: o.cluster, cls: cls + (o.cluster === focusCluster ? ' current' : ''), title: kind };
    });
    return el('div', null, [
      legend([['shared', 'syndicated paragraph'], ['boilerplate', 'boilerplate'], ['internal-repeat', 'repeated inside this document']]),
      docPanel(d, 'Document', marks),
    ]);
  }

  // The detail dialog: native <dialog> (Escape closes it); focus returns to the button that opened it.
  var dialog = document.getElementById('detail');
  var detailTitle = document.getElementById('detail-title');
  var detailBody = document.getElementById('detail-body');
  var opener = null;
  function openDetail(heading, content, back) {
    detailTitle.textContent = heading;
    detailBody.replaceChildren();
    if (back) detailBody.append(button('← ' + back[0], back[1], { class: 'back' }));
    detailBody.append(content);
    if (!dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    }
    detailBody.scrollTop = 0;
    dialog.scrollTop = 0;
    detailTitle.focus();
    var current = detailBody.querySelector('mark.current');
    if (current) current.scrollIntoView({ block: 'center' });
  }
  dialog.querySelector('.close').addEventListener('click', function () { dialog.close(); });
  dialog.addEventListener('close', function () {
    detailBody.replaceChildren();
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });

  function openSyndication(i, back) {
    var s = data.syndication[i];
    var copy = s.origin === s.a ? s.b : s.a;
    var copyCovered = copy === s.a ? s.aInB : s.bInA;
    var originCovered = copy === s.a ? s.bInA : s.aInB;
    var summary = s.sharedParagraphs + ' shared paragraph' + (s.sharedParagraphs === 1 ? '' : 's') + ': ' + percent(copyCovered) +
      ' of the copy is found in the origin, ' + percent(originCovered) + ' of the origin in the copy.';
    openDetail('Syndication: ' + docs[s.origin].id + ' → ' + docs[copy].id, pairView(s.origin, copy, ['Origin', 'Copy'], summary), back);
  }
  function openCompare(rep, member, c) {
    var j = jaccardOf(rep, member);
    var summary = j === undefined ? 'Clustered through other members (not compared directly).' : 'Jaccard similarity ' + j.toFixed(3) + '.';
    openDetail('Near-duplicates: ' + docs[rep].id + ' ≈ ' + docs[member].id, pairView(rep, member, ['Representative', 'Member'], summary),
      ['Back to cluster ' + (c + 1), function () { openCluster(c); }]);
  }
  function openCluster(c) {
    var cluster = data.clusters[c];
    var rep = cluster.representative;
    var list = el('ul', { class: 'members' }, cluster.members.map(function (m) {
      var j = m === rep ? null : jaccardOf(rep, m);
      return el('li', null, [
        docCell(m),
        el('span', { class: 'num', text: m === rep ? 'representative' : j === undefined ? 'Jaccard —' : 'Jaccard ' + j.toFixed(3) }),
        m === rep ? null : button('Compare with representative', function () { openCompare(rep, m, c); }, { 'data-action': 'compare-member' }),
      ]);
    }));
    openDetail('Duplicate cluster ' + (c + 1) + ' (' + cluster.members.length + ' documents)', list);
  }
  function openDocument(d, focusCluster, back) {
    openDetail('Document ' + docs[d].id, singleView(d, focusCluster), back);
  }
  function openParagraph(c) {
    var cluster = data.paragraphs[c];
    var o = cluster.occurrences;
    var items = [];
    for (var i = 0; i < o.length; i += 4) {
      (function (d, paragraph) {
        items.push(el('li', null, [
          docCell(d),
          el('span', { class: 'num', text: 'paragraph ' + (paragraph + 1) }),
          button('Open document', function () { openDocument(d, c, ['Back to paragraph', function () { openParagraph(c); }]); }, { 'data-action': 'open-document' }),
        ]));
      })(o[i], o[i + 1]);
    }
    openDetail('Repeated paragraph (' + cluster.kind + ', ' + o.length / 4 + ' occurrences)', el('div', null, [
      el('p', { class: 'paragraph-text', dir: 'auto', text: paragraphText(c) }),
      el('ul', { class: 'members' }, items),
    ]));
  }

  // A filterable table that renders PAGE rows at a time.
  function makeList(container, options) {
    var shown = PAGE;
    var query = '';
    var facet = '';
    var search = el('input', { type: 'search', 'aria-label': options.filterLabel, placeholder: options.filterLabel });
    var tools = el('div', { class: 'list-tools' }, [search]);
    var select = null;
    if (options.facets) {
      select = el('select', { 'aria-label': options.facets.label }, options.facets.values.map(function (v) { return el('option', { value: v[0], text: v[1] }); }));
      tools.append(select);
      select.addEventListener('change', function () { facet = select.value; shown = PAGE; render(); });
    }
    var count = el('p', { class: 'count', 'aria-live': 'polite' });
    tools.append(count);
    var body = el('tbody');
    var table = el('table', null, [
      el('thead', null, [el('tr', null, options.columns.map(function (col) { return el('th', { scope: 'col', text: col.head }); }))]),
      body,
    ]);
    var more = button('Show more', function () { shown += PAGE; render(); }, { class: 'more' });
    search.addEventListener('input', function () { query = search.value.trim().toLowerCase(); shown = PAGE; render(); });
    function render() {
      var rows = options.rows.filter(function (row) {
        if (facet && !options.facets.test(row, facet)) return false;
        return !query || options.text(row).toLowerCase().indexOf(query) >= 0;
      });
      body.replaceChildren.apply(body, rows.slice(0, shown).map(function (row) {
        return el('tr', null, options.columns.map(function (col) { return el('td', { class: col.cls }, [col.cell(row)]); }));
      }));
      count.textContent = rows.length === options.rows.length ? rows.length + ' in total' : rows.length + ' of ' + options.rows.length + ' match';
      more.hidden = rows.length <= shown;
      more.textContent = 'Show ' + Math.min(PAGE, rows.length - shown) + ' more';
    }
    if (options.rows.length === 0) {
      container.append(el('p', { class: 'note', text: options.empty }));
      return;
    }
    container.append(tools, table, more);
    render();
  }

  function ids(list) { return list.map(function (d) { return docs[d].id + ' ' + (docs[d].source || ''); }).join(' '); }

  var clusterOrder = data.clusters.map(function (_, c) { return c; });
  clusterOrder.sort(function (x, y) { return data.clusters[y].members.length - data.clusters[x].members.length || x - y; });
  makeList(document.getElementById('list-clusters'), {
    rows: clusterOrder,
    filterLabel: 'Filter by id or source',
    empty: 'No near-duplicate documents at this threshold.',
    text: function (c) { return ids(data.clusters[c].members); },
    columns: [
      { head: '#', cls: 'num', cell: function (c) { return String(c + 1); } },
      { head: 'Representative', cell: function (c) { return docCell(data.clusters[c].representative); } },
      { head: 'Documents', cls: 'num', cell: function (c) { return String(data.clusters[c].members.length); } },
      { head: 'Lowest Jaccard to representative', cls: 'num', cell: function (c) {
        var cluster = data.clusters[c];
        var low = Infinity;
        cluster.members.forEach(function (m) { var j = m === cluster.representative ? undefined : jaccardOf(cluster.representative, m); if (j !== undefined && j < low) low = j; });
        return low === Infinity ? '—' : low.toFixed(3);
      } },
      { head: '', cell: function (c) { return button('Open cluster', function () { openCluster(c); }, { 'data-action': 'open-cluster', 'data-index': c }); } },
    ],
  });

  makeList(document.getElementById('list-syndication'), {
    rows: data.syndication.map(function (_, i) { return i; }),
    filterLabel: 'Filter by id or source',
    empty: 'No syndication pairs at this containment.',
    text: function (i) { return ids([data.syndication[i].a, data.syndication[i].b]); },
    columns: [
      { head: 'Origin', cell: function (i) { return docCell(data.syndication[i].origin); } },
      { head: '', cls: 'arrow', cell: function () { return el('span', { 'aria-label': 'copied by', text: '→' }); } },
      { head: 'Copy', cell: function (i) { var s = data.syndication[i]; return docCell(s.origin === s.a ? s.b : s.a); } },
      { head: 'Copy found in origin', cls: 'num', cell: function (i) { var s = data.syndication[i]; return percent(s.origin === s.a ? s.bInA : s.aInB); } },
      { head: 'Origin found in copy', cls: 'num', cell: function (i) { var s = data.syndication[i]; return percent(s.origin === s.a ? s.aInB : s.bInA); } },
      { head: 'Shared paragraphs', cls: 'num', cell: function (i) { return String(data.syndication[i].sharedParagraphs); } },
      { head: '', cell: function (i) { return button('Compare', function () { openSyndication(i); }, { 'data-action': 'compare-syndication', 'data-index': i }); } },
    ],
  });

  var kindNames = { syndicated: 'syndicated', boilerplate: 'boilerplate', 'internal-repeat': 'repeated inside one document' };
  var paragraphOrder = data.paragraphs.map(function (_, c) { return c; });
  paragraphOrder.sort(function (x, y) { return data.paragraphs[y].occurrences.length - data.paragraphs[x].occurrences.length || x - y; });
  makeList(document.getElementById('list-paragraphs'), {
    rows: paragraphOrder,
    filterLabel: 'Filter by text or id',
    empty: 'No repeated paragraphs.',
    facets: {
      label: 'Kind',
      values: [['', 'All kinds'], ['syndicated', 'Syndicated'], ['boilerplate', 'Boilerplate'], ['internal-repeat', 'Repeated inside one document']],
      test: function (c, kind) { return data.paragraphs[c].kind === kind; },
    },
    text: function (c) {
      var o = data.paragraphs[c].occurrences;
      var list = [];
      for (var i = 0; i < o.length; i += 4) list.push(o[i]);
      return paragraphText(c) + ' ' + ids(list);
    },
    columns: [
      { head: 'Kind', cell: function (c) { var kind = data.paragraphs[c].kind; return el('span', { class: 'kind ' + kind, text: kindNames[kind] }); } },
      { head: 'Paragraph', cell: function (c) { return el('span', { class: 'snippet', dir: 'auto', text: paragraphText(c) }); } },
      { head: 'Occurrences', cls: 'num', cell: function (c) { return String(data.paragraphs[c].occurrences.length / 4); } },
      { head: '', cell: function (c) { return button('Show', function () { openParagraph(c); }, { 'data-action': 'open-paragraph', 'data-index': c }); } },
    ],
  });

  root.setAttribute('data-ready', '');
  performance.mark('syndic-ready');
})();
`;
