/**
 * Key layout of a Redis index and its value encodings. Records carry no hash tag and the bucket
 * groups one of SHARDS per index, so the keys of one index spread over the slots of a cluster:
 *
 *   NS:meta       stored parameters and layout (JSON), checked on open
 *   NS:tick       ticket counter: every attempt to add a record takes a ticket T
 *   NS:seq        sequence counter: the order of check-and-adds (taken after the inserts, see redis.ts)
 *   NS:n          number of accepted records
 *   NS:r:T        the record of ticket T: a 16-byte state header, the id, the binary record;
 *                 absent while T is pending (its pairs written, no sequence number yet), a bare
 *                 `dead` header (a tombstone) once removed or given up
 *   NS:b:{NS/S}G  bucket group G (of `groups`) in shard S = G mod SHARDS: a hash of cells; a
 *                 cell holds 8-byte pairs (mixed band key, ticket) of every document and
 *                 paragraph band key it covers, the id's cell key included
 *
 * Band keys are mixed with a salt per kind (document, paragraph) into 32-bit cell keys; the top
 * bits pick the group, the next CELL_BITS the cell. Cells of about 2 pairs stay in Redis' compact
 * listpack encoding on small indexes; on large ones each cell holds many pairs and the per-field
 * overhead is shared by them. A reader reads whole cells and keeps the pairs of its keys.
 * The groups of one shard share a hash tag, so one script call reaches all of them: a batch's
 * appends and removals cost one call per shard, not one per group (reads are one native HMGET per
 * group), and the SHARDS tags still spread the index over as many slots of a cluster. Records
 * hold their band keys, not their signature (record.ts); the holder of an id is found through
 * the cell of the id's key, so there is no id → ticket hash.
 */
import { fmix32 } from '../../sketch/hash.js';

/** Cells per bucket group (a hash of at most 128 fields stays a listpack). */
export const CELL_BITS = 7;
/**
 * Default number of bucket groups (a power of two), stored with the index. With 128 cells each,
 * a cell holds about records × keys per record / 131,072 pairs; an append copies and a read sends
 * the whole cell, so the cost per record grows with the index (100k records of ~100 keys: ~600 B
 * per cell). More groups cost more work per batch (one HMGET and HSET per group touched).
 */
export const DEFAULT_GROUPS = 1024;
/** Hash tags the bucket groups are spread over (fewer when there are fewer groups). */
export const SHARDS = 64;
/** Bytes of one (cell key, ticket) pair. */
export const PAIR_BYTES = 8;
/** Bytes of the state header at the start of a record value. */
export const HEADER_BYTES = 16;

const DOCUMENT_SALT = 0x243f6a88;
const PARAGRAPH_SALT = 0x85a308d3;

/** The cell key of a document band key or a paragraph band key. */
export function cellKey(bandKey: number, paragraph: boolean): number {
  return fmix32((bandKey ^ (paragraph ? PARAGRAPH_SALT : DOCUMENT_SALT)) >>> 0) >>> 0;
}

/** Names of every key of one index. */
export class KeyLayout {
  readonly meta: string;
  readonly tickets: string;
  readonly sequence: string;
  readonly count: string;
  /** Number of shards (hash tags) the groups are spread over. */
  readonly shards: number;
  private readonly groupShift: number;

  constructor(
    readonly namespace: string,
    readonly groups: number,
  ) {
    this.meta = `${namespace}:meta`;
    this.tickets = `${namespace}:tick`;
    this.sequence = `${namespace}:seq`;
    this.count = `${namespace}:n`;
    this.groupShift = 32 - Math.log2(groups);
    this.shards = Math.min(SHARDS, groups);
  }

  record(ticket: number): string {
    return `${this.namespace}:r:${ticket}`;
  }

  /** The bucket group and the cell (field) of a cell key. */
  group(key: number): number {
    return key >>> this.groupShift;
  }

  /** The cell of a cell key within its group (0 to 2^CELL_BITS − 1). */
  cellIndex(key: number): number {
    return (key >>> (this.groupShift - CELL_BITS)) & ((1 << CELL_BITS) - 1);
  }

  /** The shard (hash tag) of a bucket group. */
  shard(group: number): number {
    return group % this.shards;
  }

  groupKey(group: number): string {
    return `${this.namespace}:b:{${this.namespace}/${this.shard(group)}}${group}`;
  }

  /** A pattern matching every key of the index (for `destroy`). */
  get pattern(): string {
    return `${this.namespace.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  }
}

/** States of a record (first byte of its header). */
export const STATE = { pending: 'p', sequenced: 'q', accepted: 'a', dead: 'x' } as const;

/** A 16-byte header: the state and the sequence number (zero-padded decimal). */
export function header(state: string, sequence: number): string {
  return state + String(sequence).padStart(HEADER_BYTES - 1, '0');
}

/** State and sequence of a header. */
export function parseHeader(value: string | Buffer): { state: string; sequence: number } {
  const text = typeof value === 'string' ? value : value.toString('latin1', 0, HEADER_BYTES);
  return { state: text[0] ?? '', sequence: Number(text.slice(1, HEADER_BYTES)) };
}
