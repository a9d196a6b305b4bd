/** The engine's in-memory index of executions: status, parent, idempotent application, the live ones. */
import type { RecordedEvent } from '@trellis/eventstore';
import { ExecutionIndex } from './execution-index';

let position = 0;
const event = (id: string, revision: number, type: string, data: Record<string, unknown> = {}): RecordedEvent => ({
  id: `${id}-${revision}`,
  type,
  streamId: `execution-${id}`,
  revision,
  position: ++position,
  data,
  metadata: { actor: 't', correlationId: 'c', causationId: null, occurredAt: `2024-01-01T00:00:0${revision}.000Z`, schemaVersion: 1, prevHash: '', hash: '' },
});
const started = (id: string, workflow: string, parent?: { executionId: string; runId: string }) =>
  event(id, 0, 'ExecutionStarted', { executionId: id, workflow, version: 1, search: {}, actor: 'ann', ...(parent ? { parent } : {}), depth: parent ? 1 : 0, startedAt: '2024-01-01T00:00:00.000Z', reached: [] });

describe('ExecutionIndex', () => {
  it('follows workflow, version, status and parent, applies each event once, and knows the live executions in start order', () => {
    const index = new ExecutionIndex();
    const events = [
      started('e1', 'shop.order'),
      started('e2', 'shop.order'),
      started('e3', 'ops.patch', { executionId: 'e1', runId: 'e1.ship.1' }),
      event('e1', 1, 'VariablesPublished', { task: 't', activation: 1, vars: {}, search: {} }),
      event('e1', 2, 'ExecutionSucceeded', { output: null }),
      event('e2', 1, 'ExecutionFailing', { error: { code: 'task_failed', message: 'x' } }),
      event('e2', 2, 'ExecutionFailed', { error: { code: 'task_failed', message: 'x' } }),
      event('e2', 3, 'ExecutionRetried', { actor: 'ann', tasks: [], reached: [], reevaluate: [] }),
    ];
    for (const e of [...events, ...events]) index.apply(e);
    expect(index.get('e1')).toEqual({ id: 'e1', workflow: 'shop.order', version: 1, status: 'succeeded', revision: 2 });
    expect(index.get('e2')).toMatchObject({ status: 'running', revision: 3 });
    expect(index.get('e3')).toMatchObject({ workflow: 'ops.patch', status: 'running', parent: { executionId: 'e1', runId: 'e1.ship.1' } });
    // A late, older status event changes nothing.
    index.apply(event('e2', 1, 'ExecutionFailing', { error: { code: 'task_failed', message: 'x' } }));
    expect(index.get('e2')?.status).toBe('running');
    expect(index.live().map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(index.get('nope')).toBeUndefined();
  });
});
