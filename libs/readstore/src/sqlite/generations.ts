/** The projection's generations: reading them, and the three steps of a blue/green rebuild. */
import type Database from 'better-sqlite3';
import {
  assertUnchanged,
  generationsChanged,
  generationsFromRows,
  type GenerationRow,
  type ProjectionGenerations,
} from '../generations';
import type { Tables } from './tables';

export interface GenerationOperations {
  load(projection: string): ProjectionGenerations | null;
  insert(projection: string, generation: number, current: ProjectionGenerations): void;
  activate(projection: string, generation: number, previous: number): Promise<void>;
  remove(projection: string, generation: number): void;
}

export function prepareGenerations(db: Database.Database, tables: Tables): GenerationOperations {
  const selectRows = db.prepare<[string], GenerationRow>(
    'SELECT generation, status, checkpoint FROM _readstore_generations WHERE projection = ? ORDER BY generation',
  );
  const insertRow = db.prepare<[string, number, string]>(
    'INSERT INTO _readstore_generations (projection, generation, status, checkpoint) VALUES (?, ?, ?, 0)',
  );
  const setStatus = db.prepare<[string, string, number, string]>(
    'UPDATE _readstore_generations SET status = ? WHERE projection = ? AND generation = ? AND status = ?',
  );
  const markDropped = db.prepare<[string, number]>(
    "UPDATE _readstore_generations SET status = 'dropped' WHERE projection = ? AND generation = ? AND status IN ('building', 'retired')",
  );
  const selectTables = db.prepare<[string, number], { physical: string; indexes: string }>(
    'SELECT physical, indexes FROM _readstore_collections WHERE projection = ? AND generation = ?',
  );
  const deleteTables = db.prepare<[string, number]>('DELETE FROM _readstore_collections WHERE projection = ? AND generation = ?');

  const load = (projection: string): ProjectionGenerations | null => generationsFromRows(projection, selectRows.all(projection));

  const insert = db.transaction((projection: string, generation: number, current: ProjectionGenerations) => {
    const now = load(projection);
    assertUnchanged(now, current);
    if (!now) insertRow.run(projection, 1, 'active');
    insertRow.run(projection, generation, 'building');
  });

  const activate = db.transaction((projection: string, generation: number, previous: number) => {
    // Retire first: the unique index allows one active row per projection at any moment.
    const retired = setStatus.run('retired', projection, previous, 'active').changes;
    const activated = setStatus.run('active', projection, generation, 'building').changes;
    if (retired !== 1 || activated !== 1) throw generationsChanged(projection);
    // In the same transaction, so no reader ever sees the generation active and unindexed.
    for (const table of selectTables.all(projection, generation)) {
      tables.createIndexes(table.physical, JSON.parse(table.indexes) as string[]);
    }
  });

  const remove = db.transaction((projection: string, generation: number): string[] => {
    const names = selectTables.all(projection, generation).map((row) => row.physical);
    if (markDropped.run(projection, generation).changes !== 1) throw generationsChanged(projection);
    tables.drop(names);
    deleteTables.run(projection, generation);
    return names;
  });

  return {
    load,
    insert: (projection, generation, current) => insert.immediate(projection, generation, current),
    activate: async (projection, generation, previous) => {
      // Building an index over a full generation takes a while and better-sqlite3 blocks the
      // thread meanwhile, so the deferred indexes are built one by one beforehand, letting
      // reads in between; the switch transaction then only finds them in place.
      for (const table of selectTables.all(projection, generation)) {
        for (const field of JSON.parse(table.indexes) as string[]) {
          tables.createIndexes(table.physical, [field]);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      activate.immediate(projection, generation, previous);
    },
    remove: (projection, generation) => tables.forget(remove.immediate(projection, generation)),
  };
}
