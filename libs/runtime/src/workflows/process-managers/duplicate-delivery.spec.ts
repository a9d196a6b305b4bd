/**
 * At-least-once, idempotent (DESIGN.md, process managers): a runtime driven only by its process
 * managers, fed every event of the log once, and another fed every event twice, produce the same
 * execution streams — through fan-out, a join, a retry timer, with-items, a child workflow and a
 * durable sleep — and a hook event delivered twice starts one execution.
 */
import type { RecordedEvent, Subscription } from '@trellis/eventstore';
import { startRuntime, type RuntimeHarness } from '../testing/runtime-harness';

const meta = { actor: 'test', occurredAt: '2024-01-01T00:00:00.000Z' };
const CHILD = 'ref: dup.child\noutput: "{{ tasks.c1.result }}"\ntasks:\n  c1: {action: ext.work}\n';
const MAIN = `ref: dup.main
output: {kid: "{{ tasks.kid.result }}", items: "{{ tasks.items.result }}"}
tasks:
  begin: {action: core.noop, next: [{do: [a, b]}]}
  a: {action: ext.work, on_success: join}
  b: {action: ext.work, retry: {count: 1, delay: 20ms}, on_success: join}
  join: {action: core.echo, join: all, input: {a: "{{ tasks.a.result }}", b: "{{ tasks.b.result }}"}, on_success: items}
  items: {action: ext.item, with: {items: "{{ [1, 2, 3] }}", concurrency: 2}, input: {n: "{{ item() }}"}, on_success: kid}
  kid: {action: dup.child, on_success: nap}
  nap: {action: core.sleep, input: {duration: 20ms}}
`;

// Times differ between runs; everything else must not.
const TIMED = new Set(['dueAt', 'startedAt']);
const normalise = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMED.has(k)).map(([k, v]) => [k, normalise(v)]));
  return value;
};

async function settle(h: RuntimeHarness, pump: Subscription): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    quiet = pump.position >= (await h.store.headPosition()) ? quiet + 1 : 0;
  }
}

async function run(deliveries: number): Promise<{ streams: Array<[string, string, unknown]>; hookStarts: number; status: string }> {
  const h = await startRuntime({ reactionMode: 'driven' });
  try {
    await h.runtime.registry.register('dup.child', CHILD, meta);
    await h.runtime.registry.register('dup.main', MAIN, meta);
    const pump = h.store.subscribe(async (event: RecordedEvent) => {
      for (let i = 0; i < deliveries; i++) await h.runtime.processManagers.handle(event);
    });
    await h.runtime.engine.start({ workflow: 'dup.main', executionId: 'dup-1', actor: 'test' });
    for (let step = 0; step < 50; step++) {
      await settle(h, pump);
      if (['succeeded', 'failed', 'canceled'].includes(h.runtime.index.get('dup-1')?.status ?? '')) break;
      const claimed = await h.runtime.workers.claim({ worker: 'w', actions: ['ext.work', 'ext.item'], max: 100, waitMs: 500, actor: 'w' });
      claimed.sort((x, y) => x.runId.localeCompare(y.runId));
      for (const run of claimed) {
        if (run.runId === 'dup-1.b.1' && run.attempt === 1) await h.runtime.workers.fail(run.runId, 1, 'flaky', 'w');
        else await h.runtime.workers.complete(run.runId, run.fencingToken, `${run.task}${run.item ?? ''}@${run.attempt}`, 'w');
      }
    }
    await h.store.append('issue-x', [{ type: 'IssueHookTriggered', data: { hook: 0, ref: 'dup.child', input: {}, state: 'InReview', entry: 3 } }]);
    await settle(h, pump);
    await pump.stop();
    const { events } = await h.store.readAll({ streamPrefix: 'execution-' });
    const hookStarts = new Set(events.filter((e) => e.type === 'ExecutionStarted' && !(e.data as { parent?: unknown }).parent && e.streamId !== 'execution-dup-1').map((e) => e.streamId)).size;
    const streams = events
      .filter((e) => !e.streamId.startsWith('execution-') || e.streamId.includes('dup-1'))
      .map((e) => [e.streamId, e.type, normalise(e.data)] as [string, string, unknown])
      .sort((x, y) => x[0].localeCompare(y[0]));
    return { streams, hookStarts, status: h.runtime.index.get('dup-1')?.status ?? 'unknown' };
  } finally {
    await h.close();
  }
}

describe('duplicate delivery to the process managers', () => {
  it('produces the same execution streams when every event is delivered twice', async () => {
    const once = await run(1);
    const twice = await run(2);
    expect(once.status).toBe('succeeded');
    expect(twice.status).toBe('succeeded');
    expect(once.streams.length).toBeGreaterThan(40);
    // Per stream, in stream order (streams interleave differently in the global log).
    expect(twice.streams).toEqual(once.streams);
    expect(once.hookStarts).toBe(1);
    expect(twice.hookStarts).toBe(1);
    const types = new Set(once.streams.map(([, type]) => type));
    for (const type of ['TimerFired', 'TaskItemsListed', 'ChildExecutionRequested', 'TransitionsEvaluated', 'ExecutionSucceeded']) expect(types).toContain(type);
  }, 30_000);
});
