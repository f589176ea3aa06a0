/**
 * Reading CLI inputs as a stream of records: folders (recursive .txt/.md, one record per file),
 * single .txt/.md files, JSONL files (plain or gzipped) and `-` for JSONL on stdin. Shared by
 * `scan`, `explain` and `index build`. Every bad input is a {@link SyndicError} of kind `input`
 * naming the file, the line and the field — or, with `onInvalid`, a warning and a skipped record.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { SyndicError } from '../errors.js';
import { decodeStrictUtf8 } from '../text/utf8.js';
import type { DocumentRecord } from '../records.js';
import { compileFolderFilter, type FolderFilter, type PathTest } from './globs.js';
import { DEFAULT_FIELDS, recordFromJsonLine, type FieldMap } from './input.js';

/** A record and where it was read from (`line` is absent for whole-file records). */
export interface SourcedRecord {
  record: DocumentRecord;
  file: string;
  line?: number;
  /** For a record that is a whole text file: its absolute path (the text can be read from it again). */
  textFile?: string;
}

/** Options of {@link readInputs}. */
export interface ReadInputsOptions {
  /** JSONL field names (defaults to id, text, source, date, url, title). */
  fields?: Partial<FieldMap>;
  /** `dir`: a folder record's source is the first segment of its relative path. */
  sourceFrom?: 'dir';
  /** Which files of a folder are documents (`--include`/`--exclude`; default .txt/.md, no README). */
  folderFilter?: FolderFilter;
  /** The stream read for `-`. */
  stdin?: NodeJS.ReadableStream;
  /** Directory relative input paths are resolved against (default: `process.cwd()`). */
  cwd?: string;
  /**
   * Called with the message of each invalid record, which is then skipped; without it the first
   * invalid record throws.
   */
  onInvalid?: (message: string) => void;
}

/** File name endings read as JSONL, and the ones read as one text document each. */
const JSONL_ENDINGS = ['.jsonl', '.ndjson', '.jsonl.gz', '.ndjson.gz'];
const TEXT_ENDINGS = ['.txt', '.md'];

const endsWithAny = (name: string, endings: readonly string[]): boolean => endings.some((ending) => name.toLowerCase().endsWith(ending));

/**
 * Read every input in order and yield its records. Folder entries are sorted by name (UTF-16 code
 * units) so the order, and everything derived from it, is the same on every machine. Ids must be
 * unique across all inputs.
 */
export async function* readInputs(inputs: readonly string[], options: ReadInputsOptions = {}): AsyncGenerator<SourcedRecord> {
  const fields: FieldMap = { ...DEFAULT_FIELDS };
  for (const key of Object.keys(DEFAULT_FIELDS) as Array<keyof FieldMap>) fields[key] = options.fields?.[key] ?? DEFAULT_FIELDS[key];
  const cwd = options.cwd ?? process.cwd();
  const folderTest = compileFolderFilter(options.folderFilter);
  const firstSeen = new Map<string, string>();
  let stdinUsed = false;

  for (const input of inputs) {
    let records: AsyncIterable<SourcedRecord>;
    if (input === '-') {
      if (stdinUsed) throw new SyndicError("syndic: '-' (stdin) given more than once", 'usage');
      stdinUsed = true;
      records = readJsonl(options.stdin ?? process.stdin, '<stdin>', fields, options.onInvalid);
    } else {
      records = readPath(input, path.resolve(cwd, input), fields, options, folderTest);
    }
    for await (const item of records) {
      const where = item.line === undefined ? item.file : `${item.file}:${item.line}`;
      const previous = firstSeen.get(item.record.id);
      if (previous !== undefined) {
        const message = `syndic: ${where}: duplicate id ${JSON.stringify(item.record.id)} (first seen at ${previous})${duplicateIdHint(item)}`;
        if (!options.onInvalid) throw new SyndicError(message, 'input');
        options.onInvalid(message);
        continue;
      }
      firstSeen.set(item.record.id, where);
      yield item;
    }
  }
}

