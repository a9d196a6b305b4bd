import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCollection } from '../collection';
import { upsertOp } from '../write-ops';
import { currentBootId, guardUnsyncedFile } from './boot-guard';
import { SqliteReadStore } from './sqlite-read-store';

const bootId = currentBootId();
const describeOnLinux = bootId === undefined ? describe.skip : describe;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'trellis-boot-guard-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const things = defineCollection<{ id: string; n: number }>({ projection: 'p', name: 'things' });
const markers = () => readdirSync(dir).filter((name) => name.includes('.open-'));

async function writeOne(file: string, id: string): Promise<void> {
  const store = SqliteReadStore.open({ file });
  await store.applyBatch('p', 1, [upsertOp(things, { id, n: 1 })]);
  store.database.close(); // as a process that dies would leave it: no release
}

describeOnLinux('the read-model file written without fsync (Linux: the OS names its boot)', () => {
  it('runs with synchronous=OFF and leaves a marker naming this boot while open; a clean close removes it', async () => {
    const file = join(dir, 'readmodels.db');
    const store = SqliteReadStore.open({ file });
    expect(store.database.pragma('synchronous', { simple: true })).toBe(0);
    expect(markers()).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, markers()[0]), 'utf8'))).toEqual({ bootId, pid: process.pid, started: expect.any(String) });
    await store.close();
    expect(markers()).toEqual([]);
  });

  it('keeps a file left open by a process of this boot that died: the OS still has its writes', async () => {
    const file = join(dir, 'readmodels.db');
    await writeOne(file, 'a');
    // The marker of a process that is gone (pid 2^22 + 1 is above Linux's pid limit).
    writeFileSync(join(dir, markers()[0]), JSON.stringify({ bootId, pid: 4194305, started: '1' }));
    const store = SqliteReadStore.open({ file });
    expect(store.discardedAfterRestart).toBe(false);
    expect(await store.get(things, 'a')).toMatchObject({ id: 'a', n: 1 });
    expect(markers()).toHaveLength(1); // the dead process's marker was cleared, this one's is there
    await store.close();
  });

  it('deletes a file left open by an earlier boot: the projections rebuild it from the log', async () => {
    const file = join(dir, 'readmodels.db');
    await writeOne(file, 'a');
    writeFileSync(join(dir, markers()[0]), JSON.stringify({ bootId: 'an-earlier-boot', pid: process.pid, started: '1' }));
    const store = SqliteReadStore.open({ file });
    expect(store.discardedAfterRestart).toBe(true);
    expect(await store.get(things, 'a')).toBeNull();
    expect(await store.getCheckpoint('p')).toBe(0);
    expect(markers()).toHaveLength(1);
    await store.close();
  });

  it('counts an unreadable marker (torn by the crash) as another boot’s', async () => {
    const file = join(dir, 'readmodels.db');
    await writeOne(file, 'a');
    writeFileSync(join(dir, markers()[0]), '{"bootI');
    const store = SqliteReadStore.open({ file });
    expect(store.discardedAfterRestart).toBe(true);
    await store.close();
  });

  it('takes a marker with a live pid but another start time for a dead process whose pid was reused', async () => {
    const file = join(dir, 'readmodels.db');
    await writeOne(file, 'a');
    writeFileSync(join(dir, markers()[0]), JSON.stringify({ bootId, pid: process.pid, started: 'before-a-restart' }));
    const store = SqliteReadStore.open({ file });
    expect(store.discardedAfterRestart).toBe(false);
    expect(await store.get(things, 'a')).toMatchObject({ id: 'a' });
    expect(markers()).toHaveLength(1);
    await store.close();
    expect(markers()).toEqual([]);
  });

  it('never deletes a file that an opener of this boot holds, even next to an earlier boot’s marker', async () => {
    const file = join(dir, 'readmodels.db');
    const first = SqliteReadStore.open({ file });
    await first.applyBatch('p', 1, [upsertOp(things, { id: 'a', n: 1 })]);
    writeFileSync(`${file}.open-1-old`, JSON.stringify({ bootId: 'an-earlier-boot', pid: 1, started: '1' }));
    const second = SqliteReadStore.open({ file });
    expect(second.discardedAfterRestart).toBe(false);
    expect(await second.get(things, 'a')).toMatchObject({ id: 'a' });
    expect(markers()).toHaveLength(2);
    await second.close();
    await first.close();
  });

  it('skips a marker that vanishes while it is read (its opener closed): nothing is deleted', async () => {
    const file = join(dir, 'readmodels.db');
    await writeOne(file, 'a');
    rmSync(join(dir, markers()[0]));
    symlinkSync(join(dir, 'nowhere'), `${file}.open-9-vanished`);
    const store = SqliteReadStore.open({ file });
    expect(store.discardedAfterRestart).toBe(false);
    expect(await store.get(things, 'a')).toMatchObject({ id: 'a' });
    await store.close();
  });

  it('takes over a lock file left by another boot, and leaves none behind', async () => {
    const file = join(dir, 'readmodels.db');
    writeFileSync(`${file}.guard`, JSON.stringify({ bootId: 'an-earlier-boot', pid: 1, started: '1' }));
    const store = SqliteReadStore.open({ file });
    expect(existsSync(`${file}.guard`)).toBe(false);
    await store.close();
  });

  it('leaves the marker of another live opener of this boot in place', async () => {
    const file = join(dir, 'readmodels.db');
    const first = SqliteReadStore.open({ file });
    const second = SqliteReadStore.open({ file });
    expect(second.discardedAfterRestart).toBe(false);
    expect(markers()).toHaveLength(2);
    await second.close();
    expect(markers()).toHaveLength(1);
    await first.close();
    expect(markers()).toEqual([]);
  });

  it('relies on SQLite keeping every commit of a SIGKILLed process under synchronous=OFF (checked here, not assumed)', () => {
    const file = join(dir, 'readmodels.db');
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new Database(${JSON.stringify(file)});
         db.pragma('journal_mode = WAL'); db.pragma('synchronous = OFF');
         db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
         const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
         for (let i = 0; i < 2000; i++) insert.run('x'.repeat(500));
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { stdio: 'ignore' },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(`${file}-wal`)).toBe(true);
    const store = SqliteReadStore.open({ file });
    expect(store.database.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
    store.database.close();
  });
});

describe('the read-model file with an explicit synchronous setting', () => {
  it('leaves no marker and runs as asked', async () => {
    const file = join(dir, 'readmodels.db');
    const store = SqliteReadStore.open({ file, synchronous: 'NORMAL' });
    expect(store.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(markers()).toEqual([]);
    await store.close();
  });

  it('guards a file whose opener names the boot itself, deleting its WAL and shared memory too', () => {
    const file = join(dir, 'readmodels.db');
    writeFileSync(`${file}.open-1-abc`, JSON.stringify({ bootId: 'boot-1', pid: 1, started: '1' }));
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(file + suffix, 'torn');
    const guard = guardUnsyncedFile(file, 'boot-2');
    expect(guard.discarded).toBe(true);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(file + suffix)).toBe(false);
    expect(markers()).toHaveLength(1);
    guard.release();
    expect(markers()).toEqual([]);
  });
});
