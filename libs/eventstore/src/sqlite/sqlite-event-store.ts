/**
 * The embedded event store: one SQLite file, one process. It composes the per-operation files
 * (schema, append, read-stream, read-all) with the group-commit queue and the shared
 * catch-up subscription. The in-memory head position is exact because this process is the only
 * writer. The head moves when a group is durable, not when it commits, and every read is bounded
 * by it: nothing reads an event that a power cut could still take away.
 */
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { validateAppend } from '../append-rules';
import { StoreUnavailableError } from '../errors';
import type { GroupCommitStats } from '../group-commit';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type LogReader,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';
import { RecentEvents } from '../recent-events';
import { HeadSignal, SubscriptionSet } from '../subscription';
import { prepareAppend } from './append';
import { WorkerLogReader } from './log-reader';
import { prepareReadAll, type ReadAllOperation } from './read-all';
import { prepareReadStream, type ReadStreamOperation } from './read-stream';
import { openDatabase, type SqliteSynchronous } from './schema';
import { walSync, type WalSync } from './wal-sync';
import { WriteQueue } from './write-queue';

export interface SqliteEventStoreOptions {
  /** Path of the database file (its directory is created if missing), or ':memory:'. */
  file: string;
  /**
   * FULL (default): an acknowledged append survives power loss. NORMAL: it survives a crash of
   * the process but the last commits may be lost on power loss; faster on slow disks.
   */
  synchronous?: SqliteSynchronous;
}

export class SqliteEventStore extends EventStore {
  readonly backend = 'sqlite';
  private readonly headSignal: HeadSignal;
  private readonly recent: RecentEvents;
  private readonly queue: WriteQueue;
  private readonly readStreamOp: ReadStreamOperation;
  private readonly readAllOp: ReadAllOperation;
  // Subscribers read the tail of the log from memory when it is still held there; readAll itself
  // always reads the file, so what an auditor verifies is what is stored.
  private readonly subscriptions = new SubscriptionSet({
    readAll: async (page) => {
      this.assertOpen();
      const head = this.headSignal.head;
      return this.recent.page(page, head) ?? this.readAllOp(page, head);
    },
    waitForAppend: (after, signal) => this.headSignal.wait(after, signal),
  });
  private readonly logReaders = new Set<WorkerLogReader>();
  private accepting = true;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly wal: WalSync | undefined,
  ) {
    super();
    const { head } = db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events').get()!;
    this.headSignal = new HeadSignal(head);
    this.recent = new RecentEvents(head);
    this.queue = new WriteQueue(
      db,
      prepareAppend(db),
      (lastPosition, stored) => {
        this.recent.add(stored);
        this.headSignal.advance(lastPosition);
      },
      wal,
    );
    this.readStreamOp = prepareReadStream(db);
    this.readAllOp = prepareReadAll(db);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const durable = (options.synchronous ?? 'FULL') === 'FULL';
    // An in-memory database has nothing to flush; a file flushes its WAL itself when durable.
    const selfFlushing = durable && options.file !== ':memory:';
    const db = openDatabase(options.file, selfFlushing ? 'NORMAL' : (options.synchronous ?? 'FULL'));
    return new SqliteEventStore(db, options.file, selfFlushing ? walSync(resolve(options.file)) : undefined);
  }

  /** The underlying connection, for read-side code that shares the file (and for tests). */
  get database(): Database.Database {
    return this.db;
  }

  /** Group-commit counters since the store was opened. */
  get stats(): GroupCommitStats {
    return this.queue.stats;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (!this.accepting) throw new StoreUnavailableError('the event store is closed');
    const expectedRevision = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expectedRevision);
    // Copied because the batch is written on the next turn of the event loop.
    return this.queue.enqueue({ streamId, events: [...events], expectedRevision });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readStreamOp(streamId, options, this.headSignal.head);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.assertOpen();
    return this.readAllOp(options, this.headSignal.head);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.headSignal.head;
  }

  /** On a file, pages are read by a worker thread with its own read-only connection. */
  override openLogReader(): LogReader {
    this.assertOpen();
    // Refused once closing began: close() has already taken the readers it closes.
    if (!this.accepting) throw new StoreUnavailableError('the event store is closing');
    if (this.file === ':memory:') return super.openLogReader();
    const reader = new WorkerLogReader(resolve(this.file), () => this.headSignal.head, (closed) => this.logReaders.delete(closed));
    this.logReaders.add(reader);
    return reader;
  }

  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.subscriptions.start(handler, options);
  }

  /** Commits what is queued, ends the subscriptions, then closes the file. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.accepting = false;
    await this.queue.drain();
    await this.subscriptions.stopAll();
    await Promise.all([...this.logReaders].map((reader) => reader.close()));
    this.headSignal.close();
    this.wal?.close();
    this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.open) throw new StoreUnavailableError('the event store is closed');
  }
}
