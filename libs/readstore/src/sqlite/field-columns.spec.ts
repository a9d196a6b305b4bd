/**
 * The two kinds of field columns (see tables.ts): ordinary columns the writer fills, in tables
 * this version creates, and the virtual generated columns of tables earlier versions created.
 * Files of both kinds must answer every query the same, and keep doing so through writes and
 * through fields indexed later.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCollection, type CollectionDefinition, type IndexValue, type ReadDocument } from '../collection';
import type { FindQuery, Where } from '../query';
import type { ReadStore } from '../read-store';
import { BOARD, cards, compareBy, deck, ids, readAllPages, SORTABLE, type Card } from '../testing/cases/support';
import { deleteOp, patchOp, upsertOp, type WriteOp } from '../write-ops';
import { SqliteReadStore } from './sqlite-read-store';

const dir = mkdtempSync(join(tmpdir(), 'trellis-field-columns-'));
let files = 0;
const opened: SqliteReadStore[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newFile = () => join(dir, `readmodels-${++files}.db`);

function open(file: string, indexColumns?: 'generated'): SqliteReadStore {
  const store = SqliteReadStore.open({ file, indexColumns });
  opened.push(store);
  return store;
}

async function reopen(store: SqliteReadStore): Promise<SqliteReadStore> {
  await store.close();
  return open(store.file);
}

/**
 * A file as versions before ordinary columns left it: the store's own tables (unchanged since),
 * then the collection's table created, filled and indexed with those versions' statements.
 */
