/**
 * One document write, synchronous, for the caller to wrap in its transaction. The position
 * guard is part of each statement: "apply only if the stored _position is absent or older".
 * A batch runs these once per document, so each table's statements are written out once and
 * looked up by that same string afterwards, not rebuilt for every write.
 */
import type { PlannedWrite } from '../write-ops';
import { columnOf, columnValue, quoted, type TableLayout, type Tables } from './tables';

export type WriteOperation = (write: PlannedWrite) => number;

const GUARD = '(_position IS NULL OR _position < excluded._position)';

interface WriteSql {
  upsert: string;
  guardedUpsert: string;
  read: string;
  update: string;
  remove: string;
  tombstone: string;
}

/**
 * The statements for a table whose ordinary field columns are `written` (none for a table of
 * generated columns): an upsert or a patch sets them with the document, in the parameters after
 * the document's. A tombstone leaves them as they are: the partial indexes leave it out anyway,
 * and the upsert that brings the document back sets them all.
 */
function writeSql(name: string, written: readonly string[]): WriteSql {
  const table = quoted(name);
  const columns = ['id', 'doc', '_position', ...written.map(columnOf)];
  const upsert =
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${columns
      .slice(1)
      .map((column) => `${column} = excluded.${column}`)
      .join(', ')}`;
  return {
    upsert,
    guardedUpsert: `${upsert} WHERE ${GUARD}`,
    read: `SELECT doc, _position FROM ${table} WHERE id = ?`,
    update: `UPDATE ${table} SET doc = ?, _position = coalesce(?, _position)${written.map((field) => `, ${columnOf(field)} = ?`).join('')} WHERE id = ?`,
    remove: `DELETE FROM ${table} WHERE id = ? RETURNING doc`,
    // A tombstone keeps the position, so an older upsert replayed later stays skipped.
    tombstone:
      `INSERT INTO ${table} (id, doc, _position) VALUES (?, NULL, ?) ` +
      `ON CONFLICT (id) DO UPDATE SET doc = NULL, _position = excluded._position WHERE ${GUARD}`,
  };
}

export function prepareWrite(tables: Tables): WriteOperation {
  // By layout, not by name: a table dropped and created again has another.
  const sqlByLayout = new WeakMap<TableLayout, WriteSql>();
  const sqlOf = (layout: TableLayout, name: string) => {
    let sql = sqlByLayout.get(layout);
    if (!sql) sqlByLayout.set(layout, (sql = writeSql(name, layout.written)));
    return sql;
  };
  const valuesOf = (layout: TableLayout, document: Record<string, unknown>) => layout.written.map((field) => columnValue(document[field]));
  return (write) => {
    const name = write.target.name;
    const layout = tables.layout(name);
    const sql = sqlOf(layout, name);
    switch (write.kind) {
      case 'upsert':
        return tables
          .statement<unknown[]>(name, write.position === null ? sql.upsert : sql.guardedUpsert)
          .run(write.id, JSON.stringify(write.document), write.position, ...valuesOf(layout, write.document)).changes;
      case 'patch': {
        // A shallow merge: SQLite's json_patch would merge nested objects and delete on null.
        const stored = tables.statement<[string], { doc: string | null; _position: number | null }>(name, sql.read).get(write.id);
        if (!stored || stored.doc === null) return 0;
        if (write.position !== null && stored._position !== null && stored._position >= write.position) return 0;
        const merged = { ...(JSON.parse(stored.doc) as Record<string, unknown>), ...write.fields };
        return tables
          .statement<unknown[]>(name, sql.update)
          .run(JSON.stringify(merged), write.position, ...valuesOf(layout, merged), write.id).changes;
      }
      case 'delete': {
        if (write.position === null) {
          const removed = tables.statement<[string], { doc: string | null }>(name, sql.remove).get(write.id);
          return removed && removed.doc !== null ? 1 : 0;
        }
        return tables.statement<[string, number]>(name, sql.tombstone).run(write.id, write.position).changes;
      }
    }
  };
}
