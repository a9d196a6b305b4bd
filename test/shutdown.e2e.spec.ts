/**
 * Graceful shutdown in-process: requests in flight when the app closes run to completion, the
 * store is closed only after them, and a request arriving during shutdown gets 503 unavailable.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { ShutdownGate } from '../apps/server/src/common/http/shutdown-gate';
import { Gate, InstrumentedStore } from './support/instrumented-store';
import { startTestServer, tempDataDir } from './support/server';

const API = '/api/v1';

describe('graceful shutdown (e2e)', () => {
  it('lets in-flight commands finish before the store is closed', async () => {
    const dataDir = tempDataDir();
    const gate = new Gate();
    // Held only once started: booting appends too (the built-in lifecycle definitions).
    let started = false;
    const store = InstrumentedStore.sqlite(join(dataDir, 'events.db'), { beforeAppend: () => (started ? gate.pass() : undefined) });
    const server = await startTestServer({ dataDir, app: { eventStore: store } });
    started = true;

    const inFlight = [1, 2, 3].map((n) =>
      server.send('POST', `${API}/admin/tokens`, { body: { actor: `bot-${n}`, roles: { '*': ['viewer'] } }, token: server.adminToken }),
    );
    await gate.waitFor(3);
    const closing = server.close({ keepData: true });
    // Shutdown must wait for the held commands, not close the store under them.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.closed).toBe(false);

    gate.open();
    const responses = await Promise.all(inFlight);
    await closing;
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(store.closed).toBe(true);

    const reopened = SqliteEventStore.open({ file: join(dataDir, 'events.db') });
    const { events } = await reopened.readAll({ eventTypes: ['TokenIssued'] });
    expect(events.map((e) => (e.data as { actor: string }).actor).sort()).toEqual(['bot-1', 'bot-2', 'bot-3']);
    await reopened.close();
  });

  it('answers requests that arrive once shutdown has begun with 503 unavailable', async () => {
    const server = await startTestServer();
    try {
      server.app.get(ShutdownGate).beforeApplicationShutdown();
      const res = await server.send('GET', `${API}/health`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json).toEqual({ error: { code: 'unavailable', message: 'the server is shutting down', details: { retryAfterSeconds: 1 } } });
    } finally {
      await server.close();
    }
  });
});
