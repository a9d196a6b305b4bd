import type { RecordedEvent } from '../../event-store';
import { verifyChain } from '../../hash-chain';
import { newEvents, readAllMatching, type ConformanceContext } from './support';

export function hashChainCases(t: ConformanceContext): void {
  it("links each stream's events by prevHash/hash across appends, and the chains verify", async () => {
    const store = await t.open();
    const p = t.prefix('chain');
    const start = await store.headPosition();
    for (let i = 0; i < 4; i += 1) {
      await store.append(`${p}a`, newEvents(2, 'A', (k) => ({ i, k })));
      await store.append(`${p}b`, newEvents(1, 'B', () => ({ i })));
    }

    const a = await store.readStream(`${p}a`);
    expect(a[0].metadata.prevHash).toBe('');
    expect(a.every((e) => /^[0-9a-f]{64}$/.test(e.metadata.hash))).toBe(true);
    expect(a.slice(1).map((e) => e.metadata.prevHash)).toEqual(a.slice(0, -1).map((e) => e.metadata.hash));
    expect(new Set(a.map((e) => e.metadata.hash)).size).toBe(a.length);
    expect(verifyChain(a)).toEqual({ ok: true, count: 8 });
    expect(verifyChain(await readAllMatching(store, { after: start, streamPrefix: p }))).toEqual({ ok: true, count: 12 });
    // A chain may be checked from the middle of a stream on.
    expect(verifyChain(await store.readStream(`${p}a`, { fromRevision: 5 }))).toEqual({ ok: true, count: 3 });
  });

  it('a changed payload, changed metadata, a missing event or a broken link fails verification', async () => {
    const store = await t.open();
    const stream = `${t.prefix('tamper')}1`;
    await store.append(stream, newEvents(5, 'Recorded', (i) => ({ amount: i * 100, note: 'ok' })));
    const events = await store.readStream(stream);
    const altered = (change: (copy: RecordedEvent[]) => void) => {
      const copy = structuredClone(events);
      change(copy);
      return verifyChain(copy);
    };
    const at = (revision: number, reason: string) => ({
      ok: false,
      brokenAt: { streamId: stream, revision, position: events[revision].position, reason },
    });

    expect(verifyChain(events)).toEqual({ ok: true, count: 5 });
    expect(altered((c) => ((c[2].data as { amount: number }).amount = 201))).toEqual(at(2, 'hash_mismatch'));
    expect(altered((c) => (c[3].metadata.actor = 'mallory'))).toEqual(at(3, 'hash_mismatch'));
    expect(altered((c) => (c[1].type = 'Forged'))).toEqual(at(1, 'hash_mismatch'));
    expect(altered((c) => c.splice(2, 1))).toEqual(at(3, 'revision_gap'));
    expect(altered((c) => (c[4].metadata.prevHash = c[2].metadata.hash))).toEqual(at(4, 'prev_hash_mismatch'));
    expect(altered((c) => (c[0].metadata.prevHash = 'f'.repeat(64)))).toEqual(at(0, 'first_prev_hash'));
  });
}
