/**
 * `syndic index info`: what an index holds — backend, format version, documents, size on disk and
 * the parameters it was built with — as text or as one JSON object. Opens the index read-only.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { SyndicError } from '../errors.js';
import { formatCount } from '../render/shared.js';
import { INDEX_FORMAT_VERSION } from '../store/file/format.js';
import { storedParamsOf, type StoredParams } from '../store/params.js';
import { addIndexLocationOptions, parseFilterSettings, resolvePath, type RawFilterOptions } from './filter-settings.js';
import { indexCommand } from './index-group.js';
import { EXIT, type CliIo, type CommandContext } from './io.js';
import { parseChoice } from './options.js';

/** What `index info` reports; `--format json` prints it as is. */
export interface IndexInfo {
  backend: 'file' | 'redis';
  /** The index file as given, or the Redis URL. */
  location: string;
  /** Version of the file layout (null for Redis). */
  formatVersion: number | null;
  documents: number;
  /** Bytes of the index file (null for Redis). */
  sizeBytes: number | null;
  params: StoredParams;
}

/** Register `syndic index info` on the program. */
export function registerIndexInfo(program: Command, context: CommandContext): void {
  const info = indexCommand(program)
    .command('info')
    .description('print what an index holds: format version, documents, size and parameters')
    .option('--format <format>', 'text or json', 'text');
  addIndexLocationOptions(info).action(async (raw: RawFilterOptions & { format?: string }) => {
    context.exitCode = await runIndexInfo(raw, context.io);
  });
}

/** Describe the index named by `raw`; resolves to the exit code. */
export async function runIndexInfo(raw: RawFilterOptions & { format?: string }, io: CliIo): Promise<number> {
  const format = parseChoice('--format', raw.format ?? 'text', ['text', 'json'] as const)!;
  const settings = parseFilterSettings('index info', raw);
  const open = resolvePath(settings.open, io);
  // The index code is loaded when an index command runs, not for every command.
  const { openIndex } = await import('../store/open.js');
  const index = await openIndex({ ...open, readOnly: true, mustExist: true });
  let info: IndexInfo;
  try {
    info = {
      backend: open.path !== undefined ? 'file' : 'redis',
      location: open.path !== undefined ? settings.name : String(raw.redis),
      formatVersion: open.path !== undefined ? INDEX_FORMAT_VERSION : null,
      documents: index.size,
      sizeBytes: open.path !== undefined ? await fileSize(open.path, settings.name) : null,
      params: storedParamsOf(index.options),
    };
  } finally {
    await index.close();
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(info, null, 2)}\n` : renderIndexInfo(info));
  return EXIT.ok;
}

async function fileSize(file: string, shown: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new SyndicError(`index ${shown}: cannot read it (${(error as { code?: string }).code ?? String(error)})`, 'index');
  }
}

/** `33,554,432` bytes → `32.0 MB` (binary multiples, one decimal). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(bytes)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The text form of {@link IndexInfo}: a heading and one aligned line per fact and parameter. */
export function renderIndexInfo(info: IndexInfo): string {
  const rows: Array<[string, string]> = [['documents', formatCount(info.documents)]];
  if (info.sizeBytes !== null) {
    const perDocument = info.documents > 0 ? ` (${formatBytes(info.sizeBytes / info.documents)} per document)` : '';
    rows.push(['size', `${formatBytes(info.sizeBytes)}${perDocument}`]);
  }
  rows.push(['parameters', '']);
  for (const [name, value] of Object.entries(info.params)) {
    if (value !== null && typeof value === 'object') {
      for (const [inner, innerValue] of Object.entries(value as object)) rows.push([`  ${name}.${inner}`, String(innerValue)]);
    } else rows.push([`  ${name}`, String(value)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const heading = `${info.location}: ${info.backend === 'file' ? `index file, format version ${info.formatVersion}` : 'Redis index'}`;
  return `${[heading, ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`.trimEnd())].join('\n')}\n`;
}
