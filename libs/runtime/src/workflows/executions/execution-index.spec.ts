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
const started = (id: string, workflow: string, search: Record<string, unknown>) =>
  event(id, 0, 'ExecutionStarted', { executionId: id, workflow, version: 1, search, actor: 'ann', depth: 0, startedAt: '2024-01-01T00:00:00.000Z', reached: [] });

describe('ExecutionIndex', () => {
  it('follows status and search values, applies each event once, and lists by filters in start order with a cursor', () => {
    const index = new ExecutionIndex();
    const events = [
      started('e1', 'shop.order', { customer: 'acme', total: 12 }),
      started('e2', 'shop.order', { customer: 'globex' }),
      started('e3', 'ops.patch', {}),
      event('e1', 1, 'VariablesPublished', { task: 't', activation: 1, vars: {}, search: { customer: 'acme', total: 13 } }),
      event('e1', 2, 'ExecutionSucceeded', { output: null }),
      event('e2', 1, 'ExecutionFailing', { error: { code: 'task_failed', message: 'x' } }),
    ];
    for (const e of [...events, ...events]) index.apply(e);
    expect(index.get('e1')).toMatchObject({ status: 'succeeded', search: { customer: 'acme', total: 13 }, endedAt: '2024-01-01T00:00:02.000Z' });
    expect(index.get('e2')).toMatchObject({ status: 'failing', error: { code: 'task_failed' } });
    expect(index.list({ workflow: 'shop.order' }).items.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(index.list({ search: { total: '13' } }).items.map((e) => e.id)).toEqual(['e1']);
    expect(index.list({ status: 'running' }).items.map((e) => e.id)).toEqual(['e3']);
    const first = index.list({ limit: 2 });
    expect([first.items.map((e) => e.id), first.next]).toEqual([['e1', 'e2'], expect.any(String)]);
    expect(index.list({ limit: 2, after: first.next! })).toEqual({ items: [expect.objectContaining({ id: 'e3' })], next: null });
    expect(index.live().map((e) => e.id)).toEqual(['e2', 'e3']);
  });
});
