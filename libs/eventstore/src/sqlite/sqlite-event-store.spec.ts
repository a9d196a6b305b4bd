import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WrongExpectedVersionError } from '../errors';
import type { EventStore } from '../event-store';
import { verifyChain } from '../hash-chain';
import { eventStoreConformance } from '../testing/conformance';
import { SqliteEventStore } from './sqlite-event-store';
import { CRASH_BATCH } from './testing/crash-writer';

const dir = mkdtempSync(join(tmpdir(), 'trellis-eventstore-'));
let files = 0;
const fileOf = new WeakMap<EventStore, string>();
const newFile = () => join(dir, `store-${++files}.db`);

function openAt(file: string): SqliteEventStore {
  const store = SqliteEventStore.open({ file });
  fileOf.set(store, file);
  return store;
}

eventStoreConformance('sqlite', {
  create: async () => openAt(newFile()),
  reopen: async (store) => {
    await store.close();
    return openAt(fileOf.get(store)!);
  },
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

describe('SqliteEventStore', () => {
  const stores: SqliteEventStore[] = [];
  const open = (file = newFile(), synchronous?: 'FULL' | 'NORMAL') => {
    const store = SqliteEventStore.open({ file, synchronous });
    stores.push(store);
    return store;
  };
  const batch = (n: number, type = 'Happened') => Array.from({ length: n }, (_, i) => ({ type, data: { i } }));

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('opens a WAL file, creating its directory; durable by its own WAL flush unless NORMAL is asked for', async () => {
    const durable = open(join(dir, 'nested', 'deeper', 'events.db'));
    const relaxed = open(newFile(), 'NORMAL');
    const memory = open(':memory:');

    expect(durable.backend).toBe('sqlite');
    expect(durable.database.pragma('journal_mode', { simple: true })).toBe('wal');
    // FULL is kept by flushing the WAL off the event loop after COMMIT (write-queue.spec.ts shows
    // that nothing is acknowledged before that flush), so SQLite itself runs with NORMAL.
    expect(durable.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(relaxed.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(memory.database.pragma('synchronous', { simple: true })).toBe(2);
    for (const store of [durable, relaxed, memory]) {
      await store.append('s', batch(2));
      expect((await store.readStream('s')).map((e) => e.revision)).toEqual([0, 1]);
    }
  });

  it('commits appends issued together in one transaction (group commit)', async () => {
    const store = open();
    const appenders = 16;
    const appendsEach = 50;

    await Promise.all(
      Array.from({ length: appenders }, async (_, w) => {
        for (let i = 0; i < appendsEach; i += 1) await store.append(`group-${w}`, batch(1), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }),
    );

    const { commits, appends, events, largestGroup } = store.stats;
    expect(appends).toBe(appenders * appendsEach);
    expect(events).toBe(appenders * appendsEach);
    expect(largestGroup).toBe(appenders);
    // Every round of the 16 appenders shares one commit.
    expect(commits).toBeLessThanOrEqual(appendsEach + 2);
  });

  it('appends to one stream within one commit see each other, and only the conflicting one fails', async () => {
    const store = open();

    const outcomes = await Promise.allSettled([
      store.append('same', batch(1, 'First'), { expectedRevision: 'no_stream' }),
      store.append('same', batch(2, 'Second'), { expectedRevision: 0 }),
      store.append('same', batch(1, 'Stale'), { expectedRevision: 0 }),
      store.append('same', batch(1, 'Third'), { expectedRevision: 2 }),
    ]);

    expect(store.stats.commits).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 2 });
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    const events = await store.readStream('same');
    expect(events.map((e) => e.type)).toEqual(['First', 'Second', 'Second', 'Third']);
    expect(verifyChain(events)).toEqual({ ok: true, count: 4 });
  });

  it('an event id already used by another stream fails that append only', async () => {
    const store = open();
    const id = randomUUID();
    await store.append('owner', [{ id, type: 'Owned', data: {} }]);

    const [reused, other] = await Promise.allSettled([
      store.append('thief', [{ id, type: 'Owned', data: {} }]),
      store.append('bystander', batch(1)),
    ]);

    expect(reused.status).toBe('rejected');
    expect(String((reused as PromiseRejectedResult).reason)).toContain('already stored in stream owner');
    expect(other.status).toBe('fulfilled');
    expect(await store.readStream('thief')).toEqual([]);
  });

  it('acknowledges an append only once another connection can read it', async () => {
    const file = newFile();
    const store = open(file);
    const reader = new Database(file, { readonly: true });
    try {
      const seen = await store.append('visible', batch(3)).then(() =>
        reader.prepare("SELECT COUNT(*) AS n FROM events WHERE stream_id = 'visible'").get(),
      );
      expect(seen).toEqual({ n: 3 });
    } finally {
      reader.close();
    }
  });

  it('keeps the log append-only, and the hash chain exposes an edit made to the file', async () => {
    const store = open();
    await store.append('ledger', batch(4, 'Booked'));
    const edit = "UPDATE events SET data = json_set(data, '$.i', 99) WHERE stream_id = 'ledger' AND revision = 2";

    expect(() => store.database.exec(edit)).toThrow('append-only');
    expect(() => store.database.exec("DELETE FROM events WHERE stream_id = 'ledger'")).toThrow('append-only');
    store.database.exec(`DROP TRIGGER events_no_update; ${edit}`);
    const events = await store.readStream('ledger');

    expect(events[2].data).toEqual({ i: 99 });
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: { streamId: 'ledger', revision: 2, reason: 'hash_mismatch' } });
  });

  it('after SIGKILL every acknowledged append is there, the chains verify and no batch is partial', async () => {
    const file = newFile();
    const root = resolve(__dirname, '../../../..');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'testing', 'crash-writer.ts'), file],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));

    const deadline = Date.now() + 20000;
    while (!/^crash-/m.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`crash writer did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Only complete lines count: the last one may have been cut by the kill.
    const acknowledged = stdout
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('crash-'))
      .map((line) => {
        const [streamId, revision, ids] = line.split(' ');
        return { streamId, revision: Number(revision), ids: ids.split(',') };
      });
    expect(acknowledged.length).toBeGreaterThan(20);

    const store = open(file);
    const log = (await store.readAll()).events;
    const byId = new Map(log.map((e) => [e.id, e]));
    const missing = acknowledged.flatMap(({ streamId, revision, ids }) =>
      ids.filter((id, k) => {
        const event = byId.get(id);
        return !event || event.streamId !== streamId || event.revision !== revision - (ids.length - 1) + k;
      }),
    );
    expect(missing).toEqual([]);
    expect(verifyChain(log)).toEqual({ ok: true, count: log.length });
    const perStream = new Map<string, number>();
    for (const event of log) perStream.set(event.streamId, (perStream.get(event.streamId) ?? 0) + 1);
    expect([...perStream.values()].filter((count) => count % CRASH_BATCH !== 0)).toEqual([]);
  }, 30000);
});
