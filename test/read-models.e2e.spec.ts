/**
 * The read side over REST against a started server: after a scripted sprint driven through the
 * entity endpoints by several actors, the board, the audit trail (paged, filtered, exported) and
 * the execution views equal what the events imply (folded independently); a rebuild during load
 * never leaves reads failing or empty and ends equal to a fresh fold; tampering with a stored
 * event is detected and named.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ReadStore, SqliteReadStore } from '@trellis/readstore';
import { ExecutionQueries, shippedProjections } from '@trellis/projections';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { appendSimulatedExecutions } from '../projections/testing/execution-script';
import { expectedAudit, expectedBoard, expectedExecution, readAllEvents } from '../projections/testing/oracles';
import { ACTORS, scriptSprint, type ScriptedSprint } from '../projections/testing/sprint-script';
import { dumpReadModel } from '../projections/testing/stores';
import { startTestServer, type TestServer } from './support/server';
import { RestSprintDriver } from './support/sprint-driver';
import { client, clientAs, ok, settled, type Client } from './support/trellis';

const projections = shippedProjections();

describe('read models over REST (e2e)', () => {
  let server: TestServer;
  let driver: RestSprintDriver;
  let sprint: ScriptedSprint;
  let auditor: Client;
  let admin: Client;
  const caughtUp = async () => {
    await settled(server);
    await server.app.get(ProjectionEngine).settled();
  };

  beforeAll(async () => {
    server = await startTestServer();
    driver = new RestSprintDriver(server);
    sprint = await scriptSprint(driver, { issues: 30 });
    // Simulated from now on, so that no timer of theirs is due while the server's workflow runtime watches them.
    await appendSimulatedExecutions(server.store, 4, new Date().toISOString());
    auditor = await clientAs(server, 'audrey', { '*': ['auditor'] });
    admin = client(server, server.adminToken);
    await caughtUp();
  }, 120_000);
  afterAll(() => server.close());

  it('GET /projects/{id}/board has the columns, cards, WIP, points and burndown the events imply', async () => {
    const bob = await driver.as(ACTORS.bob);
    const board = ok(await bob.get(`/projects/${sprint.projectId}/board?sprint=${sprint.sprintId}`));
    const expected = expectedBoard(await readAllEvents(server.store), sprint.sprintId, new Date().toISOString().slice(0, 10));

    expect(board.sprint).toMatchObject({ id: sprint.sprintId, state: 'Active', name: 'Sprint 1' });
    const columns = Object.fromEntries(
      (board.columns as Array<{ state: string; wip: number; points: number; cards: Array<{ id: string }> }>)
        .filter((c) => c.wip > 0)
        .map((c) => [c.state, { cards: c.cards.map((card) => card.id), wip: c.wip, points: c.points }]),
    );
    expect(columns).toEqual(expected.columns);
    expect(board.burndown).toEqual(expected.burndown);
    expect(board.columns.map((c: { state: string }) => c.state)).toEqual(['Backlog', 'Ready', 'InProgress', 'InReview', 'Testing', 'Done', 'Blocked', 'Abandoned']);
    // Without ?sprint=, the project's running sprint.
    expect(ok(await bob.get(`/projects/${sprint.projectId}/board`))).toEqual(board);
    expect((await bob.get(`/projects/${sprint.projectId}/board?sprint=nope`)).json.error.code).toBe('not_found');
    const outsider = await clientAs(server, 'olaf', { 'other-project': ['viewer'] });
    expect((await outsider.get(`/projects/${sprint.projectId}/board`)).status).toBe(403);
  });

  it('GET /audit pages through every event in time order, and filters by entity, actor, type and time', async () => {
    const events = await readAllEvents(server.store);
    const trail = [];
    let next: string | null = null;
    do {
      const page = ok(await auditor.get(`/audit?limit=97${next ? `&after=${next}` : ''}`));
      trail.push(...page.entries);
      next = page.next;
    } while (next);
    const expected = expectedAudit(events).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.position - b.position);
    expect(trail.map(({ position, type, actor, streamId, occurredAt, correlationId }) => ({ position, type, actor, streamId, occurredAt, correlationId }))).toEqual(expected);

    const issueId = sprint.issueIds[0];
    const ofIssue = ok(await auditor.get(`/audit?entity=${issueId}&limit=1000`)).entries;
    expect(ofIssue.map((e: { position: number }) => e.position)).toEqual(events.filter((e) => e.streamId === `issue-${issueId}`).map((e) => e.position));
    expect(ofIssue[0]).toMatchObject({ entityType: 'issue', entity: issueId, type: 'IssueCreated', summary: expect.stringMatching(/^created in Backlog with (assignee=\w+, )?(points=\d+, )?title=Issue 1$/) });

    const approvals = ok(await auditor.get('/audit?actor=erin&type=IssueApprovalGranted&limit=1000')).entries;
    expect(approvals.length).toBe(events.filter((e) => e.metadata.actor === 'erin' && e.type === 'IssueApprovalGranted').length);
    expect(approvals.length).toBeGreaterThan(0);

    const middle = events[Math.floor(events.length / 2)].metadata.occurredAt;
    const since = ok(await auditor.get(`/audit?from=${encodeURIComponent(middle)}&limit=1000`)).entries;
    expect(since.map((e: { position: number }) => e.position).sort((a: number, b: number) => a - b)).toEqual(
      events.filter((e) => e.metadata.occurredAt >= middle).map((e) => e.position),
    );

    const bad = await auditor.get('/audit?after=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'validation_failed', details: { violations: [{ path: 'after' }] } });
    expect((await auditor.get('/audit?from=yesterday')).json.error.code).toBe('validation_failed');
    expect((await (await driver.as(ACTORS.bob)).get('/audit')).status).toBe(403);
  });

  it('GET /audit/export streams every entry as JSON Lines and as CSV', async () => {
    const total = (await readAllEvents(server.store)).length;
    const jsonl = await auditor.get('/audit/export?format=jsonl');
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = jsonl.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(total);
    expect(lines.map((e) => e.position).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    const issueId = sprint.issueIds[0];
    const csv = await auditor.get(`/audit/export?format=csv&entity=${issueId}`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe('position,occurredAt,actor,type,entityType,entity,streamId,revision,summary,correlationId,causationId,eventId');
    const issueEvents = lines.filter((e) => e.entity === issueId);
    expect(rows).toHaveLength(issueEvents.length + 1);
    // The creation's summary lists fields with commas: quoted (RFC 4180).
    const created = issueEvents.find((e) => e.type === 'IssueCreated');
    expect(created.summary).toContain(',');
    expect(rows[1]).toBe(
      [created.position, created.occurredAt, created.actor, 'IssueCreated', 'issue', issueId, `issue-${issueId}`, 0, `"${created.summary}"`, created.correlationId, '', created.eventId].join(','),
    );
  });

  it('the execution views equal what their events imply', async () => {
    const events = await readAllEvents(server.store);
    const ids = [...new Set(events.filter((e) => e.streamId.startsWith('execution-')).map((e) => e.streamId.slice('execution-'.length)))];
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const queries = server.app.get(ExecutionQueries);
    for (const id of ids) {
      const expected = expectedExecution(events, id);
      const view = await queries.get(id);
      expect({ status: view.status, vars: view.vars, output: view.output, error: view.error?.code ?? null }).toEqual({
        status: expected.status,
        vars: expected.vars,
        output: expected.output,
        error: expected.errorCode,
      });
      expect(view.runs.map((r) => ({ runId: r.runId, status: r.status, attempts: r.attempts.map(({ attempt, scheduledAt, startedAt, endedAt }) => ({ attempt, scheduledAt, startedAt, endedAt })) }))).toEqual(
        expected.runs,
      );
    }
  });

  it('a rebuild during 1,000 commands never fails a read or shows an empty board, and ends equal to a fresh fold', async () => {
    const bob = await driver.as(ACTORS.bob);
    const boardPath = `/projects/${sprint.projectId}/board?sprint=${sprint.sprintId}`;
    const cardsOf = (board: { columns: Array<{ wip: number }> }) => board.columns.reduce((n, c) => n + c.wip, 0);
    const before = cardsOf(ok(await bob.get(boardPath)));
    let loading = true;
    const reads = { count: 0, failures: [] as string[] };
    const reader = (async () => {
      while (loading) {
        const res = await bob.get(boardPath);
        reads.count += 1;
        if (res.status !== 200 || cardsOf(res.json) !== before) reads.failures.push(`${res.status} ${res.text.slice(0, 200)}`);
        const audit = await auditor.get('/audit?limit=5');
        if (audit.status !== 200 || audit.json.entries.length === 0) reads.failures.push(`audit ${audit.status} ${audit.text.slice(0, 200)}`);
      }
    })();
    const rebuilds: Record<string, number> = {};
    const rebuilder = (async () => {
      while (loading) {
        const { projections: statuses } = ok(await admin.get('/admin/projections'));
        for (const s of statuses) {
          if (s.rebuild?.status === 'running' || s.rebuild?.status === 'switching') continue;
          ok(await admin.post(`/admin/projections/${s.name}/rebuild`), 202);
          rebuilds[s.name] = (rebuilds[s.name] ?? 0) + 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const writers = ['alice', 'bob', 'carol', 'dave'].map(async (name, w) => {
      const actor = ACTORS[name as keyof typeof ACTORS];
      const c = await driver.as(actor);
      for (let i = 0; i < 250; i++) {
        const issueId = sprint.issueIds[(w * 250 + i) % sprint.issueIds.length];
        ok(await c.patch(`/issues/${issueId}`, { title: `Issue ${issueId} (edit ${w}.${i})` }));
      }
    });
    await Promise.all(writers);
    loading = false;
    await Promise.all([reader, rebuilder]);
    for (const name of Object.keys(rebuilds)) await server.app.get(ProjectionEngine).runner(name).rebuildFinished();
    await caughtUp();

    expect(reads.failures).toEqual([]);
    expect(reads.count).toBeGreaterThan(10);
    expect(Object.keys(rebuilds).sort()).toEqual(projections.map((p) => p.name).sort());
    const { projections: statuses } = ok(await admin.get('/admin/projections'));
    for (const s of statuses) {
      expect(s).toMatchObject({ status: 'running', lag: 0, error: null, rebuild: { status: 'done' } });
      expect(s.generation).toBeGreaterThan(1);
    }

    // A fresh fold of the same log into an empty store.
    const fresh = SqliteReadStore.open({ file: join(server.config.dataDir, 'fresh.db') });
    const engine = new ProjectionEngine(server.store, fresh, projections);
    try {
      await engine.start();
      await engine.settled();
      const live = server.app.get(ReadStore);
      for (const projection of projections) expect(await dumpReadModel(live, projection)).toEqual(await dumpReadModel(fresh, projection));
    } finally {
      await engine.stop();
      await fresh.close();
    }
  }, 120_000);

  it('GET /audit/verify recomputes the hash chains and names the first event altered in the database file', async () => {
    expect(ok(await auditor.get('/audit/verify'))).toMatchObject({ ok: true, stream: null, brokenAt: null });
    const events = await readAllEvents(server.store);
    const victim = events.find((e) => e.type === 'IssueTransitioned' && e.streamId === `issue-${sprint.issueIds[5]}`)!;

    const db = new Database(join(server.config.dataDir, 'events.db'));
    try {
      // Someone with the file edits history: drops the append-only trigger and rewrites a row.
      db.exec('DROP TRIGGER events_no_update');
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...(victim.data as object), to: 'Done' }), victim.position);
    } finally {
      db.close();
    }

    const broken = {
      ok: false,
      brokenAt: { streamId: victim.streamId, revision: victim.revision, position: victim.position, reason: 'hash_mismatch', eventId: victim.id, type: 'IssueTransitioned' },
    };
    expect(ok(await auditor.get('/audit/verify'))).toMatchObject({ ...broken, stream: null });
    expect(ok(await auditor.get(`/audit/verify?stream=${victim.streamId}`))).toMatchObject({ ...broken, stream: victim.streamId });
    expect(ok(await auditor.get(`/audit/verify?stream=sprint-${sprint.sprintId}`))).toMatchObject({ ok: true, brokenAt: null });
    expect((await auditor.get('/audit/verify?stream=issue-nope')).status).toBe(404);
  });
});
