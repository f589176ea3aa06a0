/**
 * The report script's first part: the embedded data read once (the texts when a view needs them),
 * the element and number helpers every part uses, the theme toggle, and the lookups from a
 * document pair to its pair and from a document to its repeated paragraphs.
 *
 * Part of one script (see ../client.ts): it shares the enclosing function's names with the other
 * parts. Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */

/** Page part of the report script. */
export const PAGE_SCRIPT = String.raw`
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
  }`;
