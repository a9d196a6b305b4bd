/**
 * The projection's generations, one document per projection in `_readstore_projections`:
 * `{ _id: projection, active, building, lastGeneration, checkpoints: { g1: 120, g2: 40 } }`.
 * A generation exists while it has a checkpoint entry. Keeping it in one document makes each
 * step a single conditional update, atomic without a transaction.
 */
import { MongoServerError, type Db } from 'mongodb';
import { generationsChanged, type ProjectionGenerations } from '../generations';
import type { Collections } from './collections';

export const PROJECTIONS = '_readstore_projections';
const DUPLICATE_KEY = 11000;

export interface ProjectionRecord {
  _id: string;
  active: number;
  building: number | null;
  lastGeneration: number;
  checkpoints?: Record<string, number>;
}

export function toGenerations(record: ProjectionRecord): ProjectionGenerations {
  const checkpoints: Record<number, number> = {};
  for (const [key, position] of Object.entries(record.checkpoints ?? {})) checkpoints[Number(key.slice(1))] = position;
  checkpoints[record.active] ??= 0;
  const building = record.building ?? null;
  const retired = Object.keys(checkpoints)
    .map(Number)
    .filter((generation) => generation !== record.active && generation !== building)
    .sort((a, b) => a - b);
  return { projection: record._id, active: record.active, building, retired, lastGeneration: record.lastGeneration, checkpoints };
}

export class MongoGenerations {
  private readonly projections;

  constructor(
    db: Db,
    private readonly collections: Collections,
  ) {
    this.projections = db.collection<ProjectionRecord>(PROJECTIONS);
  }

  async load(projection: string): Promise<ProjectionGenerations | null> {
    const record = await this.projections.findOne({ _id: projection });
    return record ? toGenerations(record) : null;
  }

  async insert(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    const updated = await this.projections.updateOne(
      { _id: projection, building: null, lastGeneration: current.lastGeneration },
      { $set: { building: generation, lastGeneration: generation, [`checkpoints.g${generation}`]: 0 } },
    );
    if (updated.matchedCount === 1) return;
    if (current.lastGeneration !== 1) throw generationsChanged(projection);
    // Nothing stored yet for the projection: create its record with generation 1 active.
    try {
      await this.projections.insertOne({
        _id: projection,
        active: 1,
        building: generation,
        lastGeneration: generation,
        checkpoints: { g1: 0, [`g${generation}`]: 0 },
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw generationsChanged(projection);
      throw error;
    }
  }

  async activate(projection: string, generation: number, previous: number): Promise<void> {
    const updated = await this.projections.updateOne(
      { _id: projection, active: previous, building: generation },
      { $set: { active: generation, building: null } },
    );
    if (updated.matchedCount !== 1) throw generationsChanged(projection);
  }

  /**
   * Forgets the generation first, so no writer can target it any more, then drops its
   * collections — and those of generations a crash left half-dropped before.
   */
  async remove(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    const cancelling = current.building === generation;
    const updated = await this.projections.updateOne(
      {
        _id: projection,
        active: { $ne: generation },
        building: cancelling ? generation : { $ne: generation },
        [`checkpoints.g${generation}`]: { $exists: true },
      },
      { $unset: { [`checkpoints.g${generation}`]: '' }, ...(cancelling && { $set: { building: null } }) },
    );
    if (updated.matchedCount !== 1) throw generationsChanged(projection);

    const remaining = await this.load(projection);
    const live = new Set(Object.keys(remaining?.checkpoints ?? {}).map(Number));
    const orphans = await this.collections.catalog.find({ projection }).toArray();
    const names = orphans.filter((entry) => !live.has(entry.generation)).map((entry) => entry._id);
    await this.collections.drop(names);
    if (names.length > 0) await this.collections.catalog.deleteMany({ _id: { $in: names } });
  }
}
