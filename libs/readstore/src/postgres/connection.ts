/**
 * The connection pool and transactions. Query results are turned into what the port hands out
 * right where pg parses them: bigint (positions, checkpoints, counts) as numbers — they stay far
 * below 2^53 — and jsonb as the document it encodes (see encoding.ts).
 */
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { decodeJson } from './encoding';

export type Queryable = Pool | PoolClient;

const INT8 = 20;
const JSONB = 3802;

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return types.getTypeParser(oid, format);
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === JSONB) return decodeJson;
    return types.getTypeParser(oid, format);
  }) as typeof types.getTypeParser,
};

export interface PoolOptions {
  connectionString: string;
  maxConnections: number;
  synchronousCommit: boolean;
}

export function createPool(options: PoolOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    application_name: 'trellis-readstore',
    max: options.maxConnections,
    types: typeParsers,
    // Statements issued together go out together: a batch costs two round trips (see apply.ts).
    pipeline: true,
    // See PostgresReadStoreOptions.synchronousCommit for why off is safe for read models.
    ...(!options.synchronousCommit && { options: '-c synchronous_commit=off' }),
  };
  const pool = new Pool(config);
  // An idle pooled connection that the server drops must not crash the process; the next query
  // gets a fresh connection.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` in one transaction on one connection. `begin` may add settings for the
 * transaction (sent in the same round trip).
 */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** SQLSTATE of a unique or primary key violation. */
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}
