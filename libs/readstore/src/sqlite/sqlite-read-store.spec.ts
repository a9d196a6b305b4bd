import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStore } from '../read-store';
import { readStoreConformance } from '../testing/conformance';
import { BOARD, cards, deck } from '../testing/cases/support';
import { upsertOp } from '../write-ops';
import { SqliteReadStore } from './sqlite-read-store';

const dir = mkdtempSync(join(tmpdir(), 'trellis-readstore-'));
let files = 0;
const fileOf = new WeakMap<ReadStore, string>();

function openAt(file: string, indexColumns?: 'generated'): SqliteReadStore {
  const store = SqliteReadStore.open({ file, indexColumns });
  fileOf.set(store, file);
  return store;
}

// After every suite of this file: they all keep their files in `dir`.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

readStoreConformance('sqlite', {
  create: async () => openAt(join(dir, `readmodels-${++files}.db`)),
  reopen: async (store) => {
    await store.close();
    return openAt(fileOf.get(store)!);
  },
});

// Files created before field columns became ordinary ones have generated columns: the whole
// contract holds for tables of that kind too.
readStoreConformance('sqlite, generated field columns', {
  create: async () => openAt(join(dir, `readmodels-${++files}.db`), 'generated'),
  reopen: async (store) => {
    await store.close();
    return openAt(fileOf.get(store)!);
  },
});

readStoreConformance('sqlite in memory', {
  create: async () => SqliteReadStore.open({ file: ':memory:' }),
});

describe('SqliteReadStore', () => {
  const indexesOf = (store: SqliteReadStore, table: string) =>
    store.database
      .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")
      .all(table)
      .map((row) => row.name);

  it('defers the indexes of a generation being built until it is switched to, and plans queries on them', async () => {
    const store = openAt(join(dir, `indexes-${++files}.db`));
    try {
      await store.applyBatch(BOARD, 1, [upsertOp(cards, deck(1)[0])]);
      expect(indexesOf(store, 'cards__g1')).toHaveLength(cards.indexes.length);

      const generation = await store.createGeneration(BOARD);
      await store.applyBatch(BOARD, 300, deck(300).map((card) => upsertOp(cards, card)), { generation });
      expect(indexesOf(store, 'cards__g2')).toEqual([]);

      await store.switchGeneration(BOARD, generation);
      expect(indexesOf(store, 'cards__g2')).toEqual(cards.indexes.map((field) => `cards__g2__${field}`).sort());
      const plan = store.database
        .prepare<[], { detail: string }>(
          'EXPLAIN QUERY PLAN SELECT id FROM "cards__g2" WHERE doc IS NOT NULL AND "f_rank" > 0 ORDER BY "f_rank", id LIMIT 5',
        )
        .all()
        .map((row) => row.detail);
      expect(plan.join(' ')).toContain('USING INDEX cards__g2__rank');
    } finally {
      await store.close();
    }
  });

  it('reports a closed store as unavailable', async () => {
    const store = SqliteReadStore.open({ file: ':memory:' });
    await store.close();
    await expect(store.get(cards, 'x')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.applyBatch(BOARD, 1, [])).rejects.toMatchObject({ code: 'unavailable' });
  });
});
