/**
 * Read-your-writes for GET /executions/{id}. The view comes from the workflow-executions read
 * model, which follows the log a batch behind (TRELLIS_PROJECTION_INTERVAL_MS), but a client that
 * GETs right after its POST expects to see what it did. So the read first asks the event store for
 * the execution stream's last revision, then waits, a bounded time, until the read model has folded
 * that far (its small summary's `eventCount` past it; the full view is folded from the model's
 * events only once, at the end). Past the bound it answers with the view as it is, or 503 when the
 * read model has not seen the execution at all: a lagging read model slows reads, it does not stop
 * them.
 */
import { DomainError } from '@trellis/domain';
import type { ExecutionDetail } from '@trellis/projections';

/** How long a read waits for the read model beyond one projection interval. */
export const READ_YOUR_WRITES_MS = 2_000;
const POLL_MS = 5;

export interface ExecutionSources {
  /** The revision of the stream's last event, or null when the execution has no stream. */
  lastRevision(id: string): Promise<number | null>;
  /** How many of the execution's events the read model has folded, or null when it has none (yet). */
  folded(id: string): Promise<number | null>;
  /** The read model's view, or null when it has none (yet). */
  view(id: string): Promise<ExecutionDetail | null>;
}

export async function readYourWrites(id: string, sources: ExecutionSources, waitMs: number): Promise<ExecutionDetail> {
  const revision = await sources.lastRevision(id);
  if (revision === null) throw new DomainError('not_found', `no execution ${id}`, { executionId: id });
  const deadline = Date.now() + waitMs;
  for (;;) {
    const folded = await sources.folded(id);
    const past = Date.now() >= deadline;
    if ((folded !== null && folded > revision) || past) {
      const view = await sources.view(id);
      // On a store whose batches are not atomic (MongoDB without a replica set) the summary may be
      // ahead of the events the view is folded from: then wait for those too.
      if (view && (view.eventCount > revision || past)) return view;
      if (!view && past) throw new DomainError('unavailable', `execution ${id} is not in the read model yet`, { executionId: id });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