/** Read all inputs into an array (records in input order, with their locations). */
export async function collectInputs(inputs: readonly string[], options: ReadInputsOptions = {}): Promise<SourcedRecord[]> {
  const items: SourcedRecord[] = [];
  for await (const item of readInputs(inputs, options)) items.push(item);
  return items;
}

/**
 * Folder ids are paths relative to their folder, so two folders holding the same file name give
 * the same id: say how to get unique ids instead of leaving the user with the clash.
 */
function duplicateIdHint(item: SourcedRecord): string {
  // A text file named directly has its shown path as id; only a folder's files have shorter ids.
  if (item.textFile === undefined || item.file === item.record.id) return '';
  return '; ids of folder files are their paths relative to the folder, so two folders with the same file names clash: scan their parent folder instead (ids then start with the folder name; add --source-from dir to take the outlet from it)';
}

async function* readPath(shown: string, absolute: string, fields: FieldMap, options: ReadInputsOptions, folderTest: PathTest): AsyncGenerator<SourcedRecord> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new SyndicError(`syndic: ${shown}: ${describeFsError(error)}`, 'input');
  }
  if (info.isDirectory()) {
    for await (const relative of walkFolder(absolute, '', shown, folderTest)) {
      const file = joinShown(shown, relative);
      const textFile = path.join(absolute, relative);
      const text = await readTextFile(textFile, file, options.onInvalid);
      if (text === null) continue;
      const record: DocumentRecord = { id: relative, text };
      const slash = relative.indexOf('/');
      if (options.sourceFrom === 'dir' && slash > 0) record.source = relative.slice(0, slash);
      yield { record, file, textFile };
    }
  } else if (endsWithAny(shown, JSONL_ENDINGS)) {
    // 1 MiB reads: with the default 64 KiB, a 400 MB file took 6,400 reads and ~3 s of the main thread.
    const stream = createReadStream(absolute, { highWaterMark: 1 << 20 });
    yield* readJsonl(shown.toLowerCase().endsWith('.gz') ? gunzip(stream) : stream, shown, fields, options.onInvalid);
  } else if (endsWithAny(shown, TEXT_ENDINGS)) {
    const text = await readTextFile(absolute, shown, options.onInvalid);
    if (text !== null) yield { record: { id: shown.split(path.sep).join('/'), text }, file: shown, textFile: absolute };
  } else {
    throw new SyndicError(`syndic: ${shown}: not a supported input (a folder, .txt, .md, .jsonl, .jsonl.gz, or - for JSONL on stdin)`, 'usage');
  }
}

/** Relative paths ('/'-separated) of the document files under `root`, depth first, sorted by name. */
async function* walkFolder(root: string, relative: string, shown: string, test: PathTest): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    throw new SyndicError(`syndic: ${joinShown(shown, relative)}: ${describeFsError(error)}`, 'input');
  }
  entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    // Symbolic links to folders are not followed (they can form cycles); links to files are.
    if (entry.isDirectory()) {
      if (test.folder(child)) yield* walkFolder(root, child, shown, test);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && test.file(child)) yield child;
  }
}

function joinShown(folder: string, relative: string): string {
  if (!relative) return folder;
  return folder.endsWith('/') || folder.endsWith(path.sep) ? `${folder}${relative}` : `${folder}/${relative}`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A text file's content, or null when it is invalid and `onInvalid` asked to skip it. */
async function readTextFile(absolute: string, shown: string, onInvalid: ((message: string) => void) | undefined): Promise<string | null> {
  let bytes: Buffer | null = null;
  let problem: string | null = null;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    // A dangling link or a file gone since the folder was listed: skippable like any bad record.
    problem = describeFsError(error);
  }
  let text = '';
  if (bytes !== null && bytes.subarray(0, 8192).includes(0)) problem = 'binary file (contains NUL bytes), not text';
  else if (bytes !== null) {
    const decoded = decodeStrictUtf8(bytes);
    if (decoded === null) problem = `invalid UTF-8 at byte ${firstInvalidUtf8Byte(bytes)}`;
    else text = decoded;
  }
  if (problem === null) return text;
  const message = `syndic: ${shown}: ${problem}`;
  if (!onInvalid) throw new SyndicError(message, 'input');
  onInvalid(message);
  return null;
}

