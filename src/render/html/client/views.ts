/**
 * The report script's views: a document's text with marked paragraphs, the detail dialog, the
 * URL-fragment routes, and the story, pair, cluster, paragraph and document views they open.
 *
 * Part of one script (see ../client.ts): it shares the enclosing function's names with the other
 * parts. Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */

/** Views part of the report script. */
export const VIEWS_SCRIPT = String.raw`

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
  }`;
