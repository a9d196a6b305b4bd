/**
 * The read-model file is written without flushing to disk (synchronous=OFF): commits and WAL
 * checkpoints go to the OS's cache and SQLite never waits for an fsync. A process that dies loses
 * nothing that way (the OS still holds every write, and each batch commits its documents with its
 * checkpoint). A machine that goes down can leave the file with some pages new and some old.
 *
 * Read models are rebuilt from the event log, so instead of fsyncing on the server's thread
 * (measured: each read-model checkpoint stalled it for milliseconds, in the middle of requests),
 * every opener leaves a marker naming the boot it runs in, made durable before the first write.
 * A marker from another boot means the machine went down while the file was open: the file is
 * deleted, and the projections rebuild it from the log when they start. A clean close flushes
 * the file and removes its marker.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

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
  /** After the database is closed: flushes the file to disk and removes this opener's marker. */
  release(): void;
}

interface Marker {
  bootId: string;
  pid: number;
}

const MARKER_INFIX = '.open-';

/** Call before opening `file`; the file (with its -wal and -shm) is gone if it came from another boot. */
export function guardUnsyncedFile(file: string, bootId: string): BootGuard {
  const path = resolve(file);
  const directory = dirname(path);
  const prefix = basename(path) + MARKER_INFIX;
  mkdirSync(directory, { recursive: true });
  let discarded = false;
  for (const name of readdirSync(directory).filter((entry) => entry.startsWith(prefix))) {
    const marker = readMarker(join(directory, name));
    if (marker?.bootId === bootId) {
      // This boot: a live opener (keep it) or a process that died, whose writes the OS still has.
      if (!isRunning(marker.pid)) rmSync(join(directory, name), { force: true });
      continue;
    }
    if (!discarded) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      discarded = true;
    }
    rmSync(join(directory, name), { force: true });
  }
  const own = join(directory, `${prefix}${process.pid}-${randomUUID().slice(0, 8)}`);
  writeDurably(own, JSON.stringify({ bootId, pid: process.pid } satisfies Marker));
  syncDirectory(directory);
  let released = false;
  return {
    discarded,
    release() {
      if (released) return;
      released = true;
      if (existsSync(path)) syncFile(path);
      rmSync(own, { force: true });
      syncDirectory(directory);
    },
  };
}

function readMarker(path: string): Marker | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
    return typeof parsed.bootId === 'string' && typeof parsed.pid === 'number' ? { bootId: parsed.bootId, pid: parsed.pid } : undefined;
  } catch {
    // Unreadable: written when the machine went down, so it counts as another boot's.
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeDurably(path: string, text: string): void {
  writeFileSync(path, text);
  syncFile(path);
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
  try {
    syncFile(path);
  } catch {
    // Some platforms refuse fsync on a directory; there is nothing more to do on those.
  }
}
