/**
 * Document writes as statements, built before anything is sent: the writes to one table are
 * grouped by what they do, and each group is one statement over arrays of rows (unnest), so a
 * batch costs a round trip per table and kind of write, not per document. That is sound because
 * the port folds a batch to at most one write per document (see coalesce), so no statement
 * touches a row twice and their order does not matter.
 *
 * The position guard is part of each statement: "apply only if the stored position is absent or
 * older" (a write without a position always applies).
 */
import type { QueryResult } from 'pg';
import type { PlannedWrite } from '../write-ops';
import type { Queryable } from './connection';
import { encodeJson, encodeText } from './encoding';
import type { Tables } from './tables';

export interface WriteStatement {
  sql: string;
  values: unknown[];
  /** Documents the statement changed, as the port counts them. */
  changed(result: QueryResult): number;
}

type Kind = 'upsert' | 'patch' | 'tombstone' | 'remove';

/** Rows per statement: large rebuild batches become several statements of a sensible size. */
const ROWS_PER_STATEMENT = 1000;

const GUARD = 't.position IS NULL OR t.position < excluded.position';

const affected = (result: QueryResult) => result.rowCount ?? 0;

/** The JSON an upsert stores or a patch merges; throws here, before the database, on what JSON cannot encode. */
const bodyOf = (write: PlannedWrite) => encodeJson(JSON.stringify(write.kind === 'upsert' ? write.document : write.kind === 'patch' ? write.fields : null));

export function writeStatements(tables: Tables, writes: readonly PlannedWrite[]): WriteStatement[] {
  const groups = new Map<string, { table: string; kind: Kind; writes: PlannedWrite[] }>();
  for (const write of writes) {
    const kind: Kind = write.kind === 'delete' ? (write.position === null ? 'remove' : 'tombstone') : write.kind;
    const key = `${write.target.name}\u0000${kind}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { table: tables.table(write.target.name), kind, writes: [] }));
    group.writes.push(write);
  }
  const statements: WriteStatement[] = [];
  for (const { table, kind, writes: grouped } of groups.values()) {
    for (let from = 0; from < grouped.length; from += ROWS_PER_STATEMENT) {
      statements.push(statementOf(table, kind, grouped.slice(from, from + ROWS_PER_STATEMENT)));
    }
  }
  return statements;
}

export async function runStatements(db: Queryable, statements: readonly WriteStatement[]): Promise<number> {
  let changed = 0;
  for (const statement of statements) changed += statement.changed(await db.query(statement.sql, statement.values));
  return changed;
}

function statementOf(table: string, kind: Kind, writes: readonly PlannedWrite[]): WriteStatement {
  const ids = writes.map((write) => encodeText(write.id));
  const positions = writes.map((write) => write.position);
  switch (kind) {
    case 'upsert':
      return {
        sql:
          `INSERT INTO ${table} AS t (id, doc, position) ` +
          'SELECT v.id, v.doc::jsonb, v.position FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(id, doc, position) ' +
          `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, position = excluded.position WHERE excluded.position IS NULL OR ${GUARD}`,
        values: [ids, writes.map(bodyOf), positions],
        changed: affected,
      };
    case 'patch':
      // jsonb || jsonb replaces top-level members: exactly the port's shallow merge.
      return {
        sql:
          `UPDATE ${table} AS t SET doc = t.doc || v.fields::jsonb, position = coalesce(v.position, t.position) ` +
          'FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(id, fields, position) ' +
          'WHERE t.id = v.id AND t.doc IS NOT NULL AND (v.position IS NULL OR t.position IS NULL OR t.position < v.position)',
        values: [ids, writes.map(bodyOf), positions],
        changed: affected,
      };
    case 'tombstone':
      // A tombstone keeps the position, so an older upsert replayed later stays skipped.
      return {
        sql:
          `INSERT INTO ${table} AS t (id, doc, position) ` +
          'SELECT v.id, NULL, v.position FROM unnest($1::text[], $2::bigint[]) AS v(id, position) ' +
          `ON CONFLICT (id) DO UPDATE SET doc = NULL, position = excluded.position WHERE ${GUARD}`,
        values: [ids, positions],
        changed: affected,
      };
    case 'remove':
      // Removing a tombstone forgets its position but deletes no document.
      return {
        sql: `WITH removed AS (DELETE FROM ${table} WHERE id = ANY($1::text[]) RETURNING doc IS NOT NULL AS live) SELECT count(*) FILTER (WHERE live) AS n FROM removed`,
        values: [ids],
        changed: (result) => (result.rows[0] as { n: number }).n,
      };
  }
}
