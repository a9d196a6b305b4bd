/**
 * WAL checkpoints of the read-model file off the server's thread. SQLite's automatic checkpoint
 * runs inside the commit that crosses its threshold, on the caller's thread: for the server that
 * is the thread serving requests, held while a few MiB of pages are copied back into the file
 * (measured under 8 HTTP clients: switching those checkpoints off lowered p99 by ~1.5 ms).
 *
 * Only for a file that runs with synchronous=OFF, so the checkpoint flushes nothing and cannot
 * hold up the event store's flushes on the same disk. The file's connection turns its automatic
 * checkpoint off; after a commit, at most every `intervalMs`, a worker thread's connection runs a
 * PASSIVE checkpoint (checkpoint-worker.ts in the event store, which the writer never waits for),
 * and the writer starts the WAL over once everything is copied. If the worker fails, SQLite's
 * own checkpoints are switched back on.
 */
import { CheckpointWorker } from '@trellis/eventstore/sqlite/checkpoint-worker';

export class BackgroundCheckpointer {
  private readonly worker: CheckpointWorker;
  private lastStart = -Infinity;
  private stopped = false;

  constructor(
    file: string,
    /** Called once if a checkpoint fails; no checkpoint is started after it. */
    private readonly onFailure: (error: Error) => void,
    private readonly intervalMs = 100,
  ) {
    this.worker = new CheckpointWorker(file, { flush: false });
  }

  /** Call after each commit: starts a checkpoint when none runs and the last began long enough ago. */
  committed(): void {
    if (this.stopped || this.worker.busy || performance.now() - this.lastStart < this.intervalMs) return;
    void this.run();
  }

  /** Runs a checkpoint now and answers SQLite's row (for tests). */
  checkpointNow() {
    return this.run();
  }

  /** Waits for the checkpoint in flight, then closes the worker's connection. */
  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.close();
  }

  private async run() {
    this.lastStart = performance.now();
    try {
      return await this.worker.checkpoint();
    } catch (error) {
      if (!this.stopped) {
        this.stopped = true;
        this.onFailure(error as Error);
      }
      return undefined;
    }
  }
}
