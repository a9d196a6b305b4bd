import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from '../../errors';
import type { EventStore, ExpectedRevision, NewEvent, ReadAllFilter, RecordedEvent } from '../../event-store';

export interface ConformanceContext {
  canReopen: boolean;
  /** A fresh store from the factory, closed after the test. */
  open(): Promise<EventStore>;
  /** The factory's reopen; the reopened store is closed after the test too. */
  reopen(store: EventStore): Promise<EventStore>;
  /** A stream-id prefix that no other test uses. */
  prefix(label: string): string;
}

export function newEvents(count: number, type = 'ThingHappened', data: (i: number) => unknown = (i) => ({ i })): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({ type, data: data(i) }));
}

export function withIds(events: NewEvent[]): NewEvent[] {
  return events.map((event) => ({ ...event, id: randomUUID() }));
}

/** Reads the whole global log after `after` that matches `filter`, page by page. */
export async function readAllMatching(
  store: EventStore,
  filter: ReadAllFilter & { after?: number; pageSize?: number },
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = filter.after ?? 0;
  for (;;) {
    const page = await store.readAll({ ...filter, after, maxCount: filter.pageSize ?? 1000 });
    events.push(...page.events);
    if (page.isEnd) return events;
    after = page.nextAfter;
  }
}

export async function expectWrongExpectedVersion(
  attempt: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect(error).toMatchObject({ code: 'wrong_expected_version', streamId, expected, actual });
}

export function expectStrictlyIncreasing(values: readonly number[]): void {
  const offenders = values.filter((value, i) => i > 0 && value <= values[i - 1]);
  expect(offenders).toEqual([]);
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets a few turns of the event loop pass (anything that would still arrive, arrives). */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
