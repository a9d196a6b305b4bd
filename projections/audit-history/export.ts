/**
 * The audit trail as JSON Lines or CSV, produced lazily from an async source of entries: a
 * consumer that reads slowly (a slow client) holds the producer back, so memory stays constant.
 */
import { Readable } from 'node:stream';
import type { AuditEntry } from './collections';

export type AuditExportFormat = 'jsonl' | 'csv';

export const EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export const CSV_COLUMNS = [
  'position',
  'occurredAt',
  'actor',
  'type',
  'entityType',
  'entity',
  'streamId',
  'revision',
  'summary',
  'correlationId',
  'causationId',
  'eventId',
] as const satisfies readonly (keyof AuditEntry)[];

export function exportStream(entries: AsyncIterable<AuditEntry>, format: AuditExportFormat): Readable {
  return Readable.from(lines(entries, format), { objectMode: false });
}

async function* lines(entries: AsyncIterable<AuditEntry>, format: AuditExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const entry of entries) {
    yield format === 'jsonl' ? `${JSON.stringify(entry)}\n` : `${CSV_COLUMNS.map((column) => csvField(entry[column])).join(',')}\r\n`;
  }
}

/** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
