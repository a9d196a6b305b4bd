/**
 * A runtime stopped mid-run and started again on the same store resumes every execution from
 * the store alone: durable timers are re-armed, offered runs are offered again, and a run a worker
 * held before the restart gets a lease and, unreported, fails with lease_expired and is retried.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime } from './testing/runtime-harness';

const meta = { actor: 'test', occurredAt: '2024-01-01T00:00:00.000Z' };

describe('workflow runtime restart', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'trellis-recovery-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('re-arms timers and re-offers runs from the store', async () => {
    const first = await startRuntime({ dir });
    await first.runtime.registry.register('r.timers', 'ref: r.timers\ntasks:\n  nap: {action: core.sleep, input: {duration: 150ms}, on_success: work}\n  work: {action: ext.work}\n', meta);
    const { executionId } = await first.runtime.engine.start({ workflow: 'r.timers', actor: 'test' });
    await first.close();

    const second = await startRuntime({ dir });
    try {
      expect(second.runtime.timers.size).toBe(1);
      const [claimed] = await second.runtime.workers.claim({ worker: 'w', actions: ['ext.work'], waitMs: 3000, actor: 'w' });
      expect(claimed).toMatchObject({ executionId, task: 'work', attempt: 1 });
      await second.runtime.workers.complete(claimed.runId, 1, 'ok', 'w');
      expect(await second.until(executionId)).toBe('succeeded');
    } finally {
      await second.close();
    }
  });

  it('leases a run held before the restart; unreported, it fails with lease_expired and is retried', async () => {
    const first = await startRuntime({ dir });
    await first.runtime.registry.register('r.held', 'ref: r.held\ntasks:\n  work: {action: ext.held, heartbeat: 100ms, retry: {count: 1}}\n', meta);
    const { executionId } = await first.runtime.engine.start({ workflow: 'r.held', actor: 'test' });
    const [held] = await first.runtime.workers.claim({ worker: 'gone', actions: ['ext.held'], waitMs: 1000, actor: 'w' });
    await first.close();

    const second = await startRuntime({ dir });
    try {
      const [retried] = await second.runtime.workers.claim({ worker: 'w2', actions: ['ext.held'], waitMs: 3000, actor: 'w' });
      expect(retried).toMatchObject({ runId: held.runId, attempt: 2 });
      await expect(second.runtime.workers.complete(held.runId, 1, 'late', 'w')).rejects.toMatchObject({ code: 'version_conflict' });
      await second.runtime.workers.complete(retried.runId, 2, 'done', 'w');
      expect(await second.until(executionId)).toBe('succeeded');
    } finally {
      await second.close();
    }
  });
});
