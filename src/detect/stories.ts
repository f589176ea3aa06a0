/**
 * Stories and outlet flows: who copied whom, and how fast.
 *
 * A story is a connected group of documents joined by near-duplicate or syndication pairs, with one
 * exception: a document that holds others only as small parts, each under half of it (a round-up
 * or a bulletin of several stories), joins only the story whose part is largest; its other pairs
 * stay in the run's syndication list but join no story. And every member is at most two pairs from
 * its origin (a copy of a copy): a longer chain is split, the earliest document left starting the
 * next story (a document left alone joins none). Members are ordered by publication: documents with a parseable `date` first, earliest first, then
 * the others; ties and undated documents in input order. The first member is the story's origin.
 * Each other member is compared with the origin when the run found a pair between the two, else
 * with `via`: its strongest link to the member one step closer to the origin (breadth-first from
 * the origin). From that pair come its relation (`duplicate`: a near-duplicate pair; `copy`: the
 * member lies mostly (≥ `containment`) inside the compared document; `contains`: the compared
 * document lies inside the member, among new material), how much of the compared document it
 * keeps and how much it adds.
 *
 * Outlet flows count every non-origin member once, as a copy from the origin's outlet to the
 * member's (the same outlet included: an outlet re-running its own story), with the median delay
 * after the origin. A pure function of the pairs and the documents' id, source and date.
 */
import { UnionFind } from './cluster.js';

/** How a story member relates to the document it is compared with. */
export type StoryRelation = 'origin' | 'duplicate' | 'copy' | 'contains';

/** One document of a {@link Story}. */
export interface StoryMember {
  id: string;
  source?: string;
  date?: string;
  relation: StoryRelation;
  /** Id of the member this one is compared with when the run has no pair with the origin. */
  via?: string;
  /** Share of the compared document (the origin, else `via`) found in this member. */
  keeps: number;
  /** Share of this member not found in the compared document. */
  adds: number;
  /** Seconds after the origin; null unless both have a parseable date. */
  delaySeconds: number | null;
}

/** Documents joined by near-duplicate or syndication pairs, in publication order, origin first. */
export interface Story {
  /** 1-based position in the result: most documents first, then most outlets, then earliest origin. */
  id: number;
  origin: string;
  documents: number;
  /** Distinct outlets among the members (0 without sources). */
  outlets: number;
  /** Seconds from the origin to the last dated member; null without dates. */
  spanSeconds: number | null;
  members: StoryMember[];
}

/** An outlet's part in the stories. */
export interface OutletSummary {
  source: string;
  /** Documents of this outlet in the run. */
  articles: number;
  /** Stories it published first. */
  origins: number;
  /** Its documents that are story members other than the origin. */
  copies: number;
  /** copies / articles. */
  copyShare: number;
}

/** Copies from the outlet of a story's origin to the outlet of another member. */
export interface OutletFlow {
  from: string;
  to: string;
  copies: number;
  /** `copies` by relation. */
  duplicate: number;
  copy: number;
  contains: number;
  /** Median delay of the copies after their origin; null when none has both dates. */
  medianDelaySeconds: number | null;
}

/** The outlet view of the stories; `sources`/`dates` say whether the input had them at all. */
export interface OutletReport {
  /** Some document has a `source`; without, there are no outlets or flows. */
  sources: boolean;
  /** Some document has a parseable `date`; without, order and origins are input order. */
  dates: boolean;
  /** Outlets, most articles first. */
  outlets: OutletSummary[];
  /** Flows, most copies first. */
  flows: OutletFlow[];
}

/** What stories need of a document. */
export interface StoryDocument {
  id: string;
  source?: string | undefined;
  date?: string | undefined;
}

/** What stories need of a near-duplicate pair (containment is used when the pair carries it). */
export interface StoryDuplicateLink {
  a: string;
  b: string;
  jaccard: number;
  containment?: { aInB: number; bInA: number };
}

