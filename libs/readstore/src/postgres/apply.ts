/**
 * A batch: its writes and the checkpoint advance in one transaction, or nothing. The batch
 * locks its generation's row first, so batches of one generation run one at a time across
 * processes, and a switch or drop of the generation waits for the batch (or the batch for it,
 * and then finds the generation no longer writable).
 *
 * Round trips, not rows, are what a small batch pays for, so on the pipelining connection it
 * costs two: (1) BEGIN with the locking read of the checkpoint; (2) the writes, the advance and
 * COMMIT, sent together. After a failed statement PostgreSQL answers the COMMIT with ROLLBACK.
 */
import type { Pool, QueryResult } from 'pg';
import { writableCheckpoint, type GenerationRow } from '../generations';
import type { ApplyResult, CheckpointAdvance } from '../read-store';
import type { ReadLayout } from './schema';
import type { WriteStatement } from './write';

export async function applyBatch(
  pool: Pool,
  layout: ReadLayout,
  statements: readonly WriteStatement[],
  { projection, generation, position }: CheckpointAdvance,
): Promise<ApplyResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const [, locked] = await Promise.all([
      client.query('BEGIN'),
      client.query<Pick<GenerationRow, 'status' | 'checkpoint'>>(
        `SELECT status, checkpoint FROM ${layout.generations} WHERE projection = $1 AND generation = $2 FOR NO KEY UPDATE`,
        [projection, generation],
      ),
    ]);
    const checkpoint = writableCheckpoint(projection, generation, locked.rows[0]);
    if (position <= checkpoint) {
      await client.query('ROLLBACK');
      return { applied: false, checkpoint };
    }
    const sent: Promise<QueryResult>[] = statements.map((statement) => client.query(statement.sql, statement.values));
    // An upsert, as the row of a projection's implicit first generation may not exist yet.
    sent.push(
      client.query(
        `INSERT INTO ${layout.generations} (projection, generation, status, checkpoint) VALUES ($1, $2, 'active', $3)
         ON CONFLICT (projection, generation) DO UPDATE SET checkpoint = excluded.checkpoint`,
        [projection, generation, position],
      ),
      client.query('COMMIT'),
    );
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const commit = (settled[settled.length - 1] as PromiseFulfilledResult<QueryResult>).value;
    if (commit.command !== 'COMMIT') throw new Error(`COMMIT answered ${commit.command}`);
    return { applied: true, checkpoint: position };
  } catch (error) {
    // Outside a transaction (the COMMIT already rolled back) this only draws a warning.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
