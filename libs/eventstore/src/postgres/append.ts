/**
 * A group of appends, run inside one transaction that already holds the append lock (see
 * write-queue.ts). Round trips, not rows, are what a PostgreSQL commit pays for, so the group
 * reads everything it needs in one statement (the log head, the heads of its streams, which of
 * its event ids are already stored), decides every append in order in memory — each keeping its
 * own expectedRevision check and its own outcome — and writes all the events and stream heads of
 * the group with one multi-row INSERT.
 */
import type { PoolClient } from 'pg';
import { assertRetryOfSameStream, checkExpectedRevision, duplicateResult } from '../append-rules';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-rows';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store';
import type { AppendOutcome } from '../group-commit';
import { stampEvents, type StampedEvent, type StreamHead } from '../hash-chain';
import type { PostgresLayout } from './schema';

export interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface DecidedGroup {
  /** One per request, in order; they stand once `written` has been committed. */
  outcomes: AppendOutcome[];
  /**
   * The group's write, sent but not awaited: the caller pipelines COMMIT right behind it and
   * awaits both. Undefined when the group writes nothing.
   */
  written: Promise<unknown> | undefined;
}

/** Reads the group's state, decides every append in order and sends the group's write. */
export type AppendGroupOperation = (client: PoolClient, requests: readonly AppendRequest[]) => Promise<DecidedGroup>;

interface StoredId {
  streamId: string;
  revision: number;
  /** Written by an earlier append of this group rather than before it. */
  inGroup: boolean;
}

/** What the group knows while deciding: the database's state, then its own earlier appends. */
interface GroupState {
  position: number;
  heads: Map<string, StreamHead>;
  ids: Map<string, StoredId>;
  /** Events written by earlier appends of this group, per stream, in revision order. */
  written: Map<string, RecordedEvent[]>;
  rows: StampedEvent[];
}

/** A retry of an append committed before this group: its original events are read from the table. */
interface StoredRetry {
  retryOf: StoredId;
}

type Decision = AppendOutcome | StoredRetry;

