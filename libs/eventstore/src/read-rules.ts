/**
 * The rules of reading that do not depend on the backend, written once so that every adapter
 * validates the same options and ends a page of the global log the same way.
 */
import type { ReadAllPage, RecordedEvent } from './event-store';

/** The validated maxCount, or undefined for "no limit". */
export function maxCountOf(maxCount: number | undefined): number | undefined {
  if (maxCount === undefined) return undefined;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new TypeError(`invalid maxCount: ${maxCount}`);
  return maxCount;
}

/**
 * Shapes a page of readAll. `head` must be the last committed position as seen by the same read
 * (the same snapshot): a page shorter than asked for examined everything up to it, so the reader
 * may continue after it — with a head read later, the events committed in between would be
 * skipped by a filtered reader.
 */
export function readAllPage(events: RecordedEvent[], after: number, limit: number | undefined, head: number): ReadAllPage {
  if (limit === undefined || events.length < limit) return { events, nextAfter: Math.max(after, head), isEnd: true };
  const last = events.length > 0 ? events[events.length - 1].position : after;
  return { events, nextAfter: last, isEnd: last >= head };
}
