import { randomUUID } from 'node:crypto';
import { expectStrictlyIncreasing, expectWrongExpectedVersion, newEvents, type ConformanceContext } from './support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function appendCases(t: ConformanceContext): void {
  it('appends a batch to a new stream and reads it back', async () => {
    const store = await t.open();
    const stream = `${t.prefix('basic')}1`;

    const result = await store.append(stream, newEvents(3, 'ItemAdded', (i) => ({ sku: `sku-${i}`, qty: i + 1 })));

    expect(result).toMatchObject({ streamId: stream, revision: 2, duplicate: false });
    expect(result.events.map((e) => [e.streamId, e.revision, e.type, e.data])).toEqual([
      [stream, 0, 'ItemAdded', { sku: 'sku-0', qty: 1 }],
      [stream, 1, 'ItemAdded', { sku: 'sku-1', qty: 2 }],
      [stream, 2, 'ItemAdded', { sku: 'sku-2', qty: 3 }],
    ]);
    expect(result.events.every((e) => UUID.test(e.id))).toBe(true);
    expectStrictlyIncreasing(result.events.map((e) => e.position));
    expect(await store.readStream(stream)).toEqual(result.events);
    expect(await store.headPosition()).toBeGreaterThanOrEqual(result.events[2].position);
  });

  it('continues revisions across appends', async () => {
    const store = await t.open();
    const stream = `${t.prefix('continue')}1`;

    await store.append(stream, newEvents(2));
    const second = await store.append(stream, newEvents(3));

    expect(second.revision).toBe(4);
    expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
  });

  it('fills metadata defaults and keeps what the caller set', async () => {
    const store = await t.open();
    const stream = `${t.prefix('metadata')}1`;
    const before = Date.now();

    await store.append(stream, [
      { type: 'Plain', data: {} },
      {
        type: 'Described',
        data: {},
        metadata: {
          actor: 'alice',
          correlationId: 'corr-1',
          causationId: 'cause-1',
          occurredAt: '2026-01-02T03:04:05.000Z',
          schemaVersion: 2,
          idempotencyKey: 'key-1',
          tenant: 'acme',
        },
      },
    ]);

    const [plain, described] = await store.readStream(stream);
    expect(plain.metadata).toMatchObject({ actor: 'system', correlationId: plain.id, causationId: null, schemaVersion: 1 });
    expect(Date.parse(plain.metadata.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(plain.metadata.occurredAt).toBe(new Date(plain.metadata.occurredAt).toISOString());
    expect(described.metadata).toMatchObject({
      actor: 'alice',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      occurredAt: '2026-01-02T03:04:05.000Z',
      schemaVersion: 2,
      idempotencyKey: 'key-1',
      tenant: 'acme',
    });
  });

  it('reads an unknown stream as empty', async () => {
    const store = await t.open();
    expect(await store.readStream(`${t.prefix('unknown')}nothing`)).toEqual([]);
    expect(await store.readStream(`${t.prefix('unknown')}nothing`, { direction: 'backwards' })).toEqual([]);
  });

  it("expectedRevision 'any' appends to new and existing streams", async () => {
    const store = await t.open();
    const stream = `${t.prefix('any')}1`;

    await store.append(stream, newEvents(1), { expectedRevision: 'any' });
    const result = await store.append(stream, newEvents(1), { expectedRevision: 'any' });

    expect(result.revision).toBe(1);
  });

  it("expectedRevision 'no_stream' appends only to a stream that does not exist", async () => {
    const store = await t.open();
    const stream = `${t.prefix('no-stream')}1`;

    const first = await store.append(stream, newEvents(2), { expectedRevision: 'no_stream' });
    await expectWrongExpectedVersion(store.append(stream, newEvents(1), { expectedRevision: 'no_stream' }), stream, 'no_stream', 1);

    expect(first.revision).toBe(1);
    expect(await store.readStream(stream)).toEqual(first.events);
  });

  it("expectedRevision 'stream_exists' appends only to a stream that exists", async () => {
    const store = await t.open();
    const stream = `${t.prefix('exists')}1`;

    await expectWrongExpectedVersion(
      store.append(stream, newEvents(1), { expectedRevision: 'stream_exists' }),
      stream,
      'stream_exists',
      'no_stream',
    );
    expect(await store.readStream(stream)).toEqual([]);

    await store.append(stream, newEvents(1));
    const result = await store.append(stream, newEvents(1), { expectedRevision: 'stream_exists' });
    expect(result.revision).toBe(1);
  });

  it('an exact expectedRevision must equal the last revision', async () => {
    const store = await t.open();
    const stream = `${t.prefix('exact')}1`;
    const missing = `${t.prefix('exact')}missing`;

    await expectWrongExpectedVersion(store.append(missing, newEvents(1), { expectedRevision: 0 }), missing, 0, 'no_stream');
    await store.append(stream, newEvents(3));
    await expectWrongExpectedVersion(store.append(stream, newEvents(1), { expectedRevision: 1 }), stream, 1, 2);
    await expectWrongExpectedVersion(store.append(stream, newEvents(1), { expectedRevision: 3 }), stream, 3, 2);
    const result = await store.append(stream, newEvents(2, 'Exact'), { expectedRevision: 2 });

    expect(result.revision).toBe(4);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['ThingHappened', 'ThingHappened', 'ThingHappened', 'Exact', 'Exact']);
    expect(await store.readStream(missing)).toEqual([]);
  });

  it('rejects malformed input and writes nothing', async () => {
    const store = await t.open();
    const stream = `${t.prefix('invalid')}1`;

    await expect(store.append(stream, [{ type: '', data: {} }])).rejects.toThrow(TypeError);
    await expect(store.append(stream, [{ id: 'not-a-uuid', type: 'T', data: {} }])).rejects.toThrow(TypeError);
    const id = randomUUID();
    await expect(store.append(stream, [{ id, type: 'T', data: {} }, { id, type: 'T', data: {} }])).rejects.toThrow(TypeError);
    await expect(store.append(stream, newEvents(1), { expectedRevision: -1 })).rejects.toThrow(TypeError);
    await expect(store.append('', newEvents(1))).rejects.toThrow(TypeError);

    expect(await store.readStream(stream)).toEqual([]);
  });
}
