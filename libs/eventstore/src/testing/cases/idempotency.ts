import { newEvents, withIds, type ConformanceContext } from './support';

export function idempotencyCases(t: ConformanceContext): void {
  it('a retry with the same ids returns the original events and writes nothing', async () => {
    const store = await t.open();
    const stream = `${t.prefix('retry')}1`;
    const batch = withIds(newEvents(2, 'Paid', (i) => ({ amount: 10 * (i + 1) })));

    const original = await store.append(stream, batch, { expectedRevision: 'no_stream' });
    const head = await store.headPosition();
    const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });

    expect(original.duplicate).toBe(false);
    expect(original.events.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    expect(retry).toEqual({ ...original, duplicate: true });
    expect(await store.readStream(stream)).toEqual(original.events);
    expect(await store.headPosition()).toBe(head);
  });

  it('a retry after the stream moved on is still recognised, whatever its expectedRevision', async () => {
    const store = await t.open();
    const stream = `${t.prefix('retry-late')}1`;
    const batch = withIds(newEvents(2, 'Paid'));

    const original = await store.append(stream, batch, { expectedRevision: 'no_stream' });
    await store.append(stream, newEvents(3, 'Later'));
    const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });

    expect(retry.duplicate).toBe(true);
    expect(retry.revision).toBe(1);
    expect(retry.events).toEqual(original.events);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Paid', 'Paid', 'Later', 'Later', 'Later']);
  });

  it('concurrent retries of the same append write it once', async () => {
    const store = await t.open();
    const stream = `${t.prefix('retry-race')}1`;
    const batch = withIds(newEvents(3, 'Shipped'));

    const results = await Promise.all(Array.from({ length: 5 }, () => store.append(stream, batch)));

    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    for (const result of results) expect(result.events).toEqual(results[0].events);
    const stored = await store.readStream(stream);
    expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id));
  });
}
