/**
 * GraphQL against a started server: the board query (the same service as REST), the other read
 * queries, a mutation, error codes in extensions.code, and the boardChanged subscription over a
 * real websocket (graphql-transport-ws) delivering a message when an issue is transitioned.
 */
import { WebSocket } from 'undici';
import { appendSimulatedExecutions } from '../projections/testing/execution-script';
import { ACTORS } from '../projections/testing/sprint-script';
import { send } from './support/http';
import { startTestServer, type TestServer } from './support/server';
import { RestSprintDriver } from './support/sprint-driver';
import { clientAs, ok, settled } from './support/trellis';
import { ProjectionEngine } from '@trellis/runtime/projections';

const opened = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('websocket error')), { once: true });
  });

/** A graphql-transport-ws client: connect with a bearer token, subscribe, and wait for messages. */
async function subscriber(baseUrl: string, token: string) {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string; payload?: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const waiters: Array<() => void> = [];
  ws.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  const next = async (type: string, where: (m: { payload?: any }) => boolean = () => true) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (;;) {
      const index = messages.findIndex((m) => m.type === type && where(m));
      if (index >= 0) return messages.splice(index, 1)[0];
      await new Promise<void>((resolve, reject) => {
        waiters.push(resolve);
        setTimeout(() => reject(new Error(`no ${type} message; got ${JSON.stringify(messages)}`)), 5000).unref();
      });
    }
  };
  await opened(ws);
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await next('connection_ack');
  return {
    next,
    subscribe: async (id: string, query: string, variables: Record<string, unknown>) => {
      ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
      // Registered once the server has processed the message; give it a turn.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    close: () => ws.close(),
  };
}

