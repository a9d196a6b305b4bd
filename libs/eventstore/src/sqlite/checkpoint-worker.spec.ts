import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointWorker } from './checkpoint-worker';

describe('CheckpointWorker', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-checkpoint-worker-'));
    file = join(dir, 'data.db');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (n INTEGER)');
    writer.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterEach(() => {
    if (writer.open) writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rowsInFileAlone = (): number => {
    const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
    copyFileSync(file, copy);
    const reader = new Database(copy, { readonly: true });
    try {
      return (reader.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
    } finally {
      reader.close();
    }
  };

  for (const flush of [false, true]) {
    it(`copies the WAL back into the file on its own connection (flush: ${flush})`, async () => {
      const insert = writer.prepare('INSERT INTO t (n) VALUES (?)');
      writer.transaction(() => {
        for (let n = 0; n < 1000; n++) insert.run(n);
      })();
      expect(rowsInFileAlone()).toBe(0);
      const worker = new CheckpointWorker(file, { flush });
      try {
        const result = await worker.checkpoint();
        expect(result.busy).toBe(0);
        expect(result.log).toBeGreaterThan(0);
        expect(result.checkpointed).toBe(result.log);
        expect(rowsInFileAlone()).toBe(1000);
        // The writer goes on, and the next checkpoint copies what it added.
        insert.run(1000);
        await worker.checkpoint();
        expect(rowsInFileAlone()).toBe(1001);
      } finally {
        await worker.close();
      }
    });
  }

  it('runs one checkpoint at a time and refuses new ones once closed', async () => {
    writer.prepare('INSERT INTO t (n) VALUES (1)').run();
    const worker = new CheckpointWorker(file, { flush: true });
    const first = worker.checkpoint();
    expect(worker.busy).toBe(true);
    expect(worker.checkpoint()).toBe(first);
    await first;
    expect(worker.busy).toBe(false);
    await worker.close();
    await expect(worker.checkpoint()).rejects.toThrow(/closed/);
  });

  it('reports a file it cannot open, and tries again at the next checkpoint', async () => {
    const worker = new CheckpointWorker(join(dir, 'missing.db'), { flush: false });
    try {
      await expect(worker.checkpoint()).rejects.toThrow();
      await expect(worker.checkpoint()).rejects.toThrow();
    } finally {
      await worker.close();
    }
  });
});
