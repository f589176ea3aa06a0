/**
 * The scan renderers and the exit-code function: pure functions of a result, tested in-process.
 */
import { describe, expect, it } from 'vitest';
import { renderCsv, csvField } from '../../src/render/csv.js';
import { renderJson, renderJsonChunks } from '../../src/render/json.js';
import { renderJsonl, renderJsonlLines } from '../../src/render/jsonl.js';
import { formatCount, oneLine, percent, sharedPassage, strongestSyndication, recordsById } from '../../src/render/shared.js';
import { renderText, textReportLimits } from '../../src/render/text.js';
import { parseScanSettings, recordsToJsonl, scanExitCode } from '../../src/cli/scan.js';
import { findDuplicates, resolveOptions, type DetectionResult, type DocumentRecord } from '../../src/index.js';
import { clusterAnnotations } from '../../src/detect/dedup.js';
import { buildStories } from '../../src/detect/stories.js';

const records: DocumentRecord[] = [
  { id: 'origin,1', text: 'Header\nThe minister said on Monday that the talks would resume next week in Geneva.\nFooter "quoted"' },
  { id: 'copy', text: 'The minister said on Monday that the talks would resume next week in Geneva.' },
];

/** A hand-made result: one duplicate pair, one syndication pair, one boilerplate line. */
function handMadeResult(): DetectionResult {
  const found: Omit<DetectionResult, 'stories' | 'outlets'> = {
    version: 1,
    params: resolveOptions(),
    stats: {
      documents: 2,
      emptyDocuments: 0,
      paragraphs: 4,
      candidatePairs: 1,
      duplicatePairs: 1,
      duplicateClusters: 1,
      duplicateDocuments: 1,
      paragraphCandidatePairs: 1,
      paragraphClusters: 2,
      internalRepeats: 0,
      syndicatedParagraphs: 1,
      boilerplateParagraphs: 1,
      syndicationCandidatePairs: 1,
      syndicationPairs: 1,
      oversizedBuckets: 0,
      largestOversizedBucket: 0,
      commonAnchors: 0,
    },
    documents: [
      { id: 'origin,1', source: 'agency', date: '2015-07-20', title: 'Talks, again', url: 'https://a.example/1', chars: records[0]!.text.length, paragraphs: 3, internalRepeats: [] },
      { id: 'copy', chars: records[1]!.text.length, paragraphs: 1, internalRepeats: [] },
    ],
    duplicates: {
      pairs: [{ a: 'origin,1', b: 'copy', jaccard: 0.85, containment: { aInB: 0.7, bInA: 1 }, method: 'exact', origin: 'origin,1' }],
      clusters: [{ representative: 'origin,1', members: ['origin,1', 'copy'] }],
    },
    syndication: [{ a: 'origin,1', b: 'copy', containment: { aInB: 0.7, bInA: 1 }, jaccard: 0.6, method: 'exact', sharedParagraphs: 1, origin: 'origin,1' }],
    paragraphs: [
      {
        kind: 'syndicated',
        text: 'The minister said on Monday that the talks would resume next week in Geneva.',
        occurrences: [
          { id: 'origin,1', paragraph: 1, start: 7, end: 83 },
          { id: 'copy', paragraph: 0, start: 0, end: 76 },
        ],
      },
      { kind: 'boilerplate', text: 'Footer "quoted"', occurrences: [{ id: 'origin,1', paragraph: 2, start: 84, end: 99 }] },
    ],
  };
  return { ...found, ...buildStories(records, found.duplicates.pairs, found.syndication, found.params.containment) };
}

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks only', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(0.5)).toBe('0.5');
  });

  it('lists duplicate then syndication pairs under a header', () => {
    expect(renderCsv(handMadeResult())).toBe(
      'type,a,b,jaccard,a_in_b,b_in_a,shared_paragraphs,origin,method,copy,origin_source,origin_date,origin_title,origin_url,copy_source,copy_date,copy_title,copy_url\r\n' +
        'duplicate,"origin,1",copy,0.85,0.7,1,,"origin,1",exact,copy,agency,2015-07-20,"Talks, again",https://a.example/1,,,,\r\n' +
        'syndication,"origin,1",copy,0.6,0.7,1,1,"origin,1",exact,copy,agency,2015-07-20,"Talks, again",https://a.example/1,,,,\r\n',
    );
  });

  it('--csv-table picks the stories, outlets or flows', () => {
    const dated = [
      { ...records[0]!, source: 'agency', date: '2015-07-21 08:00:00' },
      { ...records[1]!, source: 'paper', date: '2015-07-21 08:10:00' },
    ];
    const found = handMadeResult();
    const result = { ...found, ...buildStories(dated, found.duplicates.pairs, found.syndication, 0.8) };
    expect(renderCsv(result, 'stories')).toBe(
      'story,origin,id,source,date,relation,via,keeps,adds,delay_seconds\r\n' +
        '1,"origin,1","origin,1",agency,2015-07-21 08:00:00,origin,,1,0,0\r\n' +
        '1,"origin,1",copy,paper,2015-07-21 08:10:00,duplicate,,0.7,0,600\r\n',
    );
    expect(renderCsv(result, 'outlets')).toBe('source,articles,origins,copies,copy_share\r\nagency,1,1,0,0\r\npaper,1,0,1,1\r\n');
    expect(renderCsv(result, 'flows')).toBe('from,to,copies,duplicate,copy,contains,median_delay_seconds\r\nagency,paper,1,1,0,0,600\r\n');
    expect(renderCsv(found, 'flows')).toBe('from,to,copies,duplicate,copy,contains,median_delay_seconds\r\n');
  });
});