describe('GraphQL (e2e)', () => {
  let server: TestServer;
  let driver: RestSprintDriver;
  let projectId: string;
  let sprintId: string;
  let issues: string[];
  let bobToken: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}, token: string | null = bobToken) =>
    send(server.baseUrl, 'POST', '/graphql', { body: { query, variables }, token: token ?? undefined });
  const caughtUp = async () => {
    await settled(server);
    await server.app.get(ProjectionEngine).settled();
  };

  beforeAll(async () => {
    server = await startTestServer();
    driver = new RestSprintDriver(server);
    const at = new Date().toISOString();
    projectId = await driver.createProject('GQL', at, ACTORS.alice);
    sprintId = await driver.createSprint(projectId, 'Sprint G', at, ACTORS.alice);
    issues = [];
    for (let i = 0; i < 4; i++) issues.push(await driver.createIssue(projectId, { title: `G${i}`, points: i + 1, assignee: 'bob' }, at, ACTORS.bob));
    for (const id of issues) await driver.schedule(sprintId, id, at, ACTORS.alice);
    await driver.transition('sprint', sprintId, 'start', at, ACTORS.bob);
    await driver.approve('sprint', sprintId, 'start', at, ACTORS.alice);
    bobToken = (await driver.as(ACTORS.bob)).token;
    await caughtUp();
  }, 60_000);
  afterAll(() => server.close());

  it('board(projectId, sprintId) answers what GET /projects/{id}/board answers', async () => {
    const res = await gql(
      `query ($p: ID!, $s: ID) { board(projectId: $p, sprintId: $s) {
         project { id key name state } sprint { id name state startedAt endedAt remaining goal projectId }
         columns { state wip points cards { id title assignee points state blocked blockedFrom } }
         burndown { date remaining } } }`,
      { p: projectId, s: sprintId },
    );
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    const rest = ok(await (await driver.as(ACTORS.bob)).get(`/projects/${projectId}/board?sprint=${sprintId}`));
    expect(res.json.data.board).toEqual(rest);
    expect(res.json.data.board.columns.find((c: { state: string }) => c.state === 'Ready').wip).toBe(0);
    expect(res.json.data.board.columns.find((c: { state: string }) => c.state === 'Backlog')).toMatchObject({ wip: 4, points: 10 });
  });

  it('answers errors with the API codes in extensions.code', async () => {
    const anonymous = await gql('{ board(projectId: "x") { columns { state } } }', {}, null);
    expect(anonymous.json.errors[0].extensions.code).toBe('unauthenticated');
    const missing = await gql('query ($p: ID!) { board(projectId: $p, sprintId: "nope") { columns { state } } }', { p: projectId });
    expect(missing.json.errors[0]).toMatchObject({ extensions: { code: 'not_found' }, path: ['board'] });
    const outsider = await clientAs(server, 'olaf', { elsewhere: ['viewer'] });
    const forbidden = await gql('query ($p: ID!) { board(projectId: $p) { columns { state } } }', { p: projectId }, outsider.token);
    expect(forbidden.json.errors[0].extensions.code).toBe('forbidden');
    const notAuditor = await gql('{ auditTrail { entries { id } } }');
    expect(notAuditor.json.errors[0].extensions.code).toBe('forbidden');
    const invalid = await gql('{ board { nope } }');
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors[0].extensions.code).toBe('validation_failed');
  });

  it('serves the audit trail, entities, executions, lifecycles and projections', async () => {
    await appendSimulatedExecutions(server.store, 2, new Date().toISOString());
    await caughtUp();
    const auditor = await clientAs(server, 'audrey', { '*': ['auditor'] });
    const audit = await gql('query ($e: String) { auditTrail(filter: { entity: $e }, page: { limit: 2 }) { entries { type entity actor summary } next } }', { e: sprintId }, auditor.token);
    expect(audit.json.data.auditTrail.entries).toEqual([
      { type: 'SprintCreated', entity: sprintId, actor: 'alice', summary: 'created in Planning with name=Sprint G' },
      expect.objectContaining({ type: 'SprintIssueAdded', entity: sprintId }),
    ]);
    expect(typeof audit.json.data.auditTrail.next).toBe('string');

    const issue = await gql('query ($id: ID!) { issue(id: $id) { id state fields sprintId version } }', { id: issues[0] });
    expect(issue.json.data.issue).toEqual({ id: issues[0], state: 'Backlog', fields: { title: 'G0', points: 1, assignee: 'bob' }, sprintId, version: 2 });

    const execution = await gql('{ execution(id: "x1") { id workflow status vars tasks { task status runs { runId attempts { attempt status } } } } }');
    expect(execution.json.data.execution).toMatchObject({ id: 'x1', workflow: 'issue.review', status: 'succeeded', vars: { decision: 'accepted' } });
    expect(execution.json.data.execution.tasks.map((t: { task: string }) => t.task)).toEqual(['checks', 'review', 'accept']);
    const list = await gql('{ executions(filter: { workflow: "issue.review" }) { executions { id status } next } }');
    expect(list.json.data.executions.executions.map((e: { id: string }) => e.id).sort()).toEqual(['x1', 'x2']);

    const lifecycles = await gql('{ lifecycles { name version } }');
    expect(lifecycles.json.data.lifecycles.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['project', 'sprint', 'issue']));
    const projections = await gql('{ projections { name status lag generation } }', {}, server.adminToken);
    expect(projections.json.data.projections.map((p: { name: string }) => p.name)).toEqual(['sprint-board', 'audit-history', 'workflow-executions']);
  });

  it('transition and approve mutations go through the entity commands', async () => {
    const moved = await gql('mutation ($id: ID!) { transition(lifecycle: "issue", id: $id, input: { transition: "ready" }) { id state version } }', { id: issues[3] });
    expect(moved.json.data.transition).toEqual({ id: issues[3], state: 'Ready', version: 3 });
    const refused = await gql('mutation ($id: ID!) { transition(lifecycle: "issue", id: $id, input: { transition: "pass_tests" }) { id } }', { id: issues[3] });
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'invalid_transition', details: { state: 'Ready' } });
  });

  it('boardChanged delivers a message over a websocket when an issue is transitioned', async () => {
    const ws = await subscriber(server.baseUrl, bobToken);
    try {
      await ws.subscribe('b1', 'subscription ($p: ID!) { boardChanged(projectId: $p) { projectId issueIds position board { columns { state wip } } } }', { p: projectId });
      await driver.transition('issue', issues[0], 'ready', new Date().toISOString(), ACTORS.bob);
      const message = await ws.next('next');
      expect(message.id).toBe('b1');
      const change = message.payload.data.boardChanged;
      expect(change).toMatchObject({ projectId, issueIds: [issues[0]] });
      const wip = Object.fromEntries(change.board.columns.map((c: { state: string; wip: number }) => [c.state, c.wip]));
      expect(wip).toMatchObject({ Backlog: 2, Ready: 2 });
      expect(change.position).toBe(await server.store.headPosition());
    } finally {
      ws.close();
    }
  });

  it('workflows, startExecution and answerInquiry; executionChanged follows the execution', async () => {
    const admin = server.adminToken;
    const yaml = 'ref: gql.ask\ntasks:\n  ask: {action: core.inquiry, input: {prompt: "ship?"}, on_success: done}\n  done: {action: core.echo, input: {shipped: true}}\n';
    ok(await server.send('PUT', '/api/v1/workflows/gql.ask', { body: yaml, contentType: 'application/yaml', token: admin }));
    const workflows = await gql('{ workflows { ref version } }', {}, admin);
    expect(workflows.json.data.workflows).toEqual(expect.arrayContaining([{ ref: 'gql.ask', version: 1 }]));

    const started = await gql('mutation { startExecution(workflow: "gql.ask", input: { parameters: {} }) { id } }', {}, admin);
    const id = started.json.data.startExecution.id as string;
    expect(typeof id).toBe('string');
    const ws = await subscriber(server.baseUrl, admin);
    try {
      await ws.subscribe('x1', 'subscription ($id: ID!) { executionChanged(id: $id) { id status waits } }', { id });
      const waiting = async () => (await gql('query ($id: ID!) { execution(id: $id) { status waits } }', { id }, admin)).json.data?.execution;
      for (let i = 0; i < 200 && !(await waiting())?.waits?.some((w: { kind: string }) => w.kind === 'inquiry'); i++) await new Promise((r) => setTimeout(r, 10));
      const answered = await gql('mutation ($id: ID!) { answerInquiry(executionId: $id, task: "ask", answer: "yes") { id status task } }', { id }, admin);
      expect(answered.json.errors).toBeUndefined();
      expect(answered.json.data.answerInquiry).toMatchObject({ id, task: 'ask' });
      const done = await ws.next('next', (m) => m.payload?.data?.executionChanged?.status === 'succeeded');
      expect(done.payload.data.executionChanged).toEqual({ id, status: 'succeeded', waits: [] });
    } finally {
      ws.close();
    }
    const view = await gql('query ($id: ID!) { execution(id: $id) { status output tasks { task status runs { attempts { attempt status } } } } }', { id }, admin);
    expect(view.json.data.execution).toMatchObject({ status: 'succeeded', tasks: [{ task: 'ask', status: 'succeeded' }, { task: 'done', status: 'succeeded' }] });
  });

  it('refuses a subscription without a valid token', async () => {
    const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const received: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    ws.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))));
    try {
      await opened(ws);
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer wrong' } }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      ws.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: `subscription { boardChanged(projectId: "${projectId}") { projectId } }` } }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const error = received.find((m) => m.type === 'error');
      expect(error?.payload?.[0]?.extensions?.code ?? error?.payload?.[0]?.message).toMatch(/unauthenticated|invalid bearer token/);
    } finally {
      ws.close();
    }
  });
});
