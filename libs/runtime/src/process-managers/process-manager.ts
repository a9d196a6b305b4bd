/**
 * A process manager reacts to events with commands to other streams. The decision of what to
 * send is pure (event in, commands out); a durable subscriber delivers the events at least once,
 * so each command carries an idempotency key derived from the event it reacts to, and names the
 * rejections that mean "already done or no longer applicable" rather than a failure to retry.
 */
import type { CommandContext, EntityCommand, ErrorCode } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';

type WithoutContext<C> = C extends unknown ? Omit<C, keyof CommandContext> : never;

/** An entity command as a process manager decides it; who and when come from the event. */
export type EntityCommandData = WithoutContext<EntityCommand>;

export interface Reaction {
  streamId: string;
  command: EntityCommandData;
  idempotencyKey: string;
  /** Rejections that end the reaction quietly. */
  tolerate: readonly ErrorCode[];
}

export interface ProcessManager {
  /** Also the name of its checkpoint. */
  name: string;
  eventTypes: readonly string[];
  react(event: RecordedEvent): Reaction[];
}

/** The key for the one command a process manager sends to one stream for one event. */
export const reactionKey = (processManager: string, event: RecordedEvent): string => `${processManager}:${event.id}`;
