/**
 * Reading inputs as a stream of records: folders (recursive .txt/.md, one record per file),
 * single .txt/.md files, JSONL files (plain or gzipped) and `-` for JSONL on stdin. Shared by
 * `scan`, `explain` and `index build`. Every bad input is a {@link SyndicError} of kind `input`
 * naming the file, the line and the field — or, with `onInvalid`, a warning and a skipped record.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { decodeStrictUtf8 } from '../text/utf8.js';
import { compileFolderFilter, type FolderFilter, type PathTest } from './globs.js';
import { decodeLine, decodeTextFile, DEFAULT_FIELDS, describeFsError, IdRegistry, recordFromJsonLine, type FieldMap } from './parse.js';

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
   * Called with a note on the input that is not an error: a folder whose only data files are
   * JSONL, which a folder input does not read.
   */
  onNote?: (message: string) => void;
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
 * One input to read, in input order: a JSONL stream (with `file`, the path of a plain JSONL file
 * that can be read by byte ranges), or one text file that is one record.
 */
export type InputUnit =
  | { kind: 'jsonl'; shown: string; file: string | null; size: number; open: () => NodeJS.ReadableStream }
  | { kind: 'text'; shown: string; file: string; id: string; source?: string };

/**
 * The inputs as units to read, in order: a folder's files sorted by name (UTF-16 code units), so
 * the order, and everything derived from it, is the same on every machine.
 */
export async function* inputUnits(inputs: readonly string[], options: ReadInputsOptions = {}): AsyncGenerator<InputUnit> {
  const cwd = options.cwd ?? process.cwd();
  const folderTest = compileFolderFilter(options.folderFilter);
  let stdinUsed = false;
  for (const input of inputs) {
    if (input === '-') {
      if (stdinUsed) throw new SyndicError("'-' (stdin) given more than once", 'usage');
      stdinUsed = true;
      const stdin = options.stdin ?? process.stdin;
      yield { kind: 'jsonl', shown: '<stdin>', file: null, size: 0, open: () => stdin };
    } else {
      yield* pathUnits(input, path.resolve(cwd, input), options, folderTest);
    }
  }
}

/** The fields option with every name filled in. */
export function fieldMapOf(options: ReadInputsOptions): FieldMap {
  const fields: FieldMap = { ...DEFAULT_FIELDS };
  for (const key of Object.keys(DEFAULT_FIELDS) as Array<keyof FieldMap>) fields[key] = options.fields?.[key] ?? DEFAULT_FIELDS[key];
  return fields;
}

/**
 * Read every input in order and yield its records, one after another on this thread (`scan`
 * reads on worker threads instead: src/parallel/driver.ts). Ids must be unique across all inputs.
 */
export async function* readInputs(inputs: readonly string[], options: ReadInputsOptions = {}): AsyncGenerator<SourcedRecord> {
  const fields = fieldMapOf(options);
  const ids = new IdRegistry();
  for await (const unit of inputUnits(inputs, options)) {
    let records: AsyncIterable<SourcedRecord>;
    if (unit.kind === 'jsonl') records = readJsonl(unit.open(), unit.shown, fields, options.onInvalid);
    else records = textRecord(unit, options.onInvalid);
    for await (const item of records) {
      const where = item.line === undefined ? item.file : `${item.file}:${item.line}`;
      const message = ids.duplicate(item.record.id, where, item.textFile !== undefined && item.file !== item.record.id);
      if (message !== null) {
        if (!options.onInvalid) throw new SyndicError(message, 'input');
        options.onInvalid(message);
        continue;
      }
      yield item;
    }
  }
}

async function* textRecord(unit: Extract<InputUnit, { kind: 'text' }>, onInvalid: ((message: string) => void) | undefined): AsyncGenerator<SourcedRecord> {
  const text = await readTextFile(unit.file, unit.shown, onInvalid);
  if (text === null) return;
  const record: DocumentRecord = { id: unit.id, text };
  if (unit.source !== undefined) record.source = unit.source;
  yield { record, file: unit.shown, textFile: unit.file };
}

/** Read all inputs into an array (records in input order, with their locations). */
export async function collectInputs(inputs: readonly string[], options: ReadInputsOptions = {}): Promise<SourcedRecord[]> {
  const items: SourcedRecord[] = [];
  for await (const item of readInputs(inputs, options)) items.push(item);
  return items;
}

async function* pathUnits(shown: string, absolute: string, options: ReadInputsOptions, folderTest: PathTest): AsyncGenerator<InputUnit> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new SyndicError(`${shown}: ${describeFsError(error)}`, 'input');
  }
  if (info.isDirectory()) {
    const jsonl: string[] = [];
    let documents = 0;
    for await (const relative of walkFolder(absolute, '', shown, folderTest, jsonl)) {
      const unit: InputUnit = { kind: 'text', shown: joinShown(shown, relative), file: path.join(absolute, relative), id: relative };
      const slash = relative.indexOf('/');
      if (options.sourceFrom === 'dir' && slash > 0) unit.source = relative.slice(0, slash);
      documents++;
      yield unit;
    }
    if (documents === 0 && jsonl.length > 0) {
      const named = jsonl.slice(0, 3).map((relative) => joinShown(shown, relative)).join(' ');
      options.onNote?.(`${shown}: no document files in this folder (a folder input reads ${TEXT_ENDINGS.join(' and ')} files), but ${jsonl.length} JSONL file${jsonl.length === 1 ? '' : 's'}: name ${jsonl.length === 1 ? 'it' : 'them'} as input${jsonl.length === 1 ? '' : 's'} (${named}${jsonl.length > 3 ? ' …' : ''})`);
    }
  } else if (endsWithAny(shown, JSONL_ENDINGS)) {
    const gzipped = shown.toLowerCase().endsWith('.gz');
    // 1 MiB reads: with the default 64 KiB, a 400 MB file took 6,400 reads and ~3 s of the main thread.
    const open = (): NodeJS.ReadableStream => {
      const stream = createReadStream(absolute, { highWaterMark: 1 << 20 });
      return gzipped ? gunzip(stream) : stream;
    };
    yield { kind: 'jsonl', shown, file: !gzipped && info.isFile() ? absolute : null, size: info.size, open };
  } else if (endsWithAny(shown, TEXT_ENDINGS)) {
    yield { kind: 'text', shown, file: absolute, id: shown.split(path.sep).join('/') };
  } else {
    throw new SyndicError(`${shown}: not a supported input (a folder, .txt, .md, .jsonl, .jsonl.gz, or - for JSONL on stdin)`, 'usage');
  }
}

