import type Database from 'better-sqlite3';
import type { ReadAllOptions, ReadAllPage } from '../event-store';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import { readAllPage } from '../read-rules';
import { limitOf } from './read-stream';

/** Reads a page of the global log up to `head`, the last durable position, known to the caller. */
export type ReadAllOperation = (options: ReadAllOptions, head: number) => ReadAllPage;

export interface ReadAllParams {
  after: number;
  head: number;
  limit: number;
  types?: string;
  prefix?: string;
}

/** One page of the log as SQL: the statement text and its named parameters. */
export interface ReadAllQuery {
  sql: string;
  params: ReadAllParams;
}

// One statement per combination of filters, so the common unfiltered read carries no "filter is
// null or ..." conditions. json_each takes the type list as one parameter; substr/length count
// characters the same way, so the prefix test is exact (LIKE would be case-insensitive and treat
// % and _ as wildcards).
const statementSql = (byType: boolean, byPrefix: boolean) =>
  `SELECT ${EVENT_COLUMNS} FROM events WHERE position > @after AND position <= @head` +
  (byType ? ' AND type IN (SELECT value FROM json_each(@types))' : '') +
  (byPrefix ? ' AND substr(stream_id, 1, length(@prefix)) = @prefix' : '') +
  ' ORDER BY position LIMIT @limit';

const SQL = [false, true].map((byType) => [false, true].map((byPrefix) => statementSql(byType, byPrefix)));

/** The query for a page, or null when the options ask for no events at all (maxCount 0). */
export function readAllQuery(options: ReadAllOptions, head: number): ReadAllQuery | null {
  const limit = limitOf(options.maxCount);
  if (limit === 0) return null;
  const params: ReadAllParams = { after: options.after ?? 0, head, limit };
  if (options.eventTypes) params.types = JSON.stringify(options.eventTypes);
  if (options.streamPrefix !== undefined) params.prefix = options.streamPrefix;
  return { sql: SQL[Number(params.types !== undefined)][Number(params.prefix !== undefined)], params };
}

/** The page the rows of `query` make (rows as selected by its statement, in position order). */
export function pageOf(query: ReadAllQuery, rows: readonly EventRow[]): ReadAllPage {
  const { after, limit, head } = query.params;
  return readAllPage(rows.map(toRecordedEvent), after, limit < 0 ? undefined : limit, head);
}

export function prepareReadAll(db: Database.Database): ReadAllOperation {
  const statements = new Map<string, Database.Statement<[ReadAllParams], EventRow>>();
  return (options, head) => {
    const query = readAllQuery(options, head);
    if (!query) return readAllPage([], options.after ?? 0, 0, head);
    let statement = statements.get(query.sql);
    if (!statement) statements.set(query.sql, (statement = db.prepare<[ReadAllParams], EventRow>(query.sql)));
    return pageOf(query, statement.all(query.params));
  };
}
