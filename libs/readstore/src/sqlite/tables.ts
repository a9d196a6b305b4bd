/**
 * One table per physical collection: `id`, the document as JSON text in `doc` (NULL for a
 * tombstone), `_position`, and one virtual generated column per indexed field with an index on
 * (column, id) — the exact key of keyset pagination — covering live documents only.
 *
 * The generated column maps null and absent to -Infinity, a value JSON cannot hold: nulls then
 * sort first, as in MongoDB, and a keyset condition is one row-value comparison that SQLite
 * answers with an index search instead of "... OR field IS NULL", which forces a scan.
 */
import type Database from 'better-sqlite3';
import { assertCollectionOwner, EnsuredCollections } from '../catalog';
import type { IndexValue, PhysicalCollection } from '../collection';

export const NULL_KEY = '-9e999';

export function columnOf(field: string): string {
  return field === 'id' ? 'id' : `"f_${field}"`;
}

export function quoted(name: string): string {
  return `"${name}"`;
}

/** A value as the generated columns hold it. */
export function sqlValue(value: IndexValue): number | string {
  if (value === null) return -Infinity;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export class Tables {
  private readonly ready = new EnsuredCollections();
  private readonly statements = new Map<string, Map<string, Database.Statement>>();

  constructor(private readonly db: Database.Database) {}

  /** A prepared statement over `table`, kept until the table is dropped. */
  statement<P extends unknown[] | {} = unknown[], R = unknown>(table: string, sql: string): Database.Statement<P, R> {
    let byTable = this.statements.get(table);
    if (!byTable) this.statements.set(table, (byTable = new Map()));
    let statement = byTable.get(sql);
    if (!statement) byTable.set(sql, (statement = this.db.prepare(sql)));
    return statement as Database.Statement<P, R>;
  }

  /**
   * Creates the table and its generated columns on first use by this process, and its indexes
   * unless the generation is being built (then activateGeneration creates them: see
   * createIndexes).
   */
  ensure(target: PhysicalCollection): void {
    const { projection, name, indexes } = target.collection;
    if (this.ready.has(target)) return;
    const table = quoted(target.name);
    this.db
      .transaction(() => {
        const owner = this.db
          .prepare<[string], { projection: string }>('SELECT projection FROM _readstore_collections WHERE physical = ?')
          .get(target.name);
        assertCollectionOwner(target.collection, owner?.projection);
        this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT NOT NULL PRIMARY KEY, doc TEXT, _position INTEGER) STRICT`);
        const info = this.db.pragma(`table_xinfo(${table})`) as { name: string }[];
        const columns = new Set(info.map((column) => column.name));
        for (const field of indexes) {
          // Virtual columns can be added to an existing table, so a field indexed later just works.
          if (!columns.has(`f_${field}`)) {
            this.db.exec(
              `ALTER TABLE ${table} ADD COLUMN ${columnOf(field)} ANY ` +
                `GENERATED ALWAYS AS (coalesce(json_extract(doc, '$.${field}'), ${NULL_KEY})) VIRTUAL`,
            );
          }
        }
        if (!target.building) this.createIndexes(target.name, indexes);
        this.db
          .prepare(
            `INSERT INTO _readstore_collections (physical, projection, collection, generation, indexes) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (physical) DO UPDATE SET indexes = excluded.indexes`,
          )
          .run(target.name, projection, name, target.generation, JSON.stringify(indexes));
      })
      .immediate();
    this.ready.add(target);
  }

  /** One index per field on (field, id), the key of keyset pagination, over live documents. */
  createIndexes(name: string, fields: readonly string[]): void {
    for (const field of fields) {
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${quoted(`${name}__${field}`)} ON ${quoted(name)} (${columnOf(field)}, id) WHERE doc IS NOT NULL`,
      );
    }
  }

  /** Drops the tables (the caller runs this inside its transaction). */
  drop(names: readonly string[]): void {
    for (const name of names) this.db.exec(`DROP TABLE IF EXISTS ${quoted(name)}`);
  }

  /** Forgets what this process knew about the tables once their drop is committed. */
  forget(names: readonly string[]): void {
    this.ready.forget(names);
    for (const name of names) this.statements.delete(name);
  }
}
