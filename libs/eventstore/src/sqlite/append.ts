/**
 * One append, run inside the group-commit transaction (see write-queue.ts). The stream's head is
 * read from the streams table rather than from a cache: inside the transaction this sees the
 * appends committed before it and those earlier in the same group, and a rolled-back savepoint
 * takes its head change with it, so there is nothing to keep in sync. It is one primary-key
 * lookup, microseconds against the fsync the group pays.
 */
import type Database from 'better-sqlite3';
import { assertRetryOfSameStream, checkExpectedRevision, duplicateResult } from '../append-rules';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store';
import { stampEvents, type StreamHead } from '../hash-chain';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';

export interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** An event as written: its envelope and the JSON text stored for its data and metadata. */
export interface StoredEvent {
  event: Omit<RecordedEvent, 'data' | 'metadata'>;
  dataJson: string;
  metadataJson: string;
}

/** The append's result, and the rows it wrote (none for a duplicate or an empty append). */
export type AppendOperation = (request: AppendRequest) => { result: AppendResult; stored: StoredEvent[] };

export function prepareAppend(db: Database.Database): AppendOperation {
  const findEvent = db.prepare<[string], { stream_id: string; revision: number }>(
    'SELECT stream_id, revision FROM events WHERE id = ?',
  );
  const readFrom = db.prepare<[string, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
  );
  const readHead = db.prepare<[string], StreamHead>('SELECT revision, hash FROM streams WHERE stream_id = ?');
  const insertEvent = db.prepare<[string, string, number, string, string, string]>(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const saveHead = db.prepare<[string, number, string]>(
    `INSERT INTO streams (stream_id, revision, hash) VALUES (?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash`,
  );

  return (request) => {
    const { streamId, events, expectedRevision } = request;
    // A retry is recognised before the revision check (see duplicateResult).
    const firstId = events[0]?.id;
    if (firstId !== undefined) {
      const stored = findEvent.get(firstId);
      if (stored) {
        assertRetryOfSameStream(streamId, firstId, stored.stream_id);
        return { result: duplicateResult(streamId, events, readFrom.all(streamId, stored.revision, events.length).map(toRecordedEvent)), stored: [] };
      }
    }

    const head = readHead.get(streamId);
    checkExpectedRevision(streamId, expectedRevision, head ? head.revision : 'no_stream');
    if (events.length === 0) return { result: { streamId, revision: head ? head.revision : -1, events: [], duplicate: false }, stored: [] };

    const stored: StoredEvent[] = [];
    const recorded: RecordedEvent[] = stampEvents(streamId, head, events).map(({ event, dataJson, metadataJson }) => {
      const { lastInsertRowid } = insertEvent.run(event.id, streamId, event.revision, event.type, dataJson, metadataJson);
      const { id, type, revision, data, metadata } = event;
      const position = Number(lastInsertRowid);
      stored.push({ event: { id, type, streamId, revision, position }, dataJson, metadataJson });
      return { id, type, streamId, revision, position, data, metadata };
    });
    const last = recorded[recorded.length - 1];
    saveHead.run(streamId, last.revision, last.metadata.hash);
    return { result: { streamId, revision: last.revision, events: recorded, duplicate: false }, stored };
  };
}
