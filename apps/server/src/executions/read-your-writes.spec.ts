/** readYourWrites against a scripted stream head and read model: when it answers at once, waits, 404s, or gives up. */
import type { ExecutionDetail } from '@trellis/projections';
import { readYourWrites, type ExecutionSources } from './read-your-writes';

const view = (eventCount: number) => ({ id: 'e1', status: 'running', eventCount }) as ExecutionDetail;

/**
 * A stream whose last revision is `revision`, and a read model whose summary answers `views` in
 * turn (then the last one); the full view is the one the summary last answered.
 */
function sources(revision: number | null, views: Array<ExecutionDetail | null>): ExecutionSources & { reads: number; views: number } {
  const s = {
    reads: 0,
    views: 0,
    lastRevision: async () => revision,
    folded: async () => views[Math.min(s.reads++, views.length - 1)]?.eventCount ?? null,
    view: async () => {
      s.views++;
      return views[Math.min(Math.max(s.reads - 1, 0), views.length - 1)];
    },
  };
  return s;
}

describe('readYourWrites', () => {
  it('answers at once when the view has folded the stream up to its last event', async () => {
    const s = sources(2, [view(3)]);
    await expect(readYourWrites('e1', s, 1000)).resolves.toMatchObject({ eventCount: 3 });
    expect(s.reads).toBe(1);
    expect(s.views).toBe(1);
  });

  it('waits for the read model to catch up with the stream, also when it has not seen the execution yet', async () => {
    const s = sources(4, [null, view(1), view(3), view(5)]);
    await expect(readYourWrites('e1', s, 1000)).resolves.toMatchObject({ eventCount: 5 });
    expect(s.reads).toBe(4);
    // The full view is folded once, when the summary shows the stream's last event.
    expect(s.views).toBe(1);
  });

  it('waits for the view too when the summary is ahead of the events it is folded from (non-atomic stores)', async () => {
    const folds = [view(2), view(5)];
    let views = 0;
    const s: ExecutionSources = { lastRevision: async () => 4, folded: async () => 5, view: async () => folds[Math.min(views++, folds.length - 1)] };
    await expect(readYourWrites('e1', s, 1000)).resolves.toMatchObject({ eventCount: 5 });
    expect(views).toBe(2);
  });

  it('is 404 without asking the read model when the execution has no stream', async () => {
    const s = sources(null, [view(1)]);
    await expect(readYourWrites('nope', s, 1000)).rejects.toMatchObject({ code: 'not_found', details: { executionId: 'nope' } });
    expect(s.reads).toBe(0);
    expect(s.views).toBe(0);
  });

  it('past the bound answers with the view as it is, or 503 when the read model has none', async () => {
    const started = Date.now();
    await expect(readYourWrites('e1', sources(9, [view(2)]), 40)).resolves.toMatchObject({ eventCount: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    await expect(readYourWrites('e1', sources(0, [null]), 20)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
