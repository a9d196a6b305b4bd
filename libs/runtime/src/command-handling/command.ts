import type { RecordedEvent } from '@trellis/eventstore';

/** A command as it travels through the pipeline: the decider's command plus who, when and why. */
export interface CommandEnvelope<C> {
  data: C;
  actor: string;
  /** When the command was issued (the clock is read at the edge, never inside a decider). */
  occurredAt: string;
  /** Replaying a command with the same key on the same stream appends nothing new. */
  idempotencyKey?: string;
  correlationId?: string;
  causationId?: string;
  /** The entity version the caller last saw; a mismatch is a version_conflict. */
  expectedVersion?: number;
  /**
   * The caller made the stream's id up for this command (a fresh random id), so the stream is
   * taken to be new without reading it. The append's no_stream check proves it; if the stream
   * exists after all (the append conflicts or is a duplicate, or the decider returns a refusal
   * on the empty state), it is read and the command decided again, as for a stale cache.
   */
  newStream?: boolean;
}

export interface CommandOutcome<S> {
  streamId: string;
  state: S;
  /** Number of events in the stream after the command (0 = the stream does not exist). */
  version: number;
  /** The events this command appended (for a duplicate: the ones the original appended). */
  events: RecordedEvent[];
  /** True when the idempotency key had already been handled: nothing new was appended. */
  duplicate: boolean;
}
