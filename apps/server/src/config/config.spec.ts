import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskToken } from './admin-token';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => ({ TRELLIS_DATA_DIR: dir, TRELLIS_ADMIN_TOKEN: 'a-long-enough-admin-token', ...extra });

  it('defaults to the embedded SQLite store under the data directory', () => {
    const config = loadConfig(env());
    expect(config).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: dir,
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      backend: { kind: 'sqlite', file: join(dir, 'events.db'), readFile: join(dir, 'readmodels.db'), synchronous: 'FULL' },
      projectionIntervalMs: 20,
      adminToken: { value: 'a-long-enough-admin-token', source: 'env' },
      secrets: {},
    });
  });

  it('takes workflow secrets from TRELLIS_SECRET_<NAME>, named in lower case', () => {
    const config = loadConfig({ TRELLIS_DATA_DIR: dir, TRELLIS_ADMIN_TOKEN: 'a-long-enough-admin-token', TRELLIS_SECRET_GITHUB_TOKEN: 'ghp_x' });
    expect(config.secrets).toEqual({ github_token: 'ghp_x' });
  });

  it('resolves a relative data directory against the working directory', () => {
    expect(loadConfig({ TRELLIS_DATA_DIR: 'here', TRELLIS_ADMIN_TOKEN: 'a-long-enough-admin-token' }, dir).dataDir).toBe(join(dir, 'here'));
  });

  it('reads every setting', () => {
    const config = loadConfig(
      env({ PORT: '8080', HOST: '127.0.0.1', TRELLIS_LOG_LEVEL: 'SILENT', TRELLIS_SQLITE_SYNCHRONOUS: 'normal', TRELLIS_BODY_LIMIT: '2048', TRELLIS_PROJECTION_INTERVAL_MS: '0' }),
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'silent',
      bodyLimit: 2048,
      backend: { synchronous: 'NORMAL' },
      projectionIntervalMs: 0,
    });
  });

  it('lists every invalid setting at once', () => {
    const attempt = () => loadConfig(env({ PORT: 'eighty', TRELLIS_LOG_LEVEL: 'loud', TRELLIS_SQLITE_SYNCHRONOUS: 'OFF', TRELLIS_BODY_LIMIT: '-1', TRELLIS_PROJECTION_INTERVAL_MS: 'soon' }));
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'TRELLIS_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
        'TRELLIS_SQLITE_SYNCHRONOUS must be one of FULL, NORMAL, got "OFF"',
        'TRELLIS_BODY_LIMIT must be a whole number from 1024 to 1073741824, got "-1"',
        'TRELLIS_PROJECTION_INTERVAL_MS must be a whole number from 0 to 60000, got "soon"',
      ]);
    }
  });

  it('selects PostgreSQL for both roles from DATABASE_URL', () => {
    expect(loadConfig(env({ DATABASE_URL: 'postgres://trellis:pw@db/trellis' })).backend).toEqual({ kind: 'postgres', url: 'postgres://trellis:pw@db/trellis' });
  });

  it('selects KurrentDB + MongoDB from KURRENTDB_URL with MONGODB_URL', () => {
    const config = loadConfig(env({ KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false', MONGODB_URL: 'mongodb://localhost:27017/trellis' }));
    expect(config.backend).toEqual({ kind: 'kurrentdb', kurrentDbUrl: 'kurrentdb://localhost:2113?tls=false', mongoDbUrl: 'mongodb://localhost:27017/trellis' });
  });

  it.each([
    [{ KURRENTDB_URL: 'kurrentdb://localhost:2113' }, 'KURRENTDB_URL is set without MONGODB_URL'],
    [{ MONGODB_URL: 'mongodb://localhost:27017' }, 'MONGODB_URL is set without KURRENTDB_URL'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ DATABASE_URL: 'postgres://localhost/x', KURRENTDB_URL: 'kurrentdb://localhost:2113' }, 'set either DATABASE_URL'],
  ])('refuses an incomplete or mixed backend selection %j', (vars, message) => {
    expect(() => loadConfig(env(vars as Record<string, string>))).toThrow(message);
  });

  it('refuses a short admin token', () => {
    expect(() => loadConfig(env({ TRELLIS_ADMIN_TOKEN: 'admin' }))).toThrow('TRELLIS_ADMIN_TOKEN must be at least 16 characters');
  });

  it('generates an admin token once, stores it readable by the owner only, and reuses it', () => {
    const first = loadConfig({ TRELLIS_DATA_DIR: dir });
    const file = join(dir, 'admin-token');
    expect(first.adminToken).toEqual({ value: expect.stringMatching(/^trl_[\w-]{43}$/), source: 'generated', file });
    expect(readFileSync(file, 'utf8').trim()).toBe(first.adminToken.value);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadConfig({ TRELLIS_DATA_DIR: dir });
    expect(second.adminToken).toEqual({ value: first.adminToken.value, source: 'file', file });
  });

  it('refuses a stored admin token file that holds no token', () => {
    writeFileSync(join(dir, 'admin-token'), '\n');
    expect(() => loadConfig({ TRELLIS_DATA_DIR: dir })).toThrow('does not hold a valid admin token');
  });
});

describe('maskToken', () => {
  it('shows only the first and last four characters', () => {
    expect(maskToken('trl_abcdefghijklmnopqrstuvwxyz')).toBe('trl_…wxyz');
    expect(maskToken('short')).toBe('****');
  });
});
