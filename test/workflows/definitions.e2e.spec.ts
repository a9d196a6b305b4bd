/**
 * Workflow definitions over REST (API.md, Definitions): versioned registration as YAML or JSON,
 * validation problems with path and line (422), media types (415) and the 256 KiB limit (413),
 * reads, diagrams, validate and simulate, templates — and executions keep the version they began with.
 */
import { startTestServer, type TestServer } from '../support/server';
import { client, clientAs, ok, type Client } from '../support/trellis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const v1 = `ref: defs.release
description: Ship a build
input: {tag: {type: string, required: true}}
output: {shipped: "{{ tasks.ship.result }}"}
tasks:
  approve: {action: core.inquiry, input: {prompt: "ship?"}, on_success: ship}
  ship: {action: core.echo, input: {tag: "{{ parameters.tag }}", version: 1}}
`;
const v2 = v1.replace('version: 1', 'version: 2');

describe('workflow definitions over REST', () => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer();
    admin = client(server, server.adminToken);
  });
  afterAll(async () => server.close());

  const put = (ref: string, body: string | object, contentType = typeof body === 'string' ? 'application/yaml' : 'application/json') => admin.put(`/workflows/${ref}`, body, contentType);

  it('registers versions: 201 for the first, 200 for a change (a new version) or for the same source (unchanged)', async () => {
    expect(await put('defs.release', v1).then((r) => [r.status, r.json])).toEqual([201, { ref: 'defs.release', version: 1 }]);
    expect(await put('defs.release', v1).then((r) => [r.status, r.json])).toEqual([200, { ref: 'defs.release', version: 1 }]);
    expect(await put('defs.release', v2).then((r) => [r.status, r.json])).toEqual([200, { ref: 'defs.release', version: 2 }]);
    const latest = ok(await admin.get('/workflows/defs.release'));
    expect(latest).toMatchObject({ ref: 'defs.release', version: 2, versions: [1, 2], description: 'Ship a build', source: v2, entry: ['approve'], registeredBy: 'admin' });
    expect(latest.tasks).toEqual([
      { name: 'approve', action: 'core.inquiry', kind: 'builtin', next: ['ship'] },
      { name: 'ship', action: 'core.echo', kind: 'builtin', next: [] },
    ]);
    expect(ok(await admin.get('/workflows/defs.release?version=1')).source).toBe(v1);
    expect((await admin.get('/workflows/defs.release?version=9')).status).toBe(404);
    const listed = ok(await admin.get('/workflows'));
    expect(listed.map((w: any) => w.ref)).toEqual(expect.arrayContaining(['defs.release', 'issue.review', 'ops.maintenance', 'quality.checks', 'release.deploy']));
  });

  it('keeps a running execution on the version it started with', async () => {
    ok(await put('defs.pinned', v1.replace('defs.release', 'defs.pinned')));
    const id = ok(await admin.post('/workflows/defs.pinned/executions', { parameters: { tag: 'v9' } }), 202).id;
    ok(await put('defs.pinned', v2.replace('defs.release', 'defs.pinned')));
    for (let i = 0; i < 100 && ok(await admin.get(`/executions/${id}`)).waiting.inquiries.length === 0; i++) await sleep(10);
    ok(await admin.post(`/executions/${id}/inquiries/approve`, { answer: 'yes' }));
    const view = ok(await admin.get(`/executions/${id}`));
    expect(view).toMatchObject({ workflow: 'defs.pinned', version: 1, status: 'succeeded', output: { shipped: { tag: 'v9', version: 1 } } });
    const newer = ok(await admin.post('/workflows/defs.pinned/executions', { parameters: { tag: 'v10' } }), 202).id;
    expect(ok(await admin.get(`/executions/${newer}`)).version).toBe(2);
  });

  it('accepts JSON definitions', async () => {
    const res = await put('defs.json', { ref: 'defs.json', tasks: { only: { action: 'core.noop' } } });
    expect([res.status, res.json]).toEqual([201, { ref: 'defs.json', version: 1 }]);
  });

  it('rejects a broken definition with 422 invalid_definition and every problem with its path and line', async () => {
    const broken = `ref: defs.broken
tasks:
  build:
    action: ci.build
    retry: {count: 2, delay: soon}
    next:
      - when: "{{ succeeded( }}"
        do: deploy
  test: {action: ci.test, join: all, on_success: build}
