/**
 * The report script's lists, one `makeList` each: stories, outlets, near-duplicate clusters,
 * syndication pairs, and (once the texts are read) repeated paragraphs; then the first route.
 *
 * Part of one script (see ../client.ts): it shares the enclosing function's names with the other
 * parts. Kept free of backticks, `${` and `</script` so it can sit in a String.raw template and a
 * `<script>` element unchanged.
 */

/** Tables part of the report script. */
export const TABLES_SCRIPT = String.raw`
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
