/** What clients see when a backend fails or something unexpected breaks. */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { InstrumentedStore } from './support/instrumented-store';
import { startTestServer, tempDataDir } from './support/server';

const API = '/api/v1';

describe('failures (e2e)', () => {
  it('reports an event store that fails its probe as unavailable with 503', async () => {
    const dataDir = tempDataDir();
    const store = InstrumentedStore.sqlite(join(dataDir, 'events.db'), {
      headPosition: () => Promise.reject(new Error('disk I/O error')),
    });
    const server = await startTestServer({ dataDir, app: { eventStore: store } });
    try {
      const res = await server.send('GET', `${API}/health`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json).toEqual({
        status: 'unavailable',
        backends: { eventStore: { backend: 'sqlite', status: 'unavailable', error: 'disk I/O error' } },
      });
    } finally {
      await server.close();
    }
  });

  it('answers an unexpected error with 500 internal, logs it, and leaks no internals', async () => {
    const dataDir = tempDataDir();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    // Failing only once started: booting appends too (the built-in lifecycle definitions).
    let started = false;
    const store = InstrumentedStore.sqlite(join(dataDir, 'events.db'), {
      beforeAppend: () => {
        if (started) throw new TypeError('cannot read properties of undefined (at /srv/secret/path.ts:12)');
      },
    });
    const server = await startTestServer({ dataDir, app: { eventStore: store, logger } });
    started = true;
    try {
      const res = await server.send('POST', `${API}/admin/tokens`, {
        body: { actor: 'x', roles: { '*': ['viewer'] } },
        token: server.adminToken,
        headers: { 'x-request-id': 'req-123' },
      });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: { code: 'internal', message: 'internal error', details: { requestId: 'req-123' } } });
      expect(res.text).not.toContain('secret');

      const logged = lines.map((line) => JSON.parse(line));
      const failure = logged.find((entry) => entry.msg === 'unexpected error');
      expect(failure).toMatchObject({ level: 50, reqId: 'req-123', err: { type: 'TypeError', stack: expect.stringContaining('TypeError') } });
      // The request line is there, and no credential is anywhere in the log.
      expect(logged).toContainEqual(expect.objectContaining({ msg: 'request completed', res: { statusCode: 500 } }));
      expect(lines.join('')).not.toContain(server.adminToken);
    } finally {
      await server.close();
    }
  });

  it('maps a store that is closed under a request to 503 unavailable', async () => {
    const dataDir = tempDataDir();
    const store = InstrumentedStore.sqlite(join(dataDir, 'events.db'));
    const server = await startTestServer({ dataDir, app: { eventStore: store } });
    try {
      await store.inner.close();
      const res = await server.send('POST', `${API}/admin/tokens`, { body: { actor: 'x', roles: { '*': ['viewer'] } }, token: server.adminToken });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('unavailable');
    } finally {
      await server.close();
    }
  });
});