`;
    const res = await put('defs.broken', broken);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('invalid_definition');
    const errors = res.json.error.details.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'tasks.build.retry.delay', line: 5 }),
        expect.objectContaining({ path: 'tasks.build.next[0].when', line: 7 }),
        expect.objectContaining({ path: 'tasks.build.next[0].do', line: 8, message: expect.stringContaining('deploy') }),
        expect.objectContaining({ path: 'tasks.test.join', line: 9 }),
      ]),
    );
    expect(errors.every((e: any) => typeof e.message === 'string' && 'line' in e && 'path' in e)).toBe(true);
    expect((await admin.get('/workflows/defs.broken')).status).toBe(404);
  });

  it('rejects a definition registered under another ref than it names, an unknown child ref, and secrets outside input', async () => {
    const other = await put('defs.other', 'ref: defs.elsewhere\ntasks:\n  a: {action: core.noop}\n');
    expect([other.status, other.json.error.details.errors]).toEqual([422, [expect.objectContaining({ path: 'ref', line: 1 })]]);
    const child = await put('defs.parent', 'ref: defs.parent\ntasks:\n  a: {action: defs.nosuch}\n');
    expect(child.status).toBe(422);
    expect(child.json.error.details.errors[0]).toMatchObject({ path: 'tasks.a.action', line: 3, message: expect.stringContaining('no workflow "defs.nosuch"') });
    const leak = await put('defs.leak', 'ref: defs.leak\noutput: "{{ secrets.token }}"\ntasks:\n  a: {action: core.noop}\n');
    expect(leak.status).toBe(422);
    expect(leak.json.error.details.errors[0]).toMatchObject({ path: 'output', line: 2 });
  });

  it('refuses other media types (415), bodies over 256 KiB (413), and non-admins (403)', async () => {
    const text = await admin.put('/workflows/defs.text', 'ref: defs.text', 'text/plain');
    expect([text.status, text.json.error.code]).toEqual([415, 'unsupported_media_type']);
    const huge = `ref: defs.huge\n# ${'x'.repeat(300 * 1024)}\ntasks:\n  a: {action: core.noop}\n`;
    const big = await put('defs.huge', huge);
    expect([big.status, big.json.error.code]).toEqual([413, 'payload_too_large']);
    const member = await clientAs(server, 'mia', { '*': ['member'] });
    const forbidden = await member.put('/workflows/defs.mine', 'ref: defs.mine\ntasks:\n  a: {action: core.noop}\n', 'application/yaml');
    expect([forbidden.status, forbidden.json.error.code]).toEqual([403, 'forbidden']);
  });

  it('validates without registering: errors with lines, warnings for unreachable tasks', async () => {
    const validate = (body: string) => server.send('POST', '/api/v1/workflows/validate', { token: admin.token, body, contentType: 'application/yaml' });
    const valid = ok(await validate('ref: defs.check\nstart: a\ntasks:\n  a: {action: core.noop}\n  lonely: {action: core.noop, on_success: a}\n'), 200);
    expect(valid).toEqual({ valid: true, ref: 'defs.check', errors: [], warnings: [expect.objectContaining({ path: 'tasks.lonely', line: 5 })] });
    const invalid = ok(await validate('ref: defs.check\ntasks: {}\n'), 200);
    expect(invalid).toMatchObject({ valid: false, errors: [expect.objectContaining({ path: 'tasks', line: 2 })] });
    expect((await admin.get('/workflows/defs.check')).status).toBe(404);
  });

  it('draws the definition and an execution as Mermaid, the latter coloured by status', async () => {
    const res = await admin.get('/workflows/defs.release/diagram');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('flowchart TD');
    expect(res.text).toContain('t_approve -->|"succeeded()"| t_ship');
    const id = ok(await admin.post('/workflows/defs.release/executions', { parameters: { tag: 'x' } }), 202).id;
    for (let i = 0; i < 100 && ok(await admin.get(`/executions/${id}`)).waiting.inquiries.length === 0; i++) await sleep(10);
    const drawn = await admin.get(`/executions/${id}/diagram`);
    expect(drawn.text).toContain('class t_approve waiting');
    expect(drawn.text).toContain('class t_ship pending');
    ok(await admin.post(`/executions/${id}/cancel`, {}), 202);
    expect((await admin.get('/executions/nope/diagram')).status).toBe(404);
  });

  it('simulates by ref and inline, and refuses an inline definition that does not compile (422)', async () => {
    const byRef = ok(await admin.post('/workflows/simulate', { ref: 'defs.release', parameters: { tag: 't1' }, results: { approve: ['ok'] } }), 200);
    expect(byRef).toMatchObject({ status: 'succeeded', order: ['approve', 'ship'], output: { shipped: { tag: 't1', version: 2 } } });
    const waiting = ok(await admin.post('/workflows/simulate', { definition: v1, parameters: { tag: 't2' } }), 200);
    expect(waiting).toMatchObject({ status: 'running', waiting: ['approve'] });
    const broken = await admin.post('/workflows/simulate', { definition: 'ref: defs.x\ntasks:\n  a: {action: core.noop, on_success: b}\n' });
    expect([broken.status, broken.json.error.code, broken.json.error.details.errors[0].line]).toEqual([422, 'invalid_definition', 3]);
    const badParams = await admin.post('/workflows/simulate', { ref: 'defs.release', parameters: {} });
    expect([badParams.status, badParams.json.error.code]).toEqual([400, 'validation_failed']);
  });

  it('starts executions: 202 {id}, idempotently by key, refusing bad parameters (400), unknown workflows (404) and reused keys (409)', async () => {
    const first = await admin.post('/workflows/defs.release/executions', { parameters: { tag: 'k1' }, idempotencyKey: 'deploy-42' });
    expect([first.status, Object.keys(first.json)]).toEqual([202, ['id']]);
    const again = ok(await admin.post('/workflows/defs.release/executions', { parameters: { tag: 'k1' }, idempotencyKey: 'deploy-42' }), 202);
    expect(again.id).toBe(first.json.id);
    const reused = await admin.post('/workflows/defs.release/executions', { parameters: { tag: 'k2' }, idempotencyKey: 'deploy-42' });
    expect([reused.status, reused.json.error.code]).toEqual([409, 'idempotency_conflict']);
    const bad = await admin.post('/workflows/defs.release/executions', { parameters: { tag: 5 } });
    expect([bad.status, bad.json.error.code, bad.json.error.details.violations[0].path]).toEqual([400, 'validation_failed', '/tag']);
    expect((await admin.post('/workflows/defs.nowhere/executions', {})).status).toBe(404);
    const viewer = await clientAs(server, 'vic', { '*': ['viewer'] });
    expect((await viewer.post('/workflows/defs.release/executions', { parameters: { tag: 'v' } })).status).toBe(403);
    expect((await admin.post(`/executions/${first.json.id}/resume`, {})).status).toBe(202);
    ok(await admin.post(`/executions/${first.json.id}/cancel`, {}), 202);
    const late = await admin.post(`/executions/${first.json.id}/pause`, {});
    expect([late.status, late.json.error.code, late.json.error.details.state]).toEqual([409, 'invalid_transition', 'canceled']);
    const retry = await admin.post(`/executions/${first.json.id}/retry`, {});
    expect([retry.status, retry.json.error.code]).toEqual([409, 'invalid_transition']);
  });

  it('stores templates as versions and refuses broken Handlebars (422 with line)', async () => {
    const created = await server.send('PUT', '/api/v1/templates/notice', { token: admin.token, body: 'Release {{tag}} is out', contentType: 'text/x-handlebars-template' });
    expect([created.status, created.json]).toEqual([201, { name: 'notice', version: 1 }]);
    const changed = await admin.put('/templates/notice', { source: 'Release {{tag}} is OUT' });
    expect([changed.status, changed.json]).toEqual([200, { name: 'notice', version: 2 }]);
    expect(ok(await admin.get('/templates/notice'))).toMatchObject({ name: 'notice', version: 2, source: 'Release {{tag}} is OUT' });
    const broken = await admin.put('/templates/broken', { source: 'line one\n{{#if x}} never closed' });
    expect([broken.status, broken.json.error.code, broken.json.error.details.errors[0].line]).toEqual([422, 'invalid_definition', 2]);
    expect((await admin.get('/templates/missing')).status).toBe(404);
  });
});
