/**
 * The PostgreSQL event store, for deployments where several server and worker processes share
 * the log. It composes the per-operation files (schema, append, read-stream, read-all) with the
 * group-commit queue, the LISTEN/NOTIFY signal and the shared catch-up subscription. Unlike the
 * SQLite store it knows no head in memory: other processes append too, so reads ask the database.
 */
import { Pool, types, type PoolConfig } from 'pg';
import { validateAppend } from '../append-rules';
import { StoreUnavailableError } from '../errors';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';
import type { GroupCommitStats } from '../group-commit';
import { SubscriptionSet } from '../subscription';
import { prepareAppendGroup } from './append';
import { CommitListener } from './notifications';
import { prepareHeadPosition, prepareReadAll, type HeadPositionOperation, type ReadAllOperation } from './read-all';
import { prepareReadStream, type ReadStreamOperation } from './read-stream';
import { layoutOf, migrate, type PostgresLayout } from './schema';
import { WriteQueue } from './write-queue';

export interface PostgresEventStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** The schema holding the store's tables, created if missing. Default: 'trellis'. */
  schema?: string;
  /** Connections kept for reads (one for appends and one for LISTEN come on top). Default 10. */
  maxConnections?: number;
}

const INT8 = 20;

// bigint columns (positions, revisions) come back as numbers: they stay far below 2^53.
const parseInt8 = (value: string) => Number(value);
const numericTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export class PostgresEventStore extends EventStore {
  readonly backend = 'postgres';
  private readonly queue: WriteQueue;
  private readonly readStreamOp: ReadStreamOperation;
  private readonly readAllOp: ReadAllOperation;
  private readonly headPositionOp: HeadPositionOperation;
  private readonly subscriptions = new SubscriptionSet({
    readAll: (page) => this.readAll(page),
    waitForAppend: (after, signal) => this.listener.signal.wait(after, signal),
  });
  private listener!: CommitListener;
  private accepting = true;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: Pool,
    private readonly writerPool: Pool,
    readonly layout: PostgresLayout,
  ) {
    super();
    this.queue = new WriteQueue(writerPool, layout, prepareAppendGroup(layout), (lastPosition) => this.listener.signal.advance(lastPosition));
    this.readStreamOp = prepareReadStream(pool, layout);
    this.readAllOp = prepareReadAll(pool, layout);
    this.headPositionOp = prepareHeadPosition(pool, layout);
  }

  /** Connects, creates the schema and its tables if missing, and starts listening for commits. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      application_name: 'trellis-eventstore',
      types: numericTypes,
    };
    const pool = new Pool({ ...config, max: options.maxConnections ?? 10 });
    // Groups commit one at a time (they serialise on the append lock anyway), on one connection
    // that pipelines, so that a group costs two round trips (see write-queue.ts).
    const writerPool = new Pool({ ...config, max: 1, pipeline: true });
    // An idle pooled connection that the server drops must not crash the process; the next query
    // gets a fresh connection.
    for (const each of [pool, writerPool]) each.on('error', () => undefined);
    try {
      const layout = layoutOf(options.schema ?? 'trellis');
      const client = await pool.connect();
      try {
        await migrate(client, layout);
      } finally {
        client.release();
      }
      const store = new PostgresEventStore(pool, writerPool, layout);
      store.listener = await CommitListener.start(config, layout, store.headPositionOp);
      return store;
    } catch (error) {
      await Promise.all([pool.end(), writerPool.end()]).catch(() => undefined);
      throw error;
    }
  }

  /** Group-commit counters since the store was opened. */
  get stats(): GroupCommitStats {
    return this.queue.stats;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (!this.accepting) throw new StoreUnavailableError('the event store is closed');
    const expectedRevision = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expectedRevision);
    // Copied because the batch is written on a later turn of the event loop.
    return this.queue.enqueue({ streamId, events: [...events], expectedRevision });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readStreamOp(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    this.assertOpen();
    return this.readAllOp(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.headPositionOp();
  }

  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.subscriptions.start(handler, options);
  }

  /** Commits what is queued, ends the subscriptions, then closes the connections. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.accepting = false;
    await this.queue.drain();
    await this.subscriptions.stopAll();
    await this.listener.close();
    this.closed = true;
    await Promise.all([this.pool.end(), this.writerPool.end()]);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}
