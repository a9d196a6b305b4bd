/**
 * One append on KurrentDB. The hash chain needs the stream's last event, so the append reads it,
 * checks the caller's expectedRevision against it, stamps the batch after it, and sends the batch
 * with THAT revision as the expected state. The server's WrongExpectedVersion therefore only ever
 * means "the head moved after it was read": the append decides again from the new head, and a
 * caller whose expectation no longer holds gets the port's WrongExpectedVersionError carrying the
 * revision it was checked against.
 *
 * Retries: KurrentDB keeps no index of event ids, so a retry is recognised where it must be.
 * With an exact expectedRevision N (or 'no_stream', N = -1), the first attempt wrote at N+1: the
 * event there is read and compared — exact, whatever happened to the stream since. With 'any' or
 * 'stream_exists' the first id is looked for among the stream's last RETRY_WINDOW events; an
 * older retry is not recognised (the server itself promises no more for 'any'). Command handlers
 * append with exact revisions. An id already used in ANOTHER stream is not detected either.
 *
 * After the write, the events are read back: that gives each one its $all position, and shows
 * whether the server wrote them or acknowledged a concurrent retry's events instead (their
 * hashes then differ from the ones stamped here).
 */
import {
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  NO_STREAM,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { checkExpectedRevision, duplicateResult } from '../append-rules';
import { StoreUnavailableError } from '../errors';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store';
import { stampEvents } from '../hash-chain';
import type { AcknowledgementOrder } from './acknowledgements';
import { collect, isErrorOfType, toEventData, toRecordedEvent, translateError } from './events';

export interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export type AppendOperation = (request: AppendRequest) => Promise<AppendResult>;

const RETRY_WINDOW = 100;
/** Rounds of "read the head, write after it" before a stream that keeps moving is given up on. */
const MAX_ROUNDS = 10;

export function prepareAppend(client: KurrentDBClient, order: AcknowledgementOrder): AppendOperation {
  const readBackwards = async (streamId: string, maxCount: number) =>
    (await collect(client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount }))).map(toRecordedEvent);
  const readForwards = async (streamId: string, from: number, maxCount: number) =>
    (await collect(client.readStream(streamId, { direction: FORWARDS, fromRevision: BigInt(from), maxCount }))).map(toRecordedEvent);

  /** The original events if `request` repeats an append that is already stored. */
  const findOriginal = async (request: AppendRequest, tail: RecordedEvent[]): Promise<AppendResult | undefined> => {
    const { streamId, events, expectedRevision } = request;
    const firstId = events[0]?.id;
    const head = tail[0];
    if (firstId === undefined || head === undefined) return undefined;
    let from: number | undefined;
    if (expectedRevision === 'no_stream' || typeof expectedRevision === 'number') {
      const expected = expectedRevision === 'no_stream' ? -1 : expectedRevision;
      if (head.revision > expected) from = expected + 1;
    } else {
      from = tail.find((event) => event.id === firstId)?.revision;
    }
    if (from === undefined) return undefined;
    const stored = await readForwards(streamId, from, events.length);
    return stored[0]?.id === firstId ? duplicateResult(streamId, events, stored) : undefined;
  };

  const appendOnce = async (request: AppendRequest): Promise<AppendResult | 'head_moved'> => {
    const { streamId, events, expectedRevision } = request;
    const lookingForRetry = events[0]?.id !== undefined && (expectedRevision === 'any' || expectedRevision === 'stream_exists');
    const tail = await readBackwards(streamId, lookingForRetry ? RETRY_WINDOW : 1);
    const original = await findOriginal(request, tail);
    if (original) return original;

    const head = tail[0];
    checkExpectedRevision(streamId, expectedRevision, head ? head.revision : 'no_stream');
    if (events.length === 0) return { streamId, revision: head ? head.revision : -1, events: [], duplicate: false };

    const stamped = stampEvents(streamId, head && { revision: head.revision, hash: head.metadata.hash }, events);
    const ticket = order.begin();
    let stored: RecordedEvent[];
    try {
      await client.appendToStream(streamId, stamped.map(toEventData), { streamState: head ? BigInt(head.revision) : NO_STREAM });
      stored = await readForwards(streamId, stamped[0].event.revision, stamped.length);
    } catch (error) {
      order.failed(ticket);
      if (isErrorOfType(error, ErrorType.WRONG_EXPECTED_VERSION)) return 'head_moved';
      throw translateError(error);
    }
    const ours = stored.length === stamped.length && stored.every((event, i) => event.metadata.hash === stamped[i].event.metadata.hash);
    if (!ours) {
      order.failed(ticket);
      const ids = new Set(stamped.map(({ event }) => event.id));
      if (!stored.some((event) => ids.has(event.id))) throw new StoreUnavailableError(`appended events of stream ${streamId} could not be read back`);
      return duplicateResult(streamId, events, stored);
    }
    await order.committed(ticket, stored[stored.length - 1].position);
    return { streamId, revision: stored[stored.length - 1].revision, events: stored, duplicate: false };
  };

  return async (request) => {
    for (let round = 1; ; round += 1) {
      const outcome = await appendOnce(request);
      if (outcome !== 'head_moved') return outcome;
      if (round === MAX_ROUNDS) {
        throw new StoreUnavailableError(`stream ${request.streamId} kept moving during ${MAX_ROUNDS} attempts to append to it`);
      }
    }
  };
}
