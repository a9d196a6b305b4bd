/**
 * Pages of the global log ($all without the server's own events). KurrentDB filters on the server
 * by stream name OR by event type, not both, and its prefix and regex matching are not quite the
 * port's literal, case-sensitive rules; so the server narrows (prefix by stream name when given,
 * otherwise an exact-type regex) and every event is checked here once more.
 *
 * A page that ends short of what was asked for may still not be the end (the check here dropped
 * some events), so a page says how far the server actually read. The head is read BEFORE the
 * page: every event at or below it was already visible, so a page that reached the end of the
 * log examined everything up to it.
 */
import { BACKWARDS, END, eventTypeFilter, excludeSystemEvents, FORWARDS, streamNameFilter, type Filter, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ReadAllFilter, ReadAllOptions, ReadAllPage, RecordedEvent } from '../event-store';
import { maxCountOf, readAllPage } from '../read-rules';
import { collect, isSystemEvent, positionOf, readPositionAt, toRecordedEvent } from './events';

export type ReadAllOperation = (options?: ReadAllOptions) => Promise<ReadAllPage>;
export type HeadPositionOperation = () => Promise<number>;

export function prepareHeadPosition(client: KurrentDBClient): HeadPositionOperation {
  return async () => {
    const [last] = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() }));
    return last ? toRecordedEvent(last).position : 0;
  };
}

export function prepareReadAll(client: KurrentDBClient, headPosition: HeadPositionOperation): ReadAllOperation {
  return async (options = {}) => {
    const after = options.after ?? 0;
    const limit = maxCountOf(options.maxCount);
    const head = await headPosition();
    if (limit === 0) return readAllPage([], after, 0, head);
    if (options.eventTypes?.length === 0) return readAllPage([], after, undefined, head);

    // The read starts AT `after` (an event's own position), so that event comes first and is dropped.
    const wanted = limit === undefined ? undefined : limit + 1;
    const read = await collect(client.readAll({ direction: FORWARDS, fromPosition: readPositionAt(after), maxCount: wanted, filter: serverFilter(options) }));
    const lastExamined = read.length > 0 ? Math.max(after, positionOf(read[read.length - 1])) : after;
    const events = read.filter((resolved) => !isSystemEvent(resolved)).map(toRecordedEvent);
    const isMatch = matches(options);
    const matching = events.filter((event) => event.position > after && isMatch(event)).slice(0, limit);

    if (limit !== undefined && matching.length === limit) return readAllPage(matching, after, limit, Math.max(head, lastExamined));
    const serverReachedEnd = wanted === undefined || read.length < wanted;
    if (serverReachedEnd) return readAllPage(matching, after, undefined, Math.max(head, lastExamined));
    return { events: matching, nextAfter: lastExamined, isEnd: lastExamined >= head };
  };
}

function serverFilter({ eventTypes, streamPrefix }: ReadAllFilter): Filter {
  if (streamPrefix !== undefined) return streamNameFilter({ prefixes: [streamPrefix] });
  if (eventTypes !== undefined) return eventTypeFilter({ regex: `^(?:${eventTypes.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

function matches({ eventTypes, streamPrefix }: ReadAllFilter): (event: RecordedEvent) => boolean {
  const types = eventTypes === undefined ? undefined : new Set(eventTypes);
  return (event) => (types === undefined || types.has(event.type)) && (streamPrefix === undefined || event.streamId.startsWith(streamPrefix));
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|#\s-]/g, (character) => `\\${character}`);
}
