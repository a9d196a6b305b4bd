/**
 * The ReadStore port: collections of JSON documents for projections. Adapters (sqlite, mongodb)
 * extend this class and implement the protected primitives; the class itself is the DI token
 * the server binds to the configured adapter.
 *
 * The public methods hold everything adapters share (validation, generation addressing,
 * coalescing, cursors), so an adapter only translates primitives to its database.
 *
 * Idempotency. A write may carry a global position; the document then records it as
 * `_position`, and a later write carrying a position <= the recorded one is skipped. A delete
 * carrying a position leaves an invisible tombstone with that position, so replaying an older
 * upsert cannot bring the document back. applyBatch also skips a whole batch whose position is
 * <= the checkpoint. Together: applying an event twice changes nothing, with or without
 * transactions.
 */
import {
  assertGeneration,
  assertProjectionName,
  physicalCollection,
  type CollectionDefinition,
  type PhysicalCollection,
  type ReadDocument,
  type Stored,
} from './collection';
import { encodeCursor } from './cursor';
import { ReadStoreValidationError } from './errors';
import {
  assertDroppable,
  assertReadable,
  assertSwitchable,
  assertWritable,
  initialGenerations,
  nextGeneration,
  type ProjectionGenerations,
} from './generations';
import {
  planConditions,
  planFind,
  sortValueOf,
  type FieldCondition,
  type FindPlan,
  type FindQuery,
  type FindResult,
  type Where,
} from './query';
import {
  assertPosition,
  coalesce,
  deleteOp,
  patchOp,
  planWrite,
  upsertOp,
  type Fields,
  type PlannedWrite,
  type WriteOp,
} from './write-ops';

export interface ReadOptions {
  /** Read this generation instead of the active one (e.g. to inspect a rebuild). */
  generation?: number;
}

export interface WriteOptions {
  /** Write into this generation (active or building) instead of the active one. */
  generation?: number;
  /** The global position the write stems from; enables the idempotency guard. */
  position?: number;
}

export interface ApplyOptions {
  /** Apply to this generation (active or building) instead of the active one. */
  generation?: number;
}

export interface ApplyResult {
  /** False when the batch's position was already at or below the checkpoint: nothing changed. */
  applied: boolean;
  /** The generation's checkpoint after the call. */
  checkpoint: number;
}

export interface SwitchResult {
  previous: number;
  active: number;
}

/** The checkpoint a batch moves, applied in the same unit as its writes. */
export interface CheckpointAdvance {
  projection: string;
  generation: number;
  position: number;
}

export abstract class ReadStore {
  /** Name shown in the banner and /health, e.g. 'sqlite'. */
  abstract readonly backend: string;

  /**
   * True when applyBatch is all-or-nothing. When false (MongoDB without a replica set) a failed
   * batch may leave some of its writes behind, never the checkpoint: re-applying it converges
   * through the per-document guard.
   */
  abstract readonly atomicBatches: boolean;

  /**
   * How long after switchGeneration another process may still read the previous generation
   * (it caches which generation is active); drop the previous one no sooner than this.
   */
  readonly switchPropagationMs: number = 0;

  private readonly generationCache = new Map<string, { info: ProjectionGenerations; expires: number }>();

  async get<T extends ReadDocument>(collection: CollectionDefinition<T>, id: string, options: ReadOptions = {}): Promise<Stored<T> | null> {
    if (typeof id !== 'string') throw new ReadStoreValidationError('ids are strings', 'id');
    const target = await this.readTarget(collection, options);
    return (await this.readDocument(target, id)) as Stored<T> | null;
  }

  async find<T extends ReadDocument>(
    collection: CollectionDefinition<T>,
    query: FindQuery<T> = {},
    options: ReadOptions = {},
  ): Promise<FindResult<Stored<T>>> {
    const plan = planFind(collection, query as FindQuery);
    const target = await this.readTarget(collection, options);
    const rows = await this.findDocuments(target, plan);
    const items = rows.slice(0, plan.fetch - 1) as Stored<T>[];
    if (rows.length < plan.fetch) return { items, nextCursor: null };
    const last = items[items.length - 1];
    const { field, direction } = plan.sort;
    return { items, nextCursor: encodeCursor(field, direction, { value: sortValueOf(last, field), id: last.id }) };
  }

