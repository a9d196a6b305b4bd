import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@trellis/eventstore';
import { defineCollection, SqliteReadStore, upsertOp, type ReadDocument } from '@trellis/readstore';
import { InProcessLease } from './lease';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

interface Counter extends ReadDocument {
  count: number;
  sum: number;
}

const counters = defineCollection<Counter>({ projection: 'counters', name: 'counters', indexes: ['count'] });

/**
 * Counts events per stream; `hooks` let a test slow it down or make it fail. `version` 2 counts
 * every event twice, so that documents tell which version wrote them.
 */
function counterProjection(hooks: { before?: (event: RecordedEvent) => Promise<void> | void } = {}, version?: number): Projection {
  const step = version === 2 ? 2 : 1;
  return {
    name: 'counters',
    version,
    collections: [counters],
    keys: (event) => [{ collection: counters, id: event.streamId }],
    async apply(event, ctx) {
      await hooks.before?.(event);
      const current = await ctx.get(counters, event.streamId);
      const n = (event.data as { n: number }).n;
      return [upsertOp(counters, { id: event.streamId, count: (current?.count ?? 0) + step, sum: (current?.sum ?? 0) + n })];
    },
  };
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('ProjectionRunner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let appended = 0;
  const append = async (count: number, streams = 10) => {
    for (let i = 0; i < count; i++, appended++) await events.append(`s-${appended % streams}`, [{ type: 'Counted', data: { n: appended } }]);
  };
  const expectedCounters = (total: number, streams = 10) =>
    Array.from({ length: streams }, (_, s) => {
      const ns = Array.from({ length: total }, (_, n) => n).filter((n) => n % streams === s);
      return { id: `s-${s}`, count: ns.length, sum: ns.reduce((a, b) => a + b, 0) };
    }).sort((a, b) => a.id.localeCompare(b.id));
  const read = async (generation?: number) =>
    (await reads.find(counters, { limit: 1000 }, { generation })).items.map(({ id, count, sum }) => ({ id, count, sum }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-runner-'));
    events = SqliteEventStore.open({ file: join(dir, 'events.db'), synchronous: 'NORMAL' });
    reads = SqliteReadStore.open({ file: join(dir, 'read.db') });
    appended = 0;
  });
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the log and then live appends, committing each batch with its checkpoint; lag goes to 0', async () => {
    await append(1000);
    const runner = new ProjectionRunner(events, reads, counterProjection(), { batchSize: 64 });
    await runner.start();
    await until(async () => (await runner.status()).lag === 0);
    await append(250);
    await until(async () => (await runner.status()).checkpoint === 1250);
    const status = await runner.status();
    await runner.stop();

    expect(status).toMatchObject({ name: 'counters', status: 'running', generation: 1, checkpoint: 1250, head: 1250, lag: 0, error: null });
    expect(await read()).toEqual(expectedCounters(1250));
    expect(await reads.getCheckpoint('counters')).toBe(1250);
  });

  it('with an apply interval, applies an idle commit at once and gathers a burst of commits into few batches', async () => {
    const batches: number[] = [];
    const runner = new ProjectionRunner(events, reads, counterProjection(), {
      applyIntervalMs: 300,
      onChange: (change) => batches.push(change().position),
    });
    await runner.start();
    const started = Date.now();
    await append(1);
    await until(async () => (await runner.status()).checkpoint === 1);
    expect(Date.now() - started).toBeLessThan(250);

    // 40 commits, one event each, within the interval that the first batch opened.
    for (let n = 1; n <= 40; n++) await events.append(`s-${n % 10}`, [{ type: 'Counted', data: { n } }]);
    expect((await events.readAll({ after: 1 })).events.map((e) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    await until(async () => (await runner.status()).checkpoint === 41);
    await runner.stop();
    expect(batches[0]).toBe(1);
    expect(batches[batches.length - 1]).toBe(41);
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(await read()).toEqual(expectedCounters(41));
  });

  it('resumes after its checkpoint when started again, applying nothing twice', async () => {
    await append(300);
    const first = new ProjectionRunner(events, reads, counterProjection());
    await first.start();
    await until(async () => (await first.status()).lag === 0);
    await first.stop();
    await append(200);
    const seen: number[] = [];
    const second = new ProjectionRunner(events, reads, counterProjection({ before: (e) => void seen.push(e.position) }));
    await second.start();
    await until(async () => (await second.status()).lag === 0);
    await second.stop();

    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => 301 + i));
    expect(await read()).toEqual(expectedCounters(500));
  });

  it('stops on the first apply error, names the event, and keeps the batches before it', async () => {
    await append(100);
    const runner = new ProjectionRunner(events, reads, counterProjection({ before: (e) => { if (e.position === 57) throw new Error('bad data'); } }), { batchSize: 10 });
    await runner.start();
    await until(async () => (await runner.status()).status === 'failed');
    const status = await runner.status();
    await runner.stop();

    expect(status.error).toMatchObject({ event: { position: 57, type: 'Counted', streamId: 's-6' } });
    expect(status.error?.message).toMatch(/projection counters failed on event 57 \(Counted in s-6\): bad data/);
    expect(status.checkpoint).toBe(50);
    expect(await reads.getCheckpoint('counters')).toBe(50);
    expect(await read()).toEqual(expectedCounters(50));
  });

  it('rebuilds into a new generation while the old one serves reads, catches up with live appends, then switches', async () => {
    await append(2000);
    let gate: Promise<void> | undefined;
    let open!: () => void;
    const rebuilding = { on: false };
    const projection = counterProjection({
      before: async (e) => {
        if (rebuilding.on && e.position === 1500) await gate;
      },
    });
    const runner = new ProjectionRunner(events, reads, projection, { rebuildBatchSize: 100, dropDelayMs: 0 });
    await runner.start();
    await until(async () => (await runner.status()).lag === 0);

    gate = new Promise((resolve) => (open = resolve));
    rebuilding.on = true;
    cleanup = async () => {
      open();
      await runner.stop();
    };
    const started = await runner.rebuild();
    expect(started).toMatchObject({ status: 'running', generation: 2, from: 0 });
    await until(async () => ((await runner.status()).rebuild?.position ?? 0) >= 1400);
    // Mid-rebuild: reads still go to generation 1, which keeps following live appends.
    await append(300);
    await until(async () => (await runner.status()).checkpoint === 2300);
    expect(await read()).toEqual(expectedCounters(2300));
    const mid = await runner.status();
    expect(mid).toMatchObject({ generation: 1, rebuild: { status: 'running', generation: 2 } });
    expect(mid.rebuild!.done).toBeGreaterThanOrEqual(1400);
    expect(mid.rebuild!.total).toBe(2300);
    open();
    const done = await runner.rebuildFinished();
    const after = await runner.status();
    await append(50);
    await until(async () => (await runner.status()).checkpoint === 2350);
    await runner.stop();

    expect(done).toMatchObject({ status: 'done', generation: 2, position: 2300, done: 2300, total: 2300, etaSeconds: 0, error: null });
    expect(after).toMatchObject({ generation: 2, checkpoint: 2300, lag: 0 });
    expect(await read()).toEqual(expectedCounters(2350));
    expect(await reads.generations('counters')).toMatchObject({ active: 2, building: null, retired: [] });
  });

  it('cancels a rebuild, keeping what it built, and resumes it from its checkpoint', async () => {
    await append(1000);
    let slow = false;
    const runner = new ProjectionRunner(
      events,
      reads,
      counterProjection({ before: async () => { if (slow) await new Promise((r) => setImmediate(r)); } }),
      { rebuildBatchSize: 50, dropDelayMs: 0 },
    );
    await runner.start();
    await until(async () => (await runner.status()).lag === 0);
    slow = true;
    await runner.rebuild();
    await until(async () => ((await runner.status()).rebuild?.position ?? 0) >= 200);
    const canceled = await runner.cancelRebuild();
    expect(canceled).toMatchObject({ status: 'canceled', generation: 2 });
    const keptAt = await reads.getCheckpoint('counters', { generation: 2 });
    expect(keptAt).toBeGreaterThanOrEqual(200);
    expect(keptAt).toBeLessThan(1000);
    expect((await runner.status()).generation).toBe(1);

    slow = false;
    const resumed = await runner.rebuild();
    expect(resumed).toMatchObject({ generation: 2, from: keptAt });
    expect(await runner.rebuildFinished()).toMatchObject({ status: 'done', position: 1000, done: 1000 - keptAt });
    await runner.stop();
    expect(await read()).toEqual(expectedCounters(1000));
  });

  it('stops a rebuild on its first apply error and shows it; the live generation keeps going', async () => {
    await append(500);
    const failing = { on: false };
    const runner = new ProjectionRunner(events, reads, counterProjection({ before: (e) => { if (failing.on && e.position === 321) throw new Error('cannot fold'); } }), {
      rebuildBatchSize: 40,
      dropDelayMs: 0,
    });
    await runner.start();
    await until(async () => (await runner.status()).lag === 0);
    failing.on = true;
    await runner.rebuild();
    const failed = await runner.rebuildFinished();
    failing.on = false;
    await append(10);
    await until(async () => (await runner.status()).checkpoint === 510);
    const status = await runner.status();
    await runner.discardRebuild();
    await runner.stop();

    expect(failed).toMatchObject({ status: 'failed', position: 320, error: { event: { position: 321 } } });
    expect(failed?.error?.message).toMatch(/cannot fold/);
    expect(status).toMatchObject({ status: 'running', generation: 1, rebuild: { status: 'failed' } });
    expect(await reads.generations('counters')).toMatchObject({ active: 1, building: null });
  });

  it('rebuilds at start a read model written by another version; until the switch reads and the old generation stay as they were', async () => {
    const versionOf = async (generation: number) =>
      (await reads.get(defineCollection<ReadDocument & { version: number }>({ projection: 'counters', name: 'counters_version', indexes: [] }), 'version', { generation }))?.version;
    const doubled = (total: number) => expectedCounters(total).map((c) => ({ ...c, count: 2 * c.count }));
    await append(600);
    const v1 = new ProjectionRunner(events, reads, counterProjection(), { batchSize: 100 });
    await v1.start();
    await until(async () => (await v1.status()).lag === 0);
    await v1.stop();
    expect(await versionOf(1)).toBe(1);

    // Version 2 starts: generation 1 keeps serving (and following the log) while 2 is built.
    let open!: () => void;
    let gate: Promise<void> | undefined = new Promise<void>((resolve) => (open = resolve));
    const outdated: Array<[string, number]> = [];
    const v2 = counterProjection({ before: async (e) => { if (e.position === 400) await gate; } }, 2);
    let runner = new ProjectionRunner(events, reads, v2, { rebuildBatchSize: 50, dropDelayMs: 0, onOutdated: (name, version) => outdated.push([name, version]) });
    cleanup = async () => {
      open();
      await runner.stop();
    };
    await runner.start();
    expect(outdated).toEqual([['counters', 2]]);
    await until(async () => ((await runner.status()).rebuild?.position ?? 0) >= 350);
    await append(20);
    await until(async () => (await runner.status()).checkpoint === 620);
    expect(await read()).toEqual(expectedCounters(620).map((c, i) => ({ ...c, count: c.count + (c.count - expectedCounters(600)[i].count) })));
    // Stopped before the switch: the old generation still says version 1, so the next start rebuilds again,
    // resuming the version-2 generation it had begun.
    open();
    await runner.stop();
    expect((await runner.status()).rebuild).toMatchObject({ status: 'canceled', generation: 2 });
    expect(await reads.generations('counters')).toMatchObject({ active: 1, building: 2 });
    expect(await versionOf(1)).toBe(1);
    expect(await versionOf(2)).toBe(2);
    gate = undefined;
    runner = new ProjectionRunner(events, reads, v2, { rebuildBatchSize: 50, dropDelayMs: 0, onOutdated: (name, version) => outdated.push([name, version]) });
    await runner.start();
    expect(outdated).toHaveLength(2);
    expect((await runner.status()).rebuild).toMatchObject({ generation: 2 });
    expect((await runner.status()).rebuild!.from).toBeGreaterThan(0);
    expect(await runner.rebuildFinished()).toMatchObject({ status: 'done', generation: 2, position: 620 });
    expect(await read()).toEqual(doubled(620));
    expect(await versionOf(2)).toBe(2);
    await runner.stop();

    // Once switched, a start of the same version rebuilds nothing.
    runner = new ProjectionRunner(events, reads, v2, { onOutdated: (name, version) => outdated.push([name, version]) });
    await runner.start();
    await append(10);
    await until(async () => (await runner.status()).checkpoint === 630);
    expect(outdated).toHaveLength(2);
    expect((await runner.status()).rebuild).toBeNull();
    expect(await read()).toEqual(doubled(630));
  });

  it('drops, rather than resumes, a rebuild that an older version left unfinished', async () => {
    await append(400);
    let slow = false;
    const v1 = new ProjectionRunner(events, reads, counterProjection({ before: async () => { if (slow) await new Promise((r) => setImmediate(r)); } }), { rebuildBatchSize: 50 });
    await v1.start();
    await until(async () => (await v1.status()).lag === 0);
    slow = true;
    await v1.rebuild();
    await until(async () => ((await v1.status()).rebuild?.position ?? 0) >= 100);
    await v1.stop();
    expect(await reads.generations('counters')).toMatchObject({ active: 1, building: 2 });

    const runner = new ProjectionRunner(events, reads, counterProjection({}, 2), { rebuildBatchSize: 50, dropDelayMs: 0 });
    cleanup = () => runner.stop();
    await runner.start();
    expect(await runner.rebuildFinished()).toMatchObject({ status: 'done', generation: 3, from: 0, position: 400 });
    expect(await reads.generations('counters')).toMatchObject({ active: 3, building: null });
    expect(await read()).toEqual(expectedCounters(400).map((c) => ({ ...c, count: 2 * c.count })));
  });

  it('waits in standby while another runner holds the lease', async () => {
    await append(10);
    const lease = new InProcessLease();
    const holder = new ProjectionRunner(events, reads, counterProjection(), { lease });
    const standby = new ProjectionRunner(events, reads, counterProjection(), { lease, standbyRetryMs: 20 });
    await holder.start();
    await standby.start();
    expect((await standby.status()).status).toBe('standby');
    await holder.stop();
    await until(async () => (await standby.status()).status === 'running');
    await standby.stop();
  });
});
