/** ExecutionQueries.get on a model the upgrade to version 2 has not rebuilt yet. */
import { SqliteReadStore } from '@trellis/readstore';
import { executions, type ExecutionDoc } from './collections';
import { ExecutionQueries } from './execution.queries';

const summary = {
  workflow: 'issue.review',
  version: 1,
  status: 'running',
  actor: 'erin',
  parentExecutionId: null,
  parent: null,
  depth: 0,
  parameters: { issue: 'i1' },
  vars: { round: 2 },
  search: { issue: 'i1' },
  output: null,
  error: null,
  startedAt: '2026-12-01T09:00:00.000Z',
  endedAt: null,
  updatedAt: '2026-12-01T09:05:00.000Z',
  retries: 0,
  eventCount: 4,
};

const run = {
  runId: 'x1.checks.1',
  task: 'checks',
  activation: 1,
  item: null,
  action: 'ci.run',
  kind: 'action',
  status: 'running',
  attempts: [],
  result: null,
  error: null,
  childExecutionId: null,
  inquiry: null,
  answeredBy: null,
};

describe('ExecutionQueries.get', () => {
  let reads: SqliteReadStore;
  beforeEach(() => {
    reads = SqliteReadStore.open({ file: ':memory:' });
  });
  afterEach(() => reads.close());

  it('serves a document version 1 wrote (the whole view) as stored until the rebuild replaces it', async () => {
    const whole = {
      id: 'x1',
      ...summary,
      runs: [run],
      timers: [],
      waits: [{ kind: 'worker', task: 'checks', runId: 'x1.checks.1', action: 'ci.run' }],
      activations: [{ task: 'checks', activation: 1, via: 'start', status: 'active', reachedAt: '2026-12-01T09:00:00.000Z', runs: [] }],
      waiting: { inquiries: [], timers: [], children: [] },
      fold: { eventCount: 4 },
    } as unknown as ExecutionDoc;
    await reads.upsert(executions, whole);

    const view = await new ExecutionQueries(reads).get('x1');

    expect(view).toMatchObject({ id: 'x1', status: 'running', vars: { round: 2 }, eventCount: 4, runs: [run], activations: whole.activations });
    expect(view.tasks).toEqual([{ task: 'checks', status: 'running', runs: [run] }]);
    expect(view).not.toHaveProperty('fold');
    expect(view).not.toHaveProperty('_position');
  });

  it('is not found for a summary without its events and without a stored view', async () => {
    await reads.upsert(executions, { id: 'x2', ...summary });
    await expect(new ExecutionQueries(reads).get('x2')).rejects.toMatchObject({ code: 'not_found' });
    await expect(new ExecutionQueries(reads).get('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});
