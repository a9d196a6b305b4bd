/**
 * Runs the conformance suite, then the PostgreSQL-specific tests, against the server at
 * DATABASE_URL (default: the local test server), each run in fresh schemas that are dropped at the
 * end. When no server answers, the suites are reported as skipped and the reason is printed.
 */
import { randomUUID } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import type { EventStore, RecordedEvent } from '../event-store';
import { verifyChain } from '../hash-chain';
import { eventStoreConformance } from '../testing/conformance';
import { PostgresEventStore } from './postgres-event-store';
import { postgresUnreachableReason } from '../testing/postgres-probe';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const url = process.env.DATABASE_URL ?? DEFAULT_URL;
const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

const reason = postgresUnreachableReason(url);
if (reason !== undefined) {
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  console.log(`PostgreSQL event store conformance skipped: no server answered at ${shown} (${reason})`);
  describe.skip(`PostgreSQL (no server at ${shown})`, () => eventStoreConformance('postgres', { create: async () => undefined as never }));
} else {
  const conformanceSchema = `trellis_conformance_${runId}`;
  eventStoreConformance('postgres', {
    create: () => PostgresEventStore.open({ connectionString: url, schema: conformanceSchema }),
    reopen: async (store) => {
      await store.close();
      return PostgresEventStore.open({ connectionString: url, schema: conformanceSchema });
    },
    cleanup: () => dropSchemas(conformanceSchema),
  });
  describe('PostgresEventStore', () => postgresCases());
}

function postgresCases(): void {
  const schemas: string[] = [];
  const stores: EventStore[] = [];
  const newSchema = () => {
    schemas.push(`trellis_pg_${runId}_${schemas.length + 1}`);
    return schemas[schemas.length - 1];
  };
  const open = async (schema = newSchema()) => {
    const store = await PostgresEventStore.open({ connectionString: url, schema });
    stores.push(store);
    return store;
  };
  const batch = (n: number, type = 'Happened') => Array.from({ length: n }, (_, i) => ({ type, data: { i } }));
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
    await dropSchemas(...schemas);
  });

  it('creates its schema and tables, also when several processes open it at once', async () => {
    const schema = newSchema();
    const [first, second, third] = await Promise.all([open(schema), open(schema), open(schema)]);

    await first.append('created', batch(1));
    const { rows } = await sql.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(first.backend).toBe('postgres');
    expect(rows.map((row) => row.table_name)).toEqual(['events', 'eventstore_schema', 'streams']);
    expect(await third.readStream('created')).toEqual(await second.readStream('created'));
  });

  it('commits appends issued together in one transaction (group commit)', async () => {
    const store = (await open()) as PostgresEventStore;
    const appenders = 16;
    const appendsEach = 20;

    await Promise.all(
      Array.from({ length: appenders }, async (_, w) => {
        for (let i = 0; i < appendsEach; i += 1) await store.append(`group-${w}`, batch(1), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }),
    );

    const { commits, appends, events, largestGroup } = store.stats;
    expect(appends).toBe(appenders * appendsEach);
    expect(events).toBe(appenders * appendsEach);
    expect(largestGroup).toBe(appenders);
    expect(commits).toBeLessThanOrEqual(appendsEach + 2);
  });

  it('an append the database refuses fails alone; the rest of its group commits', async () => {
    const store = await open();

    const outcomes = await Promise.allSettled([
      store.append('before', batch(1)),
      store.append('nul-\u0000-stream', batch(1)),
      store.append('after', batch(2)),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22021' });
    expect((await store.readStream('before')).map((e) => e.revision)).toEqual([0]);
    expect((await store.readStream('after')).map((e) => e.revision)).toEqual([0, 1]);
    const positions = (await store.readAll()).events.map((e) => e.position);
    expect(positions).toEqual([1, 2, 3]);
  });

  it('an event id already used by another stream fails that append only', async () => {
    const store = await open();
    const id = randomUUID();
    await store.append('owner', [{ id, type: 'Owned', data: {} }]);

    const [reused, reusedLater, other] = await Promise.allSettled([
      store.append('thief', [{ id, type: 'Owned', data: {} }]),
      store.append('thief', [{ type: 'Fine', data: {} }, { id, type: 'Owned', data: {} }]),
      store.append('bystander', batch(1)),
    ]);

    expect(String((reused as PromiseRejectedResult).reason)).toContain('already stored in stream owner');
    expect(String((reusedLater as PromiseRejectedResult).reason)).toContain('already stored in stream owner');
    expect(other.status).toBe('fulfilled');
    expect(await store.readStream('thief')).toEqual([]);
  });

  it('two stores on one schema (two processes) keep one gapless log in commit order, and each one’s subscribers see the other’s appends', async () => {
    const schema = newSchema();
    const [a, b] = [await open(schema), await open(schema)];
    const received: RecordedEvent[] = [];
    const subscription = a.subscribe((event) => void received.push(event), { batchSize: 100 });
    await subscription.caughtUp;
    const acknowledged: string[] = [];

    const writer = async (store: EventStore, w: number) => {
      for (let i = 0; i < 100; i += 1) {
        const result = await store.append(`multi-${w}-${i % 5}`, batch(1 + (i % 3)));
        acknowledged.push(...result.events.map((e) => e.id));
      }
    };
    await Promise.all([writer(a, 0), writer(b, 1), writer(a, 2), writer(b, 3)]);
    const log = (await b.readAll()).events;
    const deadline = Date.now() + 10000;
    while (received.length < log.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await subscription.stop();

    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1));
    expect(received.map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect([...acknowledged].sort()).toEqual(log.map((e) => e.id).sort());
    expect(verifyChain(log)).toEqual({ ok: true, count: log.length });
  });

  it('acknowledges an append only once another connection can read it', async () => {
    const schema = newSchema();
    const store = await open(schema);

    const seen = await store
      .append('visible', batch(3))
      .then(() => sql.query(`SELECT count(*)::int AS n FROM ${escapeIdentifier(schema)}.events WHERE stream_id = 'visible'`));

    expect(seen.rows).toEqual([{ n: 3 }]);
  });

  it('keeps the log append-only, and the hash chain exposes an edit made in the database', async () => {
    const schema = newSchema();
    const store = await open(schema);
    await store.append('ledger', batch(4, 'Booked'));
    const events = `${escapeIdentifier(schema)}.events`;
    const edit = `UPDATE ${events} SET data = '{"i":99}' WHERE stream_id = 'ledger' AND revision = 2`;

    await expect(sql.query(edit)).rejects.toThrow('append-only');
    await expect(sql.query(`DELETE FROM ${events}`)).rejects.toThrow('append-only');
    await expect(sql.query(`TRUNCATE ${events}`)).rejects.toThrow('append-only');
    await sql.query(`ALTER TABLE ${events} DISABLE TRIGGER events_no_change; ${edit}`);
    const stored = await store.readStream('ledger');

    expect(stored[2].data).toEqual({ i: 99 });
    expect(verifyChain(stored)).toMatchObject({ ok: false, brokenAt: { streamId: 'ledger', revision: 2, reason: 'hash_mismatch' } });
  });
}
