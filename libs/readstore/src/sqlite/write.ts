/**
 * One document write, synchronous, for the caller to wrap in its transaction. The position
 * guard is part of each statement: "apply only if the stored _position is absent or older".
 * A batch runs these once per document, so each table's statements are written out once and
 * looked up by that same string afterwards, not rebuilt for every write.
 */
import type { PlannedWrite } from '../write-ops';
import { quoted, type Tables } from './tables';

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

function writeSql(name: string): WriteSql {
  const table = quoted(name);
  const upsert =
    `INSERT INTO ${table} (id, doc, _position) VALUES (?, ?, ?) ` +
    `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, _position = excluded._position`;
  return {
    upsert,
    guardedUpsert: `${upsert} WHERE ${GUARD}`,
    read: `SELECT doc, _position FROM ${table} WHERE id = ?`,
    update: `UPDATE ${table} SET doc = ?, _position = coalesce(?, _position) WHERE id = ?`,
    remove: `DELETE FROM ${table} WHERE id = ? RETURNING doc`,
    // A tombstone keeps the position, so an older upsert replayed later stays skipped.
    tombstone:
      `INSERT INTO ${table} (id, doc, _position) VALUES (?, NULL, ?) ` +
      `ON CONFLICT (id) DO UPDATE SET doc = NULL, _position = excluded._position WHERE ${GUARD}`,
  };
}

export function prepareWrite(tables: Tables): WriteOperation {
  const sqlByTable = new Map<string, WriteSql>();
  const sqlOf = (name: string) => {
    let sql = sqlByTable.get(name);
    if (!sql) sqlByTable.set(name, (sql = writeSql(name)));
    return sql;
  };
  return (write) => {
    const name = write.target.name;
    const sql = sqlOf(name);
    switch (write.kind) {
      case 'upsert':
        return tables
          .statement<[string, string, number | null]>(name, write.position === null ? sql.upsert : sql.guardedUpsert)
          .run(write.id, JSON.stringify(write.document), write.position).changes;
      case 'patch': {
        // A shallow merge: SQLite's json_patch would merge nested objects and delete on null.
        const stored = tables.statement<[string], { doc: string | null; _position: number | null }>(name, sql.read).get(write.id);
        if (!stored || stored.doc === null) return 0;
        if (write.position !== null && stored._position !== null && stored._position >= write.position) return 0;
        const merged = { ...(JSON.parse(stored.doc) as Record<string, unknown>), ...write.fields };
        return tables.statement<[string, number | null, string]>(name, sql.update).run(JSON.stringify(merged), write.position, write.id).changes;
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