/** Offset of the first byte where strict UTF-8 decoding fails (for the error message). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection; a cut inside a character only moves it by ≤ 3 bytes.
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    try {
      strictUtf8.decode(bytes.subarray(0, middle));
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  while (low > 0 && (bytes[low]! & 0xc0) === 0x80) low--;
  return low;
}

/** The gunzipped bytes of `stream`; a read error of the file surfaces on the returned stream. */
function gunzip(stream: NodeJS.ReadableStream): NodeJS.ReadableStream {
  const unzip = createGunzip();
  stream.on('error', (error) => unzip.destroy(error as Error));
  stream.pipe(unzip);
  return unzip;
}

/** One line of a byte stream: its 1-based number and its text, or why it is not valid UTF-8. */
export type SourceLine = { line: number; text: string; problem?: undefined } | { line: number; text?: undefined; problem: string };

/**
 * Lines of a byte stream, split on '\n' (a trailing '\r' is dropped), decoded as strict UTF-8.
 * A read error of the stream (a gzip error, EISDIR) becomes an `input` error naming `shown`.
 */
export async function* readLines(stream: NodeJS.ReadableStream, shown: string): AsyncGenerator<SourceLine> {
  // Pieces of a line not finished yet; joined once its end arrives, so a huge line is copied once.
  let pending: Buffer[] = [];
  let line = 0;
  const decode = (bytes: Buffer): SourceLine => {
    line++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--;
    const text = decodeStrictUtf8(bytes.subarray(0, end));
    if (text !== null) return { line, text };
    return { line, problem: `invalid UTF-8 at byte ${firstInvalidUtf8Byte(bytes.subarray(0, end))} of the line` };
  };
  try {
    for await (const chunk of stream) {
      let data = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      let newline = data.indexOf(10);
      while (newline >= 0) {
        const head = data.subarray(0, newline);
        const bytes = pending.length > 0 ? Buffer.concat([...pending, head]) : head;
        pending = [];
        yield decode(bytes);
        data = data.subarray(newline + 1);
        newline = data.indexOf(10);
      }
      // Copy the tail so the chunk it points into can be freed.
      if (data.length > 0) pending.push(Buffer.from(data));
    }
  } catch (error) {
    if (error instanceof SyndicError) throw error;
    throw new SyndicError(`syndic: ${shown}: ${describeStreamError(error)}`, 'input');
  }
  if (pending.length > 0) yield decode(Buffer.concat(pending));
}

/** JSONL records of a byte stream, blank lines skipped. */
async function* readJsonl(
  stream: NodeJS.ReadableStream,
  shown: string,
  fields: FieldMap,
  onInvalid: ((message: string) => void) | undefined,
): AsyncGenerator<SourcedRecord> {
  const invalid = (message: string): void => {
    if (!onInvalid) throw new SyndicError(message, 'input');
    onInvalid(message);
  };
  for await (const { line, text, problem } of readLines(stream, shown)) {
    if (text === undefined) {
      invalid(`syndic: ${shown}:${line}: ${problem}`);
      continue;
    }
    if (text.trim() === '') continue;
    let record: DocumentRecord;
    try {
      record = recordFromJsonLine(text, { file: shown, line }, fields);
    } catch (error) {
      if (!(error instanceof SyndicError)) throw error;
      invalid(error.message);
      continue;
    }
    yield { record, file: shown, line };
  }
}

function describeStreamError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return 'not a valid gzip file (or truncated)';
  if (typeof code === 'string' && code.startsWith('E')) return describeFsError(error);
  return error instanceof Error ? error.message : String(error);
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
