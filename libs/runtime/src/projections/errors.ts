/** A projection failed on an event: the runner stops there and shows this, never skips the event. */
import type { RecordedEvent } from '@trellis/eventstore';

export interface FailedEvent {
  position: number;
  id: string;
  type: string;
  streamId: string;
}

export class ProjectionApplyError extends Error {
  readonly event: FailedEvent;

  constructor(
    readonly projection: string,
    event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`projection ${projection} failed on event ${event.position} (${event.type} in ${event.streamId}): ${reason}`);
    this.name = 'ProjectionApplyError';
    this.event = { position: event.position, id: event.id, type: event.type, streamId: event.streamId };
  }
}
