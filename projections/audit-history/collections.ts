/** The audit trail: one entry per event of the log, indexed for the filters of GET /audit. */
import { defineCollection, type ReadDocument } from '@trellis/readstore';

export const AUDIT_HISTORY = 'audit-history';

export interface AuditEntry extends ReadDocument {
  /** The position, zero-padded to 16 digits, so ids sort in log order (the tie-break of every sort). */
  id: string;
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  /** What the stream is about: project, sprint, issue, execution, lifecycle, workflow, token, or a registered lifecycle. */
  entityType: string;
  /** The id of that entity (the stream id without its `<entityType>-` prefix). */
  entity: string;
  type: string;
  actor: string;
  occurredAt: string;
  summary: string;
  correlationId: string;
  causationId: string | null;
}

export const auditEntries = defineCollection<AuditEntry>({
  projection: AUDIT_HISTORY,
  name: 'entries',
  // Only what GET /audit filters and sorts by: every index is paid for on each of the log's events.
  indexes: ['occurredAt', 'entity', 'actor', 'type'],
});

export const auditEntryId = (position: number): string => String(position).padStart(16, '0');
