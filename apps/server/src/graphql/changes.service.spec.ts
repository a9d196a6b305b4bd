import { SPRINT_BOARD } from '@trellis/projections';
import type { ProjectionChange, ProjectionEngine } from '@trellis/runtime/projections';
import { ReadModelChanges } from './changes.service';

/** The part of the engine ReadModelChanges uses: its change listeners, counted. */
function fakeEngine() {
  const listeners = new Set<(change: ProjectionChange) => void>();
  const engine = {
    onChange(listener: (change: ProjectionChange) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { engine: engine as unknown as ProjectionEngine, listeners, emit: (change: ProjectionChange) => listeners.forEach((l) => l(change)) };
}

const boardChange = (projectId: string, position: number): ProjectionChange => ({
  projection: SPRINT_BOARD,
  generation: 1,
  position,
  changes: [{ collection: 'cards', id: `issue-${position}`, document: { projectId } } as never],
});

describe('ReadModelChanges', () => {
  it('listens to the engine only while a subscription is open', async () => {
    const { engine, listeners, emit } = fakeEngine();
    const changes = new ReadModelChanges(engine);
    expect(listeners.size).toBe(0);

    const first = changes.boards('p1');
    const second = changes.executions('e1');
    expect(listeners.size).toBe(1);

    emit(boardChange('p1', 7));
    await expect(first.next()).resolves.toEqual({ done: false, value: { projectId: 'p1', position: 7, issueIds: ['issue-7'], sprintIds: [] } });

    await first.return!();
    expect(listeners.size).toBe(1);
    await second.return!();
    expect(listeners.size).toBe(0);

    // A later subscription listens again and gets what is committed from then on.
    const third = changes.boards('p1');
    expect(listeners.size).toBe(1);
    emit(boardChange('p1', 9));
    await expect(third.next()).resolves.toMatchObject({ value: { position: 9 } });
    changes.onApplicationShutdown();
    expect(listeners.size).toBe(0);
  });
});