export function prepareAppendGroup(layout: PostgresLayout): AppendGroupOperation {
  const { events: eventsTable, streams: streamsTable } = layout;
  const readState = `
    SELECT (SELECT COALESCE(MAX(position), 0) FROM ${eventsTable}) AS position,
           (SELECT COALESCE(json_agg(json_build_array(stream_id, revision, hash)), '[]')
              FROM ${streamsTable} WHERE stream_id = ANY($1::text[])) AS heads,
           (SELECT COALESCE(json_agg(json_build_array(id, stream_id, revision)), '[]')
              FROM ${eventsTable} WHERE id = ANY($2::text[])) AS ids`;
  const readFrom = `SELECT ${EVENT_COLUMNS} FROM ${eventsTable} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;
  // unnest turns one array per column into rows, so the statement has the same 12 parameters for
  // one event or ten thousand. The NOTIFY is queued by the same statement and sent at COMMIT.
  const write = `
    WITH appended AS (
      INSERT INTO ${eventsTable} (position, id, stream_id, revision, type, data, metadata)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])
    ), heads AS (
      INSERT INTO ${streamsTable} (stream_id, revision, hash)
      SELECT * FROM unnest($8::text[], $9::bigint[], $10::text[])
      ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash
    )
    SELECT pg_notify($11, $12)`;

  return async (client, requests) => {
    const streamIds = [...new Set(requests.map((request) => request.streamId))];
    const eventIds = requests.flatMap((request) => request.events.flatMap((event) => (event.id === undefined ? [] : [event.id])));
    const { rows } = await client.query<StateRow>(readState, [streamIds, eventIds]);
    const state: GroupState = {
      position: rows[0].position,
      heads: new Map(rows[0].heads.map(([streamId, revision, hash]) => [streamId, { revision, hash }])),
      ids: new Map(rows[0].ids.map(([id, streamId, revision]) => [id, { streamId, revision, inGroup: false }])),
      written: new Map(),
      rows: [],
    };

    const decisions = requests.map((request): Decision => {
      try {
        return decide(request, state);
      } catch (error) {
        return { ok: false, error };
      }
    });
    const outcomes: AppendOutcome[] = [];
    for (const [index, decision] of decisions.entries()) {
      if ('ok' in decision) {
        outcomes.push(decision);
        continue;
      }
      const { streamId, events } = requests[index];
      const stored = await client.query<EventRow>(readFrom, [streamId, decision.retryOf.revision, events.length]);
      outcomes.push({ ok: true, result: duplicateResult(streamId, events, stored.rows.map(toRecordedEvent)) });
    }

    if (state.rows.length === 0) return { outcomes, written: undefined };
    const written = client.query(write, [...columnsOf(state), layout.channel, String(state.position)]);
    // Observed at once so that a failure is never an unhandled rejection; the caller awaits it.
    written.catch(() => undefined);
    return { outcomes, written };
  };
}

interface StateRow {
  position: number;
  heads: [streamId: string, revision: number, hash: string][];
  ids: [id: string, streamId: string, revision: number][];
}

/** Decides one append against the state so far and, if it writes, adds its events to the state. */
function decide(request: AppendRequest, state: GroupState): Decision {
  const { streamId, events, expectedRevision } = request;
  const firstId = events[0]?.id;
  const stored = firstId === undefined ? undefined : state.ids.get(firstId);
  if (stored) {
    assertRetryOfSameStream(streamId, firstId!, stored.streamId);
    if (!stored.inGroup) return { retryOf: stored };
    const written = state.written.get(streamId)!;
    const from = written.findIndex((event) => event.revision === stored.revision);
    return { ok: true, result: duplicateResult(streamId, events, written.slice(from, from + events.length)) };
  }

  const head = state.heads.get(streamId);
  checkExpectedRevision(streamId, expectedRevision, head ? head.revision : 'no_stream');
  if (events.length === 0) return { ok: true, result: { streamId, revision: head ? head.revision : -1, events: [], duplicate: false } };
  for (const { id } of events) {
    const owner = id === undefined ? undefined : state.ids.get(id);
    // Only the first id marks a retry; a later id that is already stored is the caller's bug.
    if (owner) throw new Error(`event id ${id} is already stored in stream ${owner.streamId}, not ${streamId}`);
  }

  const stamped = stampEvents(streamId, head, events);
  let written = state.written.get(streamId);
  if (!written) state.written.set(streamId, (written = []));
  const recorded = stamped.map(({ event }): RecordedEvent => {
    state.position += 1;
    const result = { ...event, position: state.position };
    state.ids.set(event.id, { streamId, revision: event.revision, inGroup: true });
    written!.push(result);
    return result;
  });
  state.rows.push(...stamped);
  const last = recorded[recorded.length - 1];
  state.heads.set(streamId, { revision: last.revision, hash: last.metadata.hash });
  return { ok: true, result: { streamId, revision: last.revision, events: recorded, duplicate: false } };
}

/** The group's rows as one array per column (positions follow the order they were decided in). */
function columnsOf(state: GroupState): unknown[] {
  const firstPosition = state.position - state.rows.length + 1;
  const positions = state.rows.map((_, index) => firstPosition + index);
  const heads = [...state.written.keys()].map((streamId) => [streamId, state.heads.get(streamId)!] as const);
  return [
    positions,
    state.rows.map((row) => row.event.id),
    state.rows.map((row) => row.event.streamId),
    state.rows.map((row) => row.event.revision),
    state.rows.map((row) => row.event.type),
    state.rows.map((row) => row.dataJson),
    state.rows.map((row) => row.metadataJson),
    heads.map(([streamId]) => streamId),
    heads.map(([, head]) => head.revision),
    heads.map(([, head]) => head.hash),
  ];
}
