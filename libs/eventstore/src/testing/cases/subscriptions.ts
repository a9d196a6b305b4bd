import type { RecordedEvent } from '../../event-store';
import { expectStrictlyIncreasing, newEvents, readAllMatching, settle, waitFor, type ConformanceContext } from './support';

export function subscriptionCases(t: ConformanceContext): void {
  it('catches up from a checkpoint in the middle, then follows live appends', async () => {
    const store = await t.open();
    const p = t.prefix('checkpoint');
    const start = await store.headPosition();
    await store.append(`${p}a`, newEvents(10, 'Early', (i) => ({ i })));
    await store.append(`${p}b`, newEvents(10, 'Early', (i) => ({ i: i + 10 })));
    const log = await readAllMatching(store, { after: start, streamPrefix: p });
    const received: RecordedEvent[] = [];

    const subscription = store.subscribe((event) => void received.push(event), { after: log[9].position, streamPrefix: p, batchSize: 3 });
    await subscription.caughtUp;
    const caughtUp = received.map((e) => e.data);
    await store.append(`${p}a`, newEvents(5, 'Live', (i) => ({ i: i + 20 })));
    await waitFor(() => received.length === 15, '15 events');
    await subscription.stop();
    await store.append(`${p}a`, newEvents(1, 'AfterStop'));
    await settle();

    expect(caughtUp).toEqual(Array.from({ length: 10 }, (_, i) => ({ i: i + 10 })));
    expect(received.map((e) => e.data)).toEqual(Array.from({ length: 15 }, (_, i) => ({ i: i + 10 })));
    expectStrictlyIncreasing(received.map((e) => e.position));
    expect(subscription.position).toBe(received[14].position);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('hands off from catch-up to live under concurrent appends without loss or duplicates (10k events)', async () => {
    const store = await t.open();
    const p = t.prefix('handoff');
    const start = await store.headPosition();
    const writers = 4;
    const appendsPerWriter = 500;
    const batch = 5;
    const total = writers * appendsPerWriter * batch;
    const acknowledged: string[] = [];
    const fromStart: RecordedEvent[] = [];
    const midway: RecordedEvent[] = [];

    // One subscriber is live from the start; the other starts from the same checkpoint once a
    // fifth of the events are in, so it catches up while the writers keep appending.
    const early = store.subscribe((event) => void fromStart.push(event), { after: start, streamPrefix: p, batchSize: 256 });
    let late: ReturnType<typeof store.subscribe> | undefined;
    const writer = async (w: number) => {
      for (let i = 0; i < appendsPerWriter; i += 1) {
        const result = await store.append(`${p}${w}-${i % 7}`, newEvents(batch, 'Handed', (k) => ({ w, i, k })));
        acknowledged.push(...result.events.map((e) => e.id));
        if (!late && acknowledged.length >= total / 5) {
          late = store.subscribe((event) => void midway.push(event), { after: start, streamPrefix: p, batchSize: 128 });
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
    await waitFor(() => fromStart.length >= total && midway.length >= total, 'both subscriptions to receive every event');
    await settle();
    await Promise.all([early.stop(), late!.stop()]);

    const expected = [...acknowledged].sort();
    for (const received of [fromStart, midway]) {
      expect(received).toHaveLength(total);
      expectStrictlyIncreasing(received.map((e) => e.position));
      expect(received.map((e) => e.id).sort()).toEqual(expected);
    }
    await expect(late!.caughtUp).resolves.toBeUndefined();
  });

  it('filters by event type and stream prefix, and moves past skipped events', async () => {
    const store = await t.open();
    const p = t.prefix('sub-filter');
    const start = await store.headPosition();
    await store.append(`${p}issue-1`, [
      { type: 'IssueOpened', data: { n: 1 } },
      { type: 'IssueClosed', data: { n: 2 } },
    ]);
    await store.append(`${p}sprint-1`, [{ type: 'IssueOpened', data: { n: 3 } }]);
    const received: number[] = [];

    const subscription = store.subscribe((event) => void received.push((event.data as { n: number }).n), {
      after: start,
      streamPrefix: `${p}issue-`,
      eventTypes: ['IssueOpened'],
    });
    await subscription.caughtUp;
    const positionAtHead = subscription.position;
    const headAtCatchUp = (await readAllMatching(store, { after: start, streamPrefix: p })).at(-1)!.position;
    await store.append(`${p}issue-2`, [
      { type: 'IssueClosed', data: { n: 4 } },
      { type: 'IssueOpened', data: { n: 5 } },
    ]);
    await store.append(`${p}sprint-2`, [{ type: 'IssueOpened', data: { n: 6 } }]);
    await waitFor(() => received.length >= 2, 'the live matching event');
    await settle();
    await subscription.stop();

    expect(received).toEqual([1, 5]);
    expect(positionAtHead).toBeGreaterThanOrEqual(headAtCatchUp);
  });

  it('a handler error rejects done and stops the subscription', async () => {
    const store = await t.open();
    const p = t.prefix('sub-error');
    const start = await store.headPosition();
    await store.append(`${p}1`, newEvents(5, 'Step', (i) => ({ i })));
    const handled: number[] = [];
    const failure = new Error('handler failed');

    const subscription = store.subscribe(
      (event) => {
        const { i } = event.data as { i: number };
        if (i === 2) throw failure;
        handled.push(i);
      },
      { after: start, streamPrefix: p },
    );

    await expect(subscription.done).rejects.toBe(failure);
    await store.append(`${p}1`, newEvents(2, 'Step', (i) => ({ i: i + 5 })));
    await settle();
    expect(handled).toEqual([0, 1]);
    const log = await readAllMatching(store, { after: start, streamPrefix: p });
    expect(subscription.position).toBe(log[1].position);
  });

  it('a subscription at the head is caught up at once and receives only new events', async () => {
    const store = await t.open();
    const p = t.prefix('sub-head');
    await store.append(`${p}1`, newEvents(3, 'Old'));
    const received: string[] = [];

    const subscription = store.subscribe((event) => void received.push(event.type), {
      after: await store.headPosition(),
      streamPrefix: p,
    });
    await subscription.caughtUp;
    const beforeLive = [...received];
    await store.append(`${p}1`, newEvents(2, 'New'));
    await waitFor(() => received.length === 2, 'two live events');
    await subscription.stop();

    expect(beforeLive).toEqual([]);
    expect(received).toEqual(['New', 'New']);
  });
}