describe('json and jsonl', () => {
  it('json is the contract object with a final newline', () => {
    const result = handMadeResult();
    const text = renderJson(result);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['version', 'params', 'stats', 'documents', 'duplicates', 'syndication', 'paragraphs', 'stories', 'outlets']);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('jsonl has a stats line, then one typed line per document, pair, cluster, paragraph cluster and story', () => {
    const result = handMadeResult();
    const lines = renderJsonl(result).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.type)).toEqual(['stats', 'document', 'document', 'duplicate', 'cluster', 'syndication', 'paragraph', 'paragraph', 'story']);
    expect(lines[0]).toEqual({ type: 'stats', version: 1, ...result.stats });
    expect(lines[1]).toEqual({ type: 'document', ...result.documents[0] });
    expect(lines[4]).toEqual({ type: 'cluster', index: 0, representative: 'origin,1', size: 2, members: ['origin,1', 'copy'] });
    expect(lines[7]!.kind).toBe('boilerplate');
  });

  it('jsonl has outlet and flow lines when records have sources', () => {
    const sourced = [{ ...records[0]!, source: 'agency' }, { ...records[1]!, source: 'paper' }];
    const found = handMadeResult();
    const outletLines = renderJsonl({ ...found, ...buildStories(sourced, found.duplicates.pairs, found.syndication, 0.8) })
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string })
      .filter((line) => line.type === 'outlet' || line.type === 'flow');
    expect(outletLines).toEqual([
      { type: 'outlet', source: 'agency', articles: 1, origins: 1, copies: 0, copyShare: 0 },
      { type: 'outlet', source: 'paper', articles: 1, origins: 0, copies: 1, copyShare: 1 },
      { type: 'flow', from: 'agency', to: 'paper', copies: 1, duplicate: 1, copy: 0, contains: 0, medianDelaySeconds: null },
    ]);
  });

  it('jsonl of a result with no findings has only the stats, the document and its outlet', async () => {
    const lines = renderJsonl(await findDuplicates([{ id: 'x', text: 'alone', source: 'desk' }])).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([{ type: 'stats', documents: 1, duplicatePairs: 0 }, { type: 'document', id: 'x', source: 'desk' }, { type: 'outlet', source: 'desk', articles: 1, copies: 0 }]);
    expect(lines).toHaveLength(3);
  });
});

