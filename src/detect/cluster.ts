/**
 * Grouping verified pairs into clusters: union-find, a deterministic representative per cluster,
 * and a check of every member against its representative so chains (A~B, B~C, A≁C) do not merge
 * unrelated items.
 */
import { checkHeap, HEAP_CHECK_EVERY } from '../heap-budget.js';

/** Disjoint sets over items 0..n−1 with path halving and union by size. */
export class UnionFind {
  private readonly parent: Uint32Array;
  private readonly size: Uint32Array;

  constructor(count: number) {
    this.parent = new Uint32Array(count);
    this.size = new Uint32Array(count).fill(1);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  find(item: number): number {
    let x = item;
    while (this.parent[x] !== x) {
      const grandparent = this.parent[this.parent[x]!]!;
      this.parent[x] = grandparent;
      x = grandparent;
    }
    return x;
  }

  /** Merge the sets of a and b; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return false;
    if (this.size[rootA]! < this.size[rootB]!) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA]! += this.size[rootB]!;
    return true;
  }

  /** Sets of two or more items, each sorted ascending, ordered by their smallest item. */
  groups(): number[][] {
    const count = this.parent.length;
    const roots = new Uint32Array(count);
    for (let item = 0; item < count; item++) roots[item] = this.find(item);
    // Per root, its group's index once it has one; items are met in ascending order, so groups
    // come out ordered by their smallest item. Single items make no array.
    const groupOf = new Int32Array(count).fill(-1);
    const groups: number[][] = [];
    for (let item = 0; item < count; item++) {
      const root = roots[item]!;
      if (this.size[root]! < 2) continue;
      let group = groupOf[root]!;
      if (group < 0) (groupOf[root] = group = groups.length), groups.push([]);
      groups[group]!.push(item);
    }
    return groups;
  }
}

/** What decides a representative: earliest date, then longest text, then smallest id. */
export interface RepresentativeKey {
  id: string;
  /** ISO date or date-time; missing dates sort after every date. */
  date?: string | undefined;
  chars: number;
}

/** Negative when `a` is the better representative. */
export function compareRepresentatives(a: RepresentativeKey, b: RepresentativeKey): number {
  const dateA = a.date || undefined;
  const dateB = b.date || undefined;
  if (dateA !== dateB) {
    if (dateA === undefined) return 1;
    if (dateB === undefined) return -1;
    return dateA < dateB ? -1 : 1;
  }
  if (a.chars !== b.chars) return b.chars - a.chars;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A cluster: its representative and all members (representative included), ascending. */
export interface Cluster {
  representative: number;
  members: number[];
}

/**
 * Cluster items connected by `edges` (flat [a0, b0, a1, b1, ...]): union-find components, then
 * within each component the best representative keeps the members `similar(representative,
 * member)` accepts; the rest are clustered again among themselves. Deterministic for given edges.
 */
export function clusterEdges(
  count: number,
  edges: ArrayLike<number>,
  compare: (a: number, b: number) => number,
  similar: (representative: number, member: number) => boolean,
): Cluster[] {
  const clusters: Cluster[] = [];
  const adjacency = adjacencyOf(count, edges);
  const unionFind = new UnionFind(count);
  for (let e = 0; e + 1 < edges.length; e += 2) unionFind.union(edges[e]!, edges[e + 1]!);

  const pending = unionFind.groups();
  for (let next = 0; next < pending.length; next++) {
    if (next % HEAP_CHECK_EVERY === 0) checkHeap('clustering');
    const component = pending[next]!;
    let representative = component[0]!;
    for (const item of component) if (compare(item, representative) < 0) representative = item;
    const members: number[] = [];
    const rest: number[] = [];
    for (const item of component) {
      if (item === representative || similar(representative, item)) members.push(item);
      else rest.push(item);
    }
    if (members.length > 1) clusters.push({ representative, members });
    if (rest.length > 1) {
      // Re-cluster the rejected members using only the edges among them.
      const parent = new Map<number, number>(rest.map((item) => [item, item]));
      const find = (item: number): number => {
        let x = item;
        while (parent.get(x) !== x) x = parent.get(x)!;
        parent.set(item, x);
        return x;
      };
      for (const item of rest) {
        for (let at = adjacency.start[item]!; at < adjacency.start[item + 1]!; at++) {
          const other = adjacency.neighbours[at]!;
          if (parent.has(other)) parent.set(find(item), find(other));
        }
      }
      const byRoot = new Map<number, number[]>();
      for (const item of rest) {
        const root = find(item);
        (byRoot.get(root) ?? byRoot.set(root, []).get(root)!).push(item);
      }
      for (const group of byRoot.values()) if (group.length > 1) pending.push(group);
    }
  }
  return clusters.sort((a, b) => a.members[0]! - b.members[0]!);
}

/**
 * The neighbours of each item in edge order, as offsets into one array (`start[item]` to
 * `start[item + 1]`): a `Map` of arrays held a heap object per linked paragraph, millions of them
 * at scale.
 */
function adjacencyOf(count: number, edges: ArrayLike<number>): { start: Uint32Array; neighbours: Uint32Array } {
  const start = new Uint32Array(count + 1);
  for (let e = 0; e + 1 < edges.length; e += 2) start[edges[e]! + 1]!++, start[edges[e + 1]! + 1]!++;
  for (let item = 0; item < count; item++) start[item + 1]! += start[item]!;
  const fill = start.slice(0, count);
  const neighbours = new Uint32Array(start[count]!);
  for (let e = 0; e + 1 < edges.length; e += 2) {
    const a = edges[e]!;
    const b = edges[e + 1]!;
    neighbours[fill[a]!++] = b;
    neighbours[fill[b]!++] = a;
  }
  return { start, neighbours };
}
