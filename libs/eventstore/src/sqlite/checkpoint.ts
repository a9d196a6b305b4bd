/**
 * Checkpoints off the event loop. In WAL mode SQLite copies the WAL back into the database file
 * (a checkpoint) every so often; its automatic checkpoint runs inside the commit that crosses
 * the threshold, on the calling thread, and with synchronous=NORMAL flushes the file there too:
 * measured under load here, a stall of 10–17 ms for the server's only thread every few hundred
 * commands, during which every request in flight waits.
 *
 * The write queue checkpoints itself instead (wal_autocheckpoint is off on its connection), right
 * after a group's WAL flush has returned, so every frame copied is already durable in the WAL:
 *   1. a worker thread's connection copies the WAL back without flushing (checkpoint-worker.ts),
 *   2. then flushes the database file with fdatasync,
 *   3. and only then may the writer's connection start its next transaction.
 * Step 3 is what makes it safe. SQLite reuses the WAL from its start (overwriting frames) only
 * when a write transaction begins after a complete checkpoint; until the flush returns none
 * begins, so after a power cut the WAL still holds every frame whose page might not have reached
 * the disk, and recovery copies it again. The appends that queue meanwhile wait for the
 * checkpoint; the event loop goes on serving requests.
 */
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

  constructor(
    /** Copies the WAL back into the database file and flushes the file; `done` runs on the event loop. */
    private readonly copyBack: (done: (error: Error | null) => void) => void,
    private readonly policy: CheckpointPolicy = DEFAULT_POLICY,
  ) {}

  /** Counts the rows of a group whose WAL frames are durable. */
  record(stored: readonly StoredEvent[]): void {
    this.events += stored.length;
    for (const row of stored) this.chars += row.dataJson.length + row.metadataJson.length;
  }

  get due(): boolean {
    return this.events >= this.policy.events || this.chars >= this.policy.chars;
  }

  /**
   * Checkpoints; `done` runs once the file is on disk. Call only when every committed frame is
   * durable, and begin no transaction on the writer's connection before `done` has run.
   */
  run(done: (error: Error | null) => void): void {
    this.events = 0;
    this.chars = 0;
    this.copyBack(done);
  }
}
