/**
 * A projection: `(readModel, event) → readModel`, written as "event in, document writes out".
 * It owns its collections (declared with the fields they are queried by) and never causes side
 * effects: no command, workflow start or notification is issued from `apply`, because a rebuild
 * replays every event ever stored.
 *
 * Rules for authors, which make a replayed event change nothing:
 * - every write is derived from the event and the current documents `ctx` returns; the runner
 *   stamps each write with the event's position, and the store skips a write to a document that
 *   already recorded that position or a later one;
 * - a document's next value depends on its own previous value and the event. Reading another
 *   document that the same event also changes is fine on an atomic store (SQLite, MongoDB replica
 *   sets) but may see a half-applied batch on a non-atomic one.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { CollectionDefinition, ReadDocument, Stored, WriteOp } from '@trellis/readstore';

/** A document a projection is about to read: what the runner prefetches for a whole batch. */
export interface DocumentKey {
  collection: CollectionDefinition;
  id: string;
}

export interface ProjectionContext {
  /**
   * The document as it stands in the generation being written, including the writes of the
   * events before this one in the same batch (which are not committed yet).
   */
  get<T extends ReadDocument>(collection: CollectionDefinition<T>, id: string): Promise<Stored<T> | null>;
}

export interface Projection {
  /** Lower-case with single hyphens; also the name of its checkpoint. */
  readonly name: string;
  readonly collections: readonly CollectionDefinition[];
  /**
   * The shape of its documents (default 1). Raise it when a change to `apply` makes documents
   * already written wrong or incomplete: a runner that finds the active generation written by
   * another version rebuilds it at start, blue/green, while the old one keeps serving reads.
   */
  readonly version?: number;
  /** Only these event types reach `apply` (the checkpoint still moves past the others). */
  readonly eventTypes?: readonly string[];
  /** The documents `apply` will read for this event, so a batch can fetch them in one query each. */
  keys?(event: RecordedEvent): readonly DocumentKey[];
  apply(event: RecordedEvent, ctx: ProjectionContext): readonly WriteOp[] | Promise<readonly WriteOp[]>;
}
