/**
 * Group commit. better-sqlite3 is synchronous, so an append cannot commit while the caller waits
 * without blocking everyone else; instead appends issued in the same turn of the event loop are
 * queued and committed together in ONE transaction (one flush to disk) on the next turn. Each
 * append runs in its own savepoint, so a conflict rolls back that append alone, and every promise
 * settles only once the whole group is durable: after COMMIT under synchronous=FULL, or — with a
 * WalSync (see wal-sync.ts) — after the WAL flush that follows COMMIT on the thread pool (or in
 * place, for a lone append on a quiet queue: see FlushPolicy). While a flush is in flight, new
 * appends queue up and form the next group. With a WalSync the queue also
 * runs the checkpoints, between groups, and flushes the database file off the event loop too
 * (see checkpoint.ts).
 */
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors';
import type { AppendResult } from '../event-store';
import { emptyStats, settleGroup, type AppendOutcome, type GroupCommitStats, type PendingAppend } from '../group-commit';
import type { AppendOperation, AppendRequest, StoredEvent } from './append';
import { Checkpointer, type CheckpointPolicy } from './checkpoint';
import type { WalSync } from './wal-sync';

type Pending = PendingAppend<AppendRequest>;

/**
 * When a group's WAL flush runs on the event loop's own thread instead of the thread pool. The
 * pool lets the server work while the disk flushes, but costs a hand-off each way: with one
 * writer and nothing queued, that hand-off is pure latency (measured: one caller appending in a
 * loop, 2,500-3,250 appends/s through the pool against 3,500-4,250/s with this policy, the raw
 * single-row insert running at 5,000-6,800/s in the same runs). So a lone append flushes in place
 * once the queue has been quiet for a while: `loneGroups` groups in a row held one append and
 * found nothing queued behind them when their flush returned. Any group of two, or any append
 * queued during a flush, ends the streak. A flush in place that takes longer than `limitMs` (a
 * slow disk, which would stall the server that long) sends the next `backoffGroups` groups back
 * to the pool; the limit sits well above this disk's usual flush (p50 0.15-0.2 ms, p99.9 ~1 ms),
 * so one outlier does not end the policy. Durability is the same either way: nothing is
 * acknowledged before its flush.
 */
export interface FlushPolicy {
  loneGroups: number;
  limitMs: number;
  backoffGroups: number;
}

const DEFAULT_FLUSH_POLICY: FlushPolicy = { loneGroups: 8, limitMs: 5, backoffGroups: 100 };

