/**
 * Durability without blocking the event loop. SQLite's synchronous=FULL fsyncs the WAL inside
 * COMMIT, on the calling thread: with better-sqlite3 that is the server's only thread, stalled for
 * every flush to disk. Instead the file runs with synchronous=NORMAL (a COMMIT writes its WAL
 * frames to the OS, no flush) and the write queue flushes the WAL itself with fdatasync on
 * libuv's thread pool, acknowledging a group only once that flush has returned. That is the same
 * guarantee FULL gives (in WAL mode a transaction is durable once its frames are on disk; SQLite
 * still syncs the WAL before each checkpoint and the header when the WAL is reused), while the
 * event loop keeps serving requests and queuing the next group during the flush. (A lone append
 * on a quiet queue is the exception: it flushes in place, see FlushPolicy in write-queue.ts.)
 */
import { close, closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WalSync {
  /** Flushes every WAL frame written so far to disk; `done` runs on the event loop. */
  sync(done: (error: Error | null) => void): void;
  /**
   * The same flush on the calling thread, for a lone append that nothing else is waiting behind
   * (see FlushPolicy in write-queue.ts); throws if it fails.
   */
  syncNow(): void;
  /** Flushes the database file itself (after a checkpoint, see checkpoint.ts). */
  syncDatabase(done: (error: Error | null) => void): void;
  close(): void;
}

export function walSync(databaseFile: string): WalSync {
  let fd: number | undefined;
  let databaseFd: number | undefined;
  const open = (): number => {
    if (fd !== undefined) return fd;
    // The WAL exists once the connection has written; its directory entry is made durable once,
    // as SQLite itself does when it creates the WAL under synchronous=FULL.
    fd = openSync(`${databaseFile}-wal`, 'r');
    const directory = openSync(dirname(databaseFile), 'r');
    try {
      fsyncSync(directory);
    } catch {
      // Some platforms refuse fsync on a directory; there is nothing more to do on those.
    } finally {
      closeSync(directory);
    }
    return fd;
  };
  return {
    sync(done) {
      let handle: number;
      try {
        handle = open();
      } catch (error) {
        setImmediate(() => done(error as Error));
        return;
      }
      fdatasync(handle, (error) => done(error));
    },
    syncNow() {
      fdatasyncSync(open());
    },
    syncDatabase(done) {
      try {
        databaseFd ??= openSync(databaseFile, 'r');
      } catch (error) {
        setImmediate(() => done(error as Error));
        return;
      }
      fdatasync(databaseFd, (error) => done(error));
    },
    close() {
      if (fd !== undefined) close(fd, () => undefined);
      if (databaseFd !== undefined) close(databaseFd, () => undefined);
      fd = undefined;
      databaseFd = undefined;
    },
  };
}
