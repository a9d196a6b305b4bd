/**
 * Translation between the port's events and the KurrentDB client's. Positions are $all commit
 * positions: for events appended without an explicit transaction (everything this adapter writes)
 * each event has its own, equal to its prepare position, so a number identifies a point of the
 * log and { commit: n, prepare: n } starts a read exactly there.
 */
import {
  ErrorType,
  jsonEvent,
  START,
  type AllStreamResolvedEvent,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { StoreUnavailableError } from '../errors';
import type { EventMetadata, RecordedEvent } from '../event-store';
import type { StampedEvent } from '../hash-chain';

export function toEventData({ event }: StampedEvent): EventData {
  // The client serialises data and metadata with JSON.stringify; the hash is over their canonical
  // JSON, which survives that round trip unchanged (see canonical-json.ts).
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata as JSONType });
}

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const { event } = resolved;
  if (!event) throw new Error('a resolved event without its event (an unresolved link) is not part of the log');
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(resolved),
    data: event.data as unknown,
    metadata: event.metadata as EventMetadata,
  };
}

export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): number {
  // Stream reads carry the $all position from KurrentDB 22.6 on; $all reads always do.
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new StoreUnavailableError(`event ${resolved.event?.id} came without its $all position: KurrentDB 22.6 or later is required`);
  }
  return Number(commit);
}

export function readPositionAt(position: number): ReadPosition {
  if (position <= 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at } satisfies Position;
}

/** Reads an iterator to the end; a stream that does not exist reads as empty. */
export async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  try {
    for await (const item of read) items.push(item);
  } catch (error) {
    if (isErrorOfType(error, ErrorType.STREAM_NOT_FOUND)) return [];
    throw translateError(error);
  }
  return items;
}

export function isErrorOfType(error: unknown, type: ErrorType): boolean {
  return (error as { type?: unknown })?.type === type;
}

/** Connection-level failures become StoreUnavailableError; everything else passes unchanged. */
export function translateError(error: unknown): unknown {
  const unavailable = [ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.CANCELLED, ErrorType.NOT_LEADER];
  if (unavailable.some((type) => isErrorOfType(error, type))) {
    return new StoreUnavailableError(`KurrentDB: ${(error as Error).message}`);
  }
  return error;
}

/** Events whose type starts with '$' are the server's own bookkeeping, not part of the log. */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  return resolved.event === undefined || resolved.event.type.startsWith('$');
}
