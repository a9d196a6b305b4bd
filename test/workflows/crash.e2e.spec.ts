/**
 * Crash safety: a server process running a 20-task workflow with external workers is killed
 * (SIGKILL) mid-run and started again on the same data. The execution finishes, every task has
 * exactly one succeeded run, and no attempt was handed out twice: the only extra attempts are
 * those a worker held when the server died (their leases lapsed: lease_expired, then retried).
 */
import { rmSync } from 'node:fs';
import { TrellisWorker } from '@trellis/runtime';
import { send } from '../support/http';
import { tempDataDir } from '../support/server';
import { spawnServer, waitForOutput, type ServerProcess } from '../support/server-process';

const ADMIN = 'crash-test-admin-token-0123456789';
const LANES = ['a', 'b', 'c', 'd'];
const STEPS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lanesWorkflow(): string {
  const tasks = LANES.flatMap((lane) =>
    Array.from({ length: STEPS }, (_, i) => {
      const next = i + 1 < STEPS ? `, on_success: ${lane}${i + 2}` : '';
      return `  ${lane}${i + 1}: {action: crash.step, input: {lane: ${lane}, step: ${i + 1}}, heartbeat: 400ms, retry: {count: 3}${next}}`;
    }),
  );
  const output = LANES.map((lane) => `${lane}: "{{ tasks.${lane}${STEPS}.result }}"`).join(', ');
  return `ref: crash.lanes\noutput: {${output}}\ntasks:\n${tasks.join('\n')}\n`;
}

describe('crash safety (SIGKILL mid-run, restart on the same data)', () => {
  const dataDir = tempDataDir();
  const env = { HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, TRELLIS_ADMIN_TOKEN: ADMIN, TRELLIS_LOG_LEVEL: 'warn' };
  const servers: ServerProcess[] = [];
  const workers: TrellisWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the execution with every task run exactly once per the semantics', async () => {
    const first = spawnServer({ ...env, PORT: '0' });
    servers.push(first);
    const [, port] = await waitForOutput(first, /listening +http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/);
    const base = `http://127.0.0.1:${port}`;
    const api = (method: string, path: string, body?: unknown, contentType?: string) => send(base, method, `/api/v1${path}`, { token: ADMIN, body, contentType });

    expect((await api('PUT', '/workflows/crash.lanes', lanesWorkflow(), 'application/yaml')).status).toBe(201);
    const calls: Array<{ task: string; attempt: number; worker: string }> = [];
    for (const name of ['w1', 'w2']) {
      const worker = new TrellisWorker({ url: base, token: ADMIN, name, concurrency: 3, leaseMs: 400, waitMs: 500 });
      worker.register('crash.step', async (input: { lane: string; step: number }, context) => {
        calls.push({ task: context.task, attempt: context.attempt, worker: name });
        await sleep(60);
        return `${input.lane}${input.step}`;
      });
      await worker.start();
      workers.push(worker);
    }
    const started = await api('POST', '/workflows/crash.lanes/executions', { parameters: {} });
    expect(started.status).toBe(202);
    const id = started.json.id;

    while (calls.length < 8) await sleep(5);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const inFlightAtKill = calls.length;

    const second = spawnServer({ ...env, PORT: String(port) });
    servers.push(second);
    await waitForOutput(second, /listening +http:\/\/127\.0\.0\.1:\d+\/api\/v1/);

    let view: any;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
      view = (await api('GET', `/executions/${id}`)).json;
      if (['succeeded', 'failed', 'canceled'].includes(view?.status)) break;
    }
    expect(view.status).toBe('succeeded');
    expect(view.output).toEqual(Object.fromEntries(LANES.map((lane) => [lane, `${lane}${STEPS}`])));

    const tasks = LANES.flatMap((lane) => Array.from({ length: STEPS }, (_, i) => `${lane}${i + 1}`));
    expect(view.tasks.map((t: any) => t.task).sort()).toEqual([...tasks].sort());
    for (const activation of view.tasks) {
      const attempts = activation.runs[0].attempts;
      // Exactly one succeeded attempt, the last; any before it lost their worker to the crash.
      expect(attempts.filter((a: any) => a.status === 'succeeded')).toHaveLength(1);
      expect(attempts[attempts.length - 1].status).toBe('succeeded');
      for (const lost of attempts.slice(0, -1)) expect(lost.error).toMatchObject({ code: 'lease_expired' });
    }
    // No attempt was handed to a worker twice, and no task ran after it had succeeded.
    const seen = calls.map((c) => `${c.task}@${c.attempt}`);
    expect(new Set(seen).size).toBe(seen.length);
    const retried = view.tasks.filter((t: any) => t.runs[0].attempts.length > 1).length;
    expect(retried).toBeLessThanOrEqual(6);
    // Every succeeded attempt was run by a worker. An attempt claimed just before the kill may
    // never have reached its worker (the claim's answer died with the server): it lapses as
    // lease_expired without a call, so calls can be fewer than attempts, never more.
    for (const activation of view.tasks) {
      const attempts = activation.runs[0].attempts;
      expect(seen).toContain(`${activation.task}@${attempts[attempts.length - 1].attempt}`);
    }
    const attemptsTotal = view.tasks.reduce((n: number, t: any) => n + t.runs[0].attempts.length, 0);
    expect(calls.length).toBeGreaterThanOrEqual(tasks.length);
    expect(calls.length).toBeLessThanOrEqual(attemptsTotal);
    expect(inFlightAtKill).toBeGreaterThanOrEqual(8);

    await Promise.all(workers.splice(0).map((w) => w.stop()));
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 90_000);
});
