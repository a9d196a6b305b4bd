import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent, SqliteEventStore } from '@trellis/eventstore';
import { SqliteReadStore } from '@trellis/readstore';
import { ReadStoreCheckpoints } from './checkpoints';
import { DurableSubscriber } from './durable-subscriber';

const until = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('DurableSubscriber', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let checkpoints: ReadStoreCheckpoints;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-subscriber-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    readStore = SqliteReadStore.open({ file: join(dir, 'read.db') });
    checkpoints = new ReadStoreCheckpoints(readStore);
    for (let i = 0; i < 30; i++) await store.append(`s-${i % 3}`, [{ type: i % 2 ? 'Odd' : 'Even', data: { i } }]);
  });
  afterEach(async () => {
    await store.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after its saved checkpoint: each event is handled once across a restart', async () => {
    const seen: number[] = [];
    const handle = async (e: RecordedEvent) => void seen.push((e.data as { i: number }).i);
    const first = new DurableSubscriber(store, checkpoints, { name: 'pm-test', handle });
    await first.start();
    await first.caughtUp;
    await first.stop();

    for (let i = 30; i < 40; i++) await store.append('s-x', [{ type: 'Even', data: { i } }]);
    const second = new DurableSubscriber(store, checkpoints, { name: 'pm-test', handle });
    await second.start();
    await until(() => seen.length === 40);
    await second.stop();

    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(await checkpoints.load('pm-test')).toBe(40);
  });

  it('retries a failing handler from the failed event, without skipping or reordering', async () => {
    const seen: number[] = [];
    let failuresLeft = 2;
    const errors: unknown[] = [];
    const subscriber = new DurableSubscriber(store, checkpoints, {
      name: 'pm-flaky',
      handle: async (e) => {
        const { i } = e.data as { i: number };
        if (i === 7 && failuresLeft-- > 0) throw new Error('transient');
        seen.push(i);
      },
      onError: (error) => errors.push(error),
    });
    await subscriber.start();
    await until(() => seen.length === 30);
    await subscriber.stop();

    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(errors).toHaveLength(2);
  });

  it('moves its checkpoint past events its filter skips', async () => {
    const seen: string[] = [];
    const subscriber = new DurableSubscriber(store, checkpoints, { name: 'pm-odd', eventTypes: ['Odd'], handle: async (e) => void seen.push(e.type) });
    await subscriber.start();
    await subscriber.caughtUp;
    // The position counts skipped events: whoever waits for the head sees the subscriber reach it.
    expect(subscriber.position).toBe(30);
    await subscriber.stop();

    expect(seen).toHaveLength(15);
    expect(new Set(seen)).toEqual(new Set(['Odd']));
    expect(await checkpoints.load('pm-odd')).toBe(30);
  });
});
