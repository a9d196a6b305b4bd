/**
 * Sprint scope across two streams, kept consistent by the sprint-scope process manager: an issue
 * is in at most one sprint, moving it takes it out of the sprint it was in, and closing a sprint
 * returns its unfinished issues to the backlog (no sprint) while finished ones stay its record.
 */
import { startTestServer, TestServer } from './support/server';
import { Client, clientAs, ok, readStream, settled } from './support/trellis';

describe('sprint scope (e2e)', () => {
  let server: TestServer;
  let alice: Client;
  let owner: Client;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await clientAs(server, 'alice', { '*': ['member', 'reviewer'] });
    owner = await clientAs(server, 'olga', { '*': ['product-owner', 'reviewer'] });
    projectId = ok(await alice.post('/projects', { key: 'SCP', name: 'Scope' }), 201).id;
  });
  afterAll(() => server.close());

  const newIssue = async (title: string) => ok(await alice.post(`/projects/${projectId}/issues`, { title, points: 1, assignee: 'bob' }), 201).id as string;
  const newSprint = async (name: string) => ok(await alice.post(`/projects/${projectId}/sprints`, { name }), 201).id as string;
  const sprintOf = async (issueId: string) => ok(await alice.get(`/issues/${issueId}`)).sprintId;
  const scopeOf = async (sprintId: string) => ok(await alice.get(`/sprints/${sprintId}`)).scope;
  const move = async (kind: string, id: string, transition: string, extra: Record<string, unknown> = {}) => {
    const res = await alice.post(`/${kind}/${id}/transitions`, { transition, reason: 'as planned', ...extra });
    if (res.status === 202) return ok(await owner.post(`/${kind}/${id}/approvals`, { transition, decision: 'approve' }));
    return ok(res);
  };

  it('returns the unfinished issues of a closed sprint to the backlog, and keeps the done ones in it', async () => {
    const [done, started, untouched] = [await newIssue('Done'), await newIssue('Started'), await newIssue('Untouched')];
    const sprint = await newSprint('Sprint 1');
    for (const issue of [done, started, untouched]) ok(await alice.post(`/sprints/${sprint}/scope`, { issueId: issue }));
    await settled(server);
    expect(await Promise.all([done, started, untouched].map(sprintOf))).toEqual([sprint, sprint, sprint]);

    await move('sprints', sprint, 'start');
    for (const t of ['ready', 'start', 'submit', 'accept_review', 'pass_tests']) await move('issues', done, t, t === 'submit' ? { data: { pr_url: 'https://x.example/pr/1' } } : {});
    for (const t of ['ready', 'start']) await move('issues', started, t);
    expect(ok(await alice.get(`/issues/${done}`)).state).toBe('Done');
    for (const t of ['review', 'retrospect', 'close']) await move('sprints', sprint, t);
    await settled(server);

    expect(await sprintOf(done)).toBe(sprint);
    expect(await sprintOf(started)).toBeUndefined();
    expect(await sprintOf(untouched)).toBeUndefined();
    const released = (await readStream(server, `sprint-${sprint}`)).find((e) => e.type === 'SprintIssuesReleased');
    expect(released?.data).toEqual({ issueIds: [done, started, untouched], state: 'Closed' });
    const returned = (await readStream(server, `issue-${started}`)).filter((e) => e.type === 'IssueUnscheduled');
    expect(returned.map((e) => ({ data: e.data, causationId: e.metadata.causationId }))).toEqual([
      { data: { sprintId: sprint, reason: 'sprint_closed', actor: 'alice' }, causationId: released?.id },
    ]);
    // The closed sprint keeps its scope as the record of what it held.
    expect(await scopeOf(sprint)).toEqual([done, started, untouched]);
    // The issues keep their state: back in the backlog means out of any sprint.
    expect(ok(await alice.get(`/issues/${started}`)).state).toBe('InProgress');
  });

  it('moves an issue between sprints keeping both scopes consistent, and removes it from scope', async () => {
    const issue = await newIssue('Mover');
    const [a, b] = [await newSprint('A'), await newSprint('B')];
    ok(await alice.post(`/sprints/${a}/scope`, { issueId: issue }));
    await settled(server);
    expect(await sprintOf(issue)).toBe(a);

    ok(await alice.post(`/sprints/${b}/scope`, { issueId: issue }));
    await settled(server);
    expect(await sprintOf(issue)).toBe(b);
    expect(await scopeOf(a)).toEqual([]);
    expect(await scopeOf(b)).toEqual([issue]);
    const scheduled = (await readStream(server, `issue-${issue}`)).filter((e) => e.type === 'IssueScheduled').map((e) => e.data);
    expect(scheduled).toEqual([
      { sprintId: a, actor: 'alice' },
      { sprintId: b, previousSprintId: a, actor: 'alice' },
    ]);

    ok(await alice.delete(`/sprints/${b}/scope/${issue}`));
    await settled(server);
    expect(await sprintOf(issue)).toBeUndefined();
    expect(await scopeOf(b)).toEqual([]);
  });

  it('settles racing moves of one issue into several sprints with the issue in exactly one of them', async () => {
    const issue = await newIssue('Contested');
    const sprints = await Promise.all(['X', 'Y', 'Z'].map(newSprint));
    await Promise.all(sprints.map((sprint) => alice.post(`/sprints/${sprint}/scope`, { issueId: issue }).then((res) => ok(res))));
    await settled(server);
    const home = await sprintOf(issue);
    expect(sprints).toContain(home);
    for (const sprint of sprints) expect(await scopeOf(sprint)).toEqual(sprint === home ? [issue] : []);
  });

  it('refuses an issue of another project (400) or none at all (404), and appends nothing', async () => {
    const sprint = await newSprint('Strict');
    const other = ok(await alice.post('/projects', { key: 'OTH', name: 'Other' }), 201).id;
    const foreign = ok(await alice.post(`/projects/${other}/issues`, { title: 'Elsewhere' }), 201).id;
    expect((await alice.post(`/sprints/${sprint}/scope`, { issueId: foreign })).status).toBe(400);
    expect((await alice.post(`/sprints/${sprint}/scope`, { issueId: 'no-such-issue' })).status).toBe(404);
    expect(await readStream(server, `sprint-${sprint}`)).toHaveLength(1);
  });

  it('processes each scope event once across a restart (checkpointed, idempotent reactions)', async () => {
    const issue = await newIssue('Restarted');
    const sprint = await newSprint('Before restart');
    ok(await alice.post(`/sprints/${sprint}/scope`, { issueId: issue }));
    const dataDir = server.config.dataDir;
    await server.close({ keepData: true });
    server = await startTestServer({ dataDir });
    alice = await clientAs(server, 'alice', { '*': ['member', 'reviewer'] });
    await settled(server);
    expect(await sprintOf(issue)).toBe(sprint);
    expect((await readStream(server, `issue-${issue}`)).filter((e) => e.type === 'IssueScheduled')).toHaveLength(1);
  });
});
