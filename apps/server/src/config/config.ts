/**
 * Server configuration, read once from the environment at startup and validated as a whole, so a
 * misconfigured server stops with every problem listed instead of failing on the first request.
 */
import { resolve } from 'node:path';
import type { SqliteSynchronous } from '@trellis/eventstore';
import { secretsFromEnv } from '@trellis/runtime/workflows/secrets/secrets';
import { AdminToken, resolveAdminToken } from './admin-token';
import { BackendConfig, selectBackend } from './backend-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  logLevel: LogLevel;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  backend: BackendConfig;
  /**
   * The least time between two read-model batches of one projection while it follows the log:
   * under load, the commands of this window are applied in one transaction.
   */
  projectionIntervalMs: number;
  adminToken: AdminToken;
  /** `secrets.<name>` of workflows, from TRELLIS_SECRET_<NAME>; resolved only when a task is dispatched. */
  secrets: Readonly<Record<string, string>>;
}

/** DI token for the AppConfig. */
export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_PROJECTION_INTERVAL_MS = 20;

/**
 * Validates the environment and resolves the admin token (which may create `<dataDir>/admin-token`).
 * Throws ConfigError listing every problem.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return parsed;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T, normalise: (s: string) => string): T => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const normalised = normalise(raw);
    if (!(allowed as readonly string[]).includes(normalised)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return normalised as T;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = value('HOST') ?? '0.0.0.0';
  const dataDir = resolve(cwd, value('TRELLIS_DATA_DIR') ?? './data');
  const logLevel = oneOf('TRELLIS_LOG_LEVEL', LOG_LEVELS, 'info', (s) => s.toLowerCase());
  const synchronous = oneOf<SqliteSynchronous>('TRELLIS_SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'], 'FULL', (s) => s.toUpperCase());
  const bodyLimit = integer('TRELLIS_BODY_LIMIT', DEFAULT_BODY_LIMIT, 1024, 1024 * 1024 * 1024);
  const projectionIntervalMs = integer('TRELLIS_PROJECTION_INTERVAL_MS', DEFAULT_PROJECTION_INTERVAL_MS, 0, 60_000);
  const backend = selectBackend(value, dataDir, synchronous, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  let adminToken: AdminToken;
  try {
    adminToken = resolveAdminToken(value('TRELLIS_ADMIN_TOKEN'), dataDir);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }

  return {
    port,
    host,
    dataDir,
    logLevel,
    bodyLimit,
    backend,
    projectionIntervalMs,
    adminToken,
    secrets: secretsFromEnv(env),
  };
}
