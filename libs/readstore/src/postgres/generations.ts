/** The projection's generations: reading them, and the three steps of a blue/green rebuild. */
import type { Pool } from 'pg';
import {
  assertUnchanged,
  generationsChanged,
  generationsFromRows,
  type GenerationRow,
  type ProjectionGenerations,
} from '../generations';
import { isUniqueViolation, transaction, type Queryable } from './connection';
import type { ReadLayout } from './schema';
import type { Tables } from './tables';

// A step is rare and an operator acts on its outcome, so it is durable whatever the pool's
// setting for batches says.
const BEGIN_STEP = 'BEGIN; SET LOCAL synchronous_commit = on';

export class PostgresGenerations {
  /** Projections whose generation rows are known to exist (rows are never deleted). */
  private readonly seeded = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly layout: ReadLayout,
    private readonly tables: Tables,
  ) {}

  async load(projection: string, db: Queryable = this.pool, forUpdate = false): Promise<ProjectionGenerations | null> {
    const { rows } = await db.query<GenerationRow>(
      `SELECT generation, status, checkpoint FROM ${this.layout.generations} WHERE projection = $1 ORDER BY generation${forUpdate ? ' FOR UPDATE' : ''}`,
      [projection],
    );
    return generationsFromRows(projection, rows);
  }

  /**
   * Gives a projection's implicit first generation (see initialGenerations) its row, so that a
   * batch always has a row to lock and to advance.
   */
  async seed(projection: string): Promise<void> {
    if (this.seeded.has(projection)) return;
    await this.pool.query(
      `INSERT INTO ${this.layout.generations} (projection, generation, status, checkpoint) VALUES ($1, 1, 'active', 0) ON CONFLICT DO NOTHING`,
      [projection],
    );
    this.seeded.add(projection);
  }

  async insert(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    try {
      await transaction(
        this.pool,
        async (client) => {
          // Locks the rows that exist; a row inserted meanwhile by another process collides with
          // the inserts below on a unique index instead.
          const now = await this.load(projection, client, true);
          assertUnchanged(now, current);
          const insert = `INSERT INTO ${this.layout.generations} (projection, generation, status, checkpoint) VALUES ($1, $2, $3, 0)`;
          if (!now) await client.query(insert, [projection, 1, 'active']);
          await client.query(insert, [projection, generation, 'building']);
        },
        BEGIN_STEP,
      );
    } catch (error) {
      throw isUniqueViolation(error) ? generationsChanged(projection) : error;
    }
    this.seeded.add(projection);
  }

  async activate(projection: string, generation: number, previous: number): Promise<void> {
    // Building an index over a full generation takes a while; done beforehand, outside the
    // switch's transaction, it keeps the generation rows (which live batches lock) free
    // meanwhile. The switch then only finds the indexes in place.
    for (const table of await this.tablesOf(this.pool, projection, generation)) {
      await this.tables.createIndexes(this.pool, table.physical, table.indexes);
    }
    await transaction(
      this.pool,
      async (client) => {
        // Retire first: the unique index allows one active row per projection at any moment.
        const retired = await this.setStatus(client, projection, previous, 'active', 'retired');
        const activated = await this.setStatus(client, projection, generation, 'building', 'active');
        if (retired !== 1 || activated !== 1) throw generationsChanged(projection);
        // Again inside the transaction (a table may have been added since), so no reader ever
        // sees the generation active and unindexed.
        for (const table of await this.tablesOf(client, projection, generation)) {
          await this.tables.createIndexes(client, table.physical, table.indexes);
        }
      },
      BEGIN_STEP,
    );
  }

  /** Marks the generation dropped and drops its tables, in one transaction. */
  async remove(projection: string, generation: number): Promise<void> {
    const names = await transaction(
      this.pool,
      async (client) => {
        const dropped = await client.query(
          `UPDATE ${this.layout.generations} SET status = 'dropped'
           WHERE projection = $1 AND generation = $2 AND status IN ('building', 'retired')`,
          [projection, generation],
        );
        if (dropped.rowCount !== 1) throw generationsChanged(projection);
        const physical = (await this.tablesOf(client, projection, generation)).map((table) => table.physical);
        await this.tables.drop(client, physical);
        await client.query(`DELETE FROM ${this.layout.collections} WHERE projection = $1 AND generation = $2`, [projection, generation]);
        return physical;
      },
      BEGIN_STEP,
    );
    this.tables.forget(names);
  }

  private async setStatus(db: Queryable, projection: string, generation: number, from: string, to: string): Promise<number> {
    const result = await db.query(`UPDATE ${this.layout.generations} SET status = $4 WHERE projection = $1 AND generation = $2 AND status = $3`, [
      projection,
      generation,
      from,
      to,
    ]);
    return result.rowCount ?? 0;
  }

  private async tablesOf(db: Queryable, projection: string, generation: number): Promise<{ physical: string; indexes: string[] }[]> {
    const { rows } = await db.query<{ physical: string; indexes: string[] }>(
      `SELECT physical, indexes FROM ${this.layout.collections} WHERE projection = $1 AND generation = $2 ORDER BY physical`,
      [projection, generation],
    );
    return rows;
  }
}
