import type Database from 'better-sqlite3';
import type { ReadAllOptions, ReadAllPage } from '../event-store';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import { readAllPage } from '../read-rules';
import { limitOf } from './read-stream';

/** Reads a page of the global log up to `head`, the last durable position, known to the caller. */
export type ReadAllOperation = (options: ReadAllOptions, head: number) => ReadAllPage;

interface ReadAllParams {
  after: number;
  head: number;
  limit: number;
  types?: string;
  prefix?: string;
}

export function prepareReadAll(db: Database.Database): ReadAllOperation {
  // One statement per combination of filters, prepared on first use, so the common unfiltered
  // read carries no "filter is null or ..." conditions.
  const statements = new Map<string, Database.Statement<[ReadAllParams], EventRow>>();
  const statementFor = (byType: boolean, byPrefix: boolean) => {
    const key = `${byType}:${byPrefix}`;
    let statement = statements.get(key);
    if (!statement) {
      // json_each takes the type list as one parameter; substr/length count characters the same
      // way, so the prefix test is exact (LIKE would be case-insensitive and treat % and _).
      statement = db.prepare<[ReadAllParams], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > @after AND position <= @head` +
          (byType ? ' AND type IN (SELECT value FROM json_each(@types))' : '') +
          (byPrefix ? ' AND substr(stream_id, 1, length(@prefix)) = @prefix' : '') +
          ' ORDER BY position LIMIT @limit',
      );
      statements.set(key, statement);
    }
    return statement;
  };

  return (options, head) => {
    const after = options.after ?? 0;
    const limit = limitOf(options.maxCount);
    if (limit === 0) return readAllPage([], after, 0, head);

    const params: ReadAllParams = { after, head, limit };
    if (options.eventTypes) params.types = JSON.stringify(options.eventTypes);
    if (options.streamPrefix !== undefined) params.prefix = options.streamPrefix;
    const rows = statementFor(params.types !== undefined, params.prefix !== undefined).all(params);
    return readAllPage(rows.map(toRecordedEvent), after, limit < 0 ? undefined : limit, head);
  };
}
