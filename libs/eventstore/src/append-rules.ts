/**
 * The rules of append that do not depend on the backend, written once so that every adapter
 * rejects the same input and reports the same conflicts.
 */
import { WrongExpectedVersionError } from './errors';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from './event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Throws a TypeError for input no adapter may accept. Ids must be uuids because KurrentDB only
 * stores uuids: an id that the embedded store accepted would fail later on a server backend.
 */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  if (
    expected !== 'any' &&
    expected !== 'no_stream' &&
    expected !== 'stream_exists' &&
    !(Number.isSafeInteger(expected) && expected >= 0)
  ) {
    throw new TypeError(`invalid expectedRevision: ${String(expected)}`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event?.type !== 'string' || event.type.length === 0) throw new TypeError('event type must be a non-empty string');
    if (event.id !== undefined) {
      if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new TypeError(`event id must be a uuid: ${String(event.id)}`);
      if (ids.has(event.id)) throw new TypeError(`event id appears twice in one append: ${event.id}`);
      ids.add(event.id);
    }
  }
}

/** Throws WrongExpectedVersionError unless `actual` (the stream's last revision) satisfies `expected`. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, actual: number | 'no_stream'): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'stream_exists' && actual !== 'no_stream') ||
    expected === actual;
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}

/**
 * A retry is recognised by its first event id, before the revision check (the first attempt
 * already moved the stream on, so the retry's expectedRevision is stale by design). Ids are
 * global: the same id in another stream is a caller's bug, not a retry.
 */
export function assertRetryOfSameStream(streamId: string, eventId: string, storedStreamId: string): void {
  if (storedStreamId !== streamId) {
    throw new Error(`event id ${eventId} is already stored in stream ${storedStreamId}, not ${streamId}`);
  }
}

/**
 * What a retry returns: the stored events that carry its ids, given the stream's events read
 * forwards from the stored revision of its first id (as many as the retry has events).
 */
export function duplicateResult(streamId: string, events: readonly NewEvent[], stored: readonly RecordedEvent[]): AppendResult {
  const ids = new Set(events.map((event) => event.id));
  const originals = stored.filter((event) => ids.has(event.id));
  return { streamId, revision: originals[originals.length - 1].revision, events: originals, duplicate: true };
}
