/**
 * One document write, synchronous, for the caller to wrap in its transaction. The position
 * guard is part of each statement: "apply only if the stored _position is absent or older".
 */
import type { PlannedWrite } from '../write-ops';
import { quoted, type Tables } from './tables';

export type WriteOperation = (write: PlannedWrite) => number;

const GUARD = '(_position IS NULL OR _position < excluded._position)';

export function prepareWrite(tables: Tables): WriteOperation {
  return (write) => {
    const name = write.target.name;
    const table = quoted(name);
    switch (write.kind) {
      case 'upsert': {
        const guard = write.position === null ? '' : ` WHERE ${GUARD}`;
        return tables
          .statement<[string, string, number | null]>(
            name,
            `INSERT INTO ${table} (id, doc, _position) VALUES (?, ?, ?) ` +
              `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, _position = excluded._position${guard}`,
          )
          .run(write.id, JSON.stringify(write.document), write.position).changes;
      }
      case 'patch': {
        // A shallow merge: SQLite's json_patch would merge nested objects and delete on null.
        const stored = tables
          .statement<[string], { doc: string | null; _position: number | null }>(name, `SELECT doc, _position FROM ${table} WHERE id = ?`)
          .get(write.id);
        if (!stored || stored.doc === null) return 0;
        if (write.position !== null && stored._position !== null && stored._position >= write.position) return 0;
        const merged = { ...(JSON.parse(stored.doc) as Record<string, unknown>), ...write.fields };
        return tables
          .statement<[string, number | null, string]>(name, `UPDATE ${table} SET doc = ?, _position = coalesce(?, _position) WHERE id = ?`)
          .run(JSON.stringify(merged), write.position, write.id).changes;
      }
      case 'delete': {
        if (write.position === null) {
          const removed = tables.statement<[string], { doc: string | null }>(name, `DELETE FROM ${table} WHERE id = ? RETURNING doc`).get(write.id);
          return removed && removed.doc !== null ? 1 : 0;
        }
        // A tombstone keeps the position, so an older upsert replayed later stays skipped.
        return tables
          .statement<[string, number]>(
            name,
            `INSERT INTO ${table} (id, doc, _position) VALUES (?, NULL, ?) ` +
              `ON CONFLICT (id) DO UPDATE SET doc = NULL, _position = excluded._position WHERE ${GUARD}`,
          )
          .run(write.id, write.position).changes;
      }
    }
  };
}
