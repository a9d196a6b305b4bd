/**
 * External workers over REST: long-poll claims woken by a new run, heartbeats that keep a lease,
 * a lapsed lease failing the attempt with lease_expired, and a stale worker's completion refused
 * (409) while the retry's result stands — the last also through the simulator.
 */
import { TrellisWorker } from '@trellis/runtime';
import { scenarioSuite } from './support/harness';
import { startTestServer, type TestServer } from '../support/server';
import { client, ok, type Client } from '../support/trellis';
import type { Scenario } from './support/scenario';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(15);
  }
}

const STALE: Scenario = {
  name: "refuses a stale worker's completion (409) after its lease lapsed; the retry's result stands",
  workflows: [
    `ref: workers.stale
output: "{{ tasks.work.result }}"
tasks:
  work: {action: ext.stale, retry: {count: 1}}
`,
  ],
  results: { work: [{ error: { code: 'lease_expired', message: 'the worker went quiet' } }, 'fresh'] },
  realResults: { work: ['fresh'] },
  expect: { status: 'succeeded', order: ['work'], output: 'fresh' },
  async beforeWorker({ admin, executionId }) {
    const [claimed] = ok(await admin.post('/worker/claim', { worker: 'sleepy', actions: ['ext.stale'], leaseMs: 100, waitMs: 2000 }), 200);
    expect(claimed).toMatchObject({ executionId, task: 'work', attempt: 1, fencingToken: 1, leaseMs: 100 });
    STALE_RUN.id = claimed.runId;
    await until(async () => {
      const view = ok(await admin.get(`/executions/${executionId}`));
      return view.tasks[0].runs[0].attempts.length === 2 ? true : undefined;
    });
  },
  async real({ admin, view }) {
    const stale = await admin.post(`/worker/runs/${STALE_RUN.id}/complete`, { fencingToken: 1, result: 'stale' });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'version_conflict', details: { reason: 'stale_fencing_token', expected: 2, actual: 1 } });
    const heartbeat = await admin.post(`/worker/runs/${STALE_RUN.id}/heartbeat`, { fencingToken: 1 });
    expect(heartbeat.status).toBe(409);
    expect(view.tasks[0].runs[0].attempts.map((a: any) => [a.attempt, a.status, a.worker, a.error?.code ?? a.result])).toEqual([
      [1, 'failed', 'sleepy', 'lease_expired'],
      [2, 'succeeded', 'scenario-worker', 'fresh'],
    ]);
    expect(ok(await admin.get(`/executions/${view.id}`)).output).toBe('fresh');
  },
};
const STALE_RUN = { id: '' };

scenarioSuite('workers: stale completion (real run and simulation)', [STALE]);

describe('workers over REST', () => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer();
    admin = client(server, server.adminToken);
    ok(await admin.put('/workflows/workers.one', 'ref: workers.one\noutput: "{{ tasks.job.result }}"\ntasks:\n  job: {action: ext.job, heartbeat: 1s}\n', 'application/yaml'));
  });
  afterAll(async () => server.close());

  it('answers a long-poll claim as soon as a run is offered, and an idle one with [] after waitMs', async () => {
    const started = Date.now();
    const idle = ok(await admin.post('/worker/claim', { worker: 'w', actions: ['ext.none'], waitMs: 150 }), 200);
    expect(idle).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const waiting = admin.post('/worker/claim', { worker: 'w', actions: ['ext.job'], waitMs: 5000 });
    await sleep(100);
    const t0 = Date.now();
    const id = ok(await admin.post('/workflows/workers.one/executions', {}), 202).id;
    const [claimed] = ok(await waiting, 200);
    expect(Date.now() - t0).toBeLessThan(1000);
    // The task's heartbeat (1s) caps the lease a worker asks for.
    expect(claimed).toMatchObject({ executionId: id, workflow: 'workers.one', task: 'job', action: 'ext.job', fencingToken: 1, idempotencyKey: `${id}.job.1`, leaseMs: 1000, input: {} });
    expect(ok(await admin.post(`/worker/runs/${claimed.runId}/complete`, { fencingToken: 1, result: 7 }), 200)).toEqual({ runId: claimed.runId, attempt: 1, status: 'succeeded' });
    // A repeated completion is a duplicate, not an error.
    expect((await admin.post(`/worker/runs/${claimed.runId}/complete`, { fencingToken: 1, result: 7 })).status).toBe(200);
    expect(ok(await admin.get(`/executions/${id}`))).toMatchObject({ status: 'succeeded', output: 7 });
  });

  it('keeps a lease alive with heartbeats, and fails a silent one with lease_expired', async () => {
    const kept = ok(await admin.post('/workflows/workers.one/executions', {}), 202).id;
    const [run] = ok(await admin.post('/worker/claim', { worker: 'w', actions: ['ext.job'], leaseMs: 150, waitMs: 2000 }), 200);
    for (let i = 0; i < 6; i++) {
      await sleep(60);
      expect(ok(await admin.post(`/worker/runs/${run.runId}/heartbeat`, { fencingToken: 1 }), 200)).toMatchObject({ runId: run.runId, leaseExpiresAt: expect.any(String) });
    }
    ok(await admin.post(`/worker/runs/${run.runId}/complete`, { fencingToken: 1, result: 'kept' }), 200);
    expect(ok(await admin.get(`/executions/${kept}`)).status).toBe('succeeded');

    const lapsed = ok(await admin.post('/workflows/workers.one/executions', {}), 202).id;
    const [silent] = ok(await admin.post('/worker/claim', { worker: 'w', actions: ['ext.job'], leaseMs: 80, waitMs: 2000 }), 200);
    expect(silent.executionId).toBe(lapsed);
    const view = await until(async () => {
      const v = ok(await admin.get(`/executions/${lapsed}`));
      return v.status === 'failed' ? v : undefined;
    });
    expect(view.error).toMatchObject({ code: 'task_failed', task: 'job' });
    expect(view.tasks[0].runs[0].attempts[0].error).toMatchObject({ code: 'lease_expired', message: expect.stringContaining('without a heartbeat for 80 ms') });
  });

  it('runs a handler longer than its lease with the TrellisWorker client, which heartbeats', async () => {
    const worker = new TrellisWorker({ url: server.baseUrl, token: admin.token, name: 'client-worker', leaseMs: 120, waitMs: 1000 });
    const seen: any[] = [];
    worker.register('ext.job', async (input, context) => {
      seen.push({ input, attempt: context.attempt, key: context.idempotencyKey });
      await sleep(500);
      return { done: context.task };
    });
    await worker.start();
    try {
      const id = ok(await admin.post('/workflows/workers.one/executions', {}), 202).id;
      const view = await until(async () => {
        const v = ok(await admin.get(`/executions/${id}`));
        return v.status === 'succeeded' ? v : undefined;
      });
      expect(view.output).toEqual({ done: 'job' });
      expect(view.tasks[0].runs[0].attempts).toHaveLength(1);
      expect(seen).toEqual([{ input: {}, attempt: 1, key: `${id}.job.1` }]);
    } finally {
      await worker.stop();
    }
  });

  it('refuses reports for unknown runs (404) and bad bodies (400)', async () => {
    expect((await admin.post('/worker/runs/nope.job.1/complete', { fencingToken: 1 })).status).toBe(404);
    const bad = await admin.post('/worker/claim', { worker: 'w', actions: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
  });
});
