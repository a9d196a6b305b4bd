/**
 * Where a PostgreSQL read store lives: one schema holding one table per physical collection
 * plus the store's own `_generations` and `_collections` (underscore names, which no physical
 * collection can take), and how that schema is created.
 *
 * - _generations: one row per generation of each projection, never deleted (dropped ones are
 *   marked), so generation numbers are never reused; the partial unique indexes make "one
 *   active, at most one building" a property of the database, not only of the code. A batch
 *   locks its generation's row, which serialises batches of one generation across processes
 *   and orders them against switches and drops.
 * - _collections: the tables created for each generation with their indexed fields, so dropping
 *   a generation finds them all (including collections the current code no longer declares), and
 *   a switch can create the indexes deferred while the generation was built, whichever process
 *   built it.
 */
import { createHash } from 'node:crypto';
import { escapeIdentifier, type PoolClient } from 'pg';

export interface ReadLayout {
  schema: string;
  /** Qualified, quoted names, ready to be spliced into SQL. */
  generations: string;
  collections: string;
  /** Key of the advisory lock taken while creating tables in the schema. */
  ddlLock: string;
}

/** PostgreSQL cuts longer identifiers silently, which could make two names one. */
const MAX_IDENTIFIER = 63;

export function layoutOf(schema: string): ReadLayout {
  if (schema.length === 0) throw new TypeError('schema must be a non-empty string');
  const quoted = escapeIdentifier(schema);
  return {
    schema,
    generations: `${quoted}._generations`,
    collections: `${quoted}._collections`,
    ddlLock: createHash('sha256').update(`trellis-readstore:${schema}`).digest().readBigInt64BE(0).toString(),
  };
}

/** A name as a PostgreSQL identifier: as is when it fits, else shortened with a digest of the whole. */
export function identifierOf(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `${name.slice(0, MAX_IDENTIFIER - digest.length - 1)}_${digest}`;
}

export function qualified(layout: ReadLayout, name: string): string {
  return `${escapeIdentifier(layout.schema)}.${escapeIdentifier(identifierOf(name))}`;
}

function schemaSql(layout: ReadLayout): string {
  const { generations, collections } = layout;
  return `
CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(layout.schema)};

CREATE TABLE IF NOT EXISTS ${generations} (
  projection text    COLLATE "C" NOT NULL,
  generation integer NOT NULL,
  status     text    NOT NULL CHECK (status IN ('active', 'building', 'retired', 'dropped')),
  checkpoint bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (projection, generation)
);
CREATE UNIQUE INDEX IF NOT EXISTS _generations_active ON ${generations} (projection) WHERE status = 'active';
CREATE UNIQUE INDEX IF NOT EXISTS _generations_building ON ${generations} (projection) WHERE status = 'building';

CREATE TABLE IF NOT EXISTS ${collections} (
  physical   text    COLLATE "C" NOT NULL PRIMARY KEY,
  projection text    COLLATE "C" NOT NULL,
  collection text    NOT NULL,
  generation integer NOT NULL,
  indexes    text[]  NOT NULL
);
CREATE INDEX IF NOT EXISTS _collections_generation ON ${collections} (projection, generation);
`;
}

/** Creates the schema and the store's tables if missing; safe when several processes open it at once. */
export async function migrate(client: PoolClient, layout: ReadLayout): Promise<void> {
  await client.query('BEGIN');
  try {
    // CREATE ... IF NOT EXISTS is not safe against a concurrent CREATE; the lock is.
    await client.query(`SELECT pg_advisory_xact_lock(${layout.ddlLock})`);
    await client.query(schemaSql(layout));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
