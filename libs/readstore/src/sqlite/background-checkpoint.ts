/**
 * WAL checkpoints of the read-model file on a worker thread. SQLite's automatic checkpoint runs
 * inside the commit that crosses its threshold, on the caller's thread: for the server that is
 * the thread serving requests, held while a few MiB of pages are copied back into the file
 * (measured under 8 HTTP clients: switching those checkpoints off lowered p99 by ~1.5 ms).
 *
 * Only for a file that runs with synchronous=OFF: the checkpoint then writes to the OS and flushes
 * nothing, so it cannot hold up the event store's flushes on the same disk. The file's connection
 * turns its automatic checkpoint off; after a commit, at most every `intervalMs`, this asks the
 * worker's own connection for a PASSIVE checkpoint, which never waits for a lock and never makes
 * the writer wait: it copies what no reader still needs, and the writer starts the WAL over once
 * everything is copied. The worker starts at the first checkpoint, so a store that writes little
 * never starts one.
 *
 * Like the log reader's worker, its code is plain JavaScript handed to the Worker as a string.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const messageOf = (error) => String((error && error.message) || error);
let db;
let checkpoint;
let openError;
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: 5000 });
  db.pragma('synchronous = OFF');
  checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
} catch (error) {
  // Answered to every request, with its message (a thrown SqliteError would reach the parent
  // thread as an object with its code only).
  openError = messageOf(error);
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    if (db) db.close();
    parentPort.close();
    return;
  }
  if (openError !== undefined) return parentPort.postMessage({ error: openError });
  try {
    parentPort.postMessage({ result: checkpoint.get() });
  } catch (error) {
    parentPort.postMessage({ error: messageOf(error) });
  }
});
`;

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the file (SQLite's wal_checkpoint row). */
  log: number;
  checkpointed: number;
  busy: number;
}

export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  private inFlight = false;
  private lastStart = -Infinity;
  private closed = false;
  private readonly waiting: ((result: CheckpointResult | undefined) => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly intervalMs = 100,
    /** Told when a checkpoint fails; the next commit tries again. */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Call after each commit: starts a checkpoint when none runs and the last began long enough ago. */
  committed(): void {
    if (this.closed || this.inFlight || performance.now() - this.lastStart < this.intervalMs) return;
    this.start();
  }

  /** Runs a checkpoint now (for tests): resolves with SQLite's answer once it is done. */
  checkpointNow(): Promise<CheckpointResult | undefined> {
    const done = new Promise<CheckpointResult | undefined>((resolve) => this.waiting.push(resolve));
    if (!this.inFlight) this.start();
    return done;
  }

  /** Waits for the checkpoint in flight, then closes the worker's connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight) await new Promise<unknown>((resolve) => this.waiting.push(resolve));
    const worker = this.worker;
    if (!worker) return;
    // An idle worker is unreferenced; referenced again until it has exited, or a process with
    // nothing else to do would end while close() is still waiting for it.
    worker.ref();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }

  private start(): void {
    const worker = (this.worker ??= this.spawn());
    this.inFlight = true;
    this.lastStart = performance.now();
    worker.ref();
    worker.postMessage('checkpoint');
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: this.file } });
    worker.on('message', (reply: { result?: CheckpointResult; error?: string }) => this.finish(reply.result, reply.error));
    worker.on('error', (error: unknown) => {
      // The worker is gone: the next checkpoint starts another.
      if (this.worker === worker) this.worker = undefined;
      this.finish(undefined, error instanceof Error ? error.message : JSON.stringify(error));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.inFlight) this.finish(undefined, `the worker stopped (exit code ${code})`);
    });
    return worker;
  }

  private finish(result: CheckpointResult | undefined, error: string | undefined): void {
    this.inFlight = false;
    // Held by the process only while a checkpoint runs: an idle store does not keep it alive.
    this.worker?.unref();
    if (error !== undefined) this.onError(new Error(`read-model checkpoint failed: ${error}`));
    for (const resolve of this.waiting.splice(0)) resolve(result);
  }
}
