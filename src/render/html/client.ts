/**
 * The report's inline script (plain ES2020, no dependencies): reads the embedded JSON once (the
 * texts only when a view needs them), fills sortable, searchable, exportable lists a page at a
 * time, and builds story, pair and document views on demand behind URL fragments (`#story-3`,
 * `#syndication-12`, `#duplicate-4`, `#cluster-2`, `#paragraph-9`, `#document-17`). Every string
 * from the data reaches the page through `textContent` or `setAttribute`, never as markup.
 * Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */

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

const BODY = String.raw`
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('syndic-data').textContent);
  var D = data.documents;
  var PAGE = 50;
  var RELATIONS = ['origin', 'duplicate', 'copy', 'contains'];
  var KINDS = ['syndicated', 'boilerplate', 'internal-repeat'];
  var KIND_NAMES = { syndicated: 'syndicated', boilerplate: 'boilerplate', 'internal-repeat': 'repeated inside one document' };

  // The texts come after this script in the page: what needs them waits for the whole page.
  var texts = null;
  function textOf(d) {
    if (!texts) texts = JSON.parse(document.getElementById('syndic-texts').textContent);
    return texts[d];
  }
  function whenTexts(task) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { task(); });
    else task();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'text') node.textContent = String(value);
        else if (key === 'class') node.className = value;
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
  function link(label, hash, attrs) { return el('a', Object.assign({ href: '#' + hash, text: label }, attrs || {})); }
  function percent(x) { return (x * 100).toFixed(x >= 0.995 || x === 0 ? 0 : 1) + '%'; }
  function plural(n, one, many) { return n.toLocaleString('en-US') + ' ' + (n === 1 ? one : many || one + 's'); }
  function outletOf(d) { var s = D.source[d]; return s >= 0 ? data.outletNames[s] : ''; }
  function headlineOf(d) { return D.headline[d] || D.id[d]; }
  function metaText(d) { return [outletOf(d), D.date[d]].filter(Boolean).join(' · '); }
  // A document as a list shows it: headline (own direction), then outlet, date and id.
  function docCell(d) {
    return el('div', { class: 'doc-cell' }, [
      el('bdi', { class: 'headline', dir: 'auto', text: headlineOf(d) }),
      el('span', { class: 'meta' }, [metaText(d) ? metaText(d) + ' · ' : '', el('bdi', { class: 'id', text: D.id[d] })]),
    ]);
  }

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

  // Pairs by their two documents, to go from a story member to the pair that joins it.
  function pairKey(a, b) { return Math.min(a, b) + ':' + Math.max(a, b); }
  var duplicateOf = new Map();
  data.duplicatePairs.forEach(function (p, k) { duplicateOf.set(pairKey(p[0], p[1]), k); });
  var syndicationOf = new Map();
  data.syndication.forEach(function (p, i) { syndicationOf.set(pairKey(p[0], p[1]), i); });
  function jaccardOf(a, b) { var k = duplicateOf.get(pairKey(a, b)); return k === undefined ? undefined : data.duplicatePairs[k][2]; }

  // Paragraph occurrences per document, built on the first document view.
  var occurrencesByDoc = null;
  function occurrencesOf(d) {
    if (!occurrencesByDoc) {
      occurrencesByDoc = new Map();
      data.paragraphs.forEach(function (cluster, c) {
        for (var i = 1; i < cluster.length; i += 4) {
          var list = occurrencesByDoc.get(cluster[i]);
          if (!list) occurrencesByDoc.set(cluster[i], (list = []));
          list.push({ cluster: c, paragraph: cluster[i + 1], start: cluster[i + 2], end: cluster[i + 3] });
        }
      });
    }
    return occurrencesByDoc.get(d) || [];
  }
  function kindOf(c) { return KINDS[data.paragraphs[c][0]]; }
  var paragraphTexts = [];
  function paragraphText(c) {
    if (paragraphTexts[c] === undefined) {
      var cluster = data.paragraphs[c];
      paragraphTexts[c] = '';
      for (var i = 1; i < cluster.length; i += 4) {
        var text = textOf(cluster[i]);
        if (text !== null) { paragraphTexts[c] = text.slice(cluster[i + 2], cluster[i + 3]); break; }
      }
    }
    return paragraphTexts[c];
  }
  function occurrenceDocs(c) {
    var cluster = data.paragraphs[c];
    var docs = [];
    for (var i = 1; i < cluster.length; i += 4) if (docs[docs.length - 1] !== cluster[i]) docs.push(cluster[i]);
    return docs;
  }

  // A document's original text, one <p dir="auto"> per line, marks at the given offsets.
  function renderText(d, marks) {
    var text = textOf(d);
    var box = el('div', { class: 'doc-text', tabindex: 0, 'aria-label': 'Text of ' + D.id[d] });
    if (text === null) {
      box.append(el('p', { class: 'note', text: 'This text is not included in the report (its text budget was spent on larger stories). syndic explain --input FILE shows it: ' + D.id[d] }));
      return box;
    }
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
    var url = D.url[d];
    var meta = [metaText(d), D.chars[d].toLocaleString('en-US') + ' characters, ' + D.paragraphs[d] + ' paragraphs'].filter(Boolean).join(' · ');
    return el('article', { class: 'doc', 'aria-label': role + ' ' + D.id[d] }, [
      el('div', { class: 'doc-head' }, [
        el('div', { class: 'role', text: role }),
        el('bdi', { class: 'title', dir: 'auto', text: headlineOf(d) }),
        el('bdi', { class: 'id', text: D.id[d] }),
        el('bdi', { class: 'meta', text: meta }),
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
        var kind = kindOf(o.cluster);
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
      var kind = kindOf(o.cluster);
      var cls = kind === 'syndicated' ? 'shared' : kind;
      return { start: o.start, end: o.end, cluster: o.cluster, cls: cls + (o.cluster === focusCluster ? ' current' : ''), title: kind };
    });
    return el('div', null, [
      legend([['shared', 'syndicated paragraph'], ['boilerplate', 'boilerplate'], ['internal-repeat', 'repeated inside this document']]),
      docPanel(d, 'Document', marks),
    ]);
  }

  // The detail dialog: native <dialog> (Escape closes it); focus returns to what opened it.
  var ROUTE = /^#(story|syndication|duplicate|cluster|paragraph|document)-(\d+)$/;
  var dialog = document.getElementById('detail');
  var detailTitle = document.getElementById('detail-title');
  var detailBody = document.getElementById('detail-body');
  var opener = null;
  function openDetail(heading, content, back) {
    detailTitle.textContent = heading;
    detailBody.replaceChildren();
    if (back) detailBody.append(link('← ' + back[0], back[1], { class: 'back', 'data-action': 'back' }));
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
    if (ROUTE.test(location.hash)) {
      try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { location.hash = ''; }
    }
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });

  // Routes: every story, pair, cluster, paragraph and document has a fragment; views open through
  // it. A view opened from another one gets a link back (and a paragraph to point at).
  var pending = null;
  function go(hash, back, focusCluster) {
    pending = { back: back, focus: focusCluster };
    if (location.hash === '#' + hash) route();
    else location.hash = hash;
  }
  function route() { whenTexts(openRoute); }
  function openRoute() {
    var match = ROUTE.exec(location.hash);
    var back = pending && pending.back;
    var focus = pending ? pending.focus : undefined;
    pending = null;
    if (!match) { if (dialog.open) dialog.close(); return; }
    var n = Number(match[2]);
    var open = {
      story: [data.stories.length, function () { openStory(n - 1, back); }],
      syndication: [data.syndication.length, function () { openSyndication(n - 1, back); }],
      duplicate: [data.duplicatePairs.length, function () { openDuplicate(n - 1, back); }],
      cluster: [data.clusters.length, function () { openCluster(n - 1, back); }],
      paragraph: [data.paragraphs.length, function () { openParagraph(n - 1, back); }],
      document: [D.id.length, function () { openDocument(n - 1, focus, back); }],
    }[match[1]];
    if (n >= 1 && n <= open[0]) open[1]();
  }

  function syndicationShares(i) {
    var s = data.syndication[i];
    var copy = s[5] === s[0] ? s[1] : s[0];
    return { origin: s[5], copy: copy, copyInOrigin: copy === s[0] ? s[2] : s[3], originInCopy: copy === s[0] ? s[3] : s[2], shared: s[4] };
  }
  function openSyndication(i, back) {
    var s = syndicationShares(i);
    var summary = plural(s.shared, 'shared paragraph') + ': ' + percent(s.copyInOrigin) + ' of the copy is found in the origin, ' + percent(s.originInCopy) + ' of the origin in the copy.';
    openDetail('Syndication: ' + headlineOf(s.origin) + ' → ' + headlineOf(s.copy), pairView(s.origin, s.copy, ['Origin', 'Copy'], summary), back);
  }
  function byPublication(a, b) { return D.published[a] - D.published[b]; }
  function openDuplicate(k, back) {
    var p = data.duplicatePairs[k];
    var first = byPublication(p[0], p[1]) <= 0 ? p[0] : p[1];
    var second = first === p[0] ? p[1] : p[0];
    openDetail('Near-duplicates: ' + headlineOf(first) + ' ≈ ' + headlineOf(second), pairView(first, second, ['Published first', 'Published later'], 'Jaccard similarity ' + p[2].toFixed(3) + '.'), back);
  }
  function clusterMembers(c) { return data.clusters[c].slice(1).sort(byPublication); }
  function openCluster(c, back) {
    var cluster = data.clusters[c];
    var rep = cluster[0];
    var list = el('ul', { class: 'members' }, clusterMembers(c).map(function (m) {
      var k = duplicateOf.get(pairKey(rep, m));
      var compare = null;
      if (m !== rep && k !== undefined) compare = link('Compare with representative', 'duplicate-' + (k + 1), { 'data-action': 'compare-member' });
      else if (m !== rep) compare = button('Compare with representative', function () {
        openDetail('Near-duplicates: ' + headlineOf(rep) + ' ≈ ' + headlineOf(m), pairView(rep, m, ['Representative', 'Member'], 'Clustered through other members (not compared directly).'), ['Back to cluster ' + (c + 1), 'cluster-' + (c + 1)]);
      }, { 'data-action': 'compare-member' });
      if (compare && compare.tagName === 'A') compare.addEventListener('click', function (event) { event.preventDefault(); go('duplicate-' + (k + 1), ['Back to cluster ' + (c + 1), 'cluster-' + (c + 1)]); });
      var j = m === rep ? null : jaccardOf(rep, m);
      return el('li', null, [
        docCell(m),
        el('span', { class: 'num', text: m === rep ? 'representative' : j === undefined ? 'Jaccard —' : 'Jaccard ' + j.toFixed(3) }),
        compare,
      ]);
    }));
    openDetail('Duplicate cluster ' + (c + 1) + ' (' + plural(cluster.length - 1, 'document') + ', in publication order)', list, back);
  }
  function openDocument(d, focusCluster, back) {
    openDetail('Document: ' + headlineOf(d), singleView(d, focusCluster), back);
  }
  function openParagraph(c, back) {
    var cluster = data.paragraphs[c];
    var items = [];
    for (var i = 1; i < cluster.length; i += 4) {
      (function (d, paragraph) {
        var open = link('Open document', 'document-' + (d + 1), { 'data-action': 'open-document' });
        open.addEventListener('click', function (event) {
          event.preventDefault();
          go('document-' + (d + 1), ['Back to paragraph', 'paragraph-' + (c + 1)], c);
        });
        items.push(el('li', null, [docCell(d), el('span', { class: 'num', text: 'paragraph ' + (paragraph + 1) }), open]));
      })(cluster[i], cluster[i + 1]);
    }
    openDetail('Repeated paragraph (' + KIND_NAMES[kindOf(c)] + ', ' + plural((cluster.length - 1) / 4, 'occurrence') + ')', el('div', null, [
      el('p', { class: 'paragraph-text', dir: 'auto', text: paragraphText(c) || '(text not included)' }),
      el('ul', { class: 'members' }, items),
    ]), back);
  }
  // A story: its timeline (who published when, how much of the origin they kept), each member
  // opening the pair that joins it to the document it is compared with.
  function storyOf(index) {
    var flat = data.stories[index];
    return { id: index + 1, documents: flat[0], outlets: flat[1], spanSeconds: flat[2] };
  }
  function storyMembers(index) {
    var flat = data.stories[index];
    var members = [];
    for (var i = 3; i < flat.length; i += 6) members.push({ doc: flat[i], relation: RELATIONS[flat[i + 1]], via: flat[i + 2], keeps: flat[i + 3], adds: flat[i + 4], delay: flat[i + 5] });
    return members;
  }
  function storySummary(story, members) {
    var parts = [plural(story.documents, 'document')];
    if (story.outlets > 0) parts.push(plural(story.outlets, 'outlet'));
    if (story.spanSeconds !== null) parts.push('over ' + duration(story.spanSeconds));
    return parts.join(', ') + '. First: ' + (metaText(members[0].doc) || D.id[members[0].doc]) + '.';
  }
  function meter(fraction, cls) {
    var fill = el('span', { class: 'fill' });
    fill.style.inlineSize = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + '%';
    return el('span', { class: 'meter ' + cls, 'aria-hidden': 'true' }, [fill]);
  }
  function openStory(index, back) {
    var story = storyOf(index);
    var members = storyMembers(index);
    var origin = members[0].doc;
    var span = story.spanSeconds || 0;
    var items = members.map(function (m, position) {
      var compared = m.via >= 0 ? m.via : origin;
      var when = m.relation === 'origin' ? (m.delay === null ? 'first' : 'first · 0 s') : m.delay === null ? '#' + (position + 1) : '+' + duration(m.delay);
      var dot = el('span', { class: 'dot ' + m.relation });
      // Dated stories place members by delay; undated ones by order.
      var at = span > 0 && m.delay !== null ? m.delay / span : members.length > 1 ? position / (members.length - 1) : 0;
      dot.style.insetInlineStart = 'calc(' + (at * 100).toFixed(2) + '% - 5px)';
      var how = null;
      var action = null;
      if (m.relation !== 'origin') {
        var against = m.via >= 0 ? ' of ' + headlineOf(m.via) : '';
        how = el('div', { class: 'how' }, [
          el('span', { class: 'relation ' + m.relation, text: m.relation === 'contains' ? 'contains' + (m.via >= 0 ? ' ' + headlineOf(m.via) : ' the origin') : m.relation + against }),
          el('span', { class: 'share' }, [meter(m.keeps, 'keeps'), 'keeps ' + percent(m.keeps)]),
          el('span', { class: 'share' }, [meter(m.adds, 'adds'), 'adds ' + percent(m.adds)]),
        ]);
        var k = duplicateOf.get(pairKey(compared, m.doc));
        var i = syndicationOf.get(pairKey(compared, m.doc));
        var hash = k !== undefined && m.relation === 'duplicate' ? 'duplicate-' + (k + 1) : i !== undefined ? 'syndication-' + (i + 1) : k !== undefined ? 'duplicate-' + (k + 1) : null;
        if (hash) {
          action = link(m.via >= 0 ? 'Compare with the linked member' : 'Compare with the origin', hash, { 'data-action': 'story-compare', 'data-member': position });
          action.addEventListener('click', function (event) { event.preventDefault(); go(hash, ['Back to story ' + story.id, 'story-' + story.id]); });
        }
      }
      return el('li', { class: 'member ' + m.relation }, [
        el('span', { class: 'when num', text: when }),
        el('span', { class: 'track', 'aria-hidden': 'true' }, [dot]),
        docCell(m.doc),
        how || el('div', { class: 'how' }, [el('span', { class: 'relation origin', text: 'origin' })]),
        action,
      ]);
    });
    openDetail('Story ' + story.id + ': ' + headlineOf(origin), el('div', null, [
      el('p', { class: 'summary', text: storySummary(story, members) }),
      el('ol', { class: 'timeline', 'aria-label': 'Timeline of story ' + story.id }, items),
    ]), back);
  }

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
  }
  function num(text) { return el('span', { text: text }); }
  function outletFacet(test) {
    if (!data.sources) return undefined;
    return { label: 'Outlet', values: [['', 'All outlets']].concat(data.outletNames.map(function (name, i) { return [String(i), name]; })), test: test };
  }
  function docsHaveOutlet(docs, code) { return docs.some(function (d) { return D.source[d] === Number(code); }); }

  var storyDocs = data.stories.map(function (_, s) { return storyMembers(s).map(function (m) { return m.doc; }); });
  makeList(document.getElementById('list-stories'), {
    name: 'stories',
    unit: ['story', 'stories'],
    rows: data.stories.map(function (_, s) { return s; }),
    filterLabel: 'Search headlines, texts, outlets',
    empty: 'No stories: no document was found near-duplicated or syndicated.',
    docs: function (s) { return storyDocs[s]; },
    facets: outletFacet(function (s, code) { return docsHaveOutlet(storyDocs[s], code); }),
    sort: [2, 'desc'],
    columns: [
      { head: '#', name: 'id', cls: 'num', sort: function (s) { return s; }, firstDescending: false, cell: function (s) { return num(String(s + 1)); } },
      { head: 'Origin', name: 'outlet', sort: function (s) { return outletOf(storyDocs[s][0]); }, firstDescending: false, cell: function (s) { return docCell(storyDocs[s][0]); } },
      { head: 'Documents', name: 'size', cls: 'num', sort: function (s) { return data.stories[s][0]; }, cell: function (s) { return num(String(data.stories[s][0])); } },
      { head: 'Outlets', name: 'spread', cls: 'num', sort: function (s) { return data.stories[s][1]; }, cell: function (s) { return num(String(data.stories[s][1])); } },
      { head: 'First published', name: 'date', cls: 'num', sort: function (s) { return D.published[storyDocs[s][0]]; }, firstDescending: false, cell: function (s) { return num(D.date[storyDocs[s][0]] || '—'); } },
      { head: 'Span', name: 'span', cls: 'num', sort: function (s) { var span = data.stories[s][2]; return span === null ? -1 : span; }, cell: function (s) { return num(duration(data.stories[s][2])); } },
      { head: '', cell: function (s) { return link('Open story', 'story-' + (s + 1), { 'data-action': 'open-story', 'data-index': s }); } },
    ],
    exportRow: function (s) {
      var story = storyOf(s);
      var origin = storyDocs[s][0];
      return { story: story.id, origin: D.id[origin], headline: headlineOf(origin), source: outletOf(origin), date: D.date[origin], documents: story.documents, outlets: story.outlets, span_seconds: story.spanSeconds, members: storyDocs[s].map(function (d) { return D.id[d]; }).join(' ') };
    },
  });

  if (data.sources) {
    makeList(document.getElementById('list-flows'), {
      name: 'flows',
      unit: ['flow', 'flows'],
      rows: data.flows.map(function (_, f) { return f; }),
      filterLabel: 'Filter by outlet',
      empty: 'No copies between outlets.',
      docs: function () { return []; },
      extra: function (f) { return data.flows[f].from + ' ' + data.flows[f].to; },
      sort: [2, 'desc'],
      columns: [
        { head: 'From (origin)', name: 'from', sort: function (f) { return data.flows[f].from; }, firstDescending: false, cell: function (f) { return el('bdi', { text: data.flows[f].from }); } },
        { head: 'To (copy)', name: 'to', sort: function (f) { return data.flows[f].to; }, firstDescending: false, cell: function (f) { return el('bdi', { text: data.flows[f].to }); } },
        { head: 'Copies', name: 'copies', cls: 'num', sort: function (f) { return data.flows[f].copies; }, cell: function (f) { return num(String(data.flows[f].copies)); } },
        { head: 'Duplicate · copy · contains', cls: 'num', cell: function (f) { var x = data.flows[f]; return num(x.duplicate + ' · ' + x.copy + ' · ' + x.contains); } },
        { head: 'Median delay', name: 'delay', cls: 'num', sort: function (f) { var x = data.flows[f].medianDelaySeconds; return x === null ? Infinity : x; }, firstDescending: false, cell: function (f) { return num(duration(data.flows[f].medianDelaySeconds)); } },
      ],
      exportRow: function (f) {
        var x = data.flows[f];
        return { from: x.from, to: x.to, copies: x.copies, duplicate: x.duplicate, copy: x.copy, contains: x.contains, median_delay_seconds: x.medianDelaySeconds };
      },
    });
    makeList(document.getElementById('list-outlets'), {
      name: 'outlets',
      unit: ['outlet', 'outlets'],
      rows: data.outletSummaries.map(function (_, o) { return o; }),
      filterLabel: 'Filter by outlet',
      empty: 'No outlets.',
      docs: function () { return []; },
      extra: function (o) { return data.outletSummaries[o].source; },
      sort: [4, 'desc'],
      columns: [
        { head: 'Outlet', name: 'outlet', sort: function (o) { return data.outletSummaries[o].source; }, firstDescending: false, cell: function (o) { return el('bdi', { text: data.outletSummaries[o].source }); } },
        { head: 'Articles', name: 'articles', cls: 'num', sort: function (o) { return data.outletSummaries[o].articles; }, cell: function (o) { return num(data.outletSummaries[o].articles.toLocaleString('en-US')); } },
        { head: 'First in (stories)', name: 'origins', cls: 'num', sort: function (o) { return data.outletSummaries[o].origins; }, cell: function (o) { return num(String(data.outletSummaries[o].origins)); } },
        { head: 'Copies', name: 'copies', cls: 'num', sort: function (o) { return data.outletSummaries[o].copies; }, cell: function (o) { return num(String(data.outletSummaries[o].copies)); } },
        { head: 'Share of its articles that copy', name: 'share', cls: 'num', sort: function (o) { return data.outletSummaries[o].copyShare; }, cell: function (o) { return num(percent(data.outletSummaries[o].copyShare)); } },
      ],
      exportRow: function (o) {
        var x = data.outletSummaries[o];
        return { source: x.source, articles: x.articles, origins: x.origins, copies: x.copies, copy_share: x.copyShare };
      },
    });
  }

  function lowestJaccard(c) {
    var cluster = data.clusters[c];
    var low = Infinity;
    for (var i = 1; i < cluster.length; i++) { var j = cluster[i] === cluster[0] ? undefined : jaccardOf(cluster[0], cluster[i]); if (j !== undefined && j < low) low = j; }
    return low;
  }
  function distinctOutlets(docs) { return new Set(docs.map(function (d) { return D.source[d]; }).filter(function (s) { return s >= 0; })).size; }
  makeList(document.getElementById('list-clusters'), {
    name: 'clusters',
    unit: ['cluster', 'clusters'],
    rows: data.clusters.map(function (_, c) { return c; }),
    filterLabel: 'Search headlines, texts, outlets',
    empty: 'No near-duplicate documents at this threshold.',
    docs: function (c) { return data.clusters[c].slice(1); },
    facets: outletFacet(function (c, code) { return docsHaveOutlet(data.clusters[c].slice(1), code); }),
    sort: [2, 'desc'],
    columns: [
      { head: '#', name: 'id', cls: 'num', sort: function (c) { return c; }, firstDescending: false, cell: function (c) { return num(String(c + 1)); } },
      { head: 'Representative', name: 'outlet', sort: function (c) { return outletOf(data.clusters[c][0]); }, firstDescending: false, cell: function (c) { return docCell(data.clusters[c][0]); } },
      { head: 'Documents', name: 'size', cls: 'num', sort: function (c) { return data.clusters[c].length - 1; }, cell: function (c) { return num(String(data.clusters[c].length - 1)); } },
      { head: 'Outlets', name: 'spread', cls: 'num', sort: function (c) { return distinctOutlets(data.clusters[c].slice(1)); }, cell: function (c) { return num(String(distinctOutlets(data.clusters[c].slice(1)))); } },
      { head: 'Lowest Jaccard to representative', name: 'strength', cls: 'num', sort: function (c) { return lowestJaccard(c); }, cell: function (c) { var low = lowestJaccard(c); return num(low === Infinity ? '—' : low.toFixed(3)); } },
      { head: 'First published', name: 'date', cls: 'num', sort: function (c) { return D.published[clusterMembers(c)[0]]; }, firstDescending: false, cell: function (c) { return num(D.date[clusterMembers(c)[0]] || '—'); } },
      { head: '', cell: function (c) { return link('Open cluster', 'cluster-' + (c + 1), { 'data-action': 'open-cluster', 'data-index': c }); } },
    ],
    exportRow: function (c) {
      var rep = data.clusters[c][0];
      var low = lowestJaccard(c);
      return { cluster: c + 1, representative: D.id[rep], headline: headlineOf(rep), source: outletOf(rep), date: D.date[rep], documents: data.clusters[c].length - 1, lowest_jaccard: low === Infinity ? null : low, members: clusterMembers(c).map(function (d) { return D.id[d]; }).join(' ') };
    },
  });

  function strength(i) { var s = data.syndication[i]; return Math.max(s[2], s[3]) + s[4] / 1e6; }
  makeList(document.getElementById('list-syndication'), {
    name: 'syndication',
    unit: ['pair', 'pairs'],
    rows: data.syndication.map(function (_, i) { return i; }),
    filterLabel: 'Search headlines, texts, outlets',
    empty: 'No syndication pairs at this containment.',
    docs: function (i) { return [data.syndication[i][0], data.syndication[i][1]]; },
    facets: outletFacet(function (i, code) { return docsHaveOutlet([data.syndication[i][0], data.syndication[i][1]], code); }),
    sort: [3, 'desc'],
    columns: [
      { head: 'Origin', name: 'outlet', sort: function (i) { return outletOf(data.syndication[i][5]); }, firstDescending: false, cell: function (i) { return docCell(data.syndication[i][5]); } },
      { head: '', cls: 'arrow', cell: function () { return el('span', { 'aria-label': 'copied by', text: '→' }); } },
      { head: 'Copy', name: 'date', sort: function (i) { return D.published[syndicationShares(i).copy]; }, firstDescending: false, cell: function (i) { return docCell(syndicationShares(i).copy); } },
      { head: 'Copy found in origin', name: 'strength', cls: 'num', sort: strength, cell: function (i) { return num(percent(syndicationShares(i).copyInOrigin)); } },
      { head: 'Origin found in copy', name: 'kept', cls: 'num', sort: function (i) { return syndicationShares(i).originInCopy; }, cell: function (i) { return num(percent(syndicationShares(i).originInCopy)); } },
      { head: 'Shared paragraphs', name: 'shared', cls: 'num', sort: function (i) { return data.syndication[i][4]; }, cell: function (i) { return num(String(data.syndication[i][4])); } },
      { head: '', cell: function (i) { return link('Compare', 'syndication-' + (i + 1), { 'data-action': 'compare-syndication', 'data-index': i }); } },
    ],
    exportRow: function (i) {
      var s = syndicationShares(i);
      return { pair: i + 1, origin: D.id[s.origin], copy: D.id[s.copy], origin_headline: headlineOf(s.origin), copy_headline: headlineOf(s.copy), origin_source: outletOf(s.origin), copy_source: outletOf(s.copy), origin_date: D.date[s.origin], copy_date: D.date[s.copy], copy_in_origin: s.copyInOrigin, origin_in_copy: s.originInCopy, shared_paragraphs: s.shared };
    },
  });

  performance.mark('syndic-lists');
  // The paragraph list quotes the texts: drawn once they are read, and then the page is ready.
  function paragraphList() {
    makeList(document.getElementById('list-paragraphs'), {
      name: 'paragraphs',
      unit: ['paragraph cluster', 'paragraph clusters'],
      rows: data.paragraphs.map(function (_, c) { return c; }),
      filterLabel: 'Search paragraph texts, headlines',
      empty: 'No repeated paragraphs.',
      docs: occurrenceDocs,
      extra: paragraphText,
      facets: {
        label: 'Kind',
        values: [['', 'All kinds'], ['syndicated', 'Syndicated'], ['boilerplate', 'Boilerplate'], ['internal-repeat', 'Repeated inside one document']],
        test: function (c, kind) { return kindOf(c) === kind; },
      },
      sort: [2, 'desc'],
      columns: [
        { head: 'Kind', name: 'kind', sort: function (c) { return data.paragraphs[c][0]; }, firstDescending: false, cell: function (c) { var kind = kindOf(c); return el('span', { class: 'kind ' + kind, text: KIND_NAMES[kind] }); } },
        { head: 'Paragraph', cell: function (c) { return el('span', { class: 'snippet', dir: 'auto', text: paragraphText(c) }); } },
        { head: 'Occurrences', name: 'size', cls: 'num', sort: function (c) { return (data.paragraphs[c].length - 1) / 4; }, cell: function (c) { return num(String((data.paragraphs[c].length - 1) / 4)); } },
        { head: 'Documents', name: 'spread', cls: 'num', sort: function (c) { return occurrenceDocs(c).length; }, cell: function (c) { return num(String(occurrenceDocs(c).length)); } },
        { head: '', cell: function (c) { return link('Show', 'paragraph-' + (c + 1), { 'data-action': 'open-paragraph', 'data-index': c }); } },
      ],
      exportRow: function (c) {
        return { paragraph: c + 1, kind: kindOf(c), text: paragraphText(c), occurrences: (data.paragraphs[c].length - 1) / 4, documents: occurrenceDocs(c).map(function (d) { return D.id[d]; }).join(' ') };
      },
    });
    if (data.paragraphs.length < data.paragraphsTotal) {
      document.getElementById('list-paragraphs').prepend(el('p', { class: 'note', text: 'Listed: the ' + data.paragraphs.length.toLocaleString('en-US') + ' of ' + data.paragraphsTotal.toLocaleString('en-US') + ' paragraph clusters that occur in a document whose text is included.' }));
    }

    root.setAttribute('data-ready', '');
    performance.mark('syndic-ready');
  }
  whenTexts(paragraphList);
  window.addEventListener('hashchange', route);
  route();
`;

/** The whole inline script: the delay format, then the page logic, in one strict function. */
export const REPORT_SCRIPT = `(function () {\n  'use strict';\n  ${DURATION_SCRIPT}\n${BODY}})();\n`;
