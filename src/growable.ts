/** Append-only typed arrays that double their capacity; `view` is the filled part. */
type Typed = Uint32Array | Uint8Array;

/** A growable typed array. */
export class Growable<T extends Typed> {
  private data: T;
  length: number;

  constructor(
    private readonly make: (size: number) => T,
    initial: T,
  ) {
    this.data = initial;
    this.length = initial.length;
  }

  /** The filled part (a view, invalidated by the next append). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** Make room for `count` more values. */
  reserve(count: number): void {
    const need = this.length + count;
    if (need <= this.data.length) return;
    const grown = this.make(Math.max(need, this.data.length * 2, 1024));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  /** Append values. */
  append(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }

  /** Append one value. */
  push(value: number): void {
    this.reserve(1);
    this.data[this.length++] = value;
  }
}

/** A growable Uint32Array starting from `initial` (copied on first growth). */
export const growableU32 = (initial: Uint32Array = new Uint32Array(0)): Growable<Uint32Array> => new Growable((n) => new Uint32Array(n), initial);

/** A growable Uint8Array starting from `initial`. */
export const growableU8 = (initial: Uint8Array = new Uint8Array(0)): Growable<Uint8Array> => new Growable((n) => new Uint8Array(n), initial);

const EMPTY = new Uint32Array(0);

/**
 * Numbers appended in fixed chunks and joined once, into an array of exactly their length: where a
 * doubling {@link Growable} may hold twice the values in its last buffer (hundreds of megabytes for
 * the largest columns of a run), this holds at most one chunk more. Joining lets go of the chunks;
 * their memory returns at the next collection.
 */
export class ChunkedU32 {
  private readonly full: Uint32Array[] = [];
  private current = EMPTY;
  private filled = 0;

  /**
   * Chunks of 64 MiB by default: past glibc's largest mmap threshold (32 MiB), so each is mapped
   * on its own, costs only the pages it fills and is unmapped when collected. Freeing smaller mapped
   * blocks raises the threshold, after which blocks of that size come from the heap and its
   * fragments are kept.
   */
  constructor(private readonly chunkLength = 1 << 24) {
    if (!Number.isInteger(chunkLength) || chunkLength < 1) throw new Error(`chunks of ${chunkLength} values`);
  }

  /** Values appended so far. */
  get length(): number {
    return this.full.length * this.chunkLength + this.filled;
  }

  push(value: number): void {
    if (this.filled === this.current.length) {
      if (this.current.length > 0) this.full.push(this.current);
      this.current = new Uint32Array(this.chunkLength);
      this.filled = 0;
    }
    this.current[this.filled++] = value;
  }

  /** Every value, in order; the collector is left empty. */
  join(): Uint32Array {
    const out = new Uint32Array(this.length);
    let at = 0;
    for (const chunk of this.full) (out.set(chunk, at), (at += chunk.length));
    out.set(this.current.subarray(0, this.filled), at);
    this.full.length = 0;
    this.current = EMPTY;
    this.filled = 0;
    return out;
  }
}

/**
 * An append-only column read by ranges: the loaded part stays a view of the file's buffer and
 * appends go to a growable tail, so the first addition after a load copies nothing. A range never
 * straddles the two (callers read whole records and the loaded part ends on a record boundary).
 */
export class SegmentedColumn<T extends Typed> {
  private readonly tail: Growable<T>;

  constructor(
    private readonly base: T,
    make: (size: number) => T,
  ) {
    this.tail = new Growable(make, make(0));
  }

  /** Values filled. */
  get length(): number {
    return this.base.length + this.tail.length;
  }

  /** Values [start, end), a view. */
  range(start: number, end: number): T {
    const split = this.base.length;
    return (end <= split ? this.base.subarray(start, end) : this.tail.view().subarray(start - split, end - split)) as T;
  }

  /** Append values. */
  append(values: ArrayLike<number>): void {
    this.tail.append(values);
  }

  /** Everything, as the loaded part then the appended one (views). */
  parts(): T[] {
    return [this.base, this.tail.view()];
  }

  /** Everything, contiguous (a copy once anything was appended). */
  all(make: (size: number) => T): T {
    if (this.tail.length === 0) return this.base;
    const out = make(this.length);
    out.set(this.base);
    out.set(this.tail.view(), this.base.length);
    return out;
  }
}
