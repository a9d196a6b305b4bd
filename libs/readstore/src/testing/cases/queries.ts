import type { IndexValue } from '../../collection';
import { ReadStoreValidationError } from '../../errors';
import type { RangeSpec, Where } from '../../query';
import { upsertOp } from '../../write-ops';
import {
  asJson,
  cards,
  compareBy,
  compareValues,
  deck,
  ids,
  readAllPages,
  SORTABLE,
  type Card,
  type ConformanceContext,
} from './support';

const matches = (card: Card, where: Record<string, unknown>) =>
  Object.entries(where).every(([field, condition]) => {
    const value = (card as unknown as Record<string, unknown>)[field] ?? null;
    if (condition !== null && typeof condition === 'object') return (condition as { in: unknown[] }).in.includes(value);
    return value === condition;
  });

export function queryCases(t: ConformanceContext): void {
  const all = deck(250);
  const seed = async () => {
    const store = await t.open();
    // One batch per 50 documents, so the seeding itself goes through applyBatch.
    for (let from = 0; from < all.length; from += 50) {
      await store.applyBatch('conformance-board', from + 50, all.slice(from, from + 50).map((card) => upsertOp(cards, card)));
    }
    return store;
  };

  it('pages through 250 documents by every indexed field, both directions, missing and repeating none', async () => {
    const store = await seed();
    for (const field of SORTABLE) {
      for (const direction of ['asc', 'desc'] as const) {
        const { items, pages } = await readAllPages(store, cards, { sort: { field, direction }, limit: 17 });
        const expected = [...all].sort(compareBy(field, direction));
        expect({ field, direction, ids: ids(items) }).toEqual({ field, direction, ids: ids(expected) });
        expect(new Set(ids(items)).size).toBe(all.length);
        expect(pages).toBe(Math.ceil(all.length / 17));
      }
    }
  });

  it('filters by equality on each indexed field, sorted and paged', async () => {
    const store = await seed();
    const filters: Where<Card>[] = [
      { projectId: 'p1' },
      { state: 'review' },
      { points: 3 },
      { points: 2.5 },
      { points: null },
      { blocked: true },
      { blocked: false },
      { assignee: 'chloé' },
      { assignee: '李雷' },
      { assignee: null },
      { rank: all[42].rank },
      { id: all[7].id },
      { projectId: 'p2', state: 'todo' },
      { projectId: 'p0', blocked: false, assignee: 'bob' },
      { projectId: 'nowhere' },
    ];
    for (const where of filters) {
      const sort = { field: 'rank' as const, direction: 'desc' as const };
      const { items } = await readAllPages(store, cards, { where, sort, limit: 7 });
      const expected = all.filter((card) => matches(card, where)).sort(compareBy('rank', 'desc'));
      expect({ where, ids: ids(items) }).toEqual({ where, ids: ids(expected) });
      expect(await store.count(cards, where)).toBe(expected.length);
    }
  });

  it('filters by lists of values, null included', async () => {
    const store = await seed();
    const filters: Where<Card>[] = [
      { state: { in: ['todo', 'doing'] } },
      { assignee: { in: ['alice', null] } },
      { points: { in: [0, 2.5, 12] }, projectId: { in: ['p0', 'p2'] } },
      { blocked: { in: [true] } },
      { id: { in: [all[3].id, all[25].id, 'missing'] } },
      { state: { in: [] } },
    ];
    for (const where of filters) {
      const { items } = await readAllPages(store, cards, { where, sort: { field: 'points', direction: 'asc' }, limit: 9 });
      const expected = all.filter((card) => matches(card, where)).sort(compareBy('points', 'asc'));
      expect({ where, ids: ids(items) }).toEqual({ where, ids: ids(expected) });
      expect(await store.count(cards, where)).toBe(expected.length);
    }
  });

  it('bounds the sort field with a range, leaving nulls out', async () => {
    const store = await seed();
    const cases: { field: 'points' | 'rank' | 'id'; range: RangeSpec }[] = [
      { field: 'points', range: { gte: 3, lt: 8 } },
      { field: 'points', range: { lt: 4 } },
      { field: 'points', range: { gte: 10 } },
      { field: 'rank', range: { gte: 'B', lt: 'é' } },
      { field: 'id', range: { gte: 'card-100', lt: 'card-150' } },
    ];
    const inRange = (card: Card, field: string, { gte, lt }: RangeSpec) => {
      const value = ((card as unknown as Record<string, IndexValue | undefined>)[field] ?? null) as IndexValue;
      return value !== null && (gte == null || compareValues(value, gte) >= 0) && (lt == null || compareValues(value, lt) < 0);
    };
    for (const { field, range } of cases) {
      for (const direction of ['asc', 'desc'] as const) {
        const { items } = await readAllPages(store, cards, { sort: { field, direction }, range, where: { projectId: 'p1' }, limit: 5 });
        const expected = all.filter((card) => card.projectId === 'p1' && inRange(card, field, range)).sort(compareBy(field, direction));
        expect({ field, range, direction, ids: ids(items) }).toEqual({ field, range, direction, ids: ids(expected) });
      }
    }
  });

  it('continues after the cursor even when the document it points at is gone', async () => {
    const store = await seed();
    const sort = { field: 'points' as const, direction: 'desc' as const };
    const first = await store.find(cards, { sort, limit: 40 });
    await store.delete(cards, first.items[39].id);
    await store.delete(cards, first.items[38].id);

    const rest = await readAllPages(store, cards, { sort, limit: 40, after: first.nextCursor });
    const expected = [...all].sort(compareBy('points', 'desc')).slice(40);
    expect(ids(rest.items)).toEqual(ids(expected));
  });

  it('returns whole documents with their position, and no cursor after the last page', async () => {
    const store = await seed();
    const page = await store.find(cards, { where: { id: all[60].id } });
    expect(page).toEqual({ items: [{ ...asJson(all[60]), _position: 100 }], nextCursor: null });

    const exact = await store.find(cards, { where: { projectId: 'p0' }, limit: all.filter((c) => c.projectId === 'p0').length });
    expect(exact.nextCursor).toBeNull();
    expect(await store.find(cards, { where: { projectId: 'none' } })).toEqual({ items: [], nextCursor: null });
  });

  it('counts live documents only', async () => {
    const store = await seed();
    expect(await store.count(cards)).toBe(250);
    await store.delete(cards, all[0].id, { position: 500 });
    await store.delete(cards, all[1].id);
    expect(await store.count(cards)).toBe(248);
    expect(await store.count(cards, { projectId: 'p0' })).toBe(all.filter((c) => c.projectId === 'p0').length - 1);
    expect((await readAllPages(store, cards, { limit: 100 })).items).toHaveLength(248);
  });

  it('refuses queries on fields that are not indexed, bad limits and foreign cursors', async () => {
    const store = await seed();
    const page = await store.find(cards, { sort: { field: 'points' }, limit: 10 });
    const refused = [
      () => store.find(cards, { where: { title: 'x' } }),
      () => store.find(cards, { where: { state: { in: 'todo' } as never } }),
      () => store.find(cards, { where: { state: { todo: 1 } as never } }),
      () => store.find(cards, { where: { id: 5 as never } }),
      () => store.find(cards, { sort: { field: 'title' } }),
      () => store.find(cards, { sort: { field: 'rank', direction: 'up' as never } }),
      () => store.find(cards, { limit: 0 }),
      () => store.find(cards, { limit: 1001 }),
      () => store.find(cards, { limit: 2.5 }),
      () => store.find(cards, { range: { gte: null } }),
      () => store.find(cards, { after: 'not-a-cursor' }),
      () => store.find(cards, { sort: { field: 'points', direction: 'desc' }, after: page.nextCursor }),
      () => store.find(cards, { sort: { field: 'rank' }, after: page.nextCursor }),
      () => store.count(cards, { title: 'x' }),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toBeInstanceOf(ReadStoreValidationError);
  });
}
