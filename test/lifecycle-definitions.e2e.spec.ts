/**
 * Lifecycle definitions over REST: a pull-request lifecycle (superstate, two-reviewer gate,
 * history target) registered as YAML and used end to end; broken definitions rejected with
 * their lines; versions; media types and limits; diagrams; built-ins registered once.
 */
import { startTestServer, TestServer } from './support/server';
import { API, Client, clientAs, ok, readStream } from './support/trellis';

const PULL_REQUEST = `lifecycle: pull-request
initial: Draft
fields:
  title:  {type: string, minLength: 1, required: true}
  branch: {type: string, pattern: "^[a-z0-9/-]+$", required: true}
  author: {type: string, required: true}
states:
  Draft: {}
  Open: {}
  ChangesRequested: {}
  Approved: {}
  Merged: {data: {commit: {type: string, minLength: 7, required: true}}}
  OnHold: {}
  Closed: {final: true}
superstates:
  in_review: [Open, ChangesRequested, Approved]
transitions:
  open:     {from: Draft, to: Open}
  request_changes: {from: Open, to: ChangesRequested, reason: required}
  push:     {from: ChangesRequested, to: Open}
  approve:
    from: Open
    to: Approved
    approval: {roles: [reviewer], count: 2}
  merge:    {from: Approved, to: Merged}
  hold:     {from: in_review, to: OnHold, reason: required}
  resume:   {from: OnHold, to: history}
  close:    {from: [Draft, in_review, OnHold], to: Closed, reason: required}
`;

// Line 6 names an unknown state, line 8 a role nobody holds, line 9 a guard that does not compile.
const BROKEN = `lifecycle: broken
initial: Draft
states:
  Draft: {}
transitions:
  go: {from: Draft, to: Nowhere}
  wait:
    from: Draft
    to: Draft
    approval: {roles: [overlord], count: 1}
    guard: {when: "entity.(", message: "never"}
`;

