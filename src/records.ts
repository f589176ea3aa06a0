/**
 * Input records and their validation at the library boundary.
 */
import { SyndicError } from './errors.js';

/** One input document. `source` is the outlet; `date` an ISO date or date-time. */
export interface DocumentRecord {
  id: string;
  text: string;
  source?: string | undefined;
  date?: string | undefined;
  url?: string | undefined;
  title?: string | undefined;
}

/** Check ids and texts; throws {@link SyndicError} naming the record and field. */
export function validateRecords(records: readonly DocumentRecord[]): void {
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const where = `record ${index + 1}`;
    if (record === null || typeof record !== 'object') throw new SyndicError(`${where}: not an object`, 'input');
    if (typeof record.id !== 'string' || record.id.length === 0) {
      throw new SyndicError(`${where}: field "id" must be a non-empty string`, 'input');
    }
    if (typeof record.text !== 'string') throw new SyndicError(`${where} (id ${record.id}): field "text" must be a string`, 'input');
    for (const field of ['source', 'date', 'url', 'title'] as const) {
      const value = record[field];
      if (value !== undefined && typeof value !== 'string') {
        throw new SyndicError(`${where} (id ${record.id}): field "${field}" must be a string`, 'input');
      }
    }
    const previous = seen.get(record.id);
    if (previous !== undefined) {
      throw new SyndicError(`${where}: duplicate id "${record.id}" (first seen in record ${previous + 1})`, 'input');
    }
    seen.set(record.id, index);
  });
}

/** A record's optional metadata fields, in the order reports list them. */
export const METADATA_FIELDS = ['source', 'date', 'title', 'url'] as const;

/** The metadata fields `record` has (absent ones left out, not set to undefined). */
export function recordMetadata(record: DocumentRecord): Pick<DocumentRecord, (typeof METADATA_FIELDS)[number]> {
  const metadata: Pick<DocumentRecord, (typeof METADATA_FIELDS)[number]> = {};
  for (const field of METADATA_FIELDS) if (record[field] !== undefined) metadata[field] = record[field];
  return metadata;
}
