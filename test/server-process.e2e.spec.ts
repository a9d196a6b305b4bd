/**
 * Smoke test of the real server process: it starts from its environment, prints the banner,
 * serves /health, and on SIGTERM exits 0 with the SQLite file closed cleanly.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { send } from './support/http';
import { spawnServer, waitForOutput } from './support/server-process';
import { tempDataDir } from './support/server';

// Each test starts the whole app through ts-node (one or two processes): slow on a busy 2-core machine.
jest.setTimeout(120_000);

describe('server process (smoke)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, serves health, and shuts down cleanly on SIGTERM', async () => {
    const server = spawnServer({ PORT: '0', HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, TRELLIS_LOG_LEVEL: 'warn' });
    try {
      const [, port] = await waitForOutput(server, /listening +http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/);
      const banner = server.stdout();
      expect(banner).toMatch(/^Trellis \d+\.\d+\.\d+/);
      expect(banner).toContain(`backend      sqlite (${join(dataDir, 'events.db')}, synchronous=FULL; read models ${join(dataDir, 'readmodels.db')})`);
      expect(banner).toContain(`http://127.0.0.1:${port}/api/docs`);

      // No TRELLIS_ADMIN_TOKEN: one was generated, stored owner-only, and printed once.
      const tokenFile = join(dataDir, 'admin-token');
      const adminToken = readFileSync(tokenFile, 'utf8').trim();
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(banner).toContain(`generated and stored in ${tokenFile}`);
      expect(banner).toContain(adminToken);

      const baseUrl = `http://127.0.0.1:${port}`;
      const health = await send(baseUrl, 'GET', '/api/v1/health');
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: 'ok', backends: { eventStore: { backend: 'sqlite', status: 'ok' } } });
      const issued = await send(baseUrl, 'POST', '/api/v1/admin/tokens', { body: { actor: 'smoke', roles: { '*': ['viewer'] } }, token: adminToken });
      expect(issued.status).toBe(201);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.stderr()).toBe('');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }

    // A clean close checkpoints the WAL into the database file.
    const wal = join(dataDir, 'events.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const store = SqliteEventStore.open({ file: join(dataDir, 'events.db') });
    try {
      const { events } = await store.readAll({ eventTypes: ['TokenIssued'] });
      expect(events.map((e) => (e.data as { actor: string }).actor)).toEqual(['smoke']);
    } finally {
      await store.close();
    }
  });

  it('reuses the stored admin token on the next start and masks it', async () => {
    const first = spawnServer({ PORT: '0', HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, TRELLIS_LOG_LEVEL: 'silent' });
    await waitForOutput(first, /listening/);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();

    const second = spawnServer({ PORT: '0', HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, TRELLIS_LOG_LEVEL: 'silent' });
    try {
      await waitForOutput(second, /admin token .*\n/);
      expect(second.stdout()).toContain(`${token.slice(0, 4)}…${token.slice(-4)}, stored in ${join(dataDir, 'admin-token')}`);
      expect(second.stdout()).not.toContain(token);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  });

  it('refuses to start with a readable message when the configuration is incomplete', async () => {
    const server = spawnServer({ PORT: '0', TRELLIS_DATA_DIR: dataDir, KURRENTDB_URL: 'kurrentdb://localhost:2113', TRELLIS_BODY_LIMIT: 'lots' });
    expect((await server.exited).code).toBe(1);
    expect(server.stderr()).toBe(
      'trellis: invalid configuration:\n' +
        '  - TRELLIS_BODY_LIMIT must be a whole number from 1024 to 1073741824, got "lots"\n' +
        '  - KURRENTDB_URL is set without MONGODB_URL: the KurrentDB event store needs MongoDB for read models\n',
    );
    expect(server.stdout()).toBe('');
  });
});
