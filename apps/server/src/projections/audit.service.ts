/** The audit endpoints' work that is not a plain query: the streamed export and the hash-chain check. */
import { Injectable } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import { EventStore } from '@trellis/eventstore';
import { AuditQueries, exportStream, type AuditExportFormat, type AuditFilter } from '@trellis/projections';
import { verifyLog } from '@trellis/runtime';
import type { Readable } from 'node:stream';

export interface AuditVerification {
  ok: boolean;
  /** The stream checked, or null for the whole log. */
  stream: string | null;
  events: number;
  streams: number;
  /** The first event whose chain does not hold: where the log was altered. */
  brokenAt: { streamId: string; revision: number; position: number; reason: string; eventId: string | null; type: string | null } | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly queries: AuditQueries,
    private readonly store: EventStore,
  ) {}

  export(filter: AuditFilter, format: AuditExportFormat): Readable {
    return exportStream(this.queries.entries(filter), format);
  }

  async verify(stream?: string): Promise<AuditVerification> {
    if (stream !== undefined && (await this.store.readStream(stream, { maxCount: 1 })).length === 0) {
      throw new DomainError('not_found', `no stream ${stream}`, { stream });
    }
    const result = await verifyLog(this.store, { streamId: stream });
    if (result.ok) return { ok: true, stream: stream ?? null, events: result.events, streams: result.streams, brokenAt: null };
    const { streamId, revision, position, reason } = result.brokenAt;
    const [event] = await this.store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return {
      ok: false,
      stream: stream ?? null,
      events: result.events,
      streams: result.streams,
      brokenAt: { streamId, revision, position, reason, eventId: event?.id ?? null, type: event?.type ?? null },
    };
  }
}
