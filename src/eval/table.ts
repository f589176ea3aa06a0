/**
 * Tables of the eval and bench reports: Markdown (pipes, numbers right-aligned) or plain text
 * (columns padded to their widest cell).
 */

/** How a report is written. */
export type TableStyle = 'markdown' | 'text';

/** One table; the first column is left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, style: TableStyle = 'markdown'): string {
  const cells = rows.map((row) => row.map(String));
  if (style === 'markdown') {
    const line = (row: readonly string[]): string => `| ${row.join(' | ')} |`;
    return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...cells.map(line)].join('\n') + '\n';
  }
  const widths = header.map((title, i) => Math.max([...title].length, ...cells.map((row) => [...(row[i] ?? '')].length)));
  const pad = (text: string, i: number): string => {
    const fill = ' '.repeat(widths[i]! - [...text].length);
    return i === 0 ? text + fill : fill + text;
  };
  const line = (row: readonly string[]): string => `  ${row.map(pad).join('  ')}`.trimEnd();
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

/** A number with `digits` decimals, or – when missing. */
export const fixed = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** A share as a percentage with one decimal, or – when missing. */
export const percentage = (value: number | null | undefined): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`;

/** An integer with thousands separators (1,234,567). */
export const count = (value: number): string => Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
