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
 *                 paragraph band key it covers, the id's cell key included; field `L` is the
 *                 group's state (absent: 0), field `n` the number of whole 64-byte blocks in its
 *                 cells
 *
 * Band keys are mixed with a salt per kind (document, paragraph) into 32-bit cell keys; the top
 * bits pick the group, the next bits the cell. The cells of a group grow by linear hashing: a
 * group starts with 2^CELL_BITS cells of level 0, and while its cells average more than
 * SPLIT_BLOCKS blocks the cell at its split pointer P is split in two by the next bit of its keys
 * (two cells of level L + 1) and P moves on; when every cell of level L is split, L goes up and P
 * starts again (state = L × 2^32 + P). So cells stay small however large the index grows (an
 * append copies, and a read sends, whole cells), and no split moves more than one cell. A cell is
 * named by its level and number (cellNumber), so a name never changes meaning: a reader asks for
 * the state in the same HMGET as its cells and asks again for the keys whose cell it asked for was
 * split meanwhile, and the update script refuses changes to a cell that is no longer one of the
 * group's. Small cells stay in Redis' compact listpack encoding on small indexes. A reader reads
 * whole cells and keeps the pairs of its keys.
 * The groups of one shard share a hash tag, so one script call reaches all of them: a batch's
 * appends and removals cost one call per shard, not one per group (reads are one native HMGET per
 * group), and the SHARDS tags still spread the index over as many slots of a cluster. Records
 * hold their band keys, not their signature (record.ts); the holder of an id is found through
 * the cell of the id's key, so there is no id → ticket hash.
 */
import { fmix32 } from '../../sketch/hash.js';

/** Cells a bucket group starts with, as bits (a hash of at most 128 fields stays a listpack). */
export const CELL_BITS = 7;
/**
 * Average number of whole 64-byte blocks per cell above which a group splits a cell: cells then
 * average about 416 bytes (52 pairs), so on a large index they hold 26 to 52 pairs.
 */
export const SPLIT_BLOCKS = 6;
/** Fields of a group hash beside its cells: its state and the number of whole 64-byte blocks of its cells. */
export const STATE_FIELD = 'L';
export const BLOCKS_FIELD = 'n';
/** A group's state is level × STATE_LEVEL + split pointer. */
export const STATE_LEVEL = 2 ** 32;
/**
 * Default number of bucket groups (a power of two), stored with the index: two per shard. Groups
 * grow their cells as they fill, so their number sets only how a batch's work is cut: a read is
 * one HMGET per group it touches and a write one script call per shard. Redis spends less per cell
 * in fewer, longer commands, up to a point: against 1,024 groups, 128 take a fifth less Redis CPU
 * and memory on the real articles and the same at 100k records, where 64 take a quarter more.
 */
export const DEFAULT_GROUPS = 128;
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

  /** The bucket group of a cell key. */
  group(key: number): number {
    return key >>> this.groupShift;
  }

  /** The highest level of a group: every bit of a cell key below the group's picks the cell. */
  get maxLevel(): number {
    return this.groupShift - CELL_BITS;
  }

  /** The cell of a cell key within its group at a level (0 to 2^(CELL_BITS + level) − 1). */
  cellIndex(key: number, level: number): number {
    const bits = CELL_BITS + level;
    return (key >>> (this.groupShift - bits)) & (0xffffffff >>> (32 - bits));
  }

  /** The cell (its number, see cellNumber) that holds a cell key in a group of this state. */
  cellOf(key: number, state: number): number {
    const level = Math.floor(state / STATE_LEVEL);
    const cell = this.cellIndex(key, level);
    return cell < state % STATE_LEVEL ? cellNumber(level + 1, this.cellIndex(key, level + 1)) : cellNumber(level, cell);
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

/**
 * The number of cell `cell` of a level, unique across levels: at level 0 the cell itself, above
 * 2^(CELL_BITS + level) plus it (so below 2^32: levels stop where a cell key's bits end). Its
 * decimal form is the cell's field name (a listpack stores and compares it as an integer).
 */
export function cellNumber(level: number, cell: number): number {
  return level === 0 ? cell : (1 << CELL_BITS) * 2 ** level + cell;
}

/** The level of a cell number. */
export function cellLevel(number: number): number {
  return number < 1 << CELL_BITS ? 0 : 31 - Math.clz32(number) - CELL_BITS;
}

/** Whether a cell number is one of the cells of a group of this state (not split yet, or a child of one that was). */
export function isCellOf(number: number, state: number): boolean {
  const level = Math.floor(state / STATE_LEVEL);
  const pointer = state % STATE_LEVEL;
  const of = cellLevel(number);
  const cell = number - cellNumber(of, 0);
  return (of === level && cell >= pointer) || (of === level + 1 && cell >>> 1 < pointer);
}

const SMALL_NAMES = Array.from({ length: 1 << CELL_BITS }, (_, cell) => String(cell));

/** The field name of a cell number. */
export function cellName(number: number): string {
  return SMALL_NAMES[number] ?? String(number);
}

/** States of a record (first byte of its header). */
export const STATE = { pending: 'p', sequenced: 'q', accepted: 'a', dead: 'x' } as const;

/** A 16-byte header: the state and the sequence number (zero-padded decimal). */
export function header(state: string, sequence: number): string {
  return state + String(sequence).padStart(HEADER_BYTES - 1, '0');
}

/** State and sequence of a header. */
export function parseHeader(value: string | Buffer): { state: string; sequence: number } {
  if (typeof value !== 'string' && value.length >= HEADER_BYTES) {
    // The digits read in place: a decision parses the header of every ticket it finds.
    let sequence = 0;
    for (let i = 1; i < HEADER_BYTES; i++) sequence = sequence * 10 + value[i]! - 48;
    return { state: String.fromCharCode(value[0]!), sequence };
  }
  const text = typeof value === 'string' ? value : value.toString('latin1', 0, HEADER_BYTES);
  return { state: text[0] ?? '', sequence: Number(text.slice(1, HEADER_BYTES)) };
}
