import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ReadStore } from '../read-store';
import { readStoreConformance } from '../testing/conformance';
import { BOARD, cards, deck } from '../testing/cases/support';
import { upsertOp } from '../write-ops';
import { BackgroundCheckpointer } from './background-checkpoint';
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

  /** Cards in the database file alone, without its WAL: what checkpoints have copied back. */
  const cardsInFileAlone = (file: string, table: string): number => {
    const copy = `${file}.copy-${Math.random().toString(36).slice(2)}`;
    copyFileSync(file, copy);
    const reader = new Database(copy, { readonly: true });
    try {
      const exists = reader.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(table);
      return exists ? (reader.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n : 0;
    } finally {
      reader.close();
      rmSync(copy, { force: true });
    }
  };

  it('checkpoints a file that does not flush on a worker thread, not inside its own commits', async () => {
    const file = join(dir, `checkpoints-${++files}.db`);
    const store = SqliteReadStore.open({ file, synchronous: 'OFF' });
    try {
      expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await store.applyBatch(BOARD, 300, deck(300).map((card) => upsertOp(cards, card)));
      const result = await store.checkpointNow();
      expect(result).toMatchObject({ busy: 0 });
      expect(result!.log).toBeGreaterThan(0);
      expect(result!.checkpointed).toBe(result!.log);
      expect(cardsInFileAlone(file, 'cards__g1')).toBe(300);
    } finally {
      await store.close();
    }
    // The last connection to close copied the rest back and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = SqliteReadStore.open({ file, synchronous: 'OFF' });
    try {
      expect(await reopened.count(cards, {})).toBe(300);
    } finally {
      await reopened.close();
    }
  });

  it('starts a checkpoint by itself once commits come in', async () => {
    const file = join(dir, `checkpoints-${++files}.db`);
    const store = SqliteReadStore.open({ file, synchronous: 'OFF' });
    try {
      let position = 0;
      for (const card of deck(20)) await store.applyBatch(BOARD, ++position, [upsertOp(cards, card)]);
      const deadline = Date.now() + 10_000;
      while (cardsInFileAlone(file, 'cards__g1') === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.applyBatch(BOARD, ++position, []);
      }
      expect(cardsInFileAlone(file, 'cards__g1')).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('keeps the process up while close() waits for the checkpoint worker', () => {
    const root = resolve(__dirname, '..', '..', '..', '..');
    const child = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'testing', 'close-and-exit.ts'), join(dir, `exit-${++files}.db`)],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') } },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('closed\n');
    expect(child.status).toBe(0);
  });

  it('reports a checkpoint worker that cannot open its file', async () => {
    const errors: Error[] = [];
    const checkpointer = new BackgroundCheckpointer(join(dir, 'no-such-dir', 'missing.db'), undefined, (error) => errors.push(error));
    try {
      await expect(checkpointer.checkpointNow()).resolves.toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(/^read-model checkpoint failed: .*(open|directory)/i);
    } finally {
      await checkpointer.close();
    }
  });

  it('keeps SQLite checkpointing inside commits for a file that flushes', async () => {
    const store = SqliteReadStore.open({ file: join(dir, `checkpoints-${++files}.db`), synchronous: 'NORMAL' });
    try {
      expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(0);
      await expect(store.checkpointNow()).resolves.toBeUndefined();
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
