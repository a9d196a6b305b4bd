import type { Pool } from 'pg';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import type { ReadStreamOptions, RecordedEvent } from '../event-store';
import { maxCountOf } from '../read-rules';
import type { PostgresLayout } from './schema';

export type ReadStreamOperation = (streamId: string, options?: ReadStreamOptions) => Promise<RecordedEvent[]>;

export function prepareReadStream(pool: Pool, layout: PostgresLayout): ReadStreamOperation {
  // LIMIT NULL is no limit. Both directions walk the unique (stream_id, revision) index.
  const forwards = `SELECT ${EVENT_COLUMNS} FROM ${layout.events} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision ASC LIMIT $3`;
  const backwards = `SELECT ${EVENT_COLUMNS} FROM ${layout.events} WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`;

  return async (streamId, options = {}) => {
    const limit = maxCountOf(options.maxCount) ?? null;
    const { rows } =
      options.direction === 'backwards'
        ? await pool.query<EventRow>(backwards, [streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit])
        : await pool.query<EventRow>(forwards, [streamId, options.fromRevision ?? 0, limit]);
    return rows.map(toRecordedEvent);
  };
}
