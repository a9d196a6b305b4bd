/**
 * Group commit on PostgreSQL, and why positions follow commit order.
 *
 * Order: a position taken from a sequence is handed out when the row is inserted, but becomes
 * visible when its transaction commits, so a transaction that drew position 10 may commit after
 * one that drew 11; a subscriber that already read 11 and moved its checkpoint past it would never
 * see 10. Every group therefore takes a transaction-scoped advisory lock (per schema) BEFORE it
 * reads the log head, assigns the next positions itself, and holds the lock until its COMMIT has
 * made them visible. Appends are serialised across every process sharing the schema, positions
 * are gapless and in commit order, and a reader can never see a position before all smaller ones.
 * (The alternative — tagging rows with xid8 and reading only below pg_snapshot_xmin — keeps
 * writers parallel but makes readers lag behind the oldest open transaction and orders the log by
 * the moment a transaction took its id, not by commit, which the contract "global order equals
 * commit order" rules out.) Serialising is affordable because of the group commit below: what limits the rate is one
 * fsync per transaction, and one transaction carries every append that arrived meanwhile.
 *
 * Group commit: appends issued in the same turn of the event loop, or while a group is being
 * committed, form the next group: one transaction, two round trips, one fsync. None is
 * acknowledged before COMMIT has returned. Each append keeps its own outcome because every check
 * is made in memory before anything is written (append.ts); no savepoint per append is needed —
 * each would be a subtransaction, and more than 64 in one transaction slow down every other
 * session's snapshots. If the database still refuses the group's write (say a stream id holding a
 * NUL character), the group is rolled back and its appends are retried one transaction each, so
 * only the faulty one fails.
 */
import type { Pool, PoolClient } from 'pg';
import { StoreUnavailableError } from '../errors';
import type { AppendResult } from '../event-store';
import { emptyStats, settleGroup, type AppendOutcome, type GroupCommitStats, type PendingAppend } from '../group-commit';
import type { AppendGroupOperation, AppendRequest, DecidedGroup } from './append';
import type { PostgresLayout } from './schema';

type Pending = PendingAppend<AppendRequest>;

/** A group is cut after this many events, so one transaction's statement stays a sensible size. */
const MAX_GROUP_EVENTS = 10_000;

export class WriteQueue {
  private pending: Pending[] = [];
  private running: Promise<void> | undefined;
  private readonly counters = emptyStats();
  private readonly begin: string[];

  constructor(
    private readonly pool: Pool,
    layout: PostgresLayout,
    private readonly appendGroup: AppendGroupOperation,
    /** Called after each commit with the last position it wrote (0 if it wrote none). */
    private readonly committed: (lastPosition: number) => void,
  ) {
    // synchronous_commit is forced on: an acknowledged append must be durable whatever the
    // server's default says.
    this.begin = ['BEGIN', 'SET LOCAL synchronous_commit = on', `SELECT pg_advisory_xact_lock(${layout.appendLock})`];
  }

  get stats(): GroupCommitStats {
    return { ...this.counters };
  }

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.running ??= new Promise<void>((started) => setImmediate(started)).then(() => this.run());
    });
  }

  /** Resolves once everything enqueued so far has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.commitGroup(this.takeGroup());
    } finally {
      this.running = undefined;
    }
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let size = 0;
    while (size < this.pending.length && (size === 0 || events + this.pending[size].request.events.length <= MAX_GROUP_EVENTS)) {
      events += this.pending[size].request.events.length;
      size += 1;
    }
    return this.pending.splice(0, size);
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.transaction(group.map((item) => item.request));
    } catch (error) {
      if (error instanceof RefusedWrite && group.length > 1) {
        for (const item of group) await this.commitGroup([item]);
        return;
      }
      const failure = error instanceof RefusedWrite ? error.cause : unavailable(error);
      for (const item of group) item.reject(failure);
      return;
    }
    settleGroup(group, outcomes, this.counters, this.committed);
  }

  /**
   * Runs one group in one transaction, in two round trips on a pipelining connection: (1) BEGIN,
   * the lock and the state read; (2) the write and COMMIT. The state read is a statement of its
   * own, so its snapshot is taken once the lock is granted and sees every earlier group. Throws
   * RefusedWrite if nothing was committed and the appends may succeed one by one.
   */
  private async transaction(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken: Error | undefined;
    try {
      const opened = Promise.all(this.begin.map((statement) => client.query(statement)));
      opened.catch(() => undefined);
      let group: DecidedGroup;
      try {
        group = await this.appendGroup(client, requests);
        await opened;
      } catch (error) {
        // If opening failed, that is the cause; the state read only failed after it.
        const cause = await opened.then(() => error, (openError: unknown) => openError);
        await client.query('ROLLBACK');
        throw isRefusedData(cause) ? new RefusedWrite(cause) : cause;
      }
      const [write, commit] = await Promise.allSettled([group.written, client.query('COMMIT')]);
      // After a failed statement PostgreSQL answers COMMIT with ROLLBACK: nothing was written.
      if (write.status === 'rejected') throw isRefusedData(write.reason) ? new RefusedWrite(write.reason) : write.reason;
      if (commit.status === 'rejected') throw commit.reason;
      if (commit.value.command !== 'COMMIT') throw new Error(`COMMIT answered ${commit.value.command}`);
      return group.outcomes;
    } catch (error) {
      // A connection that failed mid-transaction is not given back to the pool.
      if (!(error instanceof RefusedWrite)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** The database refused the data of one of the group's appends; the group was rolled back. */
class RefusedWrite extends Error {
  constructor(override readonly cause: unknown) {
    super('the database refused the group write');
  }
}

/** SQLSTATE classes 22 (data exception), 23 (constraint violation), 54 (program limit exceeded). */
function isRefusedData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

function unavailable(error: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`event store commit failed: ${(error as Error).message}`);
}
