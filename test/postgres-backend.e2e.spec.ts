/**
 * The server on PostgreSQL (DATABASE_URL) for both the event store and the read store: the same
 * API, and the data outlives the process. Runs against a fresh database that is dropped at the
 * end; skipped, with the reason printed, when no PostgreSQL server answers.
 */
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { POSTGRES_TEST_URL, postgresUnreachableReason, shownUrl } from '@trellis/eventstore/testing/postgres-probe';
import { client, clientAs, ok } from './support/trellis';
import { startTestServer, TestServer } from './support/server';

const ADMIN_URL = POSTGRES_TEST_URL;
const database = `trellis_e2e_${randomBytes(4).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
})();

async function admin<T>(work: (pg: PgClient) => Promise<T>): Promise<T> {
  const pg = new PgClient({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  await pg.connect();
  try {
    return await work(pg);
  } finally {
    await pg.end();
  }
}

const reason = postgresUnreachableReason(ADMIN_URL);
if (reason) console.log(`PostgreSQL backend e2e skipped: no server answered at ${shownUrl(ADMIN_URL)} (${reason})`);

(reason ? describe.skip : describe)('server on PostgreSQL (DATABASE_URL)', () => {
  let server: TestServer | undefined;
  beforeAll(() => admin((pg) => pg.query(`CREATE DATABASE ${database}`)));
  afterEach(async () => server?.close());
  afterAll(() => admin((pg) => pg.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)));

  it('serves the API from PostgreSQL, and a restarted server sees the same entities', async () => {
    server = await startTestServer({ env: { DATABASE_URL: databaseUrl } });
    const health = ok(await server.send('GET', '/api/v1/health'));
    expect(health.backends.eventStore).toMatchObject({ backend: 'postgres', status: 'ok' });

    const alice = await clientAs(server, 'alice', { '*': ['member'] });
    const project = ok(await alice.post('/projects', { key: 'PG', name: 'On PostgreSQL' }), 201);
    const issue = ok(await alice.post(`/projects/${project.id}/issues`, { title: 'Stored in PostgreSQL', points: 3 }), 201);
    const moved = ok(await alice.post(`/issues/${issue.id}/transitions`, { transition: 'ready' }));
    expect(moved.state).toBe('Ready');
    await server.close();

    server = await startTestServer({ env: { DATABASE_URL: databaseUrl } });
    const again = ok(await client(server, server.adminToken).get(`/issues/${issue.id}`));
    expect(again).toMatchObject({ id: issue.id, state: 'Ready', fields: { title: 'Stored in PostgreSQL', points: 3 }, version: 2 });
    const history = ok(await client(server, server.adminToken).get(`/issues/${issue.id}/history`));
    expect(history.events.map((e: { type: string }) => e.type)).toEqual(['IssueCreated', 'IssueTransitioned']);
  });
});