describe('text', () => {
  it('summarises counts, clusters, syndication with a quote from the origin, boilerplate', () => {
    expect(renderText(handMadeResult(), records)).toBe(
      [
        'syndic scan: 2 documents, 4 paragraphs',
        '',
        '  near-duplicates      1 pair in 1 cluster, 1 redundant copy',
        '  syndicated copies    1 pair',
        '  repeated paragraphs  0 internal repeats in 0 documents, 1 syndicated, 1 boilerplate',
        '',
        'Largest duplicate clusters (of 1)',
        '  1. 2 documents, keeps origin,1',
        '       copy  (Jaccard 0.850)',
        '',
        'Strongest syndicated copies (of 1), origin → copy',
        '  1. origin,1 → copy',
        '     100% of the copy is in the origin, 70% of the origin is in the copy; 1 shared paragraph',
        '     “The minister said on Monday that the talks would resume next week in Geneva.”',
        '',
        'Most widespread boilerplate (of 1)',
        '  “Footer "quoted"” in 1 document',
        '',
        'Largest stories (of 1), in publication order (no dates in the input: input order)',
        '  1. 2 documents: “Header”',
        '       origin,1  origin',
        '       copy  duplicate, keeps 70%, adds 0%',
        '',
        'Outlet flows: the input has no sources (outlets); give them with --source-field, or --source-from dir for folders',
        '',
      ].join('\n'),
    );
  });

  it('counts pairs across outlets when records have sources, and names the outlets of syndication', () => {
    const sourced = [{ ...records[0]!, source: 'agency' }, { ...records[1]!, source: 'paper' }];
    const text = renderText(handMadeResult(), sourced);
    expect(text).toContain('  near-duplicates      1 pair (1 across outlets) in 1 cluster, 1 redundant copy\n');
    expect(text).toContain('  syndicated copies    1 pair (1 across outlets)\n');
    expect(text).toContain('  1. origin,1 → copy  [agency → paper]\n');
  });

  it('--top N lists N entries per section; counts are grouped by thousands', () => {
    const base = handMadeResult();
    const members = Array.from({ length: 1500 }, (_, i) => `d${i}`);
    const many: DetectionResult = {
      ...base,
      stats: { ...base.stats, documents: 1500, paragraphs: 12345, duplicatePairs: 1499, duplicateClusters: 3 },
      duplicates: {
        pairs: [],
        clusters: [
          { representative: 'd0', members },
          { representative: 'x0', members: ['x0', 'x1'] },
          { representative: 'y0', members: ['y0', 'y1', 'y2'] },
        ],
      },
    };
    const text = renderText(many, records, textReportLimits(1));
    expect(text.split('\n')[0]).toBe('syndic scan: 1,500 documents, 12,345 paragraphs');
    expect(text).toContain('  near-duplicates      1,499 pairs in 3 clusters');
    expect(text).toContain('  1. 1,500 documents, keeps d0\n       d1\n       … and 1,498 more\n');
    expect(text).not.toContain('keeps y0');
    expect(renderText(many, records, textReportLimits(2))).toContain('  2. 3 documents, keeps y0\n');
    expect(renderText(many, records, textReportLimits(0))).not.toContain('Largest duplicate clusters');
    expect(formatCount(1234567.5)).toBe('1,234,567.5');
    expect(formatCount(999)).toBe('999');
  });

  it('lists stories with delays and outlet flows when records have sources and dates', () => {
    const dated = [
      { ...records[0]!, source: 'agency', date: '2015-07-21 08:00:00', title: 'Talks resume' },
      { ...records[1]!, source: 'paper', date: '2015-07-22 10:30:00' },
    ];
    const found = handMadeResult();
    const text = renderText({ ...found, ...buildStories(dated, found.duplicates.pairs, found.syndication, 0.8) }, dated);
    expect(text.slice(text.indexOf('Largest stories'))).toBe(
      [
        'Largest stories (of 1), in publication order',
        '  1. 2 documents, 2 outlets, over 1 d 2 h: “Talks resume”',
        '       first         agency  origin,1  origin',
        '       +1 d 2 h      paper   copy  duplicate, keeps 70%, adds 0%',
        '',
        "Outlet flows (of 1): copies from the outlet of a story's origin to each other member's outlet",
        '  agency → paper  1 copy (1 duplicate), median delay 1 d 2 h',
        '',
        "Share of each outlet's articles that copy an earlier story",
        '  paper  100% (1 of 1), first in 0 stories',
        '',
      ].join('\n'),
    );
  });

  it('is the same for the same input', async () => {
    const result = await findDuplicates(records);
    expect(renderText(result, records)).toBe(renderText(await findDuplicates(records), records));
  });
});