/**
 * Relative paths ('/'-separated) of the document files under `root`, depth first, sorted by name;
 * the JSONL files met that are not documents are added to `jsonl`.
 */
async function* walkFolder(root: string, relative: string, shown: string, test: PathTest, jsonl: string[]): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    throw new SyndicError(`${joinShown(shown, relative)}: ${describeFsError(error)}`, 'input');
  }
  entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    // Symbolic links to folders are not followed (they can form cycles); links to files are.
    if (entry.isDirectory()) {
      if (test.folder(child)) yield* walkFolder(root, child, shown, test, jsonl);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && test.file(child)) yield child;
    else if (endsWithAny(entry.name, JSONL_ENDINGS)) jsonl.push(child);
  }
}

function joinShown(folder: string, relative: string): string {
  if (!relative) return folder;
  return folder.endsWith('/') || folder.endsWith(path.sep) ? `${folder}${relative}` : `${folder}/${relative}`;
}

/** A text file's content, or null when it is invalid and `onInvalid` asked to skip it. */
async function readTextFile(absolute: string, shown: string, onInvalid: ((message: string) => void) | undefined): Promise<string | null> {
  let decoded: string | { problem: string };
  try {
    decoded = decodeTextFile(await readFile(absolute));
  } catch (error) {
    // A dangling link or a file gone since the folder was listed: skippable like any bad record.
    decoded = { problem: describeFsError(error) };
  }
  if (typeof decoded === 'string') return decoded;
  const message = `${shown}: ${decoded.problem}`;
  if (!onInvalid) throw new SyndicError(message, 'input');
  onInvalid(message);
  return null;
}

/** The gunzipped bytes of `stream`; a read error of the file surfaces on the returned stream. */
function gunzip(stream: NodeJS.ReadableStream): NodeJS.ReadableStream {
  const unzip = createGunzip();
  stream.on('error', (error) => unzip.destroy(error as Error));
  stream.pipe(unzip);
  return unzip;
}

/**
 * A byte stream in chunks of whole lines, each at least `minBytes` long (but the last) and ending
 * with '\n' (but the last, when the stream does not end with one). A read error of the stream (a
 * gzip error, EISDIR) becomes an `input` error naming `shown`.
 */
export async function* readLineChunks(stream: NodeJS.ReadableStream, shown: string, minBytes = 1): AsyncGenerator<Buffer> {
  // Pieces not yielded yet; joined once a chunk is complete, so a huge line is copied once.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of stream) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      const last = data.lastIndexOf(10);
      if (last >= 0 && pendingBytes + last + 1 >= minBytes) {
        yield pending.length > 0 ? Buffer.concat([...pending, data.subarray(0, last + 1)]) : data.subarray(0, last + 1);
        // Copy the tail so the chunk it points into can be freed.
        pending = last + 1 < data.length ? [Buffer.from(data.subarray(last + 1))] : [];
        pendingBytes = data.length - last - 1;
      } else if (data.length > 0) {
        pending.push(data);
        pendingBytes += data.length;
      }
    }
  } catch (error) {
    if (error instanceof SyndicError) throw error;
    throw new SyndicError(`${shown}: ${describeStreamError(error)}`, 'input');
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** One line of a byte stream: its 1-based number and its text, or why it is not valid UTF-8. */
export type SourceLine = { line: number; text: string; problem?: undefined } | { line: number; text?: undefined; problem: string };

/**
 * Lines of a byte stream, split on '\n' (a trailing '\r' is dropped), decoded as strict UTF-8.
 * A read error of the stream (a gzip error, EISDIR) becomes an `input` error naming `shown`.
 */
export async function* readLines(stream: NodeJS.ReadableStream, shown: string): AsyncGenerator<SourceLine> {
  let line = 0;
  for await (const chunk of readLineChunks(stream, shown)) {
    let at = 0;
    while (at < chunk.length) {
      const newline = chunk.indexOf(10, at);
      const end = newline < 0 ? chunk.length : newline;
      line++;
      const decoded = decodeLine(chunk.subarray(at, end));
      yield typeof decoded === 'string' ? { line, text: decoded } : { line, problem: decoded.problem };
      at = end + 1;
    }
  }
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
      invalid(`${shown}:${line}: ${problem}`);
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

/**
 * A whole file as UTF-8 text (gunzipped when its name ends in .gz), for the small inputs of
 * `eval` (truth files, reports); errors name the file.
 */
export async function readWholeFile(file: string, cwd: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.resolve(cwd, file));
  } catch (error) {
    throw new SyndicError(`${file}: ${describeFsError(error)}`, 'input');
  }
  if (file.toLowerCase().endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new SyndicError(`${file}: not a gzip file`, 'input');
    }
  }
  const text = decodeStrictUtf8(bytes);
  if (text === null) throw new SyndicError(`${file}: not valid UTF-8`, 'input');
  return text;
}
