/**
 * Runs the conformance suite, then the PostgreSQL-specific tests, against the server at
 * DATABASE_URL (default: the local test server). Every store gets a fresh schema; all of them
 * are dropped at the end. When no server answers, the suites are reported as skipped and the
 * reason is printed.
 */
import { Client, escapeIdentifier } from 'pg';
import { defineCollection, type ReadDocument } from '../collection';
import { GenerationConflictError } from '../errors';
import type { FindResult } from '../query';
import type { ReadStore } from '../read-store';
import { BOARD, cards, columns, deck } from '../testing/cases/support';
import { readStoreConformance } from '../testing/conformance';
import { upsertOp } from '../write-ops';
import { PostgresReadStore } from './postgres-read-store';
import { postgresUnreachableReason } from '@trellis/eventstore/testing/postgres-probe';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const url = process.env.DATABASE_URL ?? DEFAULT_URL;
const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const schemas: string[] = [];
const schemaOf = new WeakMap<ReadStore, string>();

function newSchema(): string {
  schemas.push(`trellis_read_${runId}_${schemas.length + 1}`);
  return schemas[schemas.length - 1];
}

async function openAt(schema: string): Promise<PostgresReadStore> {
  const store = await PostgresReadStore.open({ connectionString: url, schema });
  schemaOf.set(store, schema);
  return store;
}

async function dropSchemas(): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

const reason = postgresUnreachableReason(url);
if (reason !== undefined) {
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  console.log(`PostgreSQL read store conformance skipped: no server answered at ${shown} (${reason})`);
  describe.skip(`PostgreSQL (no server at ${shown})`, () => readStoreConformance('postgres', { create: async () => undefined as never }));
} else {
  readStoreConformance('postgres', {
    create: () => openAt(newSchema()),
    reopen: async (store) => {
      await store.close();
      return openAt(schemaOf.get(store)!);
    },
    cleanup: dropSchemas,
  });
  describe('PostgresReadStore', () => postgresCases());
}

