/**
 * The raw limits of the SQLite file settings the event store uses (WAL, synchronous=FULL):
 * single-row inserts with one transaction each, and 100 rows per transaction. Every other
 * figure is reported as a ratio to these, measured in the same run on the same disk.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { throughput } from '../measure';
import type { Reporter } from '../report';

export const SAMPLE_DATA = JSON.stringify({ title: 'Benchmark issue', points: 3, assignee: 'alice', labels: ['bench', 'raw'] });
export const SAMPLE_METADATA = JSON.stringify({ actor: 'bench', correlationId: randomUUID(), occurredAt: new Date().toISOString() });

function openRaw(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE rows (
    position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision))`);
  return db;
}

export async function rawSqliteCases(reporter: Reporter, dir: string, sizes: { single: number; batched: number }) {
  const single = await reporter.run('raw SQLite: 1 row per transaction', sizes.single, async (progress) => {
    const db = openRaw(join(dir, 'raw-single.db'));
    const insert = db.prepare('INSERT INTO rows (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const startedAt = performance.now();
    for (let i = 0; i < sizes.single; i++) {
      insert.run(randomUUID(), `s-${i}`, 0, 'Bench', SAMPLE_DATA, SAMPLE_METADATA); // autocommit: one fsync each
      if (i % 100 === 0) progress(i);
    }
    const result = throughput(sizes.single, startedAt);
    db.close();
    return { group: 'raw', throughput: result, notes: 'the raw single-row limit every ratio refers to' };
  });

  const batched = await reporter.run('raw SQLite: 100 rows per transaction', sizes.batched, async (progress) => {
    const db = openRaw(join(dir, 'raw-batched.db'));
    const insert = db.prepare('INSERT INTO rows (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const insertHundred = db.transaction((base: number) => {
      for (let j = 0; j < 100; j++) insert.run(randomUUID(), `s-${base}`, j, 'Bench', SAMPLE_DATA, SAMPLE_METADATA);
    });
    const startedAt = performance.now();
    for (let i = 0; i < sizes.batched; i += 100) {
      insertHundred(i);
      if (i % 1000 === 0) progress(i);
    }
    const result = throughput(sizes.batched, startedAt);
    db.close();
    return { group: 'raw', throughput: result };
  });

  return { singleRowPerSecond: single.throughput!.perSecond, batchedRowsPerSecond: batched.throughput!.perSecond };
}
