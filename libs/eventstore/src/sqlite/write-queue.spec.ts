import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { prepareAppend, type StoredEvent } from './append';
import { openDatabase } from './schema';
import type { WalSync } from './wal-sync';
import { WriteQueue } from './write-queue';

/** WAL and database-file flushes the test completes by hand. */
function manualSync() {
  const waiting: ((error: Error | null) => void)[] = [];
  const waitingDatabase: ((error: Error | null) => void)[] = [];
  const inPlace = { count: 0, error: undefined as Error | undefined, takesMs: 0 };
  const sync: WalSync = {
    sync: (done) => void waiting.push(done),
    syncNow: () => {
      inPlace.count++;
      const until = performance.now() + inPlace.takesMs;
      while (performance.now() < until);
      if (inPlace.error) throw inPlace.error;
    },
    syncDatabase: (done) => void waitingDatabase.push(done),
    close: () => undefined,
  };
  return {
    sync,
    /** Flushes the queue ran on its own thread, and how the next ones behave. */
    inPlace,
    get inFlight() {
      return waiting.length;
    },
    get databaseInFlight() {
      return waitingDatabase.length;
    },
    finish: (error: Error | null = null) => waiting.shift()!(error),
    finishDatabase: (error: Error | null = null) => waitingDatabase.shift()!(error),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const event = (i: number) => ({ type: 'Happened', data: { i } });

describe('WriteQueue with its own WAL flush', () => {
  let dir: string;
  let db: Database.Database;
  let commits: { last: number; stored: readonly StoredEvent[] }[];
  let flush: ReturnType<typeof manualSync>;
  let queue: WriteQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-write-queue-'));
    db = openDatabase(join(dir, 'events.db'), 'NORMAL');
    commits = [];
    flush = manualSync();
    queue = new WriteQueue(db, prepareAppend(db), (last, stored) => commits.push({ last, stored }), flush.sync);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges a group only after the flush that follows its commit, and queues the next group meanwhile', async () => {
    const settled: string[] = [];
    const first = [queue.enqueue({ streamId: 'a', events: [event(1)], expectedRevision: 'no_stream' }), queue.enqueue({ streamId: 'b', events: [event(2)], expectedRevision: 'any' })];
    first.forEach((p, i) => p.then(() => settled.push(`first-${i}`)));
    await turn();
    // Committed (another connection could read it), flush in flight: nothing acknowledged yet.
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
    expect(flush.inFlight).toBe(1);
    expect(settled).toEqual([]);
    expect(commits).toEqual([]);

    const second = queue.enqueue({ streamId: 'a', events: [event(3)], expectedRevision: 0 });
    await turn();
    await turn();
    // Held back while the flush runs: one group per flush.
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });

    flush.finish();
    await Promise.all(first);
    expect(settled.sort()).toEqual(['first-0', 'first-1']);
    expect(commits.map((c) => c.last)).toEqual([2]);
    expect(commits[0].stored.map((row) => row.event.position)).toEqual([1, 2]);

    await turn();
    expect(flush.inFlight).toBe(1);
    flush.finish();
    await expect(second).resolves.toMatchObject({ streamId: 'a', revision: 1 });
    expect(commits.map((c) => c.last)).toEqual([2, 3]);
    expect(queue.stats).toMatchObject({ commits: 2, appends: 3, events: 3 });
  });

  it('settles a conflicting append of the group with its own error, after the flush', async () => {
    await settleAfterFlush(queue.enqueue({ streamId: 'a', events: [event(1)], expectedRevision: 'no_stream' }));
    const conflict = queue.enqueue({ streamId: 'a', events: [event(2)], expectedRevision: 'no_stream' });
    const fine = queue.enqueue({ streamId: 'c', events: [event(3)], expectedRevision: 'no_stream' });
    await turn();
    flush.finish();
    await expect(conflict).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(fine).resolves.toMatchObject({ revision: 0 });
  });

  it('acknowledges nothing when the flush fails, and refuses every later append', async () => {
    const lost = queue.enqueue({ streamId: 'a', events: [event(1)], expectedRevision: 'any' });
    await turn();
    const queued = queue.enqueue({ streamId: 'b', events: [event(2)], expectedRevision: 'any' });
    flush.finish(new Error('EIO: i/o error'));
    await expect(lost).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(queued).rejects.toThrow(/flush to disk failed: EIO/);
    await expect(queue.enqueue({ streamId: 'c', events: [event(3)], expectedRevision: 'any' })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(commits).toEqual([]);
  });

  it('drains what is queued and in flight before the store closes', async () => {
    const appends = [1, 2, 3].map((i) => queue.enqueue({ streamId: `s${i}`, events: [event(i)], expectedRevision: 'any' }));
    const drained = queue.drain();
    // drain commits at once; the test plays the disk.
    while (flush.inFlight === 0) await turn();
    flush.finish();
    await drained;
    await expect(Promise.all(appends)).resolves.toHaveLength(3);
    expect(commits.map((c) => c.last)).toEqual([3]);
  });

  describe('a lone append on a quiet queue', () => {
    const policy = { loneGroups: 3, limitMs: 50, backoffGroups: 2 };
    let i = 0;
    const lone = () => queue.enqueue({ streamId: `lone-${++i}`, events: [event(i)], expectedRevision: 'no_stream' });
    /** Lone appends, one after the other, each flushed on the pool by hand. */
    const quietGroups = async (count: number) => {
      for (let n = 0; n < count; n++) await settleAfterFlush(lone());
    };

    beforeEach(() => {
      queue = new WriteQueue(db, prepareAppend(db), (last, stored) => commits.push({ last, stored }), flush.sync, undefined, policy);
    });

    it('flushes in place once enough lone groups in a row found nothing queued behind them, and acknowledges after that flush', async () => {
      await quietGroups(2);
      expect(queue.flushesInPlace).toBe(false);
      await quietGroups(1);
      expect(queue.flushesInPlace).toBe(true);

      const result = await lone();
      expect(result).toMatchObject({ revision: 0 });
      expect(flush.inPlace.count).toBe(1);
      expect(flush.inFlight).toBe(0);
      expect(commits).toHaveLength(4);
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4 });
    });

    it('goes back to the pool for a group of two, and after an append queued behind a lone flush', async () => {
      await quietGroups(3);
      const pair = [lone(), lone()];
      await turn();
      expect(flush.inFlight).toBe(1);
      flush.finish();
      await Promise.all(pair);
      expect(queue.flushesInPlace).toBe(false);

      await quietGroups(2);
      const first = lone();
      await turn();
      expect(flush.inFlight).toBe(1);
      const behind = lone();
      flush.finish();
      await first;
      // The streak starts again: `behind` is flushed on the pool.
      expect(queue.flushesInPlace).toBe(false);
      await settleAfterFlush(behind);
      expect(flush.inPlace.count).toBe(0);
      expect(commits).toHaveLength(8);
    });

    it('refuses the append and every later one when the flush in place fails, as when the pool flush fails', async () => {
      await quietGroups(3);
      flush.inPlace.error = new Error('EIO: i/o error');
      await expect(lone()).rejects.toThrow(/flush to disk failed: EIO/);
      await expect(lone()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(commits).toHaveLength(3);
    });

    it('sends the next groups back to the pool after a flush in place slower than the limit', async () => {
      await quietGroups(3);
      flush.inPlace.takesMs = 60;
      await lone();
      expect(flush.inPlace.count).toBe(1);
      flush.inPlace.takesMs = 0;
      // backoffGroups + loneGroups quiet groups on the pool before the next flush in place.
      await quietGroups(policy.backoffGroups + policy.loneGroups - 1);
      expect(queue.flushesInPlace).toBe(false);
      await quietGroups(1);
      expect(queue.flushesInPlace).toBe(true);
      await lone();
      expect(flush.inPlace.count).toBe(2);
    });
  });

  async function settleAfterFlush<T>(promise: Promise<T>): Promise<T> {
    while (flush.inFlight === 0) await turn();
    flush.finish();
    return promise;
  }
});

