import type { Pool } from 'pg';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import type { ReadAllOptions, ReadAllPage } from '../event-store';
import { maxCountOf, readAllPage } from '../read-rules';
import type { PostgresLayout } from './schema';

export type ReadAllOperation = (options?: ReadAllOptions) => Promise<ReadAllPage>;
export type HeadPositionOperation = () => Promise<number>;

/** A page row; an empty page is one row with the head and no event. */
type PageRow = { head: number } & (EventRow | { id: null });

export function prepareReadAll(pool: Pool, layout: PostgresLayout): ReadAllOperation {
  // The head is read by the same statement, so from the same snapshot as the page: a short page
  // then provably examined everything up to it (see readAllPage). The LEFT JOIN keeps the head
  // when the page is empty. One statement per combination of filters, so the common unfiltered
  // read carries no "filter is null or ..." conditions.
  const statements = new Map<string, string>();
  const statementFor = (byType: boolean, byPrefix: boolean) => {
    const key = `${byType}:${byPrefix}`;
    let text = statements.get(key);
    if (!text) {
      const conditions = ['position > $1'];
      if (byType) conditions.push(`type = ANY($${conditions.length + 2}::text[])`);
      // starts_with is literal and case-sensitive (LIKE would treat % and _ as wildcards).
      if (byPrefix) conditions.push(`starts_with(stream_id, $${conditions.length + 2})`);
      text = `
        SELECT h.head, e.* FROM (SELECT COALESCE(MAX(position), 0) AS head FROM ${layout.events}) h
        LEFT JOIN LATERAL (
          SELECT ${EVENT_COLUMNS} FROM ${layout.events} WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT $2
        ) e ON true
        ORDER BY e.position`;
      statements.set(key, text);
    }
    return text;
  };

  return async (options = {}) => {
    const after = options.after ?? 0;
    const limit = maxCountOf(options.maxCount);
    const values: unknown[] = [after, limit ?? null];
    if (options.eventTypes) values.push(options.eventTypes);
    if (options.streamPrefix !== undefined) values.push(options.streamPrefix);
    const { rows } = await pool.query<PageRow>(statementFor(options.eventTypes !== undefined, options.streamPrefix !== undefined), values);
    const events = rows.flatMap((row) => (row.id === null ? [] : [toRecordedEvent(row)]));
    return readAllPage(events, after, limit, rows[0].head);
  };
}

export function prepareHeadPosition(pool: Pool, layout: PostgresLayout): HeadPositionOperation {
  const text = `SELECT COALESCE(MAX(position), 0) AS head FROM ${layout.events}`;
  return async () => (await pool.query<{ head: number }>(text)).rows[0].head;
}