/** What stories need of a syndication pair. */
export interface StorySyndicationLink {
  a: string;
  b: string;
  containment: { aInB: number; bInA: number };
}

/** A pair as seen from both ends, by document index. */
interface Link {
  duplicate: boolean;
  /** Share of `from` found in `to`, and of `to` found in `from`. */
  fromInTo: number;
  toInFrom: number;
  to: number;
  strength: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Milliseconds since the epoch of an ISO date or date-time (`2015-07-21`, `2015-07-21 02:51:32`,
 * `2015-07-21T02:51:32+03:00`); without a zone, UTC. NaN when it is not one.
 */
export function parseDate(date: string | undefined): number {
  const match = date === undefined ? null : DATE.exec(date.trim());
  if (!match) return Number.NaN;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  return Date.parse(iso);
}

/**
 * Comparator of document indexes in publication order: documents with a time (`times[d]`, NaN for
 * none) by time, then those without; ties in index (input) order.
 */
export function publicationOrder(times: readonly number[]): (x: number, y: number) => number {
  return (x, y) => {
    const tx = times[x]!;
    const ty = times[y]!;
    if (Number.isNaN(tx) !== Number.isNaN(ty)) return Number.isNaN(tx) ? 1 : -1;
    return (Number.isNaN(tx) ? 0 : tx - ty) || x - y;
  };
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * Stories and outlet flows of a run's pairs. `documents` are all documents of the run in input
 * order; `containment` is the policy's threshold that tells a copy from a container.
 */
export function buildStories(
  documents: readonly StoryDocument[],
  duplicates: readonly StoryDuplicateLink[],
  syndication: readonly StorySyndicationLink[],
  containment: number,
): { stories: Story[]; outlets: OutletReport } {
  const indexOf = new Map<string, number>();
  documents.forEach((doc, index) => indexOf.set(doc.id, index));
  const at = (id: string): number => {
    const index = indexOf.get(id);
    if (index === undefined) throw new Error(`stories: pair names "${id}", which is not among the documents`);
    return index;
  };
  const times = documents.map((doc) => parseDate(doc.date));
  const before = publicationOrder(times);
  const links = new Map<number, Link[]>();
  const seen = new Set<string>();
  const unionFind = new UnionFind(documents.length);
  const addLink = (a: number, b: number, duplicate: boolean, aInB: number, bInA: number, strength: number): void => {
    unionFind.union(a, b);
    const push = (from: number, link: Link): void => {
      const list = links.get(from);
      if (list) list.push(link);
      else links.set(from, [link]);
    };
    push(a, { duplicate, to: b, fromInTo: aInB, toInFrom: bInA, strength });
    push(b, { duplicate, to: a, fromInTo: bInA, toInFrom: aInB, strength });
  };
  const firstTime = (a: number, b: number): boolean => {
    // A pair found as both keeps its near-duplicate link (added first).
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  for (const pair of duplicates) {
    const [a, b] = [at(pair.a), at(pair.b)];
    if (firstTime(a, b)) addLink(a, b, true, pair.containment?.aInB ?? pair.jaccard, pair.containment?.bInA ?? pair.jaccard, 2 + pair.jaccard);
  }
  // A syndication pair whose smaller document keeps at least half of the larger one (a copy cut
  // short, wrapped, or the larger one's own source) joins the story. A document that holds others
  // only as small parts (a round-up, a bulletin) may hold several unrelated stories: it joins only
  // the one whose part is largest.
  const parts = new Map<number, Array<{ a: number; b: number; aInB: number; bInA: number; contained: number; keeps: number }>>();
  for (const pair of syndication) {
    const [a, b] = [at(pair.a), at(pair.b)];
    if (!firstTime(a, b)) continue;
    const { aInB, bInA } = pair.containment;
    const [container, contained, keeps] = aInB >= bInA ? [b, a, bInA] : [a, b, aInB];
    const strength = 1 + Math.max(aInB, bInA);
    if (keeps >= 0.5) addLink(a, b, false, aInB, bInA, strength);
    else {
      const list = parts.get(container);
      const part = { a, b, aInB, bInA, contained, keeps };
      if (list) list.push(part);
      else parts.set(container, [part]);
    }
  }
  for (const container of [...parts.keys()].sort(before)) {
    const held = parts.get(container)!;
    let best = held[0]!;
    for (const part of held) if (part.keeps > best.keeps || (part.keeps === best.keeps && before(part.contained, best.contained) < 0)) best = part;
    const own = unionFind.find(container);
    const joined = unionFind.find(best.contained);
    const groups = held.map((part) => unionFind.find(part.contained));
    held.forEach((part, i) => (groups[i] === joined || groups[i] === own) && addLink(part.a, part.b, false, part.aInB, part.bInA, 1 + Math.max(part.aInB, part.bInA)));
  }

  const sourceOf = (d: number): string | undefined => documents[d]!.source || undefined;

  const built = unionFind
    .groups()
    .flatMap((group) => nearOrigins(group.sort(before), links))
    .map((members) => storyOf(members, links, times, sourceOf, documents, containment));
  built.sort((x, y) => y.members.length - x.members.length || y.outlets - x.outlets || before(x.members[0]!, y.members[0]!));
  const stories = built.map((story, position): Story => ({ ...story.story, id: position + 1 }));
  return { stories, outlets: outletReport(documents, times, built) };
}

/** A story member is at most this many pairs away from its origin (a copy of a copy). */
const MAX_HOPS = 2;

/**
 * A connected group split into stories whose members are all within {@link MAX_HOPS} pairs of
 * their origin: the earliest document takes what it reaches, the earliest of the rest takes what
 * it reaches among the rest, and so on. Long chains of related articles (one outlet's round-up of
 * two meetings, another's of the second meeting and a third) otherwise join a day's news into
 * one story. `ordered` is in publication order; so is each story.
 */
function nearOrigins(ordered: readonly number[], links: Map<number, Link[]>): number[][] {
  const left = new Set(ordered);
  const stories: number[][] = [];
  for (const origin of ordered) {
    if (!left.has(origin)) continue;
    const reached = new Set([origin]);
    let level = [origin];
    for (let hop = 0; hop < MAX_HOPS && level.length > 0; hop++) {
      const next: number[] = [];
      for (const from of level) {
        for (const link of links.get(from) ?? []) {
          if (left.has(link.to) && !reached.has(link.to)) reached.add(link.to), next.push(link.to);
        }
      }
      level = next;
    }
    const members = ordered.filter((d) => reached.has(d));
    for (const d of members) left.delete(d);
    if (members.length > 1) stories.push(members);
  }
  return stories;
}

interface BuiltStory {
  story: Omit<Story, 'id'>;
  /** Member document indexes in story order (origin first). */
  members: number[];
  outlets: number;
}

function storyOf(
  ordered: number[],
  links: Map<number, Link[]>,
  times: readonly number[],
  sourceOf: (d: number) => string | undefined,
  documents: readonly StoryDocument[],
  containment: number,
): BuiltStory {
  const origin = ordered[0]!;
  // Positions double as the membership test: links to documents of other stories are not followed.
  const position = new Map(ordered.map((d, i) => [d, i]));
  // Breadth-first from the origin: each member is compared with its strongest link one level closer.
  const compared = new Map<number, { via: number; link: Link }>();
  const depth = new Map<number, number>([[origin, 0]]);
  let level = [origin];
  for (let next = 1; level.length > 0; next++) {
    const found: number[] = [];
    for (const from of level) {
      for (const link of links.get(from) ?? []) {
        if (!position.has(link.to)) continue;
        const known = depth.get(link.to);
        if (known === undefined) {
          depth.set(link.to, next);
          found.push(link.to);
          compared.set(link.to, { via: from, link });
        } else if (known === next) {
          const current = compared.get(link.to)!;
          if (link.strength > current.link.strength || (link.strength === current.link.strength && position.get(from)! < position.get(current.via)!)) {
            compared.set(link.to, { via: from, link });
          }
        }
      }
    }
    level = found;
  }
  const originTime = times[origin]!;
  const delay = (d: number): number | null => (Number.isNaN(originTime) || Number.isNaN(times[d]!) ? null : Math.round((times[d]! - originTime) / 1000));
  const members = ordered.map((d): StoryMember => {
    const doc = documents[d]!;
    const source = sourceOf(d);
    const head = { id: doc.id, ...(source ? { source } : {}), ...(doc.date ? { date: doc.date } : {}) };
    if (d === origin) return { ...head, relation: 'origin', keeps: 1, adds: 0, delaySeconds: delay(d) };
    const { via, link } = compared.get(d)!;
    // The link runs from the compared document to this member.
    const inCompared = link.toInFrom;
    const relation = link.duplicate ? 'duplicate' : inCompared >= containment || inCompared >= link.fromInTo ? 'copy' : 'contains';
    const viaId = via === origin ? {} : { via: documents[via]!.id };
    return { ...head, relation, ...viaId, keeps: round(link.fromInTo), adds: round(1 - inCompared), delaySeconds: delay(d) };
  });
  const dated = ordered.filter((d) => !Number.isNaN(times[d]!));
  const last = dated[dated.length - 1];
  const outlets = new Set(ordered.map(sourceOf).filter((source) => source !== undefined)).size;
  return {
    story: {
      origin: documents[origin]!.id,
      documents: ordered.length,
      outlets,
      spanSeconds: last === undefined ? null : delay(last),
      members,
    },
    members: ordered,
    outlets,
  };
}

/** Median of integers, rounded to an integer; null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((x, y) => x - y);
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle]! : Math.round((values[middle - 1]! + values[middle]!) / 2);
}

function outletReport(documents: readonly StoryDocument[], times: readonly number[], built: readonly BuiltStory[]): OutletReport {
  const summaries = new Map<string, OutletSummary>();
  for (const doc of documents) {
    if (!doc.source) continue;
    const summary = summaries.get(doc.source);
    if (summary) summary.articles++;
    else summaries.set(doc.source, { source: doc.source, articles: 1, origins: 0, copies: 0, copyShare: 0 });
  }
  const flows = new Map<string, OutletFlow & { delays: number[] }>();
  for (const { story } of built) {
    const [origin, ...copies] = story.members;
    const from = origin!.source;
    if (from) summaries.get(from)!.origins++;
    for (const member of copies) {
      if (!member.source) continue;
      summaries.get(member.source)!.copies++;
      if (!from) continue;
      const key = `${from}\u0000${member.source}`;
      let flow = flows.get(key);
      if (!flow) {
        flow = { from, to: member.source, copies: 0, duplicate: 0, copy: 0, contains: 0, medianDelaySeconds: null, delays: [] };
        flows.set(key, flow);
      }
      flow.copies++;
      if (member.relation !== 'origin') flow[member.relation]++;
      if (member.delaySeconds !== null) flow.delays.push(member.delaySeconds);
    }
  }
  const outlets = [...summaries.values()]
    .map((summary) => ({ ...summary, copyShare: round(summary.copies / summary.articles) }))
    .sort((x, y) => y.articles - x.articles || compareStrings(x.source, y.source));
  const flowList = [...flows.values()]
    .map(({ delays, ...flow }) => ({ ...flow, medianDelaySeconds: median(delays) }))
    .sort((x, y) => y.copies - x.copies || compareStrings(x.from, y.from) || compareStrings(x.to, y.to));
  return { sources: summaries.size > 0, dates: times.some((time) => !Number.isNaN(time)), outlets, flows: flowList };
}

/** Code-unit order, independent of the locale. */
function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
