import type { AppendResult } from '../../event-store';
import { WrongExpectedVersionError } from '../../errors';
import {
  expectStrictlyIncreasing,
  expectWrongExpectedVersion,
  newEvents,
  readAllMatching,
  type ConformanceContext,
} from './support';

export function concurrencyCases(t: ConformanceContext): void {
  it('exactly one of concurrent appends with the same expectedRevision wins', async () => {
    const store = await t.open();
    const stream = `${t.prefix('race')}1`;
    await store.append(stream, newEvents(1));

    const attempts = Array.from({ length: 10 }, (_, writer) =>
      store.append(stream, [{ type: 'Raced', data: { writer } }], { expectedRevision: 0 }),
    );
    const outcomes = await Promise.allSettled(attempts);

    const winners = outcomes.flatMap((o, writer) => (o.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    for (const [writer, outcome] of outcomes.entries()) {
      if (writer === winners[0]) continue;
      await expectWrongExpectedVersion(Promise.reject((outcome as PromiseRejectedResult).reason), stream, 0, 1);
    }
    const events = await store.readStream(stream);
    expect(events.map((e) => e.revision)).toEqual([0, 1]);
    expect(events[1].data).toEqual({ writer: winners[0] });
  });

  it("exactly one of concurrent 'no_stream' appends creates the stream", async () => {
    const store = await t.open();
    const stream = `${t.prefix('race-new')}1`;

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) => store.append(stream, [{ type: 'Created', data: { writer } }], { expectedRevision: 'no_stream' })),
    );

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(losers.map((o) => o.reason instanceof WrongExpectedVersionError && o.reason.actual)).toEqual(Array(7).fill(0));
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('a conflicting append does not fail the appends issued with it', async () => {
    const store = await t.open();
    const p = t.prefix('group');
    await store.append(`${p}existing`, newEvents(2));

    const [created, conflicting, anyAppend, exact] = await Promise.allSettled([
      store.append(`${p}new`, newEvents(1, 'Created'), { expectedRevision: 'no_stream' }),
      store.append(`${p}existing`, newEvents(1, 'Conflicting'), { expectedRevision: 0 }),
      store.append(`${p}other`, newEvents(2, 'Other'), { expectedRevision: 'any' }),
      store.append(`${p}third`, newEvents(1, 'Third'), { expectedRevision: 'no_stream' }),
    ]);

    expect([created.status, conflicting.status, anyAppend.status, exact.status]).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    await expectWrongExpectedVersion(Promise.reject((conflicting as PromiseRejectedResult).reason), `${p}existing`, 0, 1);
    expect((await store.readStream(`${p}existing`)).map((e) => e.type)).toEqual(['ThingHappened', 'ThingHappened']);
    expect((await store.readStream(`${p}new`)).map((e) => e.type)).toEqual(['Created']);
    expect((await store.readStream(`${p}other`)).map((e) => e.type)).toEqual(['Other', 'Other']);
    expect((await store.readStream(`${p}third`)).map((e) => e.type)).toEqual(['Third']);
  });

  it('global order equals commit order', async () => {
    const store = await t.open();
    const p = t.prefix('order');
    const start = await store.headPosition();
    const acknowledged: AppendResult[] = [];

    const writer = async (w: number) => {
      for (let i = 0; i < 25; i += 1) {
        const result = await store.append(`${p}${w}-${i % 3}`, newEvents(1 + ((w + i) % 3), 'Ordered', (k) => ({ w, i, k })));
        acknowledged.push(result);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));

    const inAckOrder = acknowledged.flatMap((r) => r.events);
    const log = await readAllMatching(store, { after: start, streamPrefix: p });
    expectStrictlyIncreasing(inAckOrder.map((e) => e.position));
    expectStrictlyIncreasing(log.map((e) => e.position));
    expect(log.map((e) => e.id)).toEqual(inAckOrder.map((e) => e.id));
    expect(acknowledged).toHaveLength(8 * 25);
  });
}
