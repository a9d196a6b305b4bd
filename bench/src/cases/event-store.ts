/** EventStore.append and the command pipeline on the embedded default, against the raw limit. */
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { CommandPipeline } from '@trellis/runtime';
import { counterDecider } from '@trellis/runtime/command-handling/testing/counter.decider';
import { round, runClosedLoop, throughput } from '../measure';
import type { Reporter } from '../report';

const event = (i: number) => ({ type: 'BenchEventRecorded', data: { title: 'Benchmark issue', points: 3, n: i } });

export async function eventStoreCases(reporter: Reporter, dir: string, rawSingle: number, sizes: { single: number; batched: number; commands: number }) {
  const ratio = (perSecond: number) => ({ ratio: round(perSecond / rawSingle), ratioTo: 'raw single-row' });

  await reporter.run('EventStore.append: 1 event per call, 1 caller', sizes.single, async (progress) => {
    const store = SqliteEventStore.open({ file: join(dir, 'append-single.db') });
    const startedAt = performance.now();
    for (let i = 0; i < sizes.single; i++) {
      await store.append(`bench-${i}`, [event(i)], { expectedRevision: 'no_stream' });
      if (i % 100 === 0) progress(i);
    }
    const result = throughput(sizes.single, startedAt);
    await store.close();
    return { group: 'event store', throughput: result, ...ratio(result.perSecond) };
  });

  await reporter.run('EventStore.append: batches of 100 events', sizes.batched, async (progress) => {
    const store = SqliteEventStore.open({ file: join(dir, 'append-batched.db') });
    const startedAt = performance.now();
    for (let i = 0; i < sizes.batched; i += 100) {
      await store.append(`bench-${i}`, Array.from({ length: 100 }, (_, j) => event(i + j)), { expectedRevision: 'no_stream' });
      if (i % 1000 === 0) progress(i);
    }
    const result = throughput(sizes.batched, startedAt);
    await store.close();
    return { group: 'event store', throughput: result, ...ratio(result.perSecond) };
  });

  for (const [callers, target] of [
    [1, '≥ 0.5'],
    [16, '≥ 2'],
  ] as const) {
    await reporter.run(`command pipeline: 1,000 streams, ${callers} caller${callers > 1 ? 's' : ''}`, sizes.commands, async (progress) => {
      const store = SqliteEventStore.open({ file: join(dir, `pipeline-${callers}.db`) });
      const pipeline = new CommandPipeline(store);
      const run = await runClosedLoop(
        sizes.commands,
        callers,
        (i) =>
          pipeline.handle(counterDecider, `counter-${i % 1000}`, {
            data: { type: 'increment', by: 1 },
            actor: 'bench',
            occurredAt: new Date().toISOString(),
          }),
        progress,
      );
      await store.close();
      return { group: 'command pipeline', ...run, ...ratio(run.throughput.perSecond), target };
    });
  }
}
