/**
 * Where a PostgreSQL event store lives (one schema: its tables, its lock, its channel) and how
 * that schema is created. Several stores may share a database under different schemas; each
 * derives its own advisory-lock key and NOTIFY channel from the schema name so they never wait
 * on or wake each other.
 */
import { createHash } from 'node:crypto';
import { escapeIdentifier, type PoolClient } from 'pg';

export interface PostgresLayout {
  schema: string;
  /** Qualified, quoted table names, ready to be spliced into SQL. */
  events: string;
  streams: string;
  /** Key of the transaction-scoped advisory lock that orders appends (see write-queue.ts). */
  appendLock: string;
  /** NOTIFY channel on which every commit announces its last position. */
  channel: string;
}

const SCHEMA_VERSION = 1;

export function layoutOf(schema: string): PostgresLayout {
  if (schema.length === 0) throw new TypeError('schema must be a non-empty string');
  const digest = createHash('sha256').update(`trellis-eventstore:${schema}`).digest();
  const quoted = escapeIdentifier(schema);
  return {
    schema,
    events: `${quoted}.events`,
    streams: `${quoted}.streams`,
    appendLock: digest.readBigInt64BE(0).toString(),
    // Channel names are identifiers (at most 63 bytes): a digest fits whatever the schema is called.
    channel: `trellis_events_${digest.subarray(8, 16).toString('hex')}`,
  };
}

// - position is assigned by the appender under the append lock (not by a sequence), so positions
//   are gapless and in commit order; the primary key still refuses a position given twice.
// - id is text, not uuid: the hash chain covers the id exactly as the caller spelled it, and the
//   uuid type would hand back a different spelling (lowercase) of an uppercase id.
// - ids are compared byte by byte (COLLATE "C"): cheaper than the database's locale in every
//   index lookup, and the same on every server.
// - data and metadata are the JSON text that was hashed, stored as is: jsonb would reorder keys
//   and refuse \u0000, and json would refuse some strings JSON.stringify writes (lone surrogates).
// - streams holds each stream's head (revision + hash), so an append reads one row per stream.
// - The triggers make the log append-only for every client; the hash chain is what catches
//   someone who drops them.
function schemaSql(layout: PostgresLayout): string {
  const { events, streams } = layout;
  const guard = `${escapeIdentifier(layout.schema)}.events_append_only`;
  return `
CREATE TABLE ${events} (
  position  bigint NOT NULL PRIMARY KEY,
  id        text   COLLATE "C" NOT NULL UNIQUE,
  stream_id text   COLLATE "C" NOT NULL,
  revision  bigint NOT NULL,
  type      text   NOT NULL,
  data      text   NOT NULL,
  metadata  text   NOT NULL,
  UNIQUE (stream_id, revision)
);

CREATE TABLE ${streams} (
  stream_id text   COLLATE "C" NOT NULL PRIMARY KEY,
  revision  bigint NOT NULL,
  hash      text   NOT NULL
);

CREATE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'events are append-only'; END $$;

CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON ${events}
FOR EACH ROW EXECUTE FUNCTION ${guard}();

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${events}
FOR EACH STATEMENT EXECUTE FUNCTION ${guard}();
`;
}

/** Creates the schema and its tables if missing; safe when several processes open it at once. */
export async function migrate(client: PoolClient, layout: PostgresLayout): Promise<void> {
  const versionTable = `${escapeIdentifier(layout.schema)}.eventstore_schema`;
  await client.query('BEGIN');
  try {
    // CREATE ... IF NOT EXISTS is not safe against a concurrent CREATE; the append lock is.
    await client.query(`SELECT pg_advisory_xact_lock(${layout.appendLock})`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(layout.schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${versionTable} (version integer NOT NULL)`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${versionTable}`);
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(`event store schema version ${version} is newer than this build supports (${SCHEMA_VERSION})`);
    }
    if (version < SCHEMA_VERSION) {
      await client.query(schemaSql(layout));
      await client.query(`INSERT INTO ${versionTable} (version) VALUES (${SCHEMA_VERSION})`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
