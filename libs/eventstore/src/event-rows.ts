/**
 * The row shape the SQL adapters (sqlite, postgres) store events in, and its mapping back to a
 * RecordedEvent. Both keep data and metadata as the JSON text that was hashed, so a read returns
 * exactly what the chain covers.
 */
import type { EventMetadata, RecordedEvent } from './event-store';

/** The columns every read selects, in the shape toRecordedEvent expects. */
export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata';

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

// Read once: global lookups are slow inside jest's vm sandbox (see canonical-json.ts).
const parse = JSON.parse;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: parse(row.data) as unknown,
    metadata: parse(row.metadata) as EventMetadata,
  };
}
