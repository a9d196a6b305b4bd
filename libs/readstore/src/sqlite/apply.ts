/** A batch: its writes and the checkpoint advance in one IMMEDIATE transaction, or nothing. */
import type Database from 'better-sqlite3';
import { writableCheckpoint, type GenerationRow } from '../generations';
import type { ApplyResult, CheckpointAdvance } from '../read-store';
import type { PlannedWrite } from '../write-ops';
import type { WriteOperation } from './write';

export type ApplyOperation = (writes: readonly PlannedWrite[], advance: CheckpointAdvance) => ApplyResult;

export function prepareApply(db: Database.Database, write: WriteOperation): ApplyOperation {
  const readCheckpoint = db.prepare<[string, number], Pick<GenerationRow, 'status' | 'checkpoint'>>(
    'SELECT status, checkpoint FROM _readstore_generations WHERE projection = ? AND generation = ?',
  );
  // The row is missing only for a projection's implicit first generation (see initialGenerations).
  const saveCheckpoint = db.prepare<[string, number, number]>(
    `INSERT INTO _readstore_generations (projection, generation, status, checkpoint) VALUES (?, ?, 'active', ?)
     ON CONFLICT (projection, generation) DO UPDATE SET checkpoint = excluded.checkpoint`,
  );

  const apply = db.transaction((writes: readonly PlannedWrite[], advance: CheckpointAdvance): ApplyResult => {
    const { projection, generation, position } = advance;
    const checkpoint = writableCheckpoint(projection, generation, readCheckpoint.get(projection, generation));
    if (position <= checkpoint) return { applied: false, checkpoint };
    for (const each of writes) write(each);
    saveCheckpoint.run(projection, generation, position);
    return { applied: true, checkpoint: position };
  });

  return (writes, advance) => apply.immediate(writes, advance);
}
