/**
 * Which backends the environment selects (DESIGN.md, Backends): nothing → SQLite files under the
 * data directory; DATABASE_URL (postgres://) → PostgreSQL for both roles; KURRENTDB_URL with
 * MONGODB_URL → KurrentDB events + MongoDB read models.
 */
import { resolve } from 'node:path';
import type { SqliteSynchronous } from '@trellis/eventstore';

export interface SqliteBackend {
  kind: 'sqlite';
  /** Absolute path of the event store file. */
  file: string;
  /** Absolute path of the read-model file. */
  readFile: string;
  synchronous: SqliteSynchronous;
}

export interface PostgresBackend {
  kind: 'postgres';
  url: string;
}

export interface KurrentMongoBackend {
  kind: 'kurrentdb';
  kurrentDbUrl: string;
  mongoDbUrl: string;
}

export type BackendConfig = SqliteBackend | PostgresBackend | KurrentMongoBackend;

export const READ_MODELS_FILE = 'readmodels.db';

/** Credentials in a URL are never printed (banner, health, logs). */
export function describeBackend(backend: BackendConfig): string {
  switch (backend.kind) {
    case 'sqlite':
      return `sqlite (${backend.file}, synchronous=${backend.synchronous}; read models ${backend.readFile})`;
    case 'postgres':
      return `postgres (${redact(backend.url)})`;
    case 'kurrentdb':
      return `kurrentdb (${redact(backend.kurrentDbUrl)}) + mongodb (${redact(backend.mongoDbUrl)})`;
  }
}

export function selectBackend(
  value: (name: string) => string | undefined,
  dataDir: string,
  synchronous: SqliteSynchronous,
  problems: string[],
): BackendConfig {
  const databaseUrl = value('DATABASE_URL');
  const kurrentDbUrl = value('KURRENTDB_URL');
  const mongoDbUrl = value('MONGODB_URL');
  const sqlite: SqliteBackend = {
    kind: 'sqlite',
    file: resolve(dataDir, 'events.db'),
    readFile: resolve(dataDir, READ_MODELS_FILE),
    synchronous,
  };

  if (databaseUrl && (kurrentDbUrl || mongoDbUrl)) {
    problems.push('set either DATABASE_URL (PostgreSQL) or KURRENTDB_URL with MONGODB_URL, not both');
    return sqlite;
  }
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push(`DATABASE_URL must be a postgres:// URL, got ${JSON.stringify(redact(databaseUrl))}`);
    return { kind: 'postgres', url: databaseUrl };
  }
  if (kurrentDbUrl || mongoDbUrl) {
    if (!kurrentDbUrl) problems.push('MONGODB_URL is set without KURRENTDB_URL: the MongoDB read store goes with the KurrentDB event store');
    if (!mongoDbUrl) problems.push('KURRENTDB_URL is set without MONGODB_URL: the KurrentDB event store needs MongoDB for read models');
    if (kurrentDbUrl && !/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(kurrentDbUrl)) {
      problems.push(`KURRENTDB_URL must be an esdb:// or kurrentdb:// URL, got ${JSON.stringify(redact(kurrentDbUrl))}`);
    }
    if (mongoDbUrl && !/^mongodb(\+srv)?:\/\//.test(mongoDbUrl)) problems.push(`MONGODB_URL must be a mongodb:// URL, got ${JSON.stringify(redact(mongoDbUrl))}`);
    return { kind: 'kurrentdb', kurrentDbUrl: kurrentDbUrl ?? '', mongoDbUrl: mongoDbUrl ?? '' };
  }
  return sqlite;
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
