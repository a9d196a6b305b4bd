import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, CqrsModule, ICommandHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EventStore, SqliteEventStore } from '@trellis/eventstore';
import { DomainError } from '@trellis/domain';
import { CommandEnvelope, CommandPipeline } from '.';
import { CounterCommand, counterDecider } from './testing/counter.decider';

const at = '2026-01-01T00:00:00.000Z';
const command = (data: CounterCommand, extra: Partial<CommandEnvelope<CounterCommand>> = {}): CommandEnvelope<CounterCommand> => ({
  data,
  actor: 'alice',
  occurredAt: at,
  ...extra,
});

describe('CommandPipeline', () => {
  let dir: string;
  let store: SqliteEventStore;
  let pipeline: CommandPipeline;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-pipeline-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    pipeline = new CommandPipeline(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads, decides, appends and returns the folded state', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 2 }));
    const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 3 }));

    expect(outcome.state.value).toBe(5);
    expect(outcome.version).toBe(2);
    expect(outcome.duplicate).toBe(false);
    const stored = await store.readStream('counter-1');
    expect(stored.map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(stored[1].metadata).toMatchObject({ actor: 'alice', occurredAt: at, schemaVersion: 1 });
  });

  it('throws the decider’s error and appends nothing', async () => {
    await expect(
      pipeline.handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'old', to: 'x' })),
    ).rejects.toMatchObject({ code: 'invalid_transition', details: { state: 'new' } });
    expect(await store.headPosition()).toBe(0);
  });

  it('appends nothing new when the same idempotency key is replayed, and returns the original events', async () => {
    const first = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { idempotencyKey: 'k1' }));
    const again = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { idempotencyKey: 'k1' }));
    // A fresh pipeline (another process, empty cache) recognises the key from the stream alone.
    const elsewhere = await new CommandPipeline(store).handle(
      counterDecider,
      'counter-1',
      command({ type: 'increment', by: 1 }, { idempotencyKey: 'k1' }),
    );

    expect(again.duplicate).toBe(true);
    expect(elsewhere.duplicate).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(elsewhere.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('rejects a reused idempotency key with a different request', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { idempotencyKey: 'k1' }));
    await expect(
      pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 5 }, { idempotencyKey: 'k1' })),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('runs concurrent duplicates of one keyed command once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { idempotencyKey: 'same' })),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('reports a stale expectedVersion as version_conflict with expected and actual', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }));
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { expectedVersion: 1 }));
    const error = await pipeline
      .handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { expectedVersion: 1 }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'version_conflict', details: { expected: 1, actual: 2 } });
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('serialises 200 concurrent commands on one stream inside one pipeline: no conflict, no lost update', async () => {
    const appendSpy = jest.spyOn(store, 'append');
    await Promise.all(Array.from({ length: 200 }, () => pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }))));
    expect((await pipeline.load(counterDecider, 'counter-1')).state.value).toBe(200);
    expect(appendSpy).toHaveBeenCalledTimes(200); // one append per command: none had to be retried
  });

  it('loses no update under 50 concurrent commands from separate pipelines (separate caches)', async () => {
    const pipelines = Array.from({ length: 5 }, () => new CommandPipeline(store));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => pipelines[i % 5].handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }))),
    );
    const { state, version } = await new CommandPipeline(store).load(counterDecider, 'counter-1');
    expect(state.value).toBe(50);
    expect(version).toBe(50);
  });

  it('lets exactly one of 20 racing conditional commands win; the rest see the new state', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'new', to: `v${i}` })),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((o) => (o.reason as DomainError).code === 'invalid_transition')).toBe(true);
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('propagates correlation and causation ids into metadata', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { correlationId: 'corr-1', causationId: 'cause-1' }));
    const [event] = await store.readStream('counter-1');
    expect(event.metadata).toMatchObject({ correlationId: 'corr-1', causationId: 'cause-1' });
  });

  it('picks up events appended behind its cache before deciding', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }));
    await new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'increment', by: 10 }));
    const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 100 }));
    expect(outcome.state.value).toBe(111);
    expect(outcome.version).toBe(3);
  });

  it('never rejects on a stale cache: a decision that would refuse is made again on a fresh read', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'new', to: 'a' }));
    // Another process moves the label on; this pipeline's cache still says "a".
    await new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'a', to: 'b' }));

    const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'b', to: 'c' }));
    expect(outcome.state.label).toBe('c');
    await expect(
      pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { expectedVersion: 3 })),
    ).resolves.toMatchObject({ version: 4 });

    await new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }));
    // Its cache says version 4; the stream is at 5: the check is made against the stream.
    await expect(
      pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }, { expectedVersion: 4 })),
    ).rejects.toMatchObject({ code: 'version_conflict', details: { expected: 4, actual: 5 } });
    expect((await store.readStream('counter-1')).map((e) => e.type)).toEqual([
      'CounterRelabeled',
      'CounterRelabeled',
      'CounterRelabeled',
      'CounterIncremented',
      'CounterIncremented',
    ]);
  });

  it('appends on its cached fold without reading the stream when nothing else wrote', async () => {
    await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 1 }));
    const reads = jest.spyOn(store, 'readStream');
    const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 2 }));
    expect(outcome).toMatchObject({ version: 2, state: { value: 3 } });
    expect(reads).not.toHaveBeenCalled();
  });

  describe('a stream the caller says is new', () => {
    it('is appended to without reading it', async () => {
      const reads = jest.spyOn(store, 'readStream');
      const outcome = await pipeline.handle(counterDecider, 'counter-new', command({ type: 'increment', by: 4 }, { newStream: true }));
      expect(reads).not.toHaveBeenCalled();
      expect(outcome).toMatchObject({ version: 1, state: { value: 4 }, duplicate: false });
      reads.mockRestore();
      expect((await store.readStream('counter-new')).map((e) => e.data)).toEqual([{ by: 4 }]);
    });

    it('is read and decided again when it exists after all: nothing is lost or overwritten', async () => {
      await new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'increment', by: 2 }));
      const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'increment', by: 3 }, { newStream: true }));
      expect(outcome).toMatchObject({ version: 2, state: { value: 5 } });
      expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    });

    it('is read before a refusal: a command the empty state refuses is decided on the stored one', async () => {
      await new CommandPipeline(store).handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'new', to: 'a' }));
      const outcome = await pipeline.handle(counterDecider, 'counter-1', command({ type: 'relabel', from: 'a', to: 'b' }, { newStream: true }));
      expect(outcome).toMatchObject({ version: 2, state: { label: 'b' } });
      await expect(
        pipeline.handle(counterDecider, 'counter-2', command({ type: 'relabel', from: 'a', to: 'b' }, { newStream: true })),
      ).rejects.toMatchObject({ code: 'invalid_transition' });
      expect(await store.readStream('counter-2')).toEqual([]);
    });

    it('answers a retry of the command that created it as a duplicate, once', async () => {
      const keyed = command({ type: 'increment', by: 1 }, { idempotencyKey: 'k1', newStream: true });
      const first = await new CommandPipeline(store).handle(counterDecider, 'counter-1', keyed);
      const again = await pipeline.handle(counterDecider, 'counter-1', keyed);
      expect(again).toMatchObject({ duplicate: true, version: 1 });
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect(await store.readStream('counter-1')).toHaveLength(1);
    });
  });
});

class IncrementCounter {
  constructor(readonly counterId: string, readonly by: number) {}
}

@Injectable()
@CommandHandler(IncrementCounter)
class IncrementCounterHandler implements ICommandHandler<IncrementCounter> {
  constructor(private readonly pipeline: CommandPipeline) {}
  execute(cmd: IncrementCounter) {
    return this.pipeline.handle(counterDecider, `counter-${cmd.counterId}`, command({ type: 'increment', by: cmd.by }));
  }
}

describe('CommandPipeline behind the @nestjs/cqrs CommandBus', () => {
  it('dispatches a command to its handler, which appends through the pipeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-bus-'));
    const store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EventStore, useValue: store },
        { provide: CommandPipeline, useFactory: (s: EventStore) => new CommandPipeline(s), inject: [EventStore] },
        IncrementCounterHandler,
      ],
    }).compile();
    await moduleRef.init();
    try {
      const outcome = await moduleRef.get(CommandBus).execute(new IncrementCounter('7', 4));
      expect(outcome).toMatchObject({ streamId: 'counter-7', version: 1, state: { value: 4 } });
      expect((await store.readStream('counter-7')).map((e) => e.type)).toEqual(['CounterIncremented']);
    } finally {
      await moduleRef.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