describe('helpers', () => {
  it('percent floors, oneLine flattens and cuts with an ellipsis', () => {
    expect(percent(0.999)).toBe('99%');
    expect(percent(1)).toBe('100%');
    expect(oneLine(' a\n  b ', 10)).toBe('a b');
    expect(oneLine('abcdefghij', 5)).toBe('abcd…');
  });

  it('strongest syndication: larger share first, then more paragraphs, then input order', () => {
    const pair = (a: string, share: number, shared: number) => ({ a, b: 'z', containment: { aInB: share, bInA: 0 }, jaccard: 0.1, method: 'exact' as const, sharedParagraphs: shared, origin: a });
    expect(strongestSyndication([pair('p', 0.8, 1), pair('q', 0.9, 1), pair('r', 0.9, 3), pair('s', 0.8, 1)]).map((p) => p.a)).toEqual(['r', 'q', 'p', 's']);
  });

  it('the shared passage is quoted from the origin', () => {
    const result = handMadeResult();
    expect(sharedPassage(result.syndication[0]!, result, records, recordsById(records))).toEqual({
      id: 'origin,1',
      text: 'The minister said on Monday that the talks would resume next week in Geneva.',
    });
  });

  it('dedup records are written with their fields in a fixed order, absent ones left out', () => {
    expect(recordsToJsonl([{ title: 't', text: 'x', id: '1' }])).toBe('{"id":"1","title":"t","text":"x"}\n');
  });

  it('annotated dedup records name the cluster they stand for; others carry nothing more', () => {
    const clusters = clusterAnnotations(handMadeResult());
    expect(recordsToJsonl(records, clusters)).toBe(
      `{"id":"origin,1","cluster":{"index":0,"size":2},"text":${JSON.stringify(records[0]!.text)}}\n{"id":"copy","text":${JSON.stringify(records[1]!.text)}}\n`,
    );
  });
});

describe('exit code', () => {
  it('is 1 only with --fail-on-duplicates and a finding', () => {
    const found = handMadeResult();
    const nothing: DetectionResult = { ...found, duplicates: { pairs: [], clusters: [] }, syndication: [] };
    const onlySyndication: DetectionResult = { ...found, duplicates: { pairs: [], clusters: [] } };
    expect(scanExitCode(found, false)).toBe(0);
    expect(scanExitCode(found, true)).toBe(1);
    expect(scanExitCode(onlySyndication, true)).toBe(1);
    expect(scanExitCode(nothing, true)).toBe(0);
  });
});