  async count<T extends ReadDocument>(collection: CollectionDefinition<T>, where?: Where<T>, options: ReadOptions = {}): Promise<number> {
    const conditions = planConditions(collection, where as Where | undefined);
    return this.countDocuments(await this.readTarget(collection, options), conditions);
  }

  /** Replaces (or creates) the document. False when skipped by the position guard. */
  async upsert<T extends ReadDocument>(collection: CollectionDefinition<T>, document: T, options: WriteOptions = {}): Promise<boolean> {
    return this.writeOne(upsertOp(collection, document, options.position), options);
  }

  /** Shallow merge of top-level fields. False when the document is missing or the guard skips it. */
  async patch<T extends ReadDocument>(
    collection: CollectionDefinition<T>,
    id: string,
    fields: Fields<T>,
    options: WriteOptions = {},
  ): Promise<boolean> {
    return this.writeOne(patchOp(collection, id, fields, options.position), options);
  }

  /** False when skipped by the guard, or (without a position) when there was nothing to delete. */
  async delete<T extends ReadDocument>(collection: CollectionDefinition<T>, id: string, options: WriteOptions = {}): Promise<boolean> {
    return this.writeOne(deleteOp(collection, id, options.position), options);
  }

  /**
   * Applies the writes of the events up to `position` and advances the projection's checkpoint
   * to it, as one unit (see atomicBatches). Ops without a position of their own carry
   * `position`; several ops on one document are folded into one. An empty batch just moves the
   * checkpoint (events the projection ignores).
   */
  async applyBatch(projection: string, position: number, ops: readonly WriteOp[], options: ApplyOptions = {}): Promise<ApplyResult> {
    assertProjectionName(projection);
    assertPosition(position, 'position');
    const info = await this.generationsFor(projection, 'write');
    const generation = this.generationOf(info, options.generation);
    assertWritable(info, generation);
    const building = generation === info.building;
    // One physical collection per collection of the batch, shared by its writes.
    const targets = new Map<CollectionDefinition, PhysicalCollection>();
    const writes = ops.map((op, index) => {
      const path = `ops[${index}]`;
      if (op.collection.projection !== projection) {
        throw new ReadStoreValidationError(`${op.collection.name} belongs to projection ${op.collection.projection}`, path);
      }
      let target = targets.get(op.collection);
      if (!target) targets.set(op.collection, (target = physicalCollection(op.collection, generation, building)));
      const write = planWrite(op, target, position, path);
      if (write.position! > position) throw new ReadStoreValidationError(`is after the batch position ${position}`, `${path}.position`);
      return write;
    });
    return this.applyWrites(coalesce(writes), { projection, generation, position });
  }

  /** The last global position applied to the generation (default: the active one). */
  async getCheckpoint(projection: string, options: ReadOptions = {}): Promise<number> {
    assertProjectionName(projection);
    const info = await this.generationsFor(projection, 'write');
    const generation = this.generationOf(info, options.generation);
    assertReadable(info, generation);
    return info.checkpoints[generation] ?? 0;
  }

  async generations(projection: string): Promise<ProjectionGenerations> {
    assertProjectionName(projection);
    return this.generationsFor(projection, 'write');
  }

  /** Starts a rebuild: a new, empty generation at checkpoint 0. One at a time per projection. */
  async createGeneration(projection: string): Promise<number> {
    assertProjectionName(projection);
    const info = await this.generationsFor(projection, 'write');
    const generation = nextGeneration(info);
    try {
      await this.insertGeneration(projection, generation, info);
    } finally {
      this.generationCache.delete(projection);
    }
    return generation;
  }

