/**
 * Crash safety of the read side: the server process is killed with SIGKILL while its projections
 * are catching up on a long log; restarted, they go on from their checkpoints (which only ever
 * move forward) and end equal to a fresh fold of the same log.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@trellis/eventstore';
import { SqliteReadStore } from '@trellis/readstore';
import { shippedProjections } from '@trellis/projections';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { dumpReadModel } from '../projections/testing/stores';
import { send } from './support/http';
import { tempDataDir } from './support/server';
import { spawnServer, waitForOutput, type ServerProcess } from './support/server-process';

const TOKEN = 'crash-test-admin-token-0123456789';
const ISSUES = 4000;
const EDITS = 20;

/** A long log written straight into the file: a project and issues edited many times. */
async function writeLog(dataDir: string): Promise<number> {
  const store = SqliteEventStore.open({ file: join(dataDir, 'events.db'), synchronous: 'NORMAL' });
  const at = '2026-03-02T09:00:00.000Z';
  const meta = { actor: 'loader', occurredAt: at };
  try {
    await store.append('project-p1', [{ type: 'ProjectCreated', data: { id: 'p1', lifecycle: 'project', lifecycleVersion: 1, state: 'Draft', fields: { key: 'P1', name: 'P1' }, actor: 'loader' }, metadata: meta }]);
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < ISSUES; i++) {
      const id = `i${i}`;
      const events: NewEvent[] = [
        { type: 'IssueCreated', data: { id, lifecycle: 'issue', lifecycleVersion: 1, projectId: 'p1', state: 'Backlog', fields: { title: `Issue ${i}` }, actor: 'loader' }, metadata: meta },
        ...Array.from({ length: EDITS }, (_, e) => ({ type: 'IssueFieldsChanged', data: { fields: { points: e, title: `Issue ${i} v${e}` }, actor: 'loader' }, metadata: meta })),
      ];
      appends.push(store.append(`issue-${id}`, events));
    }
    await Promise.all(appends);
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

function checkpoints(dataDir: string): Record<string, number> {
  const db = new Database(join(dataDir, 'readmodels.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], { projection: string; checkpoint: number }>("SELECT projection, checkpoint FROM _readstore_generations WHERE status = 'active'").all();
    return Object.fromEntries(rows.map((r) => [r.projection, r.checkpoint]));
  } catch {
    return {};
  } finally {
    db.close();
  }
}

const start = async (dataDir: string): Promise<{ server: ServerProcess; baseUrl: string }> => {
  const server = spawnServer({ PORT: '0', HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, TRELLIS_ADMIN_TOKEN: TOKEN, TRELLIS_LOG_LEVEL: 'warn' });
  const [, port] = await waitForOutput(server, /listening +http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/, 60_000);
  return { server, baseUrl: `http://127.0.0.1:${port}` };
};

describe('projections across a SIGKILL (e2e)', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = tempDataDir()));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resume from their checkpoints after the server is killed mid-projection, and end equal to a fresh fold', async () => {
    const written = await writeLog(dataDir);
    const names = shippedProjections().map((p) => p.name);

    const first = await start(dataDir);
    let atKill: Record<string, number> = {};
    try {
      // Kill as soon as some projection has committed batches but not reached the head.
      for (;;) {
        atKill = checkpoints(dataDir);
        if (names.some((n) => (atKill[n] ?? 0) > 0) && names.some((n) => (atKill[n] ?? 0) < written)) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      first.server.child.kill('SIGKILL');
      expect(await first.server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      if (first.server.child.exitCode === null) first.server.child.kill('SIGKILL');
    }
    const afterKill = checkpoints(dataDir);
    expect(names.some((n) => (afterKill[n] ?? 0) < written)).toBe(true);

    const second = await start(dataDir);
    let head = 0;
    try {
      const seen: Array<Record<string, number>> = [];
      for (;;) {
        const res = await send(second.baseUrl, 'GET', '/api/v1/admin/projections', { token: TOKEN });
        expect(res.status).toBe(200);
        const statuses = res.json.projections as Array<{ name: string; checkpoint: number; head: number; lag: number; status: string }>;
        seen.push(Object.fromEntries(statuses.map((s) => [s.name, s.checkpoint])));
        expect(statuses.every((s) => s.status === 'running')).toBe(true);
        if (statuses.every((s) => s.lag === 0)) {
          head = statuses[0].head;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Never behind where the killed process had committed: they went on from there.
      for (const snapshot of seen) for (const name of names) expect(snapshot[name]).toBeGreaterThanOrEqual(afterKill[name] ?? 0);
      second.server.child.kill('SIGTERM');
      expect(await second.server.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (second.server.child.exitCode === null) second.server.child.kill('SIGKILL');
    }
    expect(head).toBeGreaterThanOrEqual(written);

    const events = SqliteEventStore.open({ file: join(dataDir, 'events.db') });
    const served = SqliteReadStore.open({ file: join(dataDir, 'readmodels.db') });
    const fresh = SqliteReadStore.open({ file: join(dataDir, 'fresh.db') });
    const projections = shippedProjections();
    const engine = new ProjectionEngine(events, fresh, projections);
    try {
      await engine.start();
      await engine.settled(undefined, 60_000);
      await engine.stop();
      for (const projection of projections) expect(await dumpReadModel(served, projection)).toEqual(await dumpReadModel(fresh, projection));
    } finally {
      await engine.stop();
      await Promise.all([events.close(), served.close(), fresh.close()]);
    }
  }, 180_000);
});
