/**
 * Starts the real server in-process on an ephemeral port with a fresh data directory, exactly as
 * main.ts builds it (createApp), and speaks HTTP to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore } from '@trellis/eventstore';
import { createApp, CreateAppOptions } from '../../apps/server/src/app.factory';
import { AppConfig, loadConfig } from '../../apps/server/src/config/config';
import { HttpResponse, send, SendOptions } from './http';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  adminToken: string;
  store: EventStore;
  send(method: string, path: string, options?: SendOptions): Promise<HttpResponse>;
  /** Closes the app (and with it the store); `keepData` leaves the data directory for inspection. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'trellis-test-'));
}

export async function startTestServer(
  options: { env?: Record<string, string>; dataDir?: string; app?: CreateAppOptions } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    TRELLIS_DATA_DIR: dataDir,
    TRELLIS_LOG_LEVEL: process.env.TRELLIS_LOG_LEVEL ?? 'silent',
    TRELLIS_ADMIN_TOKEN: ADMIN_TOKEN,
    ...options.env,
  });
  const app = await createApp(config, { handleSignals: false, ...options.app });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  let closed = false;
  return {
    app,
    config,
    baseUrl,
    adminToken: config.adminToken.value,
    store: app.get(EventStore),
    send: (method, path, sendOptions) => send(baseUrl, method, path, sendOptions),
    close: async ({ keepData = false } = {}) => {
      if (!closed) await app.close();
      closed = true;
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
