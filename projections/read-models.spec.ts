/**
 * The shipped projections against a scripted sprint: the board, the audit trail and the
 * execution views equal what the events imply (testing/oracles.ts folds them independently),
 * and delivering every event twice changes nothing.
 */
import { CommandPipeline } from '@trellis/runtime';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { AuditQueries, BoardQueries, ExecutionQueries, executionEvents, executions as executionsCollection, shippedProjections } from '.';
import { appendSimulatedExecutions, type SimulatedExecution } from './testing/execution-script';
import { expectedAudit, expectedBoard, expectedExecution, readAllEvents } from './testing/oracles';
import { EntityScript, scriptSprint, type ScriptedSprint } from './testing/sprint-script';
import { DoublingEventStore, dumpReadModel, openTestStores, type TestStores } from './testing/stores';

/** The top-level fields of an execution: all that its stored summary holds. */
const SUMMARY_FIELDS = 'actor depth endedAt error eventCount id output parameters parent parentExecutionId retries search startedAt status updatedAt vars version workflow'.split(' ');

describe('read models after a scripted sprint', () => {
  let stores: TestStores;
  let sprint: ScriptedSprint;
  let executions: SimulatedExecution[];
  let engine: ProjectionEngine;
  const projections = shippedProjections();

  beforeAll(async () => {
    stores = openTestStores();
    sprint = await scriptSprint(new EntityScript(new CommandPipeline(stores.events)), { issues: 30 });
    executions = await appendSimulatedExecutions(stores.events, 8);
    engine = new ProjectionEngine(stores.events, stores.reads, projections, { dropDelayMs: 0 });
    await engine.start();
    await engine.settled();
  });
  afterAll(async () => {
    await engine.stop();
    await stores.close();
  });

  it('the board of the sprint has the cards, WIP, points and burndown the events imply', async () => {
    const events = await readAllEvents(stores.events);
    const today = sprint.lastDay;
    const expected = expectedBoard(events, sprint.sprintId, today);
    const board = await new BoardQueries(stores.reads, { now: () => new Date(`${today}T18:00:00Z`) }).board(sprint.projectId, sprint.sprintId);

    expect(board.sprint).toMatchObject({ id: sprint.sprintId, state: expected.sprintState });
    const nonEmpty = Object.fromEntries(
      board.columns.filter((c) => c.wip > 0).map((c) => [c.state, { cards: c.cards.map((card) => card.id), wip: c.wip, points: c.points }]),
    );
    expect(nonEmpty).toEqual(expected.columns);
    expect(board.burndown).toEqual(expected.burndown);
    // Sanity of the script itself: the board is not trivially empty or all in one column.
    expect(Object.keys(expected.columns).length).toBeGreaterThanOrEqual(4);
    expect(expected.burndown.length).toBe(5);
    expect(board.columns.map((c) => c.state).slice(0, 6)).toEqual(['Backlog', 'Ready', 'InProgress', 'InReview', 'Testing', 'Done']);
    const blocked = board.columns.find((c) => c.state === 'Blocked')!.cards;
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((card) => card.blocked && card.blockedFrom !== null)).toBe(true);
  });

  it('the audit trail has one entry per event, with who, when, type, entity and correlation', async () => {
    const events = await readAllEvents(stores.events);
    const audit = new AuditQueries(stores.reads);
    const all = [];
    for await (const entry of audit.entries()) all.push(entry);
    const byPosition = [...all].sort((a, b) => a.position - b.position);
    expect(byPosition.map(({ position, type, actor, streamId, occurredAt, correlationId }) => ({ position, type, actor, streamId, occurredAt, correlationId }))).toEqual(
      expectedAudit(events),
    );
    // In time order, ties in log order.
    expect(all.map((e) => `${e.occurredAt}|${e.id}`)).toEqual(all.map((e) => `${e.occurredAt}|${e.id}`).sort());

    const issueId = sprint.issueIds[2];
    const ofIssue = await audit.trail({ entity: issueId }, { limit: 1000 });
    expect(ofIssue.items.map((e) => e.position)).toEqual(events.filter((e) => e.streamId === `issue-${issueId}`).map((e) => e.position));
    expect(ofIssue.items[0]).toMatchObject({ entityType: 'issue', entity: issueId, type: 'IssueCreated' });
    const transitioned = ofIssue.items.find((e) => e.type === 'IssueTransitioned')!;
    expect(transitioned.summary).toMatch(/^Backlog → Ready \(ready\)$/);

    const byErin = await audit.trail({ actor: 'erin', type: 'IssueApprovalGranted' }, { limit: 1000 });
    expect(byErin.items.length).toBe(events.filter((e) => e.metadata.actor === 'erin' && e.type === 'IssueApprovalGranted').length);
    expect(byErin.items.length).toBeGreaterThan(0);

    const from = '2026-03-04T00:00:00.000Z';
    const to = '2026-03-05T00:00:00.000Z';
    const day3 = await audit.trail({ from, to }, { limit: 1000 });
    expect(day3.items.map((e) => e.position)).toEqual(events.filter((e) => e.metadata.occurredAt >= from && e.metadata.occurredAt < to).map((e) => e.position));

    // Paging: small pages chained by cursor give the same entries, no overlap.
    const pages: number[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof audit.trail>> = await audit.trail({ actor: 'alice' }, { limit: 7, after });
      pages.push(...page.items.map((e) => e.position));
      after = page.nextCursor;
    } while (after);
    expect(pages).toEqual(all.filter((e) => e.actor === 'alice').map((e) => e.position));
  });

  it('each execution view has the status, runs with attempts and timings, vars, output, error and waits the events imply', async () => {
    const events = await readAllEvents(stores.events);
    const queries = new ExecutionQueries(stores.reads);
    const statuses = new Set<string>();
    for (const { executionId, issueId } of executions) {
      const expected = expectedExecution(events, executionId);
      const view = await queries.get(executionId);
      statuses.add(view.status);
      expect(view).toMatchObject({ id: executionId, workflow: 'issue.review', status: expected.status, vars: expected.vars, search: { issue: issueId } });
      expect(view.output).toEqual(expected.output);
      expect(view.error?.code ?? null).toBe(expected.errorCode);
      expect(view.runs.map((r) => ({ runId: r.runId, status: r.status, attempts: r.attempts.map(({ attempt, scheduledAt, startedAt, endedAt }) => ({ attempt, scheduledAt, startedAt, endedAt })) }))).toEqual(
        expected.runs,
      );
      expect(view.waits.filter((w) => w.kind === 'inquiry').map((w) => (w as { runId: string }).runId)).toEqual(expected.waitingInquiries);
      // The REST view's fields (GET /executions/{id}): activations as the engine has them, the same waits, every event counted.
      expect(view.activations.map(({ task, activation, status }) => ({ task, activation, status }))).toEqual(expected.activations);
      expect(view.waiting.inquiries.map((w) => w.runId)).toEqual(expected.waitingInquiries);
      expect(view.eventCount).toBe(expected.eventCount);
      expect(view).not.toHaveProperty('fold');
      for (const run of view.runs) for (const a of run.attempts) if (a.endedAt) expect(a.durationMs).toBe(Date.parse(a.endedAt) - Date.parse(a.startedAt ?? a.scheduledAt));
    }
    expect(statuses.size).toBeGreaterThanOrEqual(3);

    // The stored summary (what listings read) has exactly the top-level fields of the view folded
    // from the events, and the model holds one event document per event, in stream order.
    for (const { executionId } of executions) {
      const view = await queries.get(executionId);
      const { _position, ...stored } = (await stores.reads.get(executionsCollection, executionId))!;
      expect(_position).toBeGreaterThan(0);
      expect(stored).toEqual(Object.fromEntries(Object.keys(stored).map((field) => [field, view[field as keyof typeof view]])));
      expect(Object.keys(stored).sort()).toEqual(SUMMARY_FIELDS);
      const stream = events.filter((e) => e.streamId === `execution-${executionId}`);
      const storedEvents = await stores.reads.find(executionEvents, { where: { executionId }, limit: 1000 });
      expect(storedEvents.items.map(({ revision, type, data, at }) => ({ revision, type, data, at }))).toEqual(
        stream.map((e) => ({ revision: e.revision, type: e.type, data: e.data, at: e.metadata.occurredAt })),
      );
    }

    const bySearch = await queries.list({ search: { issue: executions[1].issueId } });
    expect(bySearch.items.map((e) => e.id)).toEqual([executions[1].executionId]);
    const running = await queries.list({ workflow: 'issue.review', status: 'running' }, { limit: 100 });
    const expectedRunning = executions.filter((x) => expectedExecution(events, x.executionId).status === 'running').map((x) => x.executionId);
    expect(running.items.map((e) => e.id).sort()).toEqual(expectedRunning.sort());

    // Newest first (GraphQL) or oldest first (REST); a cursor pages only the order it came from.
    const ids = executions.map((x) => x.executionId);
    const newest = await queries.list({ workflow: 'issue.review' }, { limit: 3 });
    expect(newest.items.map((e) => e.id)).toEqual(ids.slice(-3).reverse());
    const oldest = await queries.list({ workflow: 'issue.review' }, { limit: 3 }, 'oldest');
    expect(oldest.items.map((e) => e.id)).toEqual(ids.slice(0, 3));
    expect((await queries.list({ workflow: 'issue.review' }, { limit: 100, after: oldest.nextCursor }, 'oldest')).items.map((e) => e.id)).toEqual(ids.slice(3));
    await expect(queries.list({ workflow: 'issue.review' }, { after: newest.nextCursor }, 'oldest')).rejects.toMatchObject({
      code: 'validation_failed',
      details: { violations: [expect.objectContaining({ path: 'after' })] },
    });
  });

  it('delivering every event twice gives the same read models', async () => {
    const doubled = stores.openReadStore('doubled');
    const twice = new ProjectionEngine(new DoublingEventStore(stores.events), doubled, projections, { batchSize: 37 });
    await twice.start();
    await twice.settled();
    await twice.stop();
    for (const projection of projections) {
      expect(await dumpReadModel(doubled, projection)).toEqual(await dumpReadModel(stores.reads, projection));
    }
  });
});
