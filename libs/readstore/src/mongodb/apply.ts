/**
 * A batch: its writes and the checkpoint advance. On a replica set (or through mongos) they
 * run in one transaction. On a standalone server they run in order, checkpoint last: a failure
 * may leave some guarded writes behind but never the checkpoint, so the batch is applied again
 * and converges (every write is guarded by its position).
 */
import type { AnyBulkWriteOperation, ClientSession, Db, MongoClient } from 'mongodb';
import type { StoredDocument } from './documents';
import { GenerationConflictError } from '../errors';
import type { ApplyResult, CheckpointAdvance } from '../read-store';
import type { PlannedWrite } from '../write-ops';
import { PROJECTIONS, type ProjectionRecord } from './generations';
import { groupModels } from './write';

export async function applyBatch(
  client: MongoClient,
  db: Db,
  transactions: boolean,
  writes: readonly PlannedWrite[],
  advance: CheckpointAdvance,
): Promise<ApplyResult> {
  const groups = groupModels(writes);
  if (!transactions) return applyInOrder(db, groups, advance);
  const session = client.startSession();
  try {
    let result: ApplyResult = { applied: false, checkpoint: 0 };
    // withTransaction retries the whole callback on transient errors, so it must be re-runnable.
    await session.withTransaction(async () => {
      result = await applyInOrder(db, groups, advance, session);
    });
    return result;
  } finally {
    await session.endSession();
  }
}

async function applyInOrder(
  db: Db,
  groups: Map<string, AnyBulkWriteOperation<StoredDocument>[]>,
  { projection, generation, position }: CheckpointAdvance,
  session?: ClientSession,
): Promise<ApplyResult> {
  const projections = db.collection<ProjectionRecord>(PROJECTIONS);
  const record = await projections.findOne({ _id: projection }, { session });
  const key = `g${generation}`;
  // Re-checked here: another process may have switched or dropped the generation since.
  const writable = record ? record.active === generation || record.building === generation : generation === 1;
  if (!writable) throw new GenerationConflictError(projection, `generation ${generation} is not writable`);
  const checkpoint = record?.checkpoints?.[key] ?? 0;
  if (position <= checkpoint) return { applied: false, checkpoint };

  for (const [name, models] of groups) await db.collection<StoredDocument>(name).bulkWrite(models, { session, ordered: true });
  // Conditional, so a generation dropped meanwhile is not brought back by its checkpoint key.
  const advanced = await projections.updateOne(
    record ? { _id: projection, $or: [{ active: generation }, { building: generation }] } : { _id: projection },
    { $max: { [`checkpoints.${key}`]: position }, $setOnInsert: { active: 1, building: null, lastGeneration: 1 } },
    { session, upsert: !record },
  );
  if (advanced.matchedCount + advanced.upsertedCount === 0) {
    throw new GenerationConflictError(projection, `generation ${generation} stopped being writable during the batch`);
  }
  return { applied: true, checkpoint: position };
}
