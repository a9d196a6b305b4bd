import type { EventMetadata, RecordedEvent } from '../event-store';

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

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
