/**
 * The one error type of the library: a caller's mistake, with a kind the CLI turns into an exit code.
 * Messages name what is wrong and never start with the program's name (the CLI adds it once).
 */
/** Kinds of user-facing failure (the CLI exits with code 2 for each); `limit`: the input does not fit the heap limit. */
export type SyndicErrorKind = 'usage' | 'input' | 'params' | 'index' | 'limit';

/** An error caused by the caller (bad option, bad record, mismatched parameters, bad index file). */
export class SyndicError extends Error {
  constructor(
    message: string,
    readonly kind: SyndicErrorKind = 'usage',
  ) {
    super(message);
    this.name = 'SyndicError';
  }
}
