/**
 * The audit trail: every event of every stream (entities, executions, definitions, tokens) as one
 * entry with who, when, what type, a one-line summary of the change and its correlation. Entries
 * are written blind (no reads), so this projection costs one insert per event.
 */
import { factOf } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';
import { upsertOp } from '@trellis/readstore';
import type { Projection } from '@trellis/runtime/projections';
import { occurredAt } from '../common/events';
import { auditEntries, auditEntryId, AUDIT_HISTORY, type AuditEntry } from './collections';
import { summarize } from './summary';

export function auditHistoryProjection(): Projection {
  return {
    name: AUDIT_HISTORY,
    collections: [auditEntries],
    apply(event) {
      const { entityType, entity } = entityOf(event);
      const metadata = event.metadata;
      const entry: AuditEntry = {
        id: auditEntryId(event.position),
        position: event.position,
        eventId: event.id,
        streamId: event.streamId,
        revision: event.revision,
        entityType,
        entity,
        type: event.type,
        actor: typeof metadata.actor === 'string' ? metadata.actor : 'system',
        occurredAt: occurredAt(event),
        summary: summarize(event),
        correlationId: typeof metadata.correlationId === 'string' ? metadata.correlationId : event.id,
        causationId: typeof metadata.causationId === 'string' ? metadata.causationId : null,
      };
      return [upsertOp(auditEntries, entry)];
    },
  };
}

/**
 * Which entity a stream is about. Stream ids are `<kind>-<id>` where the kind may itself hold
 * hyphens (`pull-request-<id>`): an entity event names its lifecycle in its type
 * (`PullRequestTransitioned`), which tells how long the kind is; other streams have one-word kinds.
 */
export function entityOf(event: Pick<RecordedEvent, 'type' | 'streamId'>): { entityType: string; entity: string } {
  const fact = factOf(event.type);
  if (fact) {
    const kind = kindOf(event.type, fact);
    if (event.streamId.startsWith(`${kind}-`)) return { entityType: kind, entity: event.streamId.slice(kind.length + 1) };
  }
  const dash = event.streamId.indexOf('-');
  return dash < 0 ? { entityType: event.streamId, entity: '' } : { entityType: event.streamId.slice(0, dash), entity: event.streamId.slice(dash + 1) };
}

const kinds = new Map<string, string>();

/** `PullRequestTransitioned` → `pull-request`, remembered per type (there are few). */
function kindOf(type: string, fact: string): string {
  let kind = kinds.get(type);
  if (kind === undefined) {
    kind = type.slice(0, type.length - fact.length).replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
    kinds.set(type, kind);
  }
  return kind;
}
