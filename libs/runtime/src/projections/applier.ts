/**
 * Applies a batch of events to one generation of a projection: the projection's writes for every
 * event and the checkpoint move to the batch's last position, committed together by the store.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { ReadStoreValidationError, upsertOp, type ReadStore, type WriteOp } from '@trellis/readstore';
import { BatchContext, type ChangedDocument } from './batch-context';
import { ProjectionApplyError } from './errors';
import type { Projection } from './projection';
import { projectionVersion, versionCollection, VERSION_ID } from './version';

export interface AppliedBatch {
  /** The batch's last position, i.e. the generation's checkpoint afterwards. */
  position: number;
  /** False when the store already had the batch (its position was at or below the checkpoint). */
  applied: boolean;
  events: number;
  /** The documents the batch changed (computed on request: only change listeners need it). */
  changes(): ChangedDocument[];
}

export class ProjectionApplier {
  private readonly types: ReadonlySet<string> | undefined;
  /**
   * Generations whose version record needs no write: recorded by this applier already (once each,
   * with a batch), or written by another version and left saying so until a rebuild replaces them.
   */
  private readonly versioned = new Set<number>();

  constructor(
    private readonly store: ReadStore,
    readonly projection: Projection,
  ) {
    this.types = projection.eventTypes ? new Set(projection.eventTypes) : undefined;
  }

  /**
   * `through`: the position the log was read up to, when it is past the last event (events the
   * reader filtered out); the checkpoint moves there.
   */
  async apply(events: readonly RecordedEvent[], generation: number, through?: number): Promise<AppliedBatch> {
    const { projection, types } = this;
    const position = Math.max(events[events.length - 1]?.position ?? 0, through ?? 0);
    if (position === 0) throw new Error('an empty batch has no position');
    const relevant = types ? events.filter((event) => types.has(event.type)) : events;
    const ctx = new BatchContext(this.store, generation);
    if (projection.keys && relevant.length > 0) {
      await ctx.prefetch(relevant.flatMap((event) => projection.keys!(event)));
    }
    for (const event of relevant) {
      try {
        // A projection that answers at once is not awaited: a rebuild would pay a turn of the
        // microtask queue for each event of the log.
        const ops = projection.apply(event, ctx);
        ctx.stage(Array.isArray(ops) ? ops : await ops, event);
      } catch (error) {
        throw new ProjectionApplyError(projection.name, event, error);
      }
    }
    const writes: readonly WriteOp[] = this.versioned.has(generation) ? ctx.pendingWrites() : [...ctx.pendingWrites(), this.versionWrite(position)];
    try {
      const result = await this.store.applyBatch(projection.name, position, writes, { generation });
      if (result.applied) this.versioned.add(generation);
      return { position, applied: result.applied, events: events.length, changes: () => (result.applied ? ctx.changes() : []) };
    } catch (error) {
      // A write the store refuses (an object in an indexed field, ...) is the projection's bug: name the event.
      const origin = error instanceof ReadStoreValidationError ? ctx.originOf(Number(/^ops\[(\d+)\]/.exec(error.path)?.[1])) : undefined;
      if (origin) throw new ProjectionApplyError(projection.name, origin, error);
      throw error;
    }
  }

  /** Leaves the generation's version record as it is (the runner found another version there). */
  leaveVersion(generation: number): void {
    this.versioned.add(generation);
  }

  private versionWrite(position: number): WriteOp {
    const { projection } = this;
    return { ...upsertOp(versionCollection(projection), { id: VERSION_ID, version: projectionVersion(projection) }), position };
  }
}