describe('scan settings', () => {
  it('maps flags to library options and leaves unset ones to the defaults', () => {
    const settings = parseScanSettings(['x'], { threshold: '0.9', shingleSize: '7', arabic: false, unit: 'document', jobs: '3', idField: 'key' });
    expect(settings.detect).toEqual({ threshold: 0.9, shingleSize: 7, unit: 'document', normalize: { arabic: false } });
    expect(settings.jobs).toBe(3);
    expect(settings.fields).toEqual({ id: 'key' });
    expect(settings.format).toBe('text');
  });

  it('--top and --annotate are checked', () => {
    expect(parseScanSettings(['x'], {}).top).toBe(5);
    expect(parseScanSettings(['x'], { top: '20' }).top).toBe(20);
    expect(() => parseScanSettings(['x'], { top: '-1' })).toThrow('syndic: option --top must be a whole number of entries (0 or more), got "-1"');
    expect(() => parseScanSettings(['x'], { annotate: true })).toThrow('syndic: option --annotate works with --dedup-out FILE');
  });

  it('rejects bad values with the flag name', () => {
    expect(() => parseScanSettings(['x'], { numPerm: 'many' })).toThrow('syndic: option --num-perm expects a number, got "many"');
    expect(() => parseScanSettings(['x'], { unit: 'page' })).toThrow('syndic: option --unit must be one of document, paragraph, both, got "page"');
    expect(() => parseScanSettings(['x'], { idField: '' })).toThrow('syndic: option --id-field needs a field name');
    expect(() => parseScanSettings(['x'], { csvTable: 'flows' })).toThrow('syndic: option --csv-table works with --format csv');
    expect(() => parseScanSettings(['x'], { format: 'csv', csvTable: 'people' })).toThrow('syndic: option --csv-table must be one of pairs, stories, outlets, flows, got "people"');
    expect(parseScanSettings(['x'], { format: 'csv', csvTable: 'flows' }).csvTable).toBe('flows');
  });
});

describe('json and jsonl in pieces', () => {
  it('joins to JSON.stringify of the contract object, for empty, hand-made and real results', async () => {
    const empty = await findDuplicates([]);
    const samples = await findDuplicates([...records, { id: 'again', text: records[1]!.text }, { id: 'quote \ud800 "x"\n', text: 'سطر\n\nسطر' }]);
    for (const result of [empty, handMadeResult(), samples]) {
      const { version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets } = result;
      const pieces = [...renderJsonChunks(result)];
      expect(pieces.join('')).toBe(`${JSON.stringify({ version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets }, null, 2)}\n`);
      expect(renderJson(result)).toBe(pieces.join(''));
      const lines = [...renderJsonlLines(result)];
      expect(lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
      expect(renderJsonl(result)).toBe(lines.join(''));
    }
    expect([...renderJsonChunks(handMadeResult())].length).toBeGreaterThan(10);
  });
  it('writes long arrays in runs, with split elements and values JSON cannot represent between them', () => {
    const whole = Array.from({ length: 600 }, (_, i) => ({ id: `d${i}`, text: 'سطر\n]', list: i % 7 === 0 ? [] : [i, { at: [i] }] }));
    const mixed: unknown[] = [...whole.slice(0, 255), [1, [2, [3]]], ...whole.slice(255, 513), undefined, () => 0, null, {}, [[]], [4, 5]];
    const result = { ...handMadeResult(), documents: mixed, stories: whole, outlets: { outlets: whole, flows: [] } } as unknown as DetectionResult;
    const { version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets } = result;
    const pieces = [...renderJsonChunks(result)];
    expect(pieces.join('')).toBe(`${JSON.stringify({ version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets }, null, 2)}\n`);
    expect(pieces.length).toBeLessThan(whole.length / 2);
  });
  it('keeps the pieces of long elements under V8’s large-object size, whatever their length', () => {
    // Clusters quoting 1,000 characters of Arabic: 256 of them in one piece would be 256K units.
    const clusters = Array.from({ length: 2000 }, (_, i) => ({ kind: 'syndicated', text: 'نص '.repeat(300 + (i % 50)), occurrences: [{ id: `d${i}`, paragraph: 0 }] }));
    const result = { ...handMadeResult(), paragraphs: clusters } as unknown as DetectionResult;
    const { version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets } = result;
    const pieces = [...renderJsonChunks(result)];
    expect(pieces.join('')).toBe(`${JSON.stringify({ version, params, stats, documents, duplicates, syndication, paragraphs, stories, outlets }, null, 2)}\n`);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(1 << 15);
    expect(pieces.length).toBeLessThan(clusters.length / 4);
  });
});
