/**
 * Stories and outlet flows: a hand-made set of pairs with every case written out, and a small
 * corpus with known outlets and dates run through findDuplicates.
 */
import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/index.js';
import { buildStories, parseDate } from '../../src/detect/stories.js';
import { storyRecords } from '../report/fixture.js';

describe('parseDate', () => {
  it('reads ISO dates and date-times, UTC without a zone, and nothing else', () => {
    expect(parseDate('2015-07-21')).toBe(Date.UTC(2015, 6, 21));
    expect(parseDate('2015-07-21 02:51:32')).toBe(Date.UTC(2015, 6, 21, 2, 51, 32));
    expect(parseDate('2015-07-21T02:51')).toBe(Date.UTC(2015, 6, 21, 2, 51));
    expect(parseDate('2015-07-21T05:51:32.5+03:00')).toBe(Date.UTC(2015, 6, 21, 2, 51, 32, 500));
    expect(parseDate('2015-07-21T05:51:32+0300')).toBe(Date.UTC(2015, 6, 21, 2, 51, 32));
    expect(parseDate('2015-07-21T02:51:32z')).toBe(Date.UTC(2015, 6, 21, 2, 51, 32));
    for (const bad of [undefined, '', 'yesterday', '21/07/2015', '2015-13-01', '2015-07-21T25:00']) expect(parseDate(bad)).toBeNaN();
  });
});