describe('WriteQueue checkpoints', () => {
  let dir: string;
  let db: Database.Database;
  let flush: ReturnType<typeof manualSync>;
  let queue: WriteQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-checkpoint-'));
    db = openDatabase(join(dir, 'events.db'), 'NORMAL');
    // The schema into the file itself, so that what the queue copies back is all that is new.
    db.pragma('wal_checkpoint(TRUNCATE)');
    flush = manualSync();
    queue = new WriteQueue(db, prepareAppend(db), () => undefined, flush.sync, { events: 3, chars: 2 ** 30 });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Rows in the database file alone, without its WAL: what a checkpoint has copied back. */
  const rowsInDatabaseFile = (): number => {
    const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
    copyFileSync(join(dir, 'events.db'), copy);
    const reader = new Database(copy, { readonly: true });
    try {
      return (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      reader.close();
    }
  };

  it('copies the WAL back once enough events are durable, and commits nothing until the database file is flushed', async () => {
    const appends = ['a', 'b'].map((id, i) => queue.enqueue({ streamId: id, events: [event(i)], expectedRevision: 'no_stream' }));
    await turn();
    flush.finish();
    await Promise.all(appends);
    // Two events: below the policy, no checkpoint yet.
    expect(flush.databaseInFlight).toBe(0);
    expect(rowsInDatabaseFile()).toBe(0);

    const third = queue.enqueue({ streamId: 'c', events: [event(3)], expectedRevision: 'no_stream' });
    await turn();
    flush.finish();
    await third;
    // Acknowledged after its WAL flush; the checkpoint then copied all three rows and flushes.
    expect(rowsInDatabaseFile()).toBe(3);
    expect(flush.databaseInFlight).toBe(1);

    const fourth = queue.enqueue({ streamId: 'd', events: [event(4)], expectedRevision: 'no_stream' });
    await turn();
    await turn();
    // Held back: a transaction now could reuse the WAL before the copied pages are on disk.
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 3 });
    expect(flush.inFlight).toBe(0);

    flush.finishDatabase();
    await turn();
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4 });
    expect(flush.inFlight).toBe(1);
    flush.finish();
    await expect(fourth).resolves.toMatchObject({ streamId: 'd', revision: 0 });
    // The connection is back to synchronous=NORMAL (1) after the checkpoint.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('stops accepting appends when the database file cannot be flushed, keeping what was acknowledged', async () => {
    const acknowledged = [1, 2, 3].map((i) => queue.enqueue({ streamId: `s${i}`, events: [event(i)], expectedRevision: 'any' }));
    await turn();
    flush.finish();
    await expect(Promise.all(acknowledged)).resolves.toHaveLength(3);
    const waiting = queue.enqueue({ streamId: 'later', events: [event(4)], expectedRevision: 'any' });
    await turn();
    flush.finishDatabase(new Error('EIO: i/o error'));
    await expect(waiting).rejects.toThrow(/checkpoint failed: EIO/);
    await expect(queue.enqueue({ streamId: 'after', events: [event(5)], expectedRevision: 'any' })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 3 });
  });
});
