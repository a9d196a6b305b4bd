/**
 * Checkpoints that do not flush to disk on the event loop. In WAL mode SQLite copies the WAL back
 * into the database file (a checkpoint) every so often, and with synchronous=NORMAL it flushes
 * the database file inside that checkpoint, on the calling thread: measured under load here, a
 * stall of 10–17 ms for the server's only thread every few hundred commands, during which every
 * request in flight waits.
 *
 * The write queue checkpoints itself instead (wal_autocheckpoint is off on its connection), right
 * after a group's WAL flush has returned, so every frame copied is already durable in the WAL:
 *   1. the checkpoint runs with synchronous=OFF: it only writes the pages to the OS;
 *   2. the database file is flushed with fdatasync on libuv's thread pool;
 *   3. only then may the connection start its next transaction.
 * Step 3 is what makes it safe. SQLite reuses the WAL from its start (overwriting frames) only
 * when a write transaction begins after a complete checkpoint; until the flush returns none
 * begins, so after a power cut the WAL still holds every frame whose page might not have reached
 * the disk, and recovery copies it again. The appends that queue meanwhile wait for the flush,
 * a fraction of a millisecond to a few, instead of the whole checkpoint.
 */
import type Database from 'better-sqlite3';
import type { StoredEvent } from './append';

export interface CheckpointPolicy {
  /** Checkpoint once this many events were committed since the last one (default 256). */
  events: number;
  /** ... or once this much stored JSON was (default 4 MiB), so that big payloads count. */
  chars: number;
}

const DEFAULT_POLICY: CheckpointPolicy = { events: 256, chars: 4 * 2 ** 20 };

export class Checkpointer {
  private events = 0;
  private chars = 0;
  private readonly unsynchronised: Database.Statement;
  private readonly checkpoint: Database.Statement;
  private readonly synchronised: Database.Statement;

  constructor(
    db: Database.Database,
    /** Flushes the database file to disk; `done` runs on the event loop. */
    private readonly flushDatabase: (done: (error: Error | null) => void) => void,
    private readonly policy: CheckpointPolicy = DEFAULT_POLICY,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    this.unsynchronised = db.prepare('PRAGMA synchronous = OFF');
    this.checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    this.synchronised = db.prepare('PRAGMA synchronous = NORMAL');
  }

  /** Counts the rows of a group whose WAL frames are durable. */
  record(stored: readonly StoredEvent[]): void {
    this.events += stored.length;
    for (const row of stored) this.chars += row.dataJson.length + row.metadataJson.length;
  }

  get due(): boolean {
    return this.events >= this.policy.events || this.chars >= this.policy.chars;
  }

  /**
   * Copies the WAL into the database file and flushes it; `done` runs once the file is on disk.
   * Call only when every committed frame is durable, and begin no transaction on this connection
   * before `done` has run.
   */
  run(done: (error: Error | null) => void): void {
    this.events = 0;
    this.chars = 0;
    try {
      this.unsynchronised.run();
      try {
        this.checkpoint.get();
      } finally {
        this.synchronised.run();
      }
    } catch (error) {
      setImmediate(() => done(error as Error));
      return;
    }
    this.flushDatabase(done);
  }
}
