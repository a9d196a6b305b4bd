/** Reading the envelope and the entity events the same way in every projection. */
import { entityEventType, factOf, type EntityEventData, type EntityFact } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';

/** The fact an event states about an entity of `lifecycle` (`IssueTransitioned` → Transitioned for 'issue'). */
export function factFor(lifecycle: string, event: RecordedEvent): EntityFact | undefined {
  const fact = factOf(event.type);
  return fact && event.type === entityEventType(lifecycle, fact) ? fact : undefined;
}

/** Every event type of `lifecycle`'s entities, for a projection's `eventTypes`. */
export function entityEventTypes(lifecycle: string, facts: readonly EntityFact[]): string[] {
  return facts.map((fact) => entityEventType(lifecycle, fact));
}

export function dataOf<F extends EntityFact>(_fact: F, event: RecordedEvent): EntityEventData[F] {
  return event.data as EntityEventData[F];
}

/** The entity id of an event of `lifecycle`'s stream `<lifecycle>-<id>` (DESIGN.md, Event model). */
export function entityIdFor(lifecycle: string, event: RecordedEvent): string | undefined {
  const prefix = `${lifecycle}-`;
  return event.streamId.startsWith(prefix) && event.streamId.length > prefix.length ? event.streamId.slice(prefix.length) : undefined;
}

/** When the change happened (the command's time), falling back to nothing rather than now. */
export function occurredAt(event: RecordedEvent): string {
  return typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : '';
}

/** The UTC day of an ISO timestamp: burndown series are per calendar day in UTC. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}
