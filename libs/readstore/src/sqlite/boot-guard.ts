/**
 * The read-model file is written without flushing to disk (synchronous=OFF): commits and WAL
 * checkpoints go to the OS's cache and SQLite never waits for an fsync. A process that dies loses
 * nothing that way (the OS still holds every write, and each batch commits its documents with its
 * checkpoint). A machine that goes down can leave the file with some pages new and some old.
 *
 * Read models are rebuilt from the event log, so instead of fsyncing on the server's thread
 * (measured: each read-model checkpoint stalled it for milliseconds, in the middle of requests),
 * every opener leaves a marker naming the boot it runs in, made durable before the first write.
 * A marker from another boot, with no opener of this boot alive, means the machine went down
 * while the file was open: the file is deleted, and the projections rebuild it from the log when
 * they start (as after deleting readmodels.db by hand). A clean close flushes the file and removes
 * its marker. The scan, the deletion and the new marker happen under a lock file, so two openers
 * starting together cannot both act on the same old marker.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';
const MARKER_INFIX = '.open-';
const LOCK_TIMEOUT_MS = 5000;

/** This boot's id (Linux), or undefined where the OS does not tell it. */
export function currentBootId(): string | undefined {
  try {
    const id = readFileSync(BOOT_ID_FILE, 'utf8').trim();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

export interface BootGuard {
  /** The file was deleted on open: it was left open by an earlier boot. */
  readonly discarded: boolean;
  /** After the database is closed: flushes the file (and a WAL left by other openers) and removes this opener's marker. */
  release(): void;
}

/** Who holds the file open: a process of a boot, told apart from a later process with its pid by its start time. */
interface Opener {
  bootId: string;
  pid: number;
  started: string;
}

/** Call before opening `file`; the file (with its -wal and -shm) is gone if it came from another boot. */
export function guardUnsyncedFile(file: string, bootId: string): BootGuard {
  const path = resolve(file);
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true });
  const self: Opener = { bootId, pid: process.pid, started: startTimeOf(process.pid) ?? '' };
  const own = join(directory, `${basename(path)}${MARKER_INFIX}${process.pid}-${randomUUID().slice(0, 8)}`);
  let discarded = false;

  withLock(`${path}.guard`, self, () => {
    const earlier: string[] = [];
    const dead: string[] = [];
    let liveThisBoot = false;
    for (const name of readdirSync(directory).filter((entry) => entry.startsWith(basename(path) + MARKER_INFIX))) {
      const marker = readOpener(join(directory, name));
      if (marker === 'gone') continue; // its opener closed meanwhile
      if (marker !== undefined && marker.bootId === bootId) {
        if (isAlive(marker)) liveThisBoot = true;
        else dead.push(name);
      } else {
        earlier.push(name);
      }
    }
    // An opener of this boot that is alive already found the file sound (or deleted it) under this lock.
    if (earlier.length > 0 && !liveThisBoot) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      syncDirectory(directory);
      discarded = true;
    }
    // Our marker is on disk before any stale one is removed: there is never a moment without one.
    writeDurably(own, JSON.stringify(self));
    syncDirectory(directory);
    for (const name of [...earlier, ...dead]) rmSync(join(directory, name), { force: true });
    if (earlier.length + dead.length > 0) syncDirectory(directory);
  });

  let released = false;
  return {
    discarded,
    release() {
      if (released) return;
      released = true;
      for (const suffix of ['', '-wal']) if (existsSync(path + suffix)) syncFile(path + suffix);
      rmSync(own, { force: true });
      syncDirectory(directory);
    },
  };
}

/** Runs `body` holding an exclusive lock file; a lock left by a dead process or another boot is taken over. */
function withLock(lock: string, self: Opener, body: () => void): void {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      writeFileSync(lock, JSON.stringify(self), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readOpener(lock);
    if (holder === 'gone') continue;
    if (holder !== undefined && holder.bootId === self.bootId && isAlive(holder)) {
      if (Date.now() > deadline) throw new Error(`${lock} is held by process ${holder.pid}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    // Another boot's, a dead process's, or torn: nobody holds it.
    rmSync(lock, { force: true });
  }
  try {
    body();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The opener a marker names; 'gone' if it vanished while being read; undefined if unreadable (torn by a crash). */
function readOpener(path: string): Opener | 'gone' | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Opener>;
    const { bootId, pid, started } = parsed;
    if (typeof bootId !== 'string' || typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof started !== 'string') return undefined;
    return { bootId, pid, started };
  } catch {
    return undefined;
  }
}

function isAlive(opener: Opener): boolean {
  const started = startTimeOf(opener.pid);
  return started !== undefined && started === opener.started;
}

/** A process's start time in clock ticks since boot (Linux /proc), or undefined if it is not running. */
function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command name, which is in parentheses and may itself contain them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function writeDurably(path: string, text: string): void {
  // Written under another name and renamed into place, so a reader never sees it half written.
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  writeFileSync(temporary, text);
  syncFile(temporary);
  renameSync(temporary, path);
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(path: string): void {
  syncFile(path);
}
