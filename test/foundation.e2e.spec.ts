/**
 * The server shell over real HTTP: health, auth, token issuing, the error shape for bad input,
 * and that no bad request appends anything to the store.
 */
import { startTestServer, TestServer } from './support/server';

const API = '/api/v1';

describe('server foundation (e2e)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const issueToken = (body: unknown, token = server.adminToken) => server.send('POST', `${API}/admin/tokens`, { body, token });

  describe('health', () => {
    it('answers without a token and names the SQLite backend', async () => {
      const res = await server.send('GET', `${API}/health`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        status: 'ok',
        backends: { eventStore: { backend: 'sqlite', status: 'ok', file: server.config.backend.kind === 'sqlite' ? server.config.backend.file : undefined, headPosition: expect.any(Number) } },
      });
    });
  });

  describe('authentication', () => {
    it('rejects a request without a token with 401 in the error shape', async () => {
      const res = await server.send('GET', `${API}/metrics`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json).toEqual({ error: { code: 'unauthenticated', message: 'missing Authorization: Bearer <token> header', details: {} } });
    });

    it('rejects a wrong token with 401 in the error shape', async () => {
      const res = await server.send('GET', `${API}/metrics`, { token: 'not-a-real-token-at-all' });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: { code: 'unauthenticated', message: 'invalid bearer token', details: {} } });
    });

    it('rejects an Authorization header that is not a bearer token', async () => {
      const res = await server.send('GET', `${API}/metrics`, { headers: { authorization: `Basic ${server.adminToken}` } });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthenticated');
    });
  });

  describe('tokens', () => {
    it('lets an admin issue a token that then authenticates, storing only its hash', async () => {
      const before = await server.store.headPosition();
      const res = await issueToken({ actor: 'ci-bot', roles: { p1: ['member', 'reviewer'], '*': ['viewer'] } });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ token: expect.stringMatching(/^trl_/), actor: 'ci-bot', roles: { p1: ['member', 'reviewer'], '*': ['viewer'] } });

      const metrics = await server.send('GET', `${API}/metrics`, { token: res.json.token });
      expect(metrics.status).toBe(200);

      const { events } = await server.store.readAll({ after: before });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'TokenIssued', streamId: expect.stringMatching(/^token-/), data: { actor: 'ci-bot' } });
      expect(events[0].metadata.actor).toBe('admin');
      expect(JSON.stringify(events[0])).not.toContain(res.json.token);
    });

    it('forbids a non-admin token to issue tokens (403) and appends nothing', async () => {
      const member = await issueToken({ actor: 'dev', roles: { '*': ['member'], p1: ['admin'] } });
      const before = await server.store.headPosition();
      const res = await issueToken({ actor: 'sneaky', roles: { '*': ['admin'] } }, member.json.token);
      expect(res.status).toBe(403);
      expect(res.json.error).toEqual({
        code: 'forbidden',
        message: 'dev needs one of the roles admin on every project',
        details: { actor: 'dev', project: '*', required: ['admin'] },
      });
      expect(await server.store.headPosition()).toBe(before);
    });

    it('keeps issued tokens across a restart', async () => {
      const issued = await issueToken({ actor: 'survivor', roles: { '*': ['auditor'] } });
      const dataDir = server.config.dataDir;
      await server.close({ keepData: true });
      server = await startTestServer({ dataDir });
      const res = await server.send('GET', `${API}/metrics`, { token: issued.json.token });
      expect(res.status).toBe(200);
    });
  });

  describe('bad input appends nothing', () => {
    // Each case is sent with the admin token, so only the input itself is wrong.
    const cases: Array<{ name: string; send: () => ReturnType<TestServer['send']>; status: number; code: string; check?: (json: any) => void }> = [
      {
        name: 'malformed JSON → 400 validation_failed',
        send: () => server.send('POST', `${API}/admin/tokens`, { body: '{"actor": "x", "roles": {', token: server.adminToken }),
        status: 400,
        code: 'validation_failed',
      },
      {
        name: 'an empty JSON body → 400 validation_failed',
        send: () => server.send('POST', `${API}/admin/tokens`, { body: '', token: server.adminToken, headers: { 'content-type': 'application/json' } }),
        status: 400,
        code: 'validation_failed',
      },
      {
        name: 'an unknown field → 400 naming its path',
        send: () => issueToken({ actor: 'x', roles: { '*': ['viewer'] }, colour: 'blue' }),
        status: 400,
        code: 'validation_failed',
        check: (json) => expect(json.error.details.violations).toEqual([{ path: 'colour', message: 'is not a known field' }]),
      },
      {
        name: 'a wrong type → 400 naming its path',
        send: () => issueToken({ actor: 42, roles: { '*': ['viewer'] } }),
        status: 400,
        code: 'validation_failed',
        check: (json) => expect(json.error.details.violations).toEqual(expect.arrayContaining([{ path: 'actor', message: 'must be a string' }])),
      },
      {
        name: 'an unknown role → 400 with one violation per nested path',
        send: () => issueToken({ actor: 'x', roles: { p1: ['boss'], p2: [], '*': ['viewer', 'root'] } }),
        status: 400,
        code: 'validation_failed',
        check: (json) =>
          expect(json.error.details.violations).toEqual([
            { path: 'roles.p1.0', message: expect.stringContaining('unknown role "boss"') },
            { path: 'roles.p2', message: 'must be a non-empty list of roles' },
            { path: 'roles.*.1', message: expect.stringContaining('unknown role "root"') },
          ]),
      },
      {
        name: 'a missing body → 400 listing every required field',
        send: () => server.send('POST', `${API}/admin/tokens`, { token: server.adminToken }),
        status: 400,
        code: 'validation_failed',
        check: (json) => expect(json.error.details.violations.map((v: { path: string }) => v.path)).toEqual(expect.arrayContaining(['actor', 'roles'])),
      },
      {
        name: 'a JSON array instead of an object → 400',
        send: () => issueToken([{ actor: 'x' }]),
        status: 400,
        code: 'validation_failed',
      },
      {
        name: 'a body over the limit → 413 payload_too_large',
        send: () => issueToken({ actor: 'x', roles: { '*': ['viewer'] }, padding: 'x'.repeat(1024 * 1024) }),
        status: 413,
        code: 'payload_too_large',
      },
      {
        name: 'a content type that is not JSON → 415 unsupported_media_type',
        send: () => server.send('POST', `${API}/admin/tokens`, { body: 'actor=x', contentType: 'text/plain', token: server.adminToken }),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a form-encoded body → 415 unsupported_media_type',
        send: () => server.send('POST', `${API}/admin/tokens`, { body: 'actor=x', contentType: 'application/x-www-form-urlencoded', token: server.adminToken }),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a missing token with a valid body → 401',
        send: () => server.send('POST', `${API}/admin/tokens`, { body: { actor: 'x', roles: { '*': ['admin'] } } }),
        status: 401,
        code: 'unauthenticated',
      },
      {
        name: 'a wrong token with a valid body → 401',
        send: () => issueToken({ actor: 'x', roles: { '*': ['admin'] } }, 'trl_wrong'),
        status: 401,
        code: 'unauthenticated',
      },
      {
        name: 'an unknown route → 404 not_found',
        send: () => server.send('POST', `${API}/no-such-thing`, { body: {}, token: server.adminToken }),
        status: 404,
        code: 'not_found',
      },
    ];

    it.each(cases)('$name', async ({ send, status, code, check }) => {
      const before = await server.store.headPosition();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.json)).toEqual(['error']);
      expect(Object.keys(res.json.error).sort()).toEqual(['code', 'details', 'message']);
      expect(res.json.error.code).toBe(code);
      expect(typeof res.json.error.message).toBe('string');
      check?.(res.json);
      expect(await server.store.headPosition()).toBe(before);
    });
  });

  describe('operations', () => {
    it('serves Prometheus metrics with request durations by route', async () => {
      await server.send('GET', `${API}/health`);
      const res = await server.send('GET', `${API}/metrics`, { token: server.adminToken });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('trellis_process_cpu_seconds_total');
      expect(res.text).toMatch(/trellis_http_request_duration_seconds_count\{route="\/api\/v1\/health",method="GET",status="200"\} \d+/);
      expect(res.text).toContain('trellis_commands_total');
    });

    it('publishes the OpenAPI document with bearer auth and the token DTO', async () => {
      const res = await server.send('GET', '/api/docs-json');
      expect(res.status).toBe(200);
      expect(res.json.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.json.paths['/api/v1/admin/tokens'].post).toBeDefined();
      expect(res.json.components.schemas.CreateTokenDto.required).toEqual(['actor', 'roles']);
      const ui = await server.send('GET', '/api/docs');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });
});
