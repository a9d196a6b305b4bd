/**
 * Opening the read-model file: pragmas and the store's own tables. Read models can always be
 * rebuilt from the event log and every batch commits its documents together with its
 * checkpoint. With synchronous=NORMAL a power cut may lose the last batches, but then the
 * checkpoint rolls back with them and the projection simply re-applies those events. The server
 * runs the file with OFF instead, guarded as boot-guard.ts describes.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'OFF';

/** The file name of the read models inside the data directory. */
export const READ_MODELS_FILE = 'readmodels.db';

export function readModelsFile(dataDir: string): string {
  return join(dataDir, READ_MODELS_FILE);
}

// - _readstore_generations: one row per generation of each projection, never deleted (dropped
//   ones are marked), so generation numbers are never reused. The partial unique indexes make
//   "one active, at most one building" a property of the file, not only of the code.
// - _readstore_collections: the physical tables created for each generation with their
//   indexed fields, so dropping a generation finds them all (including collections the current
//   code no longer declares) and switching to one can create the indexes deferred while it was
//   built, whichever process built it.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS _readstore_generations (
  projection TEXT    NOT NULL,
  generation INTEGER NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('active', 'building', 'retired', 'dropped')),
  checkpoint INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (projection, generation)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX IF NOT EXISTS _readstore_generations_active
  ON _readstore_generations (projection) WHERE status = 'active';
CREATE UNIQUE INDEX IF NOT EXISTS _readstore_generations_building
  ON _readstore_generations (projection) WHERE status = 'building';

CREATE TABLE IF NOT EXISTS _readstore_collections (
  physical   TEXT    NOT NULL PRIMARY KEY,
  projection TEXT    NOT NULL,
  collection TEXT    NOT NULL,
  generation INTEGER NOT NULL,
  indexes    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
`;

const PAGE_SIZE = 16384;
const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/**
 * SQLite's own checkpoints, or none (a file that runs with synchronous=OFF is checkpointed on a
 * worker thread instead, see background-checkpoint.ts). SQLite's run inside the commit that
 * crosses the threshold, on the caller's thread, and stall it while they copy the WAL back (and,
 * unless the file runs with OFF, sync it): small and frequent stalls hurt request latency less
 * than large ones (measured at 8 HTTP clients: max ~25 ms with a 4 MiB WAL against ~45 ms with
 * 16 MiB, SQLite's 1,000 pages of 16 KiB).
 */
export function automaticCheckpoints(db: Database.Database, on: boolean): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${on ? Math.max(1, Math.round(WAL_CHECKPOINT_BYTES / pageSize)) : 0}`);
}

export function openDatabase(file: string, synchronous: SqliteSynchronous): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  try {
    // Only a new file takes it (an existing one keeps the page size it was made with). Read
    // models are written in bulk by rebuilds: with 16 KiB pages a 200k-document rebuild inserts
    // and builds its indexes about a quarter faster than with the default 4 KiB.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    automaticCheckpoints(db, true);
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