describe('buildStories on hand-made pairs', () => {
  const documents = [
    { id: 'w1', source: 'wire', date: '2015-07-21 08:00:00' },
    { id: 'p1', source: 'paper', date: '2015-07-21 09:30:00' },
    { id: 'r1', source: 'daily', date: '2015-07-22' },
    { id: 'x1', source: 'daily', date: '2015-07-21T12:00:00+03:00' },
    { id: 'u1' },
    { id: 'u2', source: 'wire' },
    { id: 'd0', source: 'wire' },
    { id: 'd1', source: 'paper', date: '2015-07-21 10:00' },
    { id: 'lone', source: 'paper' },
  ];
  const duplicates = [
    { a: 'w1', b: 'p1', jaccard: 0.9, containment: { aInB: 0.95, bInA: 0.93 } },
    { a: 'u2', b: 'u1', jaccard: 0.8 },
  ];
  const syndication = [
    { a: 'w1', b: 'r1', containment: { aInB: 0.9, bInA: 0.3 } },
    { a: 'p1', b: 'x1', containment: { aInB: 0.5, bInA: 0.85 } },
    { a: 'd0', b: 'd1', containment: { aInB: 0.85, bInA: 0.6 } },
  ];
  const expected = {
    stories: [
      {
        id: 1,
        origin: 'w1',
        documents: 4,
        outlets: 3,
        spanSeconds: 57600,
        members: [
          { id: 'w1', source: 'wire', date: '2015-07-21 08:00:00', relation: 'origin', keeps: 1, adds: 0, delaySeconds: 0 },
          // Published at 09:00 UTC, linked only to p1: compared with p1, timed from the origin.
          { id: 'x1', source: 'daily', date: '2015-07-21T12:00:00+03:00', relation: 'copy', via: 'p1', keeps: 0.5, adds: 0.15, delaySeconds: 3600 },
          { id: 'p1', source: 'paper', date: '2015-07-21 09:30:00', relation: 'duplicate', keeps: 0.95, adds: 0.07, delaySeconds: 5400 },
          { id: 'r1', source: 'daily', date: '2015-07-22', relation: 'contains', keeps: 0.9, adds: 0.7, delaySeconds: 57600 },
        ],
      },
      {
        // Dated documents come before undated ones, whatever the input order.
        id: 2,
        origin: 'd1',
        documents: 2,
        outlets: 2,
        spanSeconds: 0,
        members: [
          { id: 'd1', source: 'paper', date: '2015-07-21 10:00', relation: 'origin', keeps: 1, adds: 0, delaySeconds: 0 },
          { id: 'd0', source: 'wire', relation: 'copy', keeps: 0.6, adds: 0.15, delaySeconds: null },
        ],
      },
      {
        // No dates: input order; a pair without containment falls back to its Jaccard.
        id: 3,
        origin: 'u1',
        documents: 2,
        outlets: 1,
        spanSeconds: null,
        members: [
          { id: 'u1', relation: 'origin', keeps: 1, adds: 0, delaySeconds: null },
          { id: 'u2', source: 'wire', relation: 'duplicate', keeps: 0.8, adds: 0.2, delaySeconds: null },
        ],
      },
    ],
    outlets: {
      sources: true,
      dates: true,
      outlets: [
        { source: 'paper', articles: 3, origins: 1, copies: 1, copyShare: 0.333333 },
        { source: 'wire', articles: 3, origins: 1, copies: 2, copyShare: 0.666667 },
        { source: 'daily', articles: 2, origins: 0, copies: 2, copyShare: 1 },
      ],
      flows: [
        { from: 'wire', to: 'daily', copies: 2, duplicate: 0, copy: 1, contains: 1, medianDelaySeconds: 30600 },
        { from: 'paper', to: 'wire', copies: 1, duplicate: 0, copy: 1, contains: 0, medianDelaySeconds: null },
        { from: 'wire', to: 'paper', copies: 1, duplicate: 1, copy: 0, contains: 0, medianDelaySeconds: 5400 },
      ],
    },
  };

  it('groups, orders, relates and times every member, and counts the flows', () => {
    expect(buildStories(documents, duplicates, syndication, 0.8)).toEqual(expected);
  });

  it('does not depend on the order of the pairs', () => {
    expect(buildStories(documents, [...duplicates].reverse(), [...syndication].reverse(), 0.8)).toEqual(expected);
  });

  it('says when there are no sources or dates', () => {
    const bare = documents.map(({ id }) => ({ id }));
    const { stories, outlets } = buildStories(bare, duplicates, syndication, 0.8);
    expect(outlets).toEqual({ sources: false, dates: false, outlets: [], flows: [] });
    expect(stories.map((story) => story.members.map((member) => member.id))).toEqual([['w1', 'p1', 'r1', 'x1'], ['u1', 'u2'], ['d0', 'd1']]);
    expect(stories.every((story) => story.outlets === 0 && story.spanSeconds === null)).toBe(true);
  });

  it('lets a round-up of two stories join only the one whose part is largest', () => {
    const docs = [
      { id: 'a1', date: '2015-07-21 08:00' },
      { id: 'a2', date: '2015-07-21 09:00' },
      { id: 'b1', date: '2015-07-21 10:00' },
      { id: 'roundup', date: '2015-07-22 08:00' },
      { id: 'cut', date: '2015-07-22 09:00' },
    ];
    const { stories } = buildStories(
      docs,
      [{ a: 'a1', b: 'a2', jaccard: 0.9 }],
      [
        { a: 'a1', b: 'roundup', containment: { aInB: 0.9, bInA: 0.3 } },
        { a: 'b1', b: 'roundup', containment: { aInB: 1, bInA: 0.35 } },
        // The round-up cut short keeps more than half of it: a copy, it joins.
        { a: 'roundup', b: 'cut', containment: { aInB: 0.6, bInA: 0.95 } },
      ],
      0.8,
    );
    expect(stories.map((story) => story.members.map((member) => [member.id, member.relation]))).toEqual([
      [['b1', 'origin'], ['roundup', 'contains'], ['cut', 'copy']],
      [['a1', 'origin'], ['a2', 'duplicate']],
    ]);
    expect(stories[0]!.members[2]!.via).toBe('roundup');
  });

  it('splits a chain so that every member is within two pairs of its origin', () => {
    const docs = ['o', 'a', 'b', 'c', 'd', 'e'].map((id, hour) => ({ id, date: `2015-07-21 0${hour}:00` }));
    const chain = [['o', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e']].map(([a, b]) => ({ a: a!, b: b!, jaccard: 0.9 }));
    const { stories } = buildStories(docs, chain, [], 0.8);
    expect(stories.map((story) => story.members.map((member) => [member.id, member.via ?? '', member.delaySeconds]))).toEqual([
      [['o', '', 0], ['a', '', 3600], ['b', 'a', 7200]],
      [['c', '', 0], ['d', '', 3600], ['e', 'd', 7200]],
    ]);
    // A document left alone after the split joins no story.
    expect(buildStories(docs.slice(0, 4), chain.slice(0, 3), [], 0.8).stories.map((story) => story.members.length)).toEqual([3]);
  });

  it('names a pair whose document is unknown', () => {
    expect(() => buildStories(documents, [{ a: 'w1', b: 'nobody', jaccard: 1 }], [], 0.8)).toThrow('"nobody"');
  });
});

describe('stories of a scan with known outlets and dates', async () => {
  const records = storyRecords();
  const result = await findDuplicates(records);

  it('finds who copied whom, when, and how', () => {
    const shape = result.stories.map((story) => ({
      id: story.id,
      origin: story.origin,
      outlets: story.outlets,
      spanSeconds: story.spanSeconds,
      members: story.members.map((member) => [member.id, member.source, member.relation, member.via, member.delaySeconds]),
    }));
    expect(shape).toEqual([
      {
        id: 1,
        origin: 'agency/1',
        outlets: 3,
        spanSeconds: 90000,
        members: [
          ['agency/1', 'agency', 'origin', undefined, 0],
          ['paper-a/1', 'paper-a', 'duplicate', undefined, 2700],
          ['paper-b/1', 'paper-b', 'copy', undefined, 10800],
          ['paper-b/2', 'paper-b', 'contains', undefined, 90000],
        ],
      },
      {
        id: 2,
        origin: 'agency/2',
        outlets: 2,
        spanSeconds: 1800,
        members: [
          ['agency/2', 'agency', 'origin', undefined, 0],
          ['paper-a/2', 'paper-a', 'duplicate', undefined, 1800],
        ],
      },
    ]);
  });

  it('takes what a member keeps and adds from its pair with the origin', () => {
    for (const story of result.stories) {
      for (const member of story.members.slice(1)) {
        const pair = [...result.duplicates.pairs, ...result.syndication].find((p) => [p.a, p.b].includes(member.id) && [p.a, p.b].includes(story.origin))!;
        const [originInMember, memberInOrigin] = pair.a === story.origin ? [pair.containment.aInB, pair.containment.bInA] : [pair.containment.bInA, pair.containment.aInB];
        expect([member.keeps, member.adds]).toEqual([originInMember, Math.round((1 - memberInOrigin) * 1e6) / 1e6]);
      }
    }
    const [, duplicate, copy, container] = result.stories[0]!.members;
    expect(duplicate!.keeps).toBe(1);
    expect(duplicate!.adds).toBe(0);
    expect(copy!.keeps).toBeLessThan(0.8);
    expect(copy!.adds).toBeLessThan(0.2);
    expect(container!.keeps).toBeGreaterThan(0.95);
    expect(container!.adds).toBeGreaterThan(copy!.adds);
  });

  it('counts copies from outlet to outlet with their median delay, and each outlet\'s copy share', () => {
    expect(result.outlets).toEqual({
      sources: true,
      dates: true,
      outlets: [
        { source: 'paper-a', articles: 3, origins: 0, copies: 2, copyShare: 0.666667 },
        { source: 'agency', articles: 2, origins: 2, copies: 0, copyShare: 0 },
        { source: 'paper-b', articles: 2, origins: 0, copies: 2, copyShare: 1 },
      ],
      flows: [
        { from: 'agency', to: 'paper-a', copies: 2, duplicate: 2, copy: 0, contains: 0, medianDelaySeconds: 2250 },
        { from: 'agency', to: 'paper-b', copies: 2, duplicate: 0, copy: 1, contains: 1, medianDelaySeconds: 50400 },
      ],
    });
  });

  it('is the same for any input order', async () => {
    const reversed = await findDuplicates([...records].reverse());
    expect(reversed.stories).toEqual(result.stories);
    expect(reversed.outlets).toEqual(result.outlets);
  });
});