  /** Makes the generation being built the active one, atomically; the previous one is retired. */
  async switchGeneration(projection: string, generation: number): Promise<SwitchResult> {
    assertProjectionName(projection);
    assertGeneration(generation);
    const info = await this.generationsFor(projection, 'write');
    assertSwitchable(info, generation);
    try {
      await this.activateGeneration(projection, generation, info.active);
    } finally {
      this.generationCache.delete(projection);
    }
    return { previous: info.active, active: generation };
  }

  /** Removes a retired generation, or cancels a rebuild by dropping the generation being built. */
  async dropGeneration(projection: string, generation: number): Promise<void> {
    assertProjectionName(projection);
    assertGeneration(generation);
    const info = await this.generationsFor(projection, 'write');
    assertDroppable(info, generation);
    try {
      await this.removeGeneration(projection, generation, info);
    } finally {
      this.generationCache.delete(projection);
    }
  }

  abstract close(): Promise<void>;

  // ---- primitives: what an adapter translates ----

  /** The stored generations of a projection; null when nothing was ever stored for it. */
  protected abstract loadGenerations(projection: string): Promise<ProjectionGenerations | null>;
  protected abstract readDocument(target: PhysicalCollection, id: string): Promise<Stored<ReadDocument> | null>;
  /** Up to plan.fetch documents in the plan's order (tombstones excluded). */
  protected abstract findDocuments(target: PhysicalCollection, plan: FindPlan): Promise<Stored<ReadDocument>[]>;
  protected abstract countDocuments(target: PhysicalCollection, conditions: readonly FieldCondition[]): Promise<number>;
  /** Applies one write outside any batch; returns how many documents it changed (0 or 1). */
  protected abstract writeDocuments(writes: readonly PlannedWrite[]): Promise<number>;
  /** Applies at most one write per document and advances the checkpoint, as atomically as the backend allows. */
  protected abstract applyWrites(writes: readonly PlannedWrite[], advance: CheckpointAdvance): Promise<ApplyResult>;
  /** Registers `generation` as building; fails with GenerationConflictError if `current` is stale. */
  protected abstract insertGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void>;
  /**
   * Atomically: `generation` becomes active, `previous` retired. Indexes deferred while it was
   * being built (see PhysicalCollection.building) exist before a read can see it active.
   */
  protected abstract activateGeneration(projection: string, generation: number, previous: number): Promise<void>;
  /** Drops the generation's collections, then forgets the generation. */
  protected abstract removeGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void>;

  // ---- shared plumbing ----

  private async writeOne(op: WriteOp, options: WriteOptions): Promise<boolean> {
    const info = await this.generationsFor(op.collection.projection, 'write');
    const generation = this.generationOf(info, options.generation);
    assertWritable(info, generation);
    const target = physicalCollection(op.collection, generation, generation === info.building);
    return (await this.writeDocuments([planWrite(op, target, null, 'write')])) > 0;
  }

  private async readTarget(collection: CollectionDefinition, options: ReadOptions): Promise<PhysicalCollection> {
    const info = await this.generationsFor(collection.projection, 'read');
    const generation = this.generationOf(info, options.generation);
    assertReadable(info, generation);
    return physicalCollection(collection, generation, generation === info.building);
  }

  private generationOf(info: ProjectionGenerations, requested: number | undefined): number {
    if (requested === undefined) return info.active;
    assertGeneration(requested);
    return requested;
  }

  /** Reads may use a cached answer (see switchPropagationMs); writes and admin steps never do. */
  private async generationsFor(projection: string, purpose: 'read' | 'write'): Promise<ProjectionGenerations> {
    const caching = this.switchPropagationMs > 0;
    if (caching && purpose === 'read') {
      const cached = this.generationCache.get(projection);
      if (cached && cached.expires > Date.now()) return cached.info;
    }
    const info = (await this.loadGenerations(projection)) ?? initialGenerations(projection);
    if (caching) this.generationCache.set(projection, { info, expires: Date.now() + this.switchPropagationMs });
    return info;
  }
}
