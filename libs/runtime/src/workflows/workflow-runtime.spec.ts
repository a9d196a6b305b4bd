import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRuntime, type RuntimeHarness } from './testing/runtime-harness';
import { executionStreamId } from './executions/execution-index';
import { foldState } from './executions/fold-state';

const meta = { actor: 'test', occurredAt: '2024-01-01T00:00:00.000Z' };

describe('workflow runtime', () => {
  let h: RuntimeHarness;
  beforeEach(async () => {
    h = await startRuntime({ secrets: { api_token: 'sekret-value-42' } });
  });
  afterEach(async () => h.close());

  const register = (source: string) => h.runtime.registry.register(/^ref: (\S+)/m.exec(source)![1], source, meta);
  const start = async (workflow: string, parameters: Record<string, unknown> = {}) =>
    (await h.runtime.engine.start({ workflow, parameters, actor: 'test' })).executionId;
  const events = (id: string) => h.store.readStream(executionStreamId(id));
  const state = async (id: string) => foldState(await events(id));

  it('runs a sequence of pure built-ins in one decision and renders the output', async () => {
    await register(['ref: t.seq', 'output: {text: "{{ tasks.c.result.text }}"}', 'tasks:', '  a: {action: core.echo, input: {text: hi}, on_success: b}', '  b: {action: core.echo, input: {text: "{{ tasks.a.result.text }}!"}, on_success: c}', '  c: {action: core.echo, input: {text: "{{ upper(tasks.b.result.text) }}"}}', ''].join('\n'));
    const id = await start('t.seq');
    expect(await h.until(id)).toBe('succeeded');
    const s = await state(id);
    expect(s.output).toEqual({ text: 'HI!' });
    expect(Object.values(s.activations).map((a) => a.task)).toEqual(['a', 'b', 'c']);
    expect(await events(id)).toHaveLength(s.eventCount);
  });

  it('offers external runs to a claiming worker, with secrets resolved only in the claim', async () => {
    await register(['ref: t.ext', 'tasks:', '  build: {action: ci.build, input: {token: "{{ secrets.api_token }}", ref: main}}', ''].join('\n'));
    const id = await start('t.ext');
    const [claimed] = await h.runtime.workers.claim({ worker: 'w1', actions: ['ci.build'], waitMs: 1000, actor: 'w' });
    expect(claimed).toMatchObject({ executionId: id, task: 'build', attempt: 1, fencingToken: 1, input: { token: 'sekret-value-42', ref: 'main' } });
    await h.runtime.workers.complete(claimed.runId, 1, { echoed: 'sekret-value-42' }, 'w');
    expect(await h.until(id)).toBe('succeeded');
    const stored = JSON.stringify(await h.store.readStream(executionStreamId(id)));
    expect(stored).not.toContain('sekret-value-42');
    expect(stored).toContain('***');
  });

  it('fires durable timers (core.sleep) and runs core.http against a loopback server', async () => {
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, key: req.headers['idempotency-key'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await register(['ref: t.http', 'output: "{{ tasks.call.result.body }}"', 'tasks:', '  nap: {action: core.sleep, input: {duration: 30ms}, on_success: call}', `  call: {action: core.http, input: {url: "http://127.0.0.1:${port}/x"}}`, ''].join('\n'));
      const id = await start('t.http');
      expect(await h.until(id)).toBe('succeeded');
      expect((await state(id)).output).toEqual({ path: '/x', key: `${id}.call.1` });
    } finally {
      server.close();
    }
  });

  it('runs a child workflow and takes its output as the task result', async () => {
    await register(['ref: t.child', 'input: {n: {type: integer}}', 'output: {double: "{{ parameters.n * 2 }}"}', 'tasks:', '  x: {action: core.noop}', ''].join('\n'));
    await register(['ref: t.parent', 'output: "{{ tasks.kid.result }}"', 'tasks:', '  kid: {action: t.child, input: {n: 21}}', ''].join('\n'));
    const id = await start('t.parent');
    expect(await h.until(id)).toBe('succeeded');
    expect((await state(id)).output).toEqual({ double: 42 });
  });

  it('fails a lapsed lease with lease_expired, retries, and rejects the stale completion', async () => {
    await register(['ref: t.lease', 'tasks:', '  work: {action: ext.work, retry: {count: 1}}', ''].join('\n'));
    const id = await start('t.lease');
    const [first] = await h.runtime.workers.claim({ worker: 'slow', actions: ['ext.work'], leaseMs: 50, actor: 'w' });
    const [second] = await h.runtime.workers.claim({ worker: 'fast', actions: ['ext.work'], waitMs: 2000, actor: 'w' });
    expect(second).toMatchObject({ runId: first.runId, attempt: 2 });
    await expect(h.runtime.workers.complete(first.runId, 1, 'late', 'w')).rejects.toMatchObject({ code: 'version_conflict' });
    await h.runtime.workers.complete(second.runId, 2, 'fresh', 'w');
    expect(await h.until(id)).toBe('succeeded');
    const reports = (await events(id)).filter((e) => e.type === 'TaskRunFailed' || e.type === 'TaskRunSucceeded');
    expect(reports.map((e) => e.data as { attempt: number; error?: { code: string }; result?: unknown }).map((d) => [d.attempt, d.error?.code ?? d.result])).toEqual([
      [1, 'lease_expired'],
      [2, 'fresh'],
    ]);
  });
});
