/**
 * LIFECYCLES.md's Semantics over REST: guards, state data, approvals with roles, superstates with
 * history, who may write, fields, expectedVersion and idempotency keys. Data is asserted from the
 * responses and from the streams.
 */
import { startTestServer, TestServer } from './support/server';
import { Client, clientAs, ok, projectWithIssues, readStream } from './support/trellis';

const PR_URL = 'https://git.example.com/trellis/pull/7';

describe('lifecycle rules over REST (e2e)', () => {
  let server: TestServer;
  let alice: Client;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await clientAs(server, 'alice', { '*': ['member'] });
    projectId = (await projectWithIssues(alice)).project.id;
  });
  afterAll(() => server.close());

  const newIssue = async (fields: Record<string, unknown> = { title: 'Fix the login', points: 3, assignee: 'bob' }) =>
    ok(await alice.post(`/projects/${projectId}/issues`, fields), 201).id as string;
  const move = (id: string, transition: string, extra: Record<string, unknown> = {}, who = alice) =>
    who.post(`/issues/${id}/transitions`, { transition, ...extra });

  describe('guards and state data', () => {
    it('will not start a sprint with an empty scope: 409 guard_failed with the guard’s message, nothing appended', async () => {
      const sprint = ok(await alice.post(`/projects/${projectId}/sprints`, { name: 'Empty' }), 201);
      const res = await alice.post(`/sprints/${sprint.id}/transitions`, { transition: 'start' });
      expect(res.status).toBe(409);
      expect(res.json.error).toMatchObject({ code: 'guard_failed', message: 'add at least one issue to the sprint first', details: { transition: 'start' } });
      expect((await readStream(server, `sprint-${sprint.id}`)).map((e) => e.type)).toEqual(['SprintCreated']);
    });

    it('will not start an unassigned issue: 409 guard_failed', async () => {
      const id = await newIssue({ title: 'Nobody’s', points: 1 });
      ok(await move(id, 'ready'));
      const res = await move(id, 'start');
      expect(res.status).toBe(409);
      expect(res.json.error).toMatchObject({ code: 'guard_failed', message: 'assign the issue first' });
      // Assigned, it starts.
      ok(await alice.patch(`/issues/${id}`, { assignee: 'bob' }));
      expect(ok(await move(id, 'start')).state).toBe('InProgress');
    });

    it('will not enter InReview without a pr_url: 400 validation_failed naming data.pr_url', async () => {
      const id = await newIssue();
      ok(await move(id, 'ready'));
      ok(await move(id, 'start'));
      const before = (await readStream(server, `issue-${id}`)).length;
      for (const data of [undefined, {}, { pr_url: 'not a url' }]) {
        const res = await move(id, 'submit', data ? { data } : {});
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe('validation_failed');
        expect(res.json.error.details.violations).toEqual([{ path: 'data.pr_url', message: expect.any(String) }]);
      }
      expect(await readStream(server, `issue-${id}`)).toHaveLength(before);
      const accepted = ok(await move(id, 'submit', { data: { pr_url: PR_URL } }));
      expect(accepted).toMatchObject({ state: 'InReview', data: { pr_url: PR_URL } });
    });

    it('needs a reason where the definition says so', async () => {
      const id = await newIssue();
      const res = await move(id, 'block', { reason: '  ' });
      expect(res.status).toBe(400);
      expect(res.json.error.details.violations).toEqual([{ path: 'reason', message: 'a non-empty reason is required' }]);
    });
  });

  describe('approvals: project activate needs the sponsor', () => {
    it('records the request (202), refuses a non-sponsor (403) and the requester (403), and the sponsor activates', async () => {
      const project = ok(await alice.post('/projects', { key: 'APP', name: 'Approvals' }), 201);
      // Roles are per project: Sophie sponsors this project only.
      const sophie = await clientAs(server, 'sophie', { [project.id]: ['sponsor'] });
      const sponsor = await clientAs(server, 'sponsor-elsewhere', { 'other-project': ['sponsor'], '*': ['viewer'] });
      const requester = await clientAs(server, 'rita', { [project.id]: ['member', 'sponsor'] });
      const dev = await clientAs(server, 'dev', { [project.id]: ['member', 'reviewer', 'product-owner'] });
      for (const t of ['gather_requirements', 'design', 'plan']) ok(await requester.post(`/projects/${project.id}/transitions`, { transition: t }));

      const requested = await requester.post(`/projects/${project.id}/transitions`, { transition: 'activate', reason: 'ready to go' });
      expect(requested.status).toBe(202);
      expect(requested.json).toMatchObject({
        state: 'Planning',
        pendingApproval: { transition: 'activate', from: 'Planning', to: 'Active', roles: ['sponsor'], count: 1, requestedBy: 'rita', approvals: [] },
        pendingApprovals: [{ transition: 'activate' }],
      });
      // Asking again changes nothing and shows the same pending request.
      const again = await requester.post(`/projects/${project.id}/transitions`, { transition: 'activate' });
      expect(again.status).toBe(202);
      expect(again.json.version).toBe(requested.json.version);

      const byDev = await dev.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'approve' });
      expect(byDev.status).toBe(403);
      expect(byDev.json.error).toMatchObject({ code: 'forbidden', details: { roles: ['sponsor'] } });
      const byRequester = await requester.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'approve' });
      expect(byRequester.status).toBe(403);
      expect(byRequester.json.error.message).toContain('cannot approve their own request');
      const bySponsorElsewhere = await sponsor.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'approve' });
      expect(bySponsorElsewhere.status).toBe(403);

      const approved = await sophie.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'approve', comment: 'go' });
      expect(approved.status).toBe(200);
      expect(approved.json).toMatchObject({ state: 'Active', pendingApprovals: [] });

      const history = ok(await sophie.get(`/projects/${project.id}/history`));
      const tail = history.events.slice(-3).map((e: any) => ({ type: e.type, actor: e.actor, data: e.data }));
      expect(tail).toEqual([
        { type: 'ProjectApprovalRequested', actor: 'rita', data: expect.objectContaining({ transition: 'activate', actor: 'rita', reason: 'ready to go' }) },
        { type: 'ProjectApprovalGranted', actor: 'sophie', data: { transition: 'activate', actor: 'sophie', comment: 'go' } },
        {
          type: 'ProjectTransitioned',
          actor: 'sophie',
          data: expect.objectContaining({ transition: 'activate', from: 'Planning', to: 'Active', actor: 'rita', approvals: [{ actor: 'sophie', comment: 'go' }] }),
        },
      ]);
      expect(history.next).toBeNull();
    });

    it('ends a request when a sponsor rejects it', async () => {
      const project = ok(await alice.post('/projects', { key: 'REJ', name: 'Rejected' }), 201);
      const sponsor = await clientAs(server, 'sid', { [project.id]: ['sponsor'] });
      for (const t of ['gather_requirements', 'design', 'plan', 'activate']) await alice.post(`/projects/${project.id}/transitions`, { transition: t });
      const rejected = await sponsor.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'reject', comment: 'not yet' });
      expect(rejected.status).toBe(200);
      expect(rejected.json).toMatchObject({ state: 'Planning', pendingApprovals: [] });
      const none = await sponsor.post(`/projects/${project.id}/approvals`, { transition: 'activate', decision: 'approve' });
      expect(none.status).toBe(404);
    });
  });

  describe('superstate and history', () => {
    const paths: Record<string, string[]> = {
      Backlog: [],
      Ready: ['ready'],
      InProgress: ['ready', 'start'],
      InReview: ['ready', 'start', 'submit'],
      Testing: ['ready', 'start', 'submit', 'accept_review'],
    };

    it.each(Object.keys(paths))('blocks from %s (in `active`) and unblocks back to exactly that state, with its data', async (state) => {
      const reviewer = await clientAs(server, `rev-${state}`, { [projectId]: ['reviewer'] });
      const id = await newIssue();
      for (const step of paths[state]) {
        const res = await move(id, step, step === 'submit' ? { data: { pr_url: PR_URL } } : {});
        if (res.status === 202) ok(await reviewer.post(`/issues/${id}/approvals`, { transition: step, decision: 'approve' }));
      }
      const before = ok(await alice.get(`/issues/${id}`));
      expect(before.state).toBe(state);
      expect(ok(await move(id, 'block', { reason: 'waiting on legal' })).state).toBe('Blocked');
      const unblocked = ok(await move(id, 'unblock'));
      expect(unblocked).toMatchObject({ state, data: before.data });
    });
  });

  describe('who may write', () => {
    it('forbids a viewer and an auditor to fire a transition (403), and appends nothing', async () => {
      const id = await newIssue();
      for (const roles of [['viewer'], ['auditor'], ['viewer', 'auditor']]) {
        const reader = await clientAs(server, `reader-${roles.join('-')}`, { [projectId]: roles });
        expect(ok(await reader.get(`/issues/${id}`)).state).toBe('Backlog');
        const res = await move(id, 'ready', {}, reader);
        expect(res.status).toBe(403);
        expect(res.json.error).toMatchObject({ code: 'forbidden', details: { project: projectId, required: ['member', 'reviewer', 'product-owner', 'sponsor', 'admin'] } });
      }
      expect(await readStream(server, `issue-${id}`)).toHaveLength(1);
    });

    it('forbids anyone without a role in the issue’s project, and lets a member of that project write', async () => {
      const id = await newIssue();
      const outsider = await clientAs(server, 'outsider', { 'another-project': ['admin'] });
      expect((await outsider.get(`/issues/${id}`)).status).toBe(403);
      expect((await move(id, 'ready', {}, outsider)).status).toBe(403);
      const member = await clientAs(server, 'member-here', { [projectId]: ['member'] });
      expect(ok(await move(id, 'ready', {}, member)).state).toBe('Ready');
    });
  });

  describe('fields, versions and idempotency', () => {
    it('rejects an unknown field in a body with 400 naming it', async () => {
      const created = await alice.post(`/projects/${projectId}/issues`, { title: 'x', colour: 'blue' });
      expect(created.status).toBe(400);
      expect(created.json.error.code).toBe('validation_failed');
      expect(created.json.error.details.violations).toEqual([expect.objectContaining({ path: 'colour' })]);
      const id = await newIssue();
      const transition = await move(id, 'ready', { colour: 'blue' });
      expect(transition.status).toBe(400);
      expect(transition.json.error.details.violations).toEqual([{ path: 'colour', message: 'is not a known field' }]);
      const patch = await alice.patch(`/issues/${id}`, { colour: 'blue' });
      expect(patch.status).toBe(400);
      expect(await readStream(server, `issue-${id}`)).toHaveLength(1);
    });

    it('patches fields, and a stale expectedVersion is 409 version_conflict with expected and actual', async () => {
      const id = await newIssue();
      const patched = ok(await alice.patch(`/issues/${id}`, { points: 8, expectedVersion: 1 }));
      expect(patched).toMatchObject({ fields: { points: 8 }, version: 2 });
      const stale = await alice.patch(`/issues/${id}`, { points: 5, expectedVersion: 1 });
      expect(stale.status).toBe(409);
      expect(stale.json.error).toMatchObject({ code: 'version_conflict', details: { expected: 1, actual: 2 } });
      const staleMove = await move(id, 'ready', { expectedVersion: 1 });
      expect(staleMove.json.error).toMatchObject({ code: 'version_conflict', details: { expected: 1, actual: 2 } });
      expect(ok(await move(id, 'ready', { expectedVersion: 2 })).version).toBe(3);
      expect(await readStream(server, `issue-${id}`)).toHaveLength(3);
    });

    it('answers a replayed Idempotency-Key with the same response and appends nothing; another body is 409', async () => {
      const key = { 'idempotency-key': 'create-issue-1' };
      const first = await alice.post(`/projects/${projectId}/issues`, { title: 'Once' }, key);
      const again = await alice.post(`/projects/${projectId}/issues`, { title: 'Once' }, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.json).toEqual(first.json);
      const conflict = await alice.post(`/projects/${projectId}/issues`, { title: 'Twice' }, key);
      expect(conflict.status).toBe(409);
      expect(conflict.json.error.code).toBe('idempotency_conflict');
      expect(await readStream(server, `issue-${first.json.id}`)).toHaveLength(1);

      const id = first.json.id;
      ok(await alice.patch(`/issues/${id}`, { points: 2 }));
      const moved = await alice.post(`/issues/${id}/transitions`, { transition: 'ready' }, { 'idempotency-key': 'ready-1' });
      ok(await alice.post(`/issues/${id}/transitions`, { transition: 'block', reason: 'later' }));
      const replayed = await alice.post(`/issues/${id}/transitions`, { transition: 'ready' }, { 'idempotency-key': 'ready-1' });
      // The same answer as the first time (Ready, version 3), though the issue has moved on since.
      expect(replayed.status).toBe(200);
      expect(replayed.json).toEqual(moved.json);
      expect(await readStream(server, `issue-${id}`)).toHaveLength(4);
    });
  });
});
