/**
 * A reader for one long scan of the log (a projection rebuild) that runs its SQL on a worker
 * thread, over its own read-only connection: while the caller applies one page on the event
 * loop, the next page is being read. Rows cross the thread boundary as the columns' text and the
 * JSON is parsed here, so events look exactly as readAll returns them.
 *
 * The worker's code is plain JavaScript handed to the Worker as a string: it needs nothing but
 * the SQLite driver, so it starts the same way under ts-node, jest or the built server.
 */
import { Worker } from 'node:worker_threads';
import type { LogReader, ReadAllOptions, ReadAllPage } from '../event-store';
import { StoreUnavailableError } from '../errors';
import type { EventRow } from '../event-rows';
import { readAllPage } from '../read-rules';
import { pageOf, readAllQuery, type ReadAllParams } from './read-all';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    parentPort.postMessage({ id, rows: statement.all(params) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  id: number;
  rows?: EventRow[];
  error?: string;
}

export class WorkerLogReader implements LogReader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (rows: EventRow[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  /** `head` gives the last durable position at the time of each read (reads never go past it). */
  constructor(
    file: string,
    private readonly head: () => number,
    private readonly onClose: (reader: WorkerLogReader) => void,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file } });
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error !== undefined) waiting.reject(new Error(`reading the log failed: ${reply.error}`));
      else waiting.resolve(reply.rows!);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new StoreUnavailableError(`the log reader stopped (exit code ${code})`)));
    // Held by the process only while a read is pending: an idle reader left open does not keep it alive.
    this.worker.unref();
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    if (this.closed) throw new StoreUnavailableError('the log reader is closed');
    if (this.failure) throw this.failure;
    const head = this.head();
    const query = readAllQuery(options, head);
    if (!query) return readAllPage([], options.after ?? 0, 0, head);
    const rows = await this.request(query.sql, query.params);
    return pageOf(query, rows);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    await this.worker.terminate();
  }

  private request(sql: string, params: ReadAllParams): Promise<EventRow[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, sql, params });
    });
  }

  private fail(error: Error): void {
    this.failure ??= this.closed ? new StoreUnavailableError('the log reader is closed') : error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