describe('lifecycle definitions over REST (e2e)', () => {
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await clientAs(server, 'ada', { '*': ['admin'] });
  });
  afterAll(() => server.close());

  it('registers a pull-request lifecycle as YAML and runs a pull request through it', async () => {
    const registered = await admin.put('/lifecycles/pull-request', PULL_REQUEST, 'application/yaml');
    expect(registered.status).toBe(201);
    expect(registered.json).toEqual({ name: 'pull-request', version: 1 });
    expect(ok(await admin.get('/lifecycles/pull-request'))).toMatchObject({ name: 'pull-request', version: 1, initial: 'Draft', source: PULL_REQUEST, registeredBy: 'ada' });

    const author = await clientAs(server, 'pat', { '*': ['member'] });
    const [rex, ria] = [await clientAs(server, 'rex', { '*': ['reviewer'] }), await clientAs(server, 'ria', { '*': ['reviewer'] })];
    const pr = ok(await author.post('/entities/pull-request', { title: 'Add login', branch: 'feat/login', author: 'pat' }), 201);
    expect(pr).toMatchObject({ lifecycle: 'pull-request', lifecycleVersion: 1, state: 'Draft', version: 1 });
    const path = `/entities/pull-request/${pr.id}`;
    const move = (transition: string, extra: Record<string, unknown> = {}) => author.post(`${path}/transitions`, { transition, ...extra });

    expect(ok(await move('open')).state).toBe('Open');
    expect(ok(await move('hold', { reason: 'waiting for CI' })).state).toBe('OnHold');
    expect(ok(await move('resume')).state).toBe('Open'); // history: back to where it was held
    expect((await move('merge')).json.error).toMatchObject({ code: 'invalid_transition', details: { state: 'Open', allowed: ['request_changes', 'approve', 'hold', 'close'] } });

    expect((await move('approve')).status).toBe(202);
    expect((await rex.post(`${path}/approvals`, { transition: 'approve', decision: 'approve' })).status).toBe(202);
    expect((await rex.post(`${path}/approvals`, { transition: 'approve', decision: 'approve' })).status).toBe(202); // the same vote twice
    const approved = await ria.post(`${path}/approvals`, { transition: 'approve', decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.json.state).toBe('Approved');
    expect((await move('merge', { data: { commit: 'abc' } })).status).toBe(400);
    expect(ok(await move('merge', { data: { commit: 'abc1234' } }))).toMatchObject({ state: 'Merged', data: { commit: 'abc1234' } });

    const events = await readStream(server, `pull-request-${pr.id}`);
    expect(events.map((e) => e.type)).toEqual([
      'PullRequestCreated',
      'PullRequestTransitioned',
      'PullRequestTransitioned',
      'PullRequestTransitioned',
      'PullRequestApprovalRequested',
      'PullRequestApprovalGranted',
      'PullRequestApprovalGranted',
      'PullRequestTransitioned',
      'PullRequestTransitioned',
    ]);
    expect(events[7].data).toMatchObject({ transition: 'approve', actor: 'pat', approvals: [{ actor: 'rex' }, { actor: 'ria' }] });
    expect(ok(await author.get(`${path}/history`)).events).toHaveLength(events.length);
  });

  it('rejects a broken definition with 422 invalid_definition listing each error with its path and line', async () => {
    const res = await admin.put('/lifecycles/broken', BROKEN, 'text/yaml');
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('invalid_definition');
    const errors: Array<{ path: string; line: number; message: string }> = res.json.error.details.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'transitions.go.to', line: 6, message: expect.stringContaining('Nowhere') },
        { path: 'transitions.wait.approval.roles[0]', line: 10, message: expect.stringContaining('overlord') },
        { path: 'transitions.wait.guard.when', line: 11, message: expect.any(String) },
      ]),
    );
    expect((await admin.get('/lifecycles/broken')).status).toBe(404);
    expect(await readStream(server, 'lifecycle-broken')).toHaveLength(0);
  });

  it('versions a changed definition, keeps the version of an unchanged one, and accepts JSON', async () => {
    const v1 = { lifecycle: 'ticket', initial: 'Open', fields: { title: { type: 'string', required: true } }, states: { Open: {}, Closed: { final: true } }, transitions: { close: { from: 'Open', to: 'Closed' } } };
    expect((await admin.put('/lifecycles/ticket', v1)).status).toBe(201);
    const ticket = ok(await admin.post('/entities/ticket', { title: 'Old rules' }), 201);
    const v2 = { ...v1, transitions: { ...v1.transitions, reopen: { from: 'Closed', to: 'Open' } }, states: { Open: {}, Closed: {} } };
    expect(ok(await admin.put('/lifecycles/ticket', v2), 200)).toEqual({ name: 'ticket', version: 2 });
    expect(ok(await admin.put('/lifecycles/ticket', v2), 200)).toEqual({ name: 'ticket', version: 2 });
    expect(ok(await admin.get('/lifecycles/ticket?version=1')).transitions.map((t: { name: string }) => t.name)).toEqual(['close']);
    expect(ok(await admin.get('/lifecycles')).find((l: { name: string }) => l.name === 'ticket')).toMatchObject({ version: 2 });
    // An entity keeps the version it was created with.
    expect(ok(await admin.post(`/entities/ticket/${ticket.id}/transitions`, { transition: 'close' })).lifecycleVersion).toBe(1);
    expect((await admin.post(`/entities/ticket/${ticket.id}/transitions`, { transition: 'reopen' })).json.error.code).toBe('invalid_transition');
  });

  it('refuses a name that the document does not carry, a non-admin, other media types and oversized definitions', async () => {
    const mismatch = await admin.put('/lifecycles/other', PULL_REQUEST, 'application/yaml');
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.details.violations).toEqual([{ path: 'lifecycle', message: expect.any(String) }]);
    const member = await clientAs(server, 'mo', { '*': ['member'] });
    expect((await member.put('/lifecycles/pull-request', PULL_REQUEST, 'application/yaml')).status).toBe(403);
    const xml = await admin.put('/lifecycles/pull-request', '<lifecycle/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.json.error.code).toBe('unsupported_media_type');
    // YAML is for definitions only.
    const yamlProject = await server.send('POST', `${API}/projects`, { token: admin.token, body: 'key: X', contentType: 'application/yaml' });
    expect(yamlProject.status).toBe(415);
    const huge = `${PULL_REQUEST}# ${'x'.repeat(256 * 1024)}\n`;
    const tooLarge = await admin.put('/lifecycles/pull-request', huge, 'application/yaml');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.code).toBe('payload_too_large');
    expect((await admin.put('/lifecycles/pull-request', { lifecycle: 'pull-request', pad: 'x'.repeat(256 * 1024) })).status).toBe(413);
  });

  it('draws a lifecycle as Mermaid text and says why there is no SVG', async () => {
    const diagram = await admin.get('/lifecycles/issue/diagram');
    expect(diagram.status).toBe(200);
    expect(diagram.headers['content-type']).toMatch(/^text\/plain/);
    expect(diagram.text).toMatch(/^stateDiagram-v2\n/);
    expect(diagram.text).toContain('Blocked --> active : unblock [history]');
    const svg = await server.send('GET', `${API}/lifecycles/issue/diagram`, { token: admin.token, headers: { accept: 'image/svg+xml' } });
    expect(svg.status).toBe(406);
    expect(svg.json.error.message).toContain('SVG rendering is not available offline');
    const either = await server.send('GET', `${API}/lifecycles/issue/diagram`, { token: admin.token, headers: { accept: 'image/svg+xml, text/plain;q=0.5' } });
    expect(either.status).toBe(200);
    expect((await admin.get('/lifecycles/nope/diagram')).status).toBe(404);
  });

  it('registers the built-in definitions once: a restart with unchanged files appends nothing', async () => {
    const builtIns = async () => Promise.all(['project', 'sprint', 'issue'].map((name) => readStream(server, `lifecycle-${name}`)));
    expect((await builtIns()).map((events) => events.length)).toEqual([1, 1, 1]);
    const dataDir = server.config.dataDir;
    await server.close({ keepData: true });
    server = await startTestServer({ dataDir });
    admin = await clientAs(server, 'ada', { '*': ['admin'] });
    expect((await builtIns()).map((events) => events.length)).toEqual([1, 1, 1]);
    // Registered lifecycles are back after the restart, compiled from their streams.
    expect(ok(await admin.get('/lifecycles')).map((l: { name: string; version: number }) => `${l.name}@${l.version}`)).toEqual([
      'issue@1',
      'project@1',
      'pull-request@1',
      'sprint@1',
      'ticket@2',
    ]);
  });
});
