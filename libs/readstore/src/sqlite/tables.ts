/**
 * One table per physical collection: `id`, the document as JSON text in `doc` (NULL for a
 * tombstone), `_position`, and one column `f_<field>` per indexed field with an index on
 * (column, id) — the exact key of keyset pagination — covering live documents only.
 *
 * The column holds what `coalesce(json_extract(doc, '$.<field>'), -9e999)` would: null and
 * absent map to -Infinity, a value JSON cannot hold: nulls then sort first, as in MongoDB, and a
 * keyset condition is one row-value comparison that SQLite answers with an index search instead
 * of "... OR field IS NULL", which forces a scan.
 *
 * Two kinds of tables hold those columns, and both stay readable and writable:
 * - tables created by this version have ordinary columns, which the writer fills from the
 *   document it already has in hand (columnValue): building an index then reads the values
 *   instead of parsing every document's JSON once per index, which made the switch of a rebuilt
 *   generation markedly slower;
 * - tables created by earlier versions have that expression as a VIRTUAL generated column,
 *   which SQLite computes itself; the writer leaves them alone, and a field indexed later gets
 *   a generated column there too, so one table never mixes the two kinds.
 * PRAGMA table_xinfo tells them apart (see indexColumns).
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

/** A query's value as the columns hold it. */
export function sqlValue(value: IndexValue): number | string {
  if (value === null) return -Infinity;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * A document's field as an ordinary column holds it: what the generated column's expression
 * gives for the document's JSON (json_extract makes booleans 1 and 0). Numbers are bound as
 * doubles, which is exactly the value the document holds; see backfillSql for the one case where
 * json_extract would hold another.
 */
export function columnValue(value: unknown): number | string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // JSON writes NaN and ±Infinity as null, and -0 as 0.
      return Number.isFinite(value) ? value + 0 : -Infinity;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      return value === null ? -Infinity : nonScalarValue(value);
    default:
      // undefined, functions and symbols: JSON leaves the member out.
      return -Infinity;
  }
}

// Validation keeps anything but scalars out of indexed fields, but a column outlives its field
// being indexed (and a field indexed later may hold anything in older documents): then the
// column holds what json_extract makes of the value, the JSON text of an object or array.
function nonScalarValue(value: object): number | string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return -Infinity;
  const plain = JSON.parse(text) as unknown;
  return plain !== null && typeof plain === 'object' ? text : columnValue(plain);
}

/**
 * Fills an ordinary column added to a table that already has rows. The generated column's
 * expression, except that integers become doubles: json_extract reads an integer beyond 2^53
 * exactly, while the document held (and the writer binds) the nearest double, so without the
 * cast such a value would not equal itself as a query parameter.
 */
function backfillSql(table: string, field: string): string {
  const path = `'$.${field}'`;
  return (
    `UPDATE ${quoted(table)} SET ${columnOf(field)} = CASE json_type(doc, ${path}) ` +
    `WHEN 'integer' THEN CAST(json_extract(doc, ${path}) AS REAL) ` +
    `ELSE coalesce(json_extract(doc, ${path}), ${NULL_KEY}) END WHERE doc IS NOT NULL`
  );
}

/** How a table's field columns get their values (see the file comment). */
export interface TableLayout {
  /** The fields whose ordinary column every write sets, in column order; none for a table of generated columns. */
  readonly written: readonly string[];
}

/** The kinds of table this store creates: ordinary columns, or the generated columns of earlier versions. */
export type IndexColumns = 'ordinary' | 'generated';

export class Tables {
  private readonly ready = new EnsuredCollections();
  private readonly statements = new Map<string, Map<string, Database.Statement>>();
  private readonly layouts = new Map<string, TableLayout>();

  constructor(
    private readonly db: Database.Database,
    private readonly newTables: IndexColumns = 'ordinary',
  ) {}

  /** How writes fill `table`'s columns; known once ensure has run for it in this process. */
  layout(table: string): TableLayout {
    const layout = this.layouts.get(table);
    if (!layout) throw new Error(`read store table ${table} used before it was ensured`);
    return layout;
  }

  /** A prepared statement over `table`, kept until the table is dropped. */
  statement<P extends unknown[] | {} = unknown[], R = unknown>(table: string, sql: string): Database.Statement<P, R> {
    let byTable = this.statements.get(table);
    if (!byTable) this.statements.set(table, (byTable = new Map()));
    let statement = byTable.get(sql);
    if (!statement) byTable.set(sql, (statement = this.db.prepare(sql)));
    return statement as Database.Statement<P, R>;
  }

  /**
   * Creates the table and its field columns on first use by this process, and its indexes
   * unless the generation is being built (then activateGeneration creates them: see
   * createIndexes). A field indexed after the table was created gets its column here, filled
   * from the documents already stored.
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
        const ordinary = this.newTables === 'ordinary' ? indexes.map((field) => `, ${columnOf(field)} ANY`).join('') : '';
        this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT NOT NULL PRIMARY KEY, doc TEXT, _position INTEGER${ordinary}) STRICT`);
        let columns = this.indexColumns(target.name);
        // A table created without field columns takes the kind of the tables this store creates.
        const generated = columns.size === 0 ? this.newTables === 'generated' : [...columns.values()].includes('generated');
        for (const field of indexes) {
          if (columns.has(field)) continue;
          if (generated) {
            this.db.exec(
              `ALTER TABLE ${table} ADD COLUMN ${columnOf(field)} ANY ` +
                `GENERATED ALWAYS AS (coalesce(json_extract(doc, '$.${field}'), ${NULL_KEY})) VIRTUAL`,
            );
          } else {
            this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnOf(field)} ANY`);
            this.db.exec(backfillSql(target.name, field));
          }
        }
        columns = this.indexColumns(target.name);
        // Every ordinary column is written, indexed field or no longer: one that went stale would
        // be wrong the day its field is indexed again.
        const written = [...columns].filter(([, kind]) => kind === 'ordinary').map(([field]) => field);
        this.layouts.set(target.name, { written });
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

  /** The table's field columns, by field, in column order, and whether each is ordinary or generated. */
  private indexColumns(table: string): Map<string, IndexColumns> {
    // hidden: 0 an ordinary column, 2 a virtual and 3 a stored generated one.
    const info = this.db.pragma(`table_xinfo(${quoted(table)})`) as { name: string; hidden: number }[];
    const columns = new Map<string, IndexColumns>();
    for (const column of info) {
      if (column.name.startsWith('f_')) columns.set(column.name.slice(2), column.hidden === 0 ? 'ordinary' : 'generated');
    }
    return columns;
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
    for (const name of names) {
      this.statements.delete(name);
      this.layouts.delete(name);
    }
  }
}
