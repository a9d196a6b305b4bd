/**
 * One table per physical collection: `id` (compared by bytes), the document as jsonb in `doc`
 * (NULL for a tombstone) and `position`, with one index per declared field on the field's sort
 * key and id (see keys.ts) — the exact key of keyset pagination — over live documents only.
 * Expression indexes need no column per field, so a field indexed later is one CREATE INDEX.
 */
import { escapeIdentifier, type Pool } from 'pg';
import { assertCollectionOwner, EnsuredCollections } from '../catalog';
import type { PhysicalCollection } from '../collection';
import { GenerationConflictError } from '../errors';
import type { GenerationStatus } from '../generations';
import { transaction, type Queryable } from './connection';
import { keyOf } from './keys';
import { identifierOf, qualified, type ReadLayout } from './schema';

export class Tables {
  private readonly ready = new EnsuredCollections();

  constructor(
    private readonly pool: Pool,
    private readonly layout: ReadLayout,
  ) {}

  /** The qualified table name of a physical collection. */
  table(name: string): string {
    return qualified(this.layout, name);
  }

  /**
   * Creates the table on first use by this process, with its indexes unless its generation is
   * being built (then activateGeneration creates them). The generation's status is read under
   * a share lock rather than taken from the caller, so a table created while a switch commits
   * still gets its indexes from one side or the other.
   */
  async ensure(target: PhysicalCollection): Promise<void> {
    if (this.ready.has(target)) return;
    const { projection, name, indexes } = target.collection;
    await transaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${this.layout.ddlLock})`);
      const owner = await client.query<{ projection: string }>(`SELECT projection FROM ${this.layout.collections} WHERE physical = $1`, [
        target.name,
      ]);
      assertCollectionOwner(target.collection, owner.rows[0]?.projection);
      const generation = await client.query<{ status: GenerationStatus }>(
        `SELECT status FROM ${this.layout.generations} WHERE projection = $1 AND generation = $2 FOR SHARE`,
        [projection, target.generation],
      );
      const status = generation.rows[0]?.status;
      // Creating it would leave a table no generation owns.
      if (status === 'dropped') throw new GenerationConflictError(projection, `generation ${target.generation} was dropped`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table(target.name)} (id text COLLATE "C" NOT NULL PRIMARY KEY, doc jsonb, position bigint)`,
      );
      if (status !== 'building') await this.createIndexes(client, target.name, indexes);
      await client.query(
        `INSERT INTO ${this.layout.collections} (physical, projection, collection, generation, indexes) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (physical) DO UPDATE SET indexes = excluded.indexes`,
        [target.name, projection, name, target.generation, indexes],
      );
    });
    this.ready.add(target);
  }

  /** One index per field on (sort key, id), the key of keyset pagination, over live documents. */
  async createIndexes(db: Queryable, name: string, fields: readonly string[]): Promise<void> {
    for (const field of fields) {
      const key = keyOf(field);
      const index = escapeIdentifier(identifierOf(`${name}__${field}`));
      await db.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${this.table(name)} (${key.number}, ${key.text}, id) WHERE doc IS NOT NULL`);
    }
  }

  /** Drops the tables (the caller runs this inside its transaction). */
  async drop(db: Queryable, names: readonly string[]): Promise<void> {
    for (const name of names) await db.query(`DROP TABLE IF EXISTS ${this.table(name)}`);
  }

  /** Forgets what this process knew about the tables once their drop is committed. */
  forget(names: readonly string[]): void {
    this.ready.forget(names);
  }
}
