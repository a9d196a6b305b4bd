/**
 * GET /executions and GET /executions/{id} read the workflow-executions read model (the query
 * service GraphQL reads too). Here the read model is made to lag (a 300 ms projection interval):
 * a GET right after a command still shows what the command did (read-your-writes), and listings
 * page oldest first with an opaque cursor and answer bad queries with the API's errors.
 */
import { ExecutionQueries } from '@trellis/projections';
import { startTestServer, type TestServer } from '../support/server';
import { client, ok, readModelsCaughtUp, readStream, type Client } from '../support/trellis';

const ASK = `ref: reads.ask
tasks:
  ask: {action: core.inquiry, input: {prompt: "go?"}}
`;
const ORDER = `ref: reads.order
input: {customer: {type: string, required: true}}
search: {customer: "{{ parameters.customer }}"}
tasks:
  ship: {action: core.noop}
`;

describe('executions read from the read model', () => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRELLIS_PROJECTION_INTERVAL_MS: '300' } });
    admin = client(server, server.adminToken);
    ok(await admin.put('/workflows/reads.ask', ASK, 'application/yaml'));
    ok(await admin.put('/workflows/reads.order', ORDER, 'application/yaml'));
  });
  afterAll(async () => server.close());

  /** How many events the execution's stream has now. */
  const streamLength = async (id: string) => (await readStream(server, `execution-${id}`)).length;

  it('answers a GET right after a command with everything the stream had when asked', async () => {
    const queries = server.app.get(ExecutionQueries);
    let behind = 0;
    for (let round = 0; round < 3; round++) {
      const id = ok(await admin.post('/workflows/reads.ask/executions', {}), 202).id;
      const known = await streamLength(id);
      const started = ok(await admin.get(`/executions/${id}`));
      expect(started).toMatchObject({ id, workflow: 'reads.ask', status: 'running', tasks: [expect.objectContaining({ task: 'ask' })] });
      expect(started.eventCount).toBeGreaterThanOrEqual(known);

      ok(await admin.post(`/executions/${id}/cancel`, { reason: 'not today' }), 202);
      const canceled = await streamLength(id);
      // The read model itself has not caught up yet (its next batch is up to 300 ms away)...
      const projected = await queries.get(id);
      if (projected.eventCount < canceled) behind++;
      // ...but the GET waits for it.
      const view = ok(await admin.get(`/executions/${id}`));
      expect(view.eventCount).toBeGreaterThanOrEqual(canceled);
      expect(['canceling', 'canceled']).toContain(view.status);
    }
    // The waits above were tested against a read model that really lagged.
    expect(behind).toBeGreaterThan(0);
  });

  it('lists oldest first, pages with the opaque `next`, and filters by search fields', async () => {
    const ids: string[] = [];
    for (const customer of ['acme', 'globex', 'acme']) ids.push(ok(await admin.post('/workflows/reads.order/executions', { parameters: { customer } }), 202).id);
    // Listings do not wait: they are as fresh as the read model.
    await readModelsCaughtUp(server);

    const first = ok(await admin.get('/executions?workflow=reads.order&limit=2'));
    expect(first.executions.map((e: any) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.executions[0]).toEqual({
      id: ids[0],
      workflow: 'reads.order',
      version: 1,
      status: 'succeeded',
      search: { customer: 'acme' },
      actor: 'admin',
      startedAt: expect.any(String),
      endedAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(first.next).toEqual(expect.any(String));
    const rest = ok(await admin.get(`/executions?workflow=reads.order&limit=2&after=${encodeURIComponent(first.next)}`));
    expect(rest).toEqual({ executions: [expect.objectContaining({ id: ids[2] })], next: null });

    const acme = ok(await admin.get('/executions?workflow=reads.order&customer=acme'));
    expect(acme.executions.map((e: any) => e.id)).toEqual([ids[0], ids[2]]);
    expect(ok(await admin.get('/executions?customer=globex&status=succeeded')).executions.map((e: any) => e.id)).toEqual([ids[1]]);
  });

  it('answers bad queries with 400 validation_failed naming each parameter, and unknown executions with 404', async () => {
    const violations = async (query: string) => {
      const res = await admin.get(`/executions?${query}`);
      expect([res.status, res.json.error.code]).toEqual([400, 'validation_failed']);
      return res.json.error.details.violations.map((v: { path: string }) => v.path);
    };
    expect(await violations('after=not-a-cursor')).toEqual(['after']);
    expect(await violations('status=nope&limit=0')).toEqual(['status', 'limit']);
    expect(await violations('limit=501')).toEqual(['limit']);
    expect(await violations('status=running&status=paused')).toEqual(['status']);

    const missing = await admin.get('/executions/nope');
    expect([missing.status, missing.json.error.code]).toEqual([404, 'not_found']);
  });
});
