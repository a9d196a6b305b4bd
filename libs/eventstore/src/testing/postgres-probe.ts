/**
 * For specs that need a PostgreSQL server: jest registers tests synchronously, so whether a
 * server answers is asked from a child process before any describe block is written.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const POSTGRES_TEST_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why no server answers at `url`, or undefined when one does. */
export function postgresUnreachableReason(url: string = POSTGRES_TEST_URL): string | undefined {
  const probe = `
    const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('SELECT 1')).then(() => client.end()).then(
      () => process.exit(0),
      (error) => { process.stderr.write(String(error.message)); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', probe, url], { cwd: resolve(__dirname, '../../../..'), encoding: 'utf8', timeout: 10000 });
  return result.status === 0 ? undefined : result.stderr.trim() || result.error?.message || `probe exited with ${result.status}`;
}

/** The URL with its credentials hidden, for skip messages. */
export const shownUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
