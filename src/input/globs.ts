/**
 * Which files of a folder input are documents: `--include` and `--exclude` glob patterns over the
 * '/'-separated path relative to the folder.
 *
 * Pattern syntax: `*` any characters but '/', `**` any number of whole path segments, `?` one
 * character but '/', `[abc]` / `[!abc]` a character class, `{a,b}` alternatives. A pattern with
 * no '/' is matched against the file name (include) or against every segment of the path
 * (exclude, so `drafts` or `.*` also leave out whole folders), as `.gitignore` does. Matching is
 * case-sensitive except for the default file endings.
 */
import { SyndicError } from '../errors.js';

/** Files read by default: plain text and Markdown. */
export const DEFAULT_INCLUDE: readonly string[] = Object.freeze(['*.txt', '*.md']);

/**
 * Files left out by default: hidden files and folders and the usual project files that sit beside
 * articles (a folder's own README, its license, changelog, contributing notes).
 */
export const DEFAULT_EXCLUDE: readonly string[] = Object.freeze(['.*', 'README', 'README.*', 'LICENSE', 'LICENSE.*', 'CHANGELOG', 'CHANGELOG.*', 'CONTRIBUTING', 'CONTRIBUTING.*']);

/** The include and exclude patterns of a folder walk. */
export interface FolderFilter {
  /** Patterns a file must match one of (default {@link DEFAULT_INCLUDE}). */
  include?: readonly string[];
  /** Patterns that leave a file out, added to the defaults unless `defaultExclude` is false. */
  exclude?: readonly string[];
  /** Whether {@link DEFAULT_EXCLUDE} applies (default true). */
  defaultExclude?: boolean;
}

/** A compiled folder filter over '/'-separated paths relative to the folder. */
export interface PathTest {
  /** Whether the file at this path is a document. */
  file(relativePath: string): boolean;
  /** Whether the walk enters this folder (false when an exclude pattern leaves it out whole). */
  folder(relativePath: string): boolean;
}

/** Compile `filter` once for a walk; throws a usage error naming a malformed pattern. */
export function compileFolderFilter(filter: FolderFilter = {}): PathTest {
  const custom = filter.include !== undefined && filter.include.length > 0;
  const include = (custom ? filter.include! : DEFAULT_INCLUDE).map((pattern) => compilePattern(pattern, '--include'));
  const defaults = filter.defaultExclude === false ? [] : DEFAULT_EXCLUDE;
  const exclude = [...defaults, ...(filter.exclude ?? [])].map((pattern) => compilePattern(pattern, '--exclude'));
  const excluded = (relativePath: string, segments: readonly string[]): boolean =>
    exclude.some((pattern) => (pattern.anchored ? pattern.regex.test(relativePath) || pattern.regex.test(`${relativePath}/`) : segments.some((segment) => pattern.regex.test(segment))));
  return {
    file(relativePath) {
      const segments = relativePath.split('/');
      // The default endings are matched whatever their case (.TXT from a Windows export).
      const name = custom ? segments[segments.length - 1]! : segments[segments.length - 1]!.toLowerCase();
      if (!include.some((pattern) => pattern.regex.test(pattern.anchored ? relativePath : name))) return false;
      return !excluded(relativePath, segments);
    },
    folder(relativePath) {
      const segments = relativePath.split('/');
      return !excluded(relativePath, segments.slice(-1));
    },
  };
}

interface CompiledPattern {
  regex: RegExp;
  /** Whether the pattern names a path (has a '/') rather than a file or folder name. */
  anchored: boolean;
}

/** A glob as a regular expression over a whole path (or name). */
export function compilePattern(pattern: string, flag: string): CompiledPattern {
  if (pattern === '') throw new SyndicError(`option ${flag} needs a pattern, got an empty string`);
  const glob = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` anything below.
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) throw new SyndicError(`option ${flag}: pattern "${pattern}" has a "[" without its "]"`);
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (braces > 0) throw new SyndicError(`option ${flag}: pattern "${pattern}" has a "{" without its "}"`);
  // A pattern naming a folder (`drafts/`) leaves out everything below it.
  if (source.endsWith('/')) source += '.*';
  return { regex: new RegExp(`^${source}$`), anchored: glob.includes('/') };
}
