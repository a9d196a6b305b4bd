import { GenerationConflictError } from '../../errors';
import { upsertOp } from '../../write-ops';
import { AUDIT, BOARD, cards, columns, compareBy, deck, entries, ids, type Card, type ConformanceContext } from './support';

export function generationCases(t: ConformanceContext): void {
  it('starts every projection at generation 1, position 0', async () => {
    const store = await t.open();
    expect(await store.generations(BOARD)).toEqual({
      projection: BOARD,
      active: 1,
      building: null,
      retired: [],
      lastGeneration: 1,
      checkpoints: { 1: 0 },
    });
  });

  it('builds a new generation while the old one serves reads and writes, then switches atomically', async () => {
    const store = await t.open();
    const old = deck(5);
    const rebuilt = deck(8).map((card) => ({ ...card, title: `rebuilt ${card.id}` }));
    await store.applyBatch(BOARD, 10, [...old.map((card) => upsertOp(cards, card)), upsertOp(columns, { id: 'todo', projectId: 'p0', wip: 5 })]);
    await store.applyBatch(AUDIT, 10, [upsertOp(entries, { id: 'e1', entity: 'issue-1', position: 1 })]);

    const generation = await store.createGeneration(BOARD);
    expect(generation).toBe(2);
    await store.applyBatch(BOARD, 6, rebuilt.slice(0, 4).map((card) => upsertOp(cards, card)), { generation });
    // The live projection keeps going on the active generation meanwhile.
    await store.applyBatch(BOARD, 11, [upsertOp(cards, { ...old[0], title: 'live' })]);
    await store.applyBatch(BOARD, 11, [...rebuilt.slice(4).map((card) => upsertOp(cards, card)), upsertOp(columns, { id: 'todo', projectId: 'p0', wip: 8 })], { generation });

    // Reads still hit the active generation; the new one is readable by number.
    expect(ids((await store.find(cards, { limit: 50 })).items).sort()).toEqual(ids(old).sort());
    expect((await store.get(cards, old[0].id))!.title).toBe('live');
    expect(await store.count(cards)).toBe(5);
    expect(await store.count(cards, undefined, { generation })).toBe(8);
    expect((await store.get(cards, rebuilt[0].id, { generation }))!.title).toBe(`rebuilt ${rebuilt[0].id}`);
    const p1 = (generationCards: Card[]) => ids(generationCards.filter((card) => card.projectId === 'p1').sort(compareBy('rank', 'desc')));
    const query = { where: { projectId: 'p1' }, sort: { field: 'rank', direction: 'desc' } } as const;
    expect(ids((await store.find(cards, query, { generation })).items)).toEqual(p1(rebuilt));
    expect(await store.getCheckpoint(BOARD)).toBe(11);
    expect(await store.getCheckpoint(BOARD, { generation })).toBe(11);
    expect(await store.generations(BOARD)).toMatchObject({ active: 1, building: 2, retired: [], checkpoints: { 1: 11, 2: 11 } });

    expect(await store.switchGeneration(BOARD, generation)).toEqual({ previous: 1, active: 2 });

    // Every collection of the projection moved, and only that projection.
    expect(ids((await store.find(cards, { limit: 50 })).items).sort()).toEqual(ids(rebuilt).sort());
    expect(ids((await store.find(cards, query)).items)).toEqual(p1(rebuilt));
    expect(await store.get(columns, 'todo')).toMatchObject({ wip: 8 });
    expect(await store.get(entries, 'e1')).toMatchObject({ entity: 'issue-1' });
    expect(await store.getCheckpoint(AUDIT)).toBe(10);
    expect(await store.generations(BOARD)).toEqual({
      projection: BOARD,
      active: 2,
      building: null,
      retired: [1],
      lastGeneration: 2,
      checkpoints: { 1: 11, 2: 11 },
    });
    // The retired generation is still readable by number, but frozen.
    expect(await store.count(cards, undefined, { generation: 1 })).toBe(5);
    await expect(store.applyBatch(BOARD, 12, [], { generation: 1 })).rejects.toBeInstanceOf(GenerationConflictError);
    await expect(store.upsert(cards, old[0], { generation: 1 })).rejects.toBeInstanceOf(GenerationConflictError);

    await store.dropGeneration(BOARD, 1);
    expect(await store.generations(BOARD)).toMatchObject({ active: 2, building: null, retired: [], checkpoints: { 2: 11 } });
    await expect(store.count(cards, undefined, { generation: 1 })).rejects.toBeInstanceOf(GenerationConflictError);
    expect(await store.count(cards)).toBe(8);
    // Live writes now land in the new generation.
    await store.applyBatch(BOARD, 12, [upsertOp(cards, { ...rebuilt[0], title: 'after switch' })]);
    expect((await store.get(cards, rebuilt[0].id))!.title).toBe('after switch');
  });

  it('refuses generation steps that do not fit the current generations', async () => {
    const store = await t.open();
    const expectConflict = (attempt: Promise<unknown>) => expect(attempt).rejects.toBeInstanceOf(GenerationConflictError);

    await expectConflict(store.switchGeneration(BOARD, 2));
    await expectConflict(store.dropGeneration(BOARD, 1));
    const generation = await store.createGeneration(BOARD);
    await expectConflict(store.createGeneration(BOARD));
    await expectConflict(store.switchGeneration(BOARD, 1));
    await expectConflict(store.dropGeneration(BOARD, 1));
    await expectConflict(store.dropGeneration(BOARD, 7));
    await expectConflict(store.find(cards, {}, { generation: 7 }));
    await expectConflict(store.applyBatch(BOARD, 1, [], { generation: 7 }));
    await store.switchGeneration(BOARD, generation);
    await expectConflict(store.switchGeneration(BOARD, generation));
    await expectConflict(store.dropGeneration(BOARD, generation));
    expect(await store.generations(BOARD)).toMatchObject({ active: 2, building: null, retired: [1] });
  });

  it('cancels a rebuild by dropping the generation being built; numbers are never reused', async () => {
    const store = await t.open();
    await store.applyBatch(BOARD, 3, deck(3).map((card) => upsertOp(cards, card)));
    const abandoned = await store.createGeneration(BOARD);
    await store.applyBatch(BOARD, 2, deck(10).map((card) => upsertOp(cards, card)), { generation: abandoned });

    await store.dropGeneration(BOARD, abandoned);
    expect(await store.generations(BOARD)).toMatchObject({ active: 1, building: null, retired: [], lastGeneration: 2 });
    expect(await store.count(cards)).toBe(3);

    const next = await store.createGeneration(BOARD);
    expect(next).toBe(3);
    expect(await store.count(cards, undefined, { generation: next })).toBe(0);
    expect(await store.getCheckpoint(BOARD, { generation: next })).toBe(0);
    // The abandoned generation's documents did not leak into the new one, nor its guard positions.
    expect(await store.upsert(cards, deck(1)[0], { generation: next, position: 1 })).toBe(true);
  });

  it('rebuilds a projection twice in a row', async () => {
    const store = await t.open();
    for (const round of [1, 2]) {
      const generation = await store.createGeneration(BOARD);
      await store.applyBatch(BOARD, 5, deck(round * 3).map((card) => upsertOp(cards, card)), { generation });
      const { previous } = await store.switchGeneration(BOARD, generation);
      await store.dropGeneration(BOARD, previous);
      expect(await store.count(cards)).toBe(round * 3);
    }
    expect(await store.generations(BOARD)).toMatchObject({ active: 3, building: null, retired: [], lastGeneration: 3 });
  });
}
