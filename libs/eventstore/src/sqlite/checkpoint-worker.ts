/**
 * A SQLite WAL checkpoint run on a worker thread, over the worker's own connection to the file,
 * so that the thread serving requests is not held while pages are copied back into the file.
 * Used by the event store's write queue (checkpoint.ts) and by the read-model store.
 *
 * The worker's connection runs with synchronous=OFF: the checkpoint only writes to the OS. With
 * `flush`, the worker then flushes the database file itself (fdatasync) before it answers. The
 * checkpoint is PASSIVE: it never waits for a lock and never makes the writer wait; it copies
 * what no reader still needs. The worker starts at the first checkpoint and is held by the
 * process only while one runs.
 *
 * Like the log reader's worker, its code is plain JavaScript handed to the Worker as a string.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, fdatasyncSync, closeSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 5000 });
db.pragma('synchronous = OFF');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let fd;
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    if (fd !== undefined) closeSync(fd);
    parentPort.close();
    return;
  }
  try {
    const result = checkpoint.get();
    if (workerData.flush) fdatasyncSync((fd ??= openSync(workerData.file, 'r')));
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

/** SQLite's wal_checkpoint row: frames in the WAL, frames now in the file, and 1 if it stopped short. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
  busy: number;
}

export class CheckpointWorker {
  private worker: Worker | undefined;
  private running: Promise<CheckpointResult> | undefined;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly options: { flush: boolean },
  ) {}

  /** Whether a checkpoint is running. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs one checkpoint (and the flush, if asked for); at most one runs at a time. */
  checkpoint(): Promise<CheckpointResult> {
    if (this.closed) return Promise.reject(new Error('the checkpoint worker is closed'));
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      // Held by the process only while a checkpoint runs: an idle store does not keep it alive.
      this.worker?.unref();
    });
    return this.running;
  }

  /** Waits for the checkpoint in flight, then closes the worker's connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running?.catch(() => undefined);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }

  private run(): Promise<CheckpointResult> {
    const worker = (this.worker ??= this.spawn());
    worker.ref();
    return new Promise<CheckpointResult>((resolve, reject) => {
      const settle = (error: Error | undefined, result?: CheckpointResult) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) reject(error);
        else resolve(result!);
      };
      const onMessage = (reply: { result?: CheckpointResult; error?: string }) =>
        settle(reply.error === undefined ? undefined : new Error(reply.error), reply.result);
      // An error thrown in a worker arrives as an Error only if it was a plain one (better-sqlite3's
      // SqliteError arrives as an object with its code and nothing else).
      const onError = (error: unknown) =>
        settle(error instanceof Error ? error : new Error(`the checkpoint worker failed: ${JSON.stringify(error)}`));
      const onExit = (code: number) => settle(new Error(`the checkpoint worker stopped (exit code ${code})`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage('checkpoint');
    });
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.file, flush: this.options.flush },
    });
    // A worker that failed (it could not open the file, say) is replaced at the next checkpoint.
    const forget = () => {
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', forget).on('exit', forget);
    return worker;
  }
}