function postgresCases(): void {
  const stores: ReadStore[] = [];
  const open = async (schema = newSchema()) => {
    const store = await openAt(schema);
    stores.push(store);
    return store;
  };
  let sql: Client;

  beforeAll(async () => {
    sql = new Client({ connectionString: url });
    await sql.connect();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    await sql.end();
    await dropSchemas();
  });

  const indexesOf = async (schema: string, table: string) =>
    (
      await sql.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexname <> $2 || '_pkey' ORDER BY indexname",
        [schema, table],
      )
    ).rows.map((row) => row.indexname);

  it('defers the indexes of a generation being built until it is switched to, and plans keyset queries on them', async () => {
    const schema = newSchema();
    const store = await open(schema);
    await store.applyBatch(BOARD, 1, [upsertOp(cards, deck(1)[0])]);
    expect(store.backend).toBe('postgres');
    expect(await indexesOf(schema, 'cards__g1')).toHaveLength(cards.indexes.length);

    const generation = await store.createGeneration(BOARD);
    await store.applyBatch(BOARD, 300, deck(300).map((card) => upsertOp(cards, card)), { generation });
    expect(await indexesOf(schema, 'cards__g2')).toEqual([]);

    await store.switchGeneration(BOARD, generation);
    expect(await indexesOf(schema, 'cards__g2')).toEqual(cards.indexes.map((field) => `cards__g2__${field}`).sort());

    // A later page by rank, descending: one index seek past the cursor, no sort.
    const sort = { field: 'rank', direction: 'desc' } as const;
    const first = await store.find(cards, { sort, limit: 5 });
    const plan = await planOf(schema, () => store.find(cards, { sort, limit: 5, after: first.nextCursor }));
    expect(plan).toMatch(/Index Scan Backward using cards__g2__rank/);
    expect(plan).toMatch(/Index Cond: \(ROW\(/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('reports a closed store as unavailable', async () => {
    const store = await open();
    await store.close();
    await expect(store.get(cards, 'x')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.applyBatch(BOARD, 1, [])).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('two stores on one schema (two processes) apply each batch once and race generation steps safely', async () => {
    const schema = newSchema();
    const [a, b] = [await open(schema), await open(schema)];
    const card = deck(1)[0];
    const applyAll = (store: ReadStore) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => store.applyBatch(BOARD, i + 1, [upsertOp(cards, { ...card, title: `at ${i + 1}` })])));

    const results = (await Promise.all([applyAll(a), applyAll(b)])).flat();

    expect(await a.getCheckpoint(BOARD)).toBe(40);
    expect(await b.get(cards, card.id)).toMatchObject({ title: 'at 40', _position: 40 });
    const applied = results.filter((result) => result.applied).length;
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(applied).toBeLessThanOrEqual(40);

    const created = await Promise.allSettled([a.createGeneration(BOARD), b.createGeneration(BOARD)]);
    expect(created.filter((outcome) => outcome.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: 2 }]);
    expect((created.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(GenerationConflictError);
    const switched = await Promise.allSettled([a.switchGeneration(BOARD, 2), b.switchGeneration(BOARD, 2)]);
    expect(switched.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await b.generations(BOARD)).toMatchObject({ active: 2, building: null, retired: [1] });
  });

  it('rolls a batch back when the database refuses one of its statements, and keeps serving', async () => {
    const store = await open();
    const [a, b, c] = deck(3);
    await store.applyBatch(BOARD, 5, [upsertOp(cards, a)]);

    // jsonb refuses a lone surrogate, which JSON.stringify writes as an escape without complaint.
    const refused = [upsertOp(cards, b), upsertOp(columns, { id: 'todo', projectId: 'p0', wip: 1 }), upsertOp(cards, { ...c, title: '\ud800' })];
    await expect(store.applyBatch(BOARD, 9, refused)).rejects.toMatchObject({ code: '22P02' });

    expect(await store.getCheckpoint(BOARD)).toBe(5);
    expect(await store.get(cards, b.id)).toBeNull();
    expect(await store.get(columns, 'todo')).toBeNull();
    expect(await store.applyBatch(BOARD, 9, refused.slice(0, 2))).toEqual({ applied: true, checkpoint: 9 });
    expect(await store.count(cards)).toBe(2);
  });

  it('keeps names longer than PostgreSQL identifiers apart', async () => {
    type Doc = ReadDocument & Record<string, unknown>;
    const long = 'x'.repeat(60);
    const field = `f${'y'.repeat(60)}`;
    const first = defineCollection<Doc>({ projection: 'long-names', name: `${long}_one`, indexes: [field] });
    const second = defineCollection<Doc>({ projection: 'long-names', name: `${long}_two`, indexes: [field] });
    const store = await open();

    await store.applyBatch('long-names', 1, [upsertOp(first, { id: 'a', [field]: 1 }), upsertOp(second, { id: 'a', [field]: 2 })]);

    expect(await store.find(first, { where: { [field]: 1 } })).toEqual({ items: [{ id: 'a', [field]: 1, _position: 1 }], nextCursor: null });
    expect(await store.find(second, { where: { [field]: 1 } })).toEqual({ items: [], nextCursor: null });
  });

  it('stores NUL and its escape character so that equality and byte order survive', async () => {
    type Doc = ReadDocument & { label: string };
    const labels = collection<Doc>('labels', ['label']);
    const values = ['a\u0002', 'a\u0000b', 'a', 'a\u0001', 'a\u0000', 'a\\u0000', 'a\u0001\u0001', 'a\u0001\u0002'];
    const store = await open();
    await store.applyBatch('escapes', 1, values.map((label, i) => upsertOp(labels, { id: `${label}|${i}`, label, [`k\u0000${i}`]: label })));

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: FindResult<Doc> = await store.find(labels, { sort: { field: 'label', direction: 'asc' }, limit: 1, after });
      pages.push(...page.items.map((item) => item.label));
      after = page.nextCursor;
    } while (after !== null);

    const bytes = (value: string) => Buffer.from(value, 'utf8');
    expect(pages).toEqual([...values].sort((x, y) => Buffer.compare(bytes(x), bytes(y))));
    for (const [i, label] of values.entries()) {
      expect(await store.get(labels, `${label}|${i}`)).toEqual({ id: `${label}|${i}`, label, [`k\u0000${i}`]: label, _position: 1 });
      expect((await store.find(labels, { where: { label } })).items.map((item) => item.label)).toEqual([label]);
    }
  });

  function collection<T extends ReadDocument>(name: string, indexes: (keyof T & string)[]) {
    return defineCollection<T>({ projection: 'escapes', name, indexes });
  }

  /** The plan of the find `run` sends, with sequential scans ruled out (the table is small). */
  async function planOf(schema: string, run: () => Promise<unknown>): Promise<string> {
    const seen: { text: string; values?: unknown[] }[] = [];
    const original = Client.prototype.query;
    // The pool's connections are pg Clients: the store's statement is seen as it is sent.
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const [config, values] = args as [string | { text: string }, unknown[] | undefined];
      const text = typeof config === 'string' ? config : config.text;
      if (text.startsWith('SELECT doc, position')) seen.push({ text, values });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    expect(seen).toHaveLength(1);
    await sql.query('BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    try {
      const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${seen[0].text}`, seen[0].values);
      expect(seen[0].text).toContain(escapeIdentifier(schema));
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await sql.query('ROLLBACK');
    }
  }
}
