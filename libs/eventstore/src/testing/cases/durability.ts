import { StoreUnavailableError } from '../../errors';
import type { RecordedEvent } from '../../event-store';
import { verifyChain } from '../../hash-chain';
import { newEvents, readAllMatching, type ConformanceContext } from './support';

const UNICODE = {
  greek: 'Αλφα βήτα',
  cjk: '漢字かなカナ한국어',
  rtl: 'مرحبا שלום',
  emoji: '👩🏽‍💻🚀✨ flags: 🇫🇷🇯🇵',
  combining: 'e\u0301 n\u0303 Å',
  escapes: 'quote " backslash \\ tab \t newline \n nul \u0000 line-sep \u2028',
  astral: '𝕋𝕣𝕖𝕝𝕝𝕚𝕤 𐍈',
  keys: { 'clé': 1, 'ключ': 2, '键': [3, { '🔑': true }] },
};

export function durabilityCases(t: ConformanceContext): void {
  it('round-trips unicode data, types and stream ids', async () => {
    const store = await t.open();
    const stream = `${t.prefix('unicode')}ünï-çødé-🚀`;

    const result = await store.append(stream, [{ type: 'Ünïcode✓', data: UNICODE, metadata: { actor: 'Zoë 🙂' } }]);
    const [stored] = await store.readStream(stream);

    expect(stored.data).toEqual(UNICODE);
    expect(stored.type).toBe('Ünïcode✓');
    expect(stored.streamId).toBe(stream);
    expect(stored.metadata.actor).toBe('Zoë 🙂');
    expect(stored).toEqual(result.events[0]);
    expect(verifyChain([stored])).toEqual({ ok: true, count: 1 });
    const filtered = await readAllMatching(store, { streamPrefix: stream, eventTypes: ['Ünïcode✓'] });
    expect(filtered.map((e) => e.id)).toEqual([stored.id]);
  });

  it('round-trips a 1 MiB payload', async () => {
    const store = await t.open();
    const stream = `${t.prefix('large')}1`;
    const blob = 'ab€😀'.repeat((1024 * 1024) / 8) + 'end';
    const data = { blob, items: Array.from({ length: 1000 }, (_, i) => ({ i, s: `item-${i}` })) };
    expect(Buffer.byteLength(JSON.stringify(data))).toBeGreaterThan(1024 * 1024);

    await store.append(stream, [{ type: 'Large', data }]);
    const [stored] = await store.readStream(stream);

    expect((stored.data as typeof data).blob.length).toBe(blob.length);
    expect(stored.data).toEqual(data);
    expect(verifyChain([stored])).toEqual({ ok: true, count: 1 });
  });

  it('holds a 100k-event stream', async () => {
    const store = await t.open();
    const stream = `${t.prefix('long')}1`;
    const batches = 100;
    const perBatch = 1000;

    for (let b = 0; b < batches; b += 1) {
      const expectedRevision = b === 0 ? 'no_stream' : b * perBatch - 1;
      await store.append(stream, newEvents(perBatch, 'Tick', (i) => ({ n: b * perBatch + i })), { expectedRevision });
    }
    const events = await store.readStream(stream);
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });

    expect(events).toHaveLength(batches * perBatch);
    expect(events.every((e, i) => e.revision === i && (e.data as { n: number }).n === i)).toBe(true);
    expect(last.revision).toBe(batches * perBatch - 1);
    expect(verifyChain(events)).toEqual({ ok: true, count: batches * perBatch });
  }, 60000);

  it('an append issued before close is committed; one issued after is refused', async () => {
    const store = await t.open();
    const stream = `${t.prefix('close')}1`;

    const pending = store.append(stream, newEvents(2, 'BeforeClose'));
    await store.close();

    await expect(pending).resolves.toMatchObject({ revision: 1, duplicate: false });
    await expect(store.append(stream, newEvents(1))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  const reopenIt = t.canReopen ? it : it.skip;

  reopenIt(`a reopened store keeps every event, position and chain, and continues them${t.canReopen ? '' : ' (skipped: an in-memory store cannot be reopened)'}`, async () => {
    const store = await t.open();
    const p = t.prefix('reopen');
    const start = await store.headPosition();
    for (let i = 0; i < 10; i += 1) await store.append(`${p}${i % 3}`, newEvents(3, 'Kept', (k) => ({ i, k })));
    const pending = store.append(`${p}0`, newEvents(1, 'InFlight'));
    const settled = (events: RecordedEvent[]) => events.filter((e) => e.type !== 'InFlight');
    const before = settled(await readAllMatching(store, { after: start, streamPrefix: p }));
    const head = await store.headPosition();

    const reopened = await t.reopen(store);
    await pending;
    const after = await readAllMatching(reopened, { after: start, streamPrefix: p });
    const next = await reopened.append(`${p}1`, newEvents(1, 'AfterReopen'), { expectedRevision: 8 });
    const stream = await reopened.readStream(`${p}1`);

    expect(settled(after)).toEqual(before);
    expect(after.filter((e) => e.type === 'InFlight')).toHaveLength(1);
    expect(await reopened.headPosition()).toBeGreaterThanOrEqual(head);
    expect(next.events[0].position).toBeGreaterThan(after[after.length - 1].position);
    expect(next.events[0].metadata.prevHash).toBe(stream[8].metadata.hash);
    expect(verifyChain(stream)).toEqual({ ok: true, count: 10 });
    expect(verifyChain(await readAllMatching(reopened, { after: start, streamPrefix: p }))).toEqual({ ok: true, count: 32 });
  });
}