function writeLegacyFile(file: string, collection: CollectionDefinition, documents: readonly ReadDocument[], position: number): void {
  SqliteReadStore.open({ file }).database.close();
  const db = new Database(file);
  try {
    const table = `${collection.name}__g1`;
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (id TEXT NOT NULL PRIMARY KEY, doc TEXT, _position INTEGER) STRICT`);
      for (const field of collection.indexes) {
        db.exec(
          `ALTER TABLE "${table}" ADD COLUMN "f_${field}" ANY ` +
            `GENERATED ALWAYS AS (coalesce(json_extract(doc, '$.${field}'), -9e999)) VIRTUAL`,
        );
      }
      for (const field of collection.indexes) {
        db.exec(`CREATE INDEX IF NOT EXISTS "${table}__${field}" ON "${table}" ("f_${field}", id) WHERE doc IS NOT NULL`);
      }
      db.prepare('INSERT INTO _readstore_collections (physical, projection, collection, generation, indexes) VALUES (?, ?, ?, 1, ?)').run(
        table,
        collection.projection,
        collection.name,
        JSON.stringify(collection.indexes),
      );
      const upsert = db.prepare(
        `INSERT INTO "${table}" (id, doc, _position) VALUES (?, ?, ?) ` +
          'ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, _position = excluded._position WHERE (_position IS NULL OR _position < excluded._position)',
      );
      for (const document of documents) upsert.run(document.id, JSON.stringify(document), position);
      db.prepare("INSERT INTO _readstore_generations (projection, generation, status, checkpoint) VALUES (?, 1, 'active', ?)").run(
        collection.projection,
        position,
      );
    })();
  } finally {
    db.close();
  }
}

/** Each field column of the table, by field: 'ordinary' or 'generated' (PRAGMA table_xinfo's hidden 2 or 3). */
function columnKinds(store: SqliteReadStore, table: string): Record<string, string> {
  const info = store.database.pragma(`table_xinfo("${table}")`) as { name: string; hidden: number }[];
  return Object.fromEntries(info.filter((c) => c.name.startsWith('f_')).map((c) => [c.name.slice(2), c.hidden === 0 ? 'ordinary' : 'generated']));
}

function columnValues(store: SqliteReadStore, table: string, field: string): { id: string; value: unknown }[] {
  return store.database
    .prepare<[], { id: string; value: unknown }>(`SELECT id, "f_${field}" AS value FROM "${table}" WHERE doc IS NOT NULL ORDER BY id`)
    .all();
}

const valueOf = (document: ReadDocument, field: string): IndexValue =>
  ((document as unknown as Record<string, IndexValue | undefined>)[field] ?? null) as IndexValue;

function matches(document: ReadDocument, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([field, condition]) => {
    const value = valueOf(document, field);
    if (condition !== null && typeof condition === 'object') return (condition as { in: unknown[] }).in.includes(value);
    return value === condition;
  });
}

/** Every page of the query in each store; the stores must agree, and the answer is returned. */
async function sameAnswer<T extends ReadDocument>(
  stores: readonly ReadStore[],
  collection: CollectionDefinition<T>,
  query: FindQuery<T>,
): Promise<string[]> {
  const answers: { ids: string[]; count: number }[] = [];
  for (const store of stores) {
    const { items } = await readAllPages(store, collection, query);
    answers.push({ ids: ids(items), count: await store.count(collection, query.where) });
  }
  for (const answer of answers.slice(1)) expect({ query, ...answer }).toEqual({ query, ...answers[0] });
  return answers[0].ids;
}

describe('SQLite field columns', () => {
  describe('a file whose tables have the generated columns of earlier versions', () => {
    const all = deck(250);
    const board = new Map(all.map((card) => [card.id, card]));

    /** The legacy file, opened by this version, and a new file holding the same documents. */
    async function pair(): Promise<[SqliteReadStore, SqliteReadStore]> {
      const legacyFile = newFile();
      writeLegacyFile(legacyFile, cards, all, 250);
      const legacy = open(legacyFile);
      const fresh = open(newFile());
      await fresh.applyBatch(BOARD, 250, all.map((card) => upsertOp(cards, card)));
      expect(columnKinds(legacy, 'cards__g1')).toEqual(Object.fromEntries(cards.indexes.map((field) => [field, 'generated'])));
      expect(columnKinds(fresh, 'cards__g1')).toEqual(Object.fromEntries(cards.indexes.map((field) => [field, 'ordinary'])));
      return [legacy, fresh];
    }

    /** Both stores page, filter, count and bound every field as the contract orders the model. */
    async function expectAnswers(stores: readonly ReadStore[], model: ReadonlyMap<string, Card>): Promise<void> {
      const documents = [...model.values()];
      for (const field of SORTABLE) {
        for (const direction of ['asc', 'desc'] as const) {
          const answer = await sameAnswer(stores, cards, { sort: { field, direction }, limit: 17 });
          expect({ field, direction, ids: answer }).toEqual({ field, direction, ids: ids([...documents].sort(compareBy(field, direction))) });
        }
      }
      const filters: Where<Card>[] = [
        { points: null },
        { points: 3 },
        { points: 2.5 },
        { points: { in: [null, 0, 2.5] } },
        { blocked: true },
        { blocked: false },
        { blocked: { in: [true, false] } },
        { assignee: null },
        { assignee: 'chloé' },
        { assignee: { in: ['李雷', null] } },
        { state: 'done', projectId: 'p1' },
        { rank: documents[17].rank },
        { id: { in: [documents[3].id, 'missing'] } },
      ];
      for (const where of filters) {
        const answer = await sameAnswer(stores, cards, { where, sort: { field: 'points', direction: 'desc' }, limit: 6 });
        expect({ where, ids: answer }).toEqual({ where, ids: ids(documents.filter((card) => matches(card, where)).sort(compareBy('points', 'desc'))) });
      }
      for (const range of [{ gte: 3, lt: 8 }, { lt: 4 }, { gte: 10 }]) {
        for (const direction of ['asc', 'desc'] as const) {
          const answer = await sameAnswer(stores, cards, { sort: { field: 'points', direction }, range, limit: 4 });
          const inRange = documents.filter((card) => {
            const points = valueOf(card, 'points') as number | null;
            return points !== null && (range.gte === undefined || points >= range.gte) && (range.lt === undefined || points < range.lt);
          });
          expect({ range, direction, ids: answer }).toEqual({ range, direction, ids: ids(inRange.sort(compareBy('points', direction))) });
        }
      }
      for (const id of [documents[0].id, documents[100].id]) {
        const got = await Promise.all(stores.map((store) => store.get(cards, id)));
        for (const document of got.slice(1)) expect(document).toEqual(got[0]);
      }
    }

    it('is read, queried and paginated as a new file is', async () => {
      const stores = await pair();
      await expectAnswers(stores, board);
      expect(await stores[0].getCheckpoint(BOARD)).toBe(250);
    });

    it('takes upserts, patches, tombstones and deletes as a new file does, keeping its generated columns', async () => {
      const stores = await pair();
      const model = new Map(board);
      const [a, b, c, d, e] = all.slice(1, 6);
      const newcomer: Card = { id: 'newcomer', projectId: 'p1', state: 'todo', blocked: true, rank: 'm', title: 'New', points: null };
      const batches: { position: number; ops: WriteOp[] }[] = [
        {
          position: 251,
          ops: [
            upsertOp(cards, newcomer),
            patchOp(cards, a.id, { state: 'done', points: null, assignee: 'zed', blocked: true }),
            patchOp(cards, b.id, { points: 7.25, blocked: false, rank: 'zz' }),
            deleteOp(cards, c.id),
            upsertOp(cards, { ...d, rank: '0', points: 12, assignee: null }),
          ],
        },
        // A tombstone's document comes back, with other values; a patch of a tombstone finds nothing.
        { position: 252, ops: [upsertOp(cards, { ...c, state: 'review', points: 1, blocked: !c.blocked })] },
        { position: 253, ops: [deleteOp(cards, e.id)] },
        { position: 254, ops: [patchOp(cards, e.id, { state: 'doing' })] },
      ];
      for (const { position, ops } of batches) {
        for (const store of stores) expect(await store.applyBatch(BOARD, position, ops)).toEqual({ applied: true, checkpoint: position });
      }
      model.set(newcomer.id, newcomer);
      model.set(a.id, { ...a, state: 'done', points: null, assignee: 'zed', blocked: true });
      model.set(b.id, { ...b, points: 7.25, blocked: false, rank: 'zz' });
      model.set(d.id, { ...d, rank: '0', points: 12, assignee: null });
      model.set(c.id, { ...c, state: 'review', points: 1, blocked: !c.blocked });
      model.delete(e.id);
      for (const store of stores) expect(await store.delete(cards, all[6].id)).toBe(true);
      model.delete(all[6].id);

      await expectAnswers(stores, model);
      expect(columnKinds(stores[0], 'cards__g1')).toEqual(Object.fromEntries(cards.indexes.map((field) => [field, 'generated'])));
      // The columns themselves hold the same values in both kinds.
      for (const field of cards.indexes) expect(columnValues(stores[0], 'cards__g1', field)).toEqual(columnValues(stores[1], 'cards__g1', field));
    });

    it('adds a field indexed later as a generated column, and rebuilds into tables of ordinary columns', async () => {
      const [legacy] = await pair();
      const titled = defineCollection<Card>({ projection: BOARD, name: 'cards', indexes: [...(cards.indexes as (keyof Card & string)[]), 'title'] });
      const store = await reopen(legacy);
      const title = all[30].title;
      const { items } = await readAllPages(store, titled, { where: { title }, limit: 3 });
      expect(ids(items)).toEqual(ids(all.filter((card) => card.title === title)));
      expect(columnKinds(store, 'cards__g1')).toMatchObject({ title: 'generated', rank: 'generated' });

      const generation = await store.createGeneration(BOARD);
      await store.applyBatch(BOARD, 250, all.map((card) => upsertOp(titled, card)), { generation });
      await store.switchGeneration(BOARD, generation);
      expect(columnKinds(store, `cards__g${generation}`)).toEqual(Object.fromEntries(titled.indexes.map((field) => [field, 'ordinary'])));
      expect(ids((await readAllPages(store, titled, { where: { title }, limit: 3 })).items)).toEqual(ids(items));
    });
  });

  describe('values of every kind', () => {
    interface Loose extends ReadDocument {
      v?: unknown;
      w?: unknown;
    }
    const plain = defineCollection<Loose>({ projection: 'field-columns', name: 'values' });
    const indexed = defineCollection<Loose>({ projection: 'field-columns', name: 'values', indexes: ['v'] });
    const VALUES: (IndexValue | undefined)[] = [
      undefined, null, true, false, 0, -0, 1, -1, 2, 2.5, -7.125, 1e-300, 1e300, -1e300, 1e21, 2 ** 53 - 1,
      '', 'a', 'B', 'é', '10', '1', 'true', '😀', '～', 'null',
    ];
    // Two documents per value, so ties on the value are broken by id.
    const documents: Loose[] = VALUES.flatMap((v, i) => [0, 1].map((copy) => {
      const document: Loose = { id: `d${String(i).padStart(2, '0')}-${copy}`, w: i };
      if (v !== undefined) document.v = v;
      return document;
    }));

    /** The same documents under generated columns, ordinary columns, and a column added and filled later. */
    async function threeKinds(): Promise<SqliteReadStore[]> {
      const generated = open(newFile(), 'generated');
      const ordinary = open(newFile());
      const later = open(newFile());
      await generated.applyBatch('field-columns', 1, documents.map((document) => upsertOp(indexed, document)));
      await ordinary.applyBatch('field-columns', 1, documents.map((document) => upsertOp(indexed, document)));
      await later.applyBatch('field-columns', 1, documents.map((document) => upsertOp(plain, document)));
      expect(columnKinds(later, 'values__g1')).toEqual({});
      const backfilled = await reopen(later);
      await backfilled.count(indexed);
      expect([generated, ordinary, backfilled].map((store) => columnKinds(store, 'values__g1'))).toEqual([
        { v: 'generated' },
        { v: 'ordinary' },
        { v: 'ordinary' },
      ]);
      return [generated, ordinary, backfilled];
    }

    it('hold the same column values in both kinds, backfilled or written', async () => {
      const stores = await threeKinds();
      const values = stores.map((store) => columnValues(store, 'values__g1', 'v'));
      expect(values[1]).toEqual(values[0]);
      expect(values[2]).toEqual(values[0]);
      expect(values[0].find((row) => row.id === 'd00-0')!.value).toBe(-Infinity);
      expect(values[0].find((row) => row.id === 'd02-0')!.value).toBe(1);
    });

    it('sort, page, filter and bound the same in both kinds', async () => {
      const stores = await threeKinds();
      for (const direction of ['asc', 'desc'] as const) {
        for (const limit of [1, 3, 100]) await sameAnswer(stores, indexed, { sort: { field: 'v', direction }, limit });
      }
      for (const value of VALUES) {
        const v = value === undefined ? null : value;
        const answer = await sameAnswer(stores, indexed, { where: { v }, sort: { field: 'v', direction: 'desc' }, limit: 2 });
        // Booleans are the numbers 1 and 0 to SQLite, as json_extract has it.
        const equal = documents.filter((document) => {
          const stored = document.v ?? null;
          const asNumber = (x: unknown) => (typeof x === 'boolean' ? Number(x) : x);
          return stored === v || (typeof stored !== 'string' && typeof v !== 'string' && asNumber(stored) === asNumber(v) && stored !== null && v !== null);
        });
        expect({ v, ids: answer }).toEqual({ v, ids: ids(equal).sort().reverse() });
      }
      await sameAnswer(stores, indexed, { where: { v: { in: [null, 'a', 2.5, true] } }, limit: 5 });
      await sameAnswer(stores, indexed, { where: { v: { in: [1e21, -0, 'é', 2 ** 53 - 1] } }, sort: { field: 'v' }, limit: 2 });
      for (const range of [{ gte: -1, lt: 2 }, { gte: 'B' }, { lt: 'é' }, { gte: false, lt: true }, { gte: 1e-300 }]) {
        for (const direction of ['asc', 'desc'] as const) await sameAnswer(stores, indexed, { sort: { field: 'v', direction }, range, limit: 4 });
      }
    });

    it('keep the same values through patches, tombstones and upserts after them', async () => {
      const stores = await threeKinds();
      const ops: WriteOp[] = [
        patchOp(indexed, 'd02-0', { v: 'patched' }),
        patchOp(indexed, 'd03-0', { v: null }),
        patchOp(indexed, 'd04-0', { w: 'v untouched' }),
        patchOp(indexed, 'd00-0', { v: false }),
        deleteOp(indexed, 'd05-0'),
        deleteOp(indexed, 'd06-0'),
      ];
      for (const store of stores) {
        await store.applyBatch('field-columns', 2, ops);
        await store.applyBatch('field-columns', 3, [upsertOp(indexed, { id: 'd05-0', v: 'back' })]);
      }
      const values = stores.map((store) => columnValues(store, 'values__g1', 'v'));
      expect(values[1]).toEqual(values[0]);
      expect(values[2]).toEqual(values[0]);
      expect(values[0].find((row) => row.id === 'd05-0')!.value).toBe('back');
      expect(values[0].find((row) => row.id === 'd06-0')).toBeUndefined();
      for (const v of ['patched', 'back', false, null, 1, 'a']) {
        await sameAnswer(stores, indexed, { where: { v }, sort: { field: 'v' }, limit: 1 });
      }
      for (const direction of ['asc', 'desc'] as const) await sameAnswer(stores, indexed, { sort: { field: 'v', direction }, limit: 7 });
    });
  });

  describe('ordinary columns', () => {
    interface Row extends ReadDocument {
      a: string;
      b?: number | null;
    }
    const both = defineCollection<Row>({ projection: 'field-columns', name: 'rows', indexes: ['a', 'b'] });
    const onlyA = defineCollection<Row>({ projection: 'field-columns', name: 'rows', indexes: ['a'] });

    it('stay right while their field is not indexed, for the day it is again', async () => {
      let store = open(newFile());
      await store.applyBatch('field-columns', 1, [upsertOp(both, { id: 'r1', a: 'x', b: 1 }), upsertOp(both, { id: 'r2', a: 'y', b: 2 })]);
      store = await reopen(store);
      await store.applyBatch('field-columns', 2, [
        patchOp(onlyA, 'r1', { b: 5 }),
        upsertOp(onlyA, { id: 'r2', a: 'y' }),
        upsertOp(onlyA, { id: 'r3', a: 'z', b: 3 }),
      ]);
      store = await reopen(store);
      const { items } = await readAllPages(store, both, { sort: { field: 'b' }, limit: 1 });
      expect(ids(items)).toEqual(['r2', 'r3', 'r1']);
      expect(await store.count(both, { b: 5 })).toBe(1);
    });

    // json_extract reads an integer beyond 2^53 exactly, not as the double it was in the document:
    // the ordinary columns hold the double, so such values equal themselves as parameters.
    it('match integers beyond 2^53 as the doubles they are, written or backfilled', async () => {
      const big = [448655826642359700, 2 ** 60, -(2 ** 55) - 8, 9007199254740994, 3];
      const documents = big.map((b, i) => ({ id: `r${i}`, a: 'x', b }));
      const written = open(newFile());
      await written.applyBatch('field-columns', 1, documents.map((document) => upsertOp(both, document)));
      const later = open(newFile());
      await later.applyBatch('field-columns', 1, documents.map((document) => upsertOp(onlyA, document)));
      const backfilled = await reopen(later);
      const stores = [written, backfilled];
      await backfilled.count(both);
      expect(columnKinds(backfilled, 'rows__g1')).toEqual({ a: 'ordinary', b: 'ordinary' });
      for (const b of big) expect(await sameAnswer(stores, both, { where: { b }, sort: { field: 'b' } })).toEqual([`r${big.indexOf(b)}`]);
      expect(await sameAnswer(stores, both, { where: { b: { in: big.slice(0, 2) } }, sort: { field: 'b' } })).toEqual(['r0', 'r1']);
      const order = [...documents].sort((x, y) => x.b - y.b).map((document) => document.id);
      expect(await sameAnswer(stores, both, { sort: { field: 'b' }, limit: 1 })).toEqual(order);
      expect(await sameAnswer(stores, both, { sort: { field: 'b', direction: 'desc' }, range: { gte: 2 ** 53 }, limit: 1 })).toEqual(
        order.filter((id) => documents.find((document) => document.id === id)!.b >= 2 ** 53).reverse(),
      );
    });
  });
});
