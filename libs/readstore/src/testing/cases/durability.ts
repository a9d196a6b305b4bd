import { upsertOp } from '../../write-ops';
import { asJson, BOARD, cards, deck, type ConformanceContext } from './support';

export function durabilityCases(t: ConformanceContext): void {
  const itReopens = t.canReopen ? it : it.skip;

  itReopens(`keeps documents, tombstones, checkpoints and generations across a reopen${t.canReopen ? '' : ' (skipped: an in-memory store cannot be reopened)'}`, async () => {
    const first = await t.open();
    const all = deck(30);
    await first.applyBatch(BOARD, 10, all.map((card) => upsertOp(cards, card)));
    await first.delete(cards, all[0].id, { position: 11 });
    const generation = await first.createGeneration(BOARD);
    await first.applyBatch(BOARD, 4, all.slice(0, 3).map((card) => upsertOp(cards, card)), { generation });
    const before = await first.find(cards, { sort: { field: 'rank' }, limit: 50 });

    const store = await t.reopen(first);

    expect(await store.find(cards, { sort: { field: 'rank' }, limit: 50 })).toEqual(before);
    expect(before.items).toHaveLength(29);
    expect(await store.get(cards, all[1].id)).toEqual({ ...asJson(all[1]), _position: 10 });
    expect(await store.upsert(cards, all[0], { position: 11 })).toBe(false);
    expect(await store.generations(BOARD)).toMatchObject({ active: 1, building: generation, checkpoints: { 1: 10, [generation]: 4 } });
    expect(await store.count(cards, undefined, { generation })).toBe(3);
    await store.switchGeneration(BOARD, generation);
    expect(await store.count(cards)).toBe(3);
  });
}
