import type Database from 'better-sqlite3';
import type { RecordedEvent, ReadStreamOptions } from '../event-store';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import { maxCountOf } from '../read-rules';

/** Reads a stream up to the global position `head` (what is durable; see SqliteEventStore). */
export type ReadStreamOperation = (streamId: string, options: ReadStreamOptions | undefined, head: number) => RecordedEvent[];

export function prepareReadStream(db: Database.Database): ReadStreamOperation {
  const forwards = db.prepare<[string, number, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND position <= ? ORDER BY revision ASC LIMIT ?`,
  );
  const backwards = db.prepare<[string, number, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? AND position <= ? ORDER BY revision DESC LIMIT ?`,
  );

  return (streamId, options = {}, head) => {
    const limit = limitOf(options.maxCount);
    if (options.direction === 'backwards') {
      return backwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, head, limit).map(toRecordedEvent);
    }
    return forwards.all(streamId, options.fromRevision ?? 0, head, limit).map(toRecordedEvent);
  };
}

/** SQLite reads a negative LIMIT as "no limit". */
export function limitOf(maxCount: number | undefined): number {
  return maxCountOf(maxCount) ?? -1;
}
