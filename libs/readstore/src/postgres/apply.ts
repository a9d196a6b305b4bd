/**
 * A batch: its writes and the checkpoint advance in one transaction, or nothing. The batch
 * locks its generation's row first, so batches of one generation run one at a time across
 * processes, and a switch or drop of the generation waits for the batch (or the batch for it,
 * and then finds the generation no longer writable).
 */
import type { Pool } from 'pg';
import { generationsChanged, writableCheckpoint, type GenerationRow } from '../generations';
import type { ApplyResult, CheckpointAdvance } from '../read-store';
import { transaction } from './connection';
import type { ReadLayout } from './schema';
import { runStatements, type WriteStatement } from './write';

export async function applyBatch(
  pool: Pool,
  layout: ReadLayout,
  statements: readonly WriteStatement[],
  { projection, generation, position }: CheckpointAdvance,
): Promise<ApplyResult> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<Pick<GenerationRow, 'status' | 'checkpoint'>>(
      `SELECT status, checkpoint FROM ${layout.generations} WHERE projection = $1 AND generation = $2 FOR NO KEY UPDATE`,
      [projection, generation],
    );
    const checkpoint = writableCheckpoint(projection, generation, rows[0]);
    if (position <= checkpoint) return { applied: false, checkpoint };
    await runStatements(client, statements);
    const advanced = await client.query(`UPDATE ${layout.generations} SET checkpoint = $3 WHERE projection = $1 AND generation = $2`, [
      projection,
      generation,
      position,
    ]);
    // The row exists (the store seeds generation 1's before a batch): anything else is a schema changed under us.
    if (advanced.rowCount !== 1) throw generationsChanged(projection);
    return { applied: true, checkpoint: position };
  });
}