export class WriteQueue {
  private pending: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly counters = emptyStats();
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackToSavepoint: Database.Statement;
  /** Resolves when the WAL flush in flight returns. */
  private syncing: Promise<void> | undefined;
  /** Set when a flush failed: what was acknowledged before is durable, nothing after can be. */
  private broken: StoreUnavailableError | undefined;
  /** With a WalSync the queue checkpoints itself, flushing the database file off the event loop. */
  private readonly checkpointer: Checkpointer | undefined;
  /** Quiet lone groups in a row (see FlushPolicy); negative while backing off after a slow flush. */
  private loneStreak = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly append: AppendOperation,
    /**
     * Called after each commit, before any of its appends is acknowledged, with the last position
     * it wrote (0 if it wrote none) and the rows it wrote, in position order.
     */
    private readonly committed: (lastPosition: number, stored: readonly StoredEvent[]) => void,
    /** Flushes the WAL after each COMMIT (the file then runs with synchronous=NORMAL). */
    private readonly wal?: WalSync,
    checkpointPolicy?: CheckpointPolicy,
    private readonly flushPolicy: FlushPolicy = DEFAULT_FLUSH_POLICY,
  ) {
    if (wal) this.checkpointer = new Checkpointer(db, (done) => wal.syncDatabase(done), checkpointPolicy);
    // IMMEDIATE takes the write lock up front, so a busy file fails at BEGIN, before any append
    // of the group has run.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT one_append');
    this.release = db.prepare('RELEASE one_append');
    this.rollbackToSavepoint = db.prepare('ROLLBACK TO one_append');
  }

  get stats(): GroupCommitStats {
    return { ...this.counters };
  }

  /** Whether the next lone append would flush in place (for tests). */
  get flushesInPlace(): boolean {
    return this.loneStreak >= this.flushPolicy.loneGroups;
  }

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.pending.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Commits and flushes everything queued, including what queues meanwhile (used by close()). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.syncing) await this.syncing;
      else if (this.pending.length > 0) this.flush();
      else return;
    }
  }

  private schedule(): void {
    if (this.syncing || this.pending.length === 0) return;
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Commits everything queued so far, now. */
  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;

    let outcomes: AppendOutcome[];
    const stored: StoredEvent[] = [];
    try {
      outcomes = this.runGroup(group, stored);
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      const failure = new StoreUnavailableError(`event store commit failed: ${(error as Error).message}`);
      for (const item of group) item.reject(failure);
      return;
    }

    const settle = () => settleGroup(group, outcomes, this.counters, (lastPosition) => this.committed(lastPosition, stored));
    if (!this.wal) return settle();
    const inPlace = group.length === 1 && this.flushesInPlace;
    this.syncing = new Promise<void>((resolve) => {
      const finished = () => {
        this.syncing = undefined;
        this.loneStreak = group.length === 1 && this.pending.length === 0 ? this.loneStreak + 1 : Math.min(this.loneStreak, 0);
        resolve();
        this.schedule();
      };
      const flushed = (error: Error | null) => {
        if (error) {
          // Committed, but not known to be on disk: not acknowledged, and the store stops
          // accepting appends (after a failed flush the OS may have dropped the dirty pages).
          this.fail(`event store flush to disk failed: ${error.message}`, group);
          return finished();
        }
        settle();
        const checkpointer = this.checkpointer!;
        checkpointer.record(stored);
        if (!checkpointer.due) return finished();
        // Every frame is durable now; the next group waits until the checkpoint's flush returns.
        checkpointer.run((checkpointError) => {
          if (checkpointError) this.fail(`event store checkpoint failed: ${checkpointError.message}`, []);
          finished();
        });
      };
      if (!inPlace) return this.wal!.sync(flushed);
      const error = this.flushInPlace();
      // After this executor has returned, so that `syncing` is set when `finished` clears it.
      queueMicrotask(() => flushed(error));
    });
  }

  private flushInPlace(): Error | null {
    const startedAt = performance.now();
    try {
      this.wal!.syncNow();
      return null;
    } catch (error) {
      return error as Error;
    } finally {
      if (performance.now() - startedAt > this.flushPolicy.limitMs) this.loneStreak = -this.flushPolicy.backoffGroups - 1; // this group itself does not count
    }
  }

  /** Rejects `group` and everything queued, and every later append: the store stops here. */
  private fail(message: string, group: readonly Pending[]): void {
    this.broken = new StoreUnavailableError(message);
    for (const item of [...group, ...this.pending]) item.reject(this.broken);
    this.pending = [];
  }

  /** Runs the group in one transaction; throws (leaving the rollback to the caller) if it cannot commit. */
  private runGroup(group: Pending[], stored: StoredEvent[]): AppendOutcome[] {
    this.begin.run();
    const outcomes = group.map((item): AppendOutcome => {
      this.savepoint.run();
      try {
        const { result, stored: rows } = this.append(item.request);
        this.release.run();
        for (const row of rows) stored.push(row);
        return { ok: true, result };
      } catch (error) {
        // Some errors (disk full, I/O) make SQLite abandon the whole transaction; then there is no
        // savepoint to return to and the group as a whole has failed.
        if (!this.db.inTransaction) throw error;
        this.rollbackToSavepoint.run();
        this.release.run();
        return { ok: false, error };
      }
    });
    this.commit.run();
    return outcomes;
  }
}
