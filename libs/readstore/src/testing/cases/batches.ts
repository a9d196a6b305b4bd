import { ReadStoreValidationError } from '../../errors';
import { deleteOp, patchOp, upsertOp } from '../../write-ops';
import { asJson, AUDIT, BOARD, cards, columns, deck, entries, type Card, type ConformanceContext } from './support';

export function batchCases(t: ConformanceContext): void {
  it('applies the writes of a batch and advances the checkpoint with them', async () => {
    const store = await t.open();
    const [a, b] = deck(2);
    expect(await store.getCheckpoint(BOARD)).toBe(0);

    const result = await store.applyBatch(BOARD, 10, [upsertOp(cards, a), upsertOp(cards, b, 8), upsertOp(columns, { id: 'todo', projectId: 'p0', wip: 2 })]);

    expect(result).toEqual({ applied: true, checkpoint: 10 });
    expect(await store.getCheckpoint(BOARD)).toBe(10);
    expect(await store.get(cards, a.id)).toEqual({ ...asJson(a), _position: 10 });
    expect(await store.get(cards, b.id)).toEqual({ ...asJson(b), _position: 8 });
    expect(await store.get(columns, 'todo')).toEqual({ id: 'todo', projectId: 'p0', wip: 2, _position: 10 });
  });

  it('an empty batch moves the checkpoint; an older one moves nothing', async () => {
    const store = await t.open();
    const [a] = deck(1);
    expect(await store.applyBatch(BOARD, 5, [])).toEqual({ applied: true, checkpoint: 5 });

    expect(await store.applyBatch(BOARD, 4, [upsertOp(cards, a)])).toEqual({ applied: false, checkpoint: 5 });
    expect(await store.applyBatch(BOARD, 5, [upsertOp(cards, a)])).toEqual({ applied: false, checkpoint: 5 });
    expect(await store.get(cards, a.id)).toBeNull();
    expect(await store.getCheckpoint(BOARD)).toBe(5);
  });

  it('a batch that fails part-way leaves neither documents nor checkpoint changed', async () => {
    const store = await t.open();
    const [a, b, c] = deck(3);
    await store.applyBatch(BOARD, 5, [upsertOp(cards, a), upsertOp(columns, { id: 'todo', projectId: 'p0', wip: 1 })]);
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;

    const failing = [
      upsertOp(cards, b),
      patchOp(cards, a.id, { state: 'changed' }),
      deleteOp(columns, 'todo'),
      // Passes the port's checks (they look at top-level fields only) and fails in the backend.
      upsertOp(cards, { ...c, detail: circular }),
    ];
    await expect(store.applyBatch(BOARD, 9, failing)).rejects.toThrow();

    expect(await store.getCheckpoint(BOARD)).toBe(5);
    if (store.atomicBatches) {
      expect(await store.get(cards, b.id)).toBeNull();
      expect(await store.get(cards, a.id)).toEqual({ ...asJson(a), _position: 5 });
      expect(await store.get(columns, 'todo')).toEqual({ id: 'todo', projectId: 'p0', wip: 1, _position: 5 });
    }
    // Whatever a non-atomic backend left behind, applying the corrected batch converges.
    const corrected = [...failing.slice(0, 3), upsertOp(cards, c)];
    expect(await store.applyBatch(BOARD, 9, corrected)).toEqual({ applied: true, checkpoint: 9 });
    expect(await store.get(cards, a.id)).toEqual({ ...asJson(a), state: 'changed', _position: 9 });
    expect(await store.get(cards, b.id)).toEqual({ ...asJson(b), _position: 9 });
    expect(await store.get(columns, 'todo')).toBeNull();
  });

  it('a batch the port refuses writes nothing', async () => {
    const store = await t.open();
    const [a, b] = deck(2);
    const refused = [
      () => store.applyBatch(BOARD, 9, [upsertOp(cards, a), upsertOp(entries, { id: 'e', entity: 'x', position: 1 })]),
      () => store.applyBatch(BOARD, 9, [upsertOp(cards, a), upsertOp(cards, b, 10)]),
      () => store.applyBatch(BOARD, 9, [upsertOp(cards, a), upsertOp(cards, { ...b, points: { x: 1 } as never })]),
      () => store.applyBatch(BOARD, 0, [upsertOp(cards, a)]),
      () => store.applyBatch(BOARD, 1.5, []),
      () => store.applyBatch('Not A Projection', 9, []),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toBeInstanceOf(ReadStoreValidationError);
    expect(await store.get(cards, a.id)).toBeNull();
    expect(await store.getCheckpoint(BOARD)).toBe(0);
  });

  it('replaying a batch changes nothing, whatever it now contains', async () => {
    const store = await t.open();
    const deckOf4 = deck(4);
    const batch = [
      upsertOp(cards, deckOf4[0]),
      upsertOp(cards, deckOf4[1]),
      patchOp(cards, deckOf4[1].id, { state: 'done' }),
      deleteOp(cards, deckOf4[2].id),
    ];
    await store.applyBatch(BOARD, 3, [upsertOp(cards, deckOf4[2])]);
    await store.applyBatch(BOARD, 7, batch);
    const snapshot = (await store.find(cards, { limit: 10 })).items;

    expect(await store.applyBatch(BOARD, 7, batch)).toEqual({ applied: false, checkpoint: 7 });
    const different = [upsertOp(cards, { ...deckOf4[0], title: 'other' }), upsertOp(cards, deckOf4[2]), upsertOp(cards, deckOf4[3])];
    expect(await store.applyBatch(BOARD, 6, different)).toEqual({ applied: false, checkpoint: 7 });

    expect((await store.find(cards, { limit: 10 })).items).toEqual(snapshot);
    expect(Object.fromEntries(snapshot.map((card) => [card.id, [card.state, card._position]]))).toEqual({
      [deckOf4[0].id]: [deckOf4[0].state, 7],
      [deckOf4[1].id]: ['done', 7],
    });
  });

  it('skips a write whose position is not after the one its document records, even with no checkpoint involved', async () => {
    const store = await t.open();
    const card = deck(1)[0];
    const version = (title: string): Card => ({ ...card, title });

    expect(await store.upsert(cards, version('five'), { position: 5 })).toBe(true);
    expect(await store.upsert(cards, version('five again'), { position: 5 })).toBe(false);
    expect(await store.upsert(cards, version('four'), { position: 4 })).toBe(false);
    expect(await store.patch(cards, card.id, { title: 'patch four' }, { position: 4 })).toBe(false);
    expect((await store.get(cards, card.id))!.title).toBe('five');

    expect(await store.patch(cards, card.id, { title: 'six' }, { position: 6 })).toBe(true);
    expect(await store.get(cards, card.id)).toMatchObject({ title: 'six', _position: 6 });

    expect(await store.delete(cards, card.id, { position: 3 })).toBe(false);
    expect(await store.delete(cards, card.id, { position: 8 })).toBe(true);
    expect(await store.get(cards, card.id)).toBeNull();
    // The delete left a tombstone: a replayed older upsert cannot bring the document back...
    expect(await store.upsert(cards, version('seven'), { position: 7 })).toBe(false);
    expect(await store.upsert(cards, version('eight'), { position: 8 })).toBe(false);
    expect(await store.get(cards, card.id)).toBeNull();
    expect(await store.count(cards)).toBe(0);
    expect((await store.find(cards)).items).toEqual([]);
    // ...but a newer one can.
    expect(await store.upsert(cards, version('nine'), { position: 9 })).toBe(true);
    expect(await store.get(cards, card.id)).toMatchObject({ title: 'nine', _position: 9 });

    // A write without a position always applies; an upsert without one forgets the position.
    expect(await store.patch(cards, card.id, { title: 'unguarded patch' })).toBe(true);
    expect(await store.get(cards, card.id)).toMatchObject({ title: 'unguarded patch', _position: 9 });
    expect(await store.upsert(cards, version('unguarded'))).toBe(true);
    expect(await store.get(cards, card.id)).toEqual(asJson(version('unguarded')));
  });

  it('skips, inside a batch, the writes its documents are already past', async () => {
    const store = await t.open();
    const [ahead, behind] = deck(2);
    await store.upsert(cards, { ...ahead, title: 'from 17' }, { position: 17 });
    await store.upsert(cards, { ...behind, title: 'from 12' }, { position: 12 });

    const result = await store.applyBatch(BOARD, 20, [
      upsertOp(cards, { ...ahead, title: 'from 15' }, 15),
      upsertOp(cards, { ...behind, title: 'from 15' }, 15),
    ]);

    expect(result).toEqual({ applied: true, checkpoint: 20 });
    expect(await store.get(cards, ahead.id)).toMatchObject({ title: 'from 17', _position: 17 });
    expect(await store.get(cards, behind.id)).toMatchObject({ title: 'from 15', _position: 15 });
  });

  it('folds several writes to one document in a batch, in order', async () => {
    const store = await t.open();
    const [a, b, c, d] = deck(4);
    await store.applyBatch(BOARD, 1, [upsertOp(cards, c)]);

    await store.applyBatch(BOARD, 2, [
      upsertOp(cards, a),
      patchOp(cards, a.id, { state: 'doing', assignee: 'bob' }),
      patchOp(cards, a.id, { state: 'done' }),
      upsertOp(cards, b),
      deleteOp(cards, b.id),
      deleteOp(cards, c.id),
      upsertOp(cards, { ...c, title: 'reborn' }),
      patchOp(cards, d.id, { title: 'nobody home' }),
    ]);

    expect(await store.get(cards, a.id)).toEqual({ ...asJson(a), state: 'done', assignee: 'bob', _position: 2 });
    expect(await store.get(cards, b.id)).toBeNull();
    expect(await store.get(cards, c.id)).toEqual({ ...asJson(c), title: 'reborn', _position: 2 });
    expect(await store.get(cards, d.id)).toBeNull();
    expect(await store.count(cards)).toBe(2);
  });

  it('keeps one checkpoint per projection', async () => {
    const store = await t.open();
    await store.applyBatch(BOARD, 10, []);
    await store.applyBatch(AUDIT, 4, [upsertOp(entries, { id: 'e1', entity: 'issue-1', position: 4 })]);
    await store.applyBatch(AUDIT, 12, []);

    expect(await store.getCheckpoint(BOARD)).toBe(10);
    expect(await store.getCheckpoint(AUDIT)).toBe(12);
    expect(await store.getCheckpoint('conformance-untouched')).toBe(0);
  });

  it('applies many writes per batch', async () => {
    const store = await t.open();
    const all = deck(2000);
    const batch = all.map((card) => upsertOp(cards, card));
    await store.applyBatch(BOARD, 2000, batch);

    expect(await store.count(cards)).toBe(2000);
    expect(await store.count(cards, { projectId: 'p1' })).toBe(all.filter((card) => card.projectId === 'p1').length);
  });
}
