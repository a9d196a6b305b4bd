/**
 * Secrets and core.http: `secrets.<name>` comes from TRELLIS_SECRET_<NAME>, reaches the HTTP call
 * and the worker that run the task, and nowhere else — not the SQLite files, not the API's
 * answers, not the logs (captured at debug level), even when an action echoes it back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/server';
import { client, ok, type Client } from '../support/trellis';
import { runScenario } from './support/rest-driver';
import { checkOutcome, type Scenario } from './support/scenario';
import { simulateScenario } from './support/simulate-driver';

const SECRET = 's3cr3t-deploy-key-0042';

describe('secrets and core.http', () => {
  let server: TestServer;
  let admin: Client;
  let loopback: Server;
  let base: string;
  const heard: Array<{ url?: string; authorization?: string; key?: string }> = [];
  const logs: string[] = [];

  beforeAll(async () => {
    loopback = createServer((req, res) => {
      heard.push({ url: req.url, authorization: req.headers.authorization, key: req.headers['idempotency-key'] as string });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/broken') res.statusCode = 500;
      res.end(JSON.stringify({ youSent: req.headers.authorization, path: req.url }));
    });
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(loopback.address() as AddressInfo).port}`;
    const sink = new Writable({ write: (chunk, _encoding, done) => (logs.push(chunk.toString()), done()) });
    server = await startTestServer({ env: { TRELLIS_SECRET_DEPLOY_KEY: SECRET }, app: { logger: pino({ level: 'debug' }, sink) } });
    admin = client(server, server.adminToken);
  });
  afterAll(async () => {
    await server.close();
    loopback.close();
  });

  const scenario = (): Scenario => ({
    name: 'secrets',
    workflows: [
      `ref: sec.deploy
output: {status: "{{ tasks.call.result.status }}", used: "{{ tasks.use.result }}"}
tasks:
  call:
    action: core.http
    input: {url: "${base}/deploy", method: POST, headers: {authorization: "Bearer {{ secrets.deploy_key }}"}, body: {env: prod}}
    on_success: use
  use: {action: ext.use, input: {key: "{{ secrets.deploy_key }}", plain: visible}}
`,
    ],
    results: { call: [{ status: 200, headers: {}, body: {} }], use: ['used'] },
    realResults: { use: ['used'] },
    expect: { status: 'succeeded', order: ['call', 'use'], output: { status: 200, used: 'used' } },
  });

  it('resolves secrets only for the HTTP call and the worker, and never stores, returns or logs them', async () => {
    const s = scenario();
    // The scripted worker answers by task; this one also checks what it was given, then echoes the secret back.
    const { outcome, context } = await runScenario(server, admin, {
      ...s,
      realResults: undefined,
      results: { use: [`echo:${SECRET}`] },
    });
    checkOutcome(outcome, { ...s.expect, output: { status: 200, used: 'echo:***' } }, 'real');
    expect(heard).toContainEqual({ url: '/deploy', authorization: `Bearer ${SECRET}`, key: `${context.executionId}.call.1` });

    const simulated = await simulateScenario(admin, s);
    checkOutcome(simulated, s.expect, 'simulated');
    expect(simulated.order).toEqual(outcome.order);

    const view = await admin.get(`/executions/${context.executionId}`);
    const history = await admin.get(`/executions/${context.executionId}/history`);
    for (const text of [view.text, history.text]) {
      expect(text).not.toContain(SECRET);
      expect(text).toContain('$secret');
    }
    // The HTTP result held the secret (the server echoed the header): it was masked before it was recorded.
    expect(view.json.tasks[0].result.body).toEqual({ youSent: 'Bearer ***', path: '/deploy' });

    await new Promise((resolve) => setTimeout(resolve, 100));
    const files = readdirSync(server.config.dataDir).filter((f) => f.includes('.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(server.config.dataDir, file)).includes(SECRET)).toBe(false);
    expect(logs.length).toBeGreaterThan(10);
    expect(logs.join('')).not.toContain(SECRET);
  });

  it('gives the worker the secret in its claim (the dispatch), and only there', async () => {
    ok(await admin.put('/workflows/sec.worker', 'ref: sec.worker\ntasks:\n  use: {action: ext.peek, input: {key: "{{ secrets.deploy_key }}", note: "k={{ secrets.deploy_key }}!"}}\n', 'application/yaml'));
    const id = ok(await admin.post('/workflows/sec.worker/executions', {}), 202).id;
    const [claimed] = ok(await admin.post('/worker/claim', { worker: 'peek', actions: ['ext.peek'], waitMs: 2000 }), 200);
    expect(claimed.input).toEqual({ key: SECRET, note: `k=${SECRET}!` });
    ok(await admin.post(`/worker/runs/${claimed.runId}/fail`, { fencingToken: 1, error: { code: 'leak', message: `I saw ${SECRET}` } }));
    const view = ok(await admin.get(`/executions/${id}`));
    expect(view.status).toBe('failed');
    expect(view.tasks[0].runs[0].attempts[0].error).toEqual({ code: 'leak', message: 'I saw ***' });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it('fails a non-2xx answer with http_error and takes on_failure', async () => {
    const s: Scenario = {
      name: 'http failure',
      workflows: [
        `ref: http.broken
tasks:
  call:
    action: core.http
    input: {url: "${base}/broken"}
    next:
      - when: "{{ failed() }}"
        publish: {code: "{{ error().code }}"}
        do: fallback
  fallback: {action: core.echo, input: {ok: true}}
`,
      ],
      results: { call: [{ error: { code: 'http_error', message: 'GET answered 500', status: 500 } }] },
      realResults: {},
      expect: { status: 'succeeded', order: ['call', 'fallback'], vars: { code: 'http_error' } },
    };
    const { outcome, context } = await runScenario(server, admin, s);
    checkOutcome(outcome, s.expect, 'real');
    expect(context.view.tasks[0].runs[0].attempts[0].error).toEqual({
      code: 'http_error',
      message: `GET ${base}/broken answered 500`,
      details: { status: 500, body: { youSent: undefined, path: '/broken' } },
    });
    checkOutcome(await simulateScenario(admin, s), s.expect, 'simulated');
  });
});
