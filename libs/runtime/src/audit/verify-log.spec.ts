import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { verifyLog } from './verify-log';

describe('verifyLog', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-verify-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    // Given 3 streams of 40 events each, interleaved in the log
    for (let i = 0; i < 40; i++) {
      for (const stream of ['a', 'b', 'c']) await store.append(`s-${stream}`, [{ type: 'Happened', data: { i } }]);
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies every chain across pages and reports progress up to the head', async () => {
    const progress: number[] = [];
    const result = await verifyLog(store, { pageSize: 25, onProgress: (checked) => progress.push(checked) });
    expect(result).toEqual({ ok: true, events: 120, streams: 3 });
    expect(progress).toEqual([25, 50, 75, 100, 120]);
  });

  it('names the first altered event, also when only its stream is verified', async () => {
    const db = store.database;
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${t.name}`);
    db.prepare("UPDATE events SET data = json_set(data, '$.i', 999) WHERE stream_id = 's-b' AND revision = 17").run();

    const whole = await verifyLog(store, { pageSize: 25 });
    const single = await verifyLog(store, { streamId: 's-b', pageSize: 10 });
    for (const result of [whole, single]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.brokenAt).toMatchObject({ streamId: 's-b', revision: 17, reason: 'hash_mismatch' });
    }
  });
});
