/**
 * "The state of an entity as of time T / revision N" (DESIGN.md, Read side) is a fold of its
 * stream's prefix; the caller reads the stream, this cuts and folds it.
 */
import type { Decider, DomainEvent } from './decider';

export type PointInStream = { revision: number } | { at: string };

/** An event as read from a stream: its revision and `occurredAt` (missing: counted from 0 / always included). */
export type StreamEvent<E extends DomainEvent> = E & { revision?: number; metadata?: { occurredAt?: string } };

export function stateAt<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: ReadonlyArray<StreamEvent<E>>, point: PointInStream): S {
  let state = decider.initialState();
  for (const [index, event] of events.entries()) {
    if ('revision' in point && (event.revision ?? index) > point.revision) break;
    // ISO-8601 UTC times order as text; compare as instants to survive other offsets.
    if ('at' in point && event.metadata?.occurredAt && Date.parse(event.metadata.occurredAt) > Date.parse(point.at)) break;
    state = decider.evolve(state, event);
  }
  return state;
}
