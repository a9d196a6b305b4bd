/**
 * GET /executions[/{id}] and GraphQL `execution`, `executions`: read from the workflow-executions
 * model only. Listings read the stored summaries; one execution's view is folded from its stored
 * events (execution-view.ts), so that the projection need not keep the whole view up to date.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { DomainError } from '@trellis/domain';
import { MAX_LIMIT, type ReadStore, type Stored, type Where } from '@trellis/readstore';
import { clientQuery, definedOnly, pageLimit, withoutStoreFields, type Page, type PageRequest } from '../common/queries';
import { executionEvents, executions, searchKey, searchKeys, type ExecutionDoc, type ExecutionEventDoc, type ExecutionSummaryDoc, type RunView } from './collections';
import { foldExecutionView, startExecutionView } from './execution-view';

export interface ExecutionFilter {
  workflow?: string;
  status?: string;
  /** Search fields of the workflow (WORKFLOWS.md, `search:`) and the values asked for. */
  search?: Record<string, string>;
}

export interface TaskRuns {
  task: string;
  /** The status of the task's latest run. */
  status: string;
  runs: RunView[];
}

/** The view as queries serve it: the engine's fold (`fold`) is never served. */
export type ExecutionDetail = Omit<ExecutionDoc, 'fold'> & { tasks: TaskRuns[] };

export type ExecutionSummary = Pick<
  ExecutionSummaryDoc,
  'id' | 'workflow' | 'version' | 'status' | 'actor' | 'parentExecutionId' | 'parent' | 'search' | 'error' | 'startedAt' | 'endedAt' | 'updatedAt'
>;

/** By `startedAt`: newest first (GraphQL), or oldest first, in start order (REST). */
export type ExecutionOrder = 'newest' | 'oldest';

export class ExecutionQueries {
  constructor(private readonly store: ReadStore) {}

  /**
   * The execution's view, folded from its events as the model holds them now: `eventCount` is how
   * many it had (read-your-writes waits on it).
   */
  async get(id: string): Promise<ExecutionDetail> {
    const [summary, events] = await Promise.all([this.store.get(executions, id), this.eventsOf(id)]);
    if (summary && events.length > 0 && events[0].type === 'ExecutionStarted') return detail(fold(events));
    // A model written by version 1 of the projection, which kept the whole view in the execution's
    // document, until the rebuild that replaces it at start switches: served as stored (its runs
    // and activations as they were before the upgrade, its summary fields current).
    if (summary && isWholeView(summary)) return detail(withoutStoreFields(summary) as ExecutionDoc);
    throw new DomainError('not_found', `no execution ${id}`, { executionId: id });
  }

  /** How many of the execution's events the model has folded (its summary's eventCount), or null without one. */
  async folded(id: string): Promise<number | null> {
    return (await this.store.get(executions, id))?.eventCount ?? null;
  }

  /**
   * With search fields the first one is looked up by index and the other filters are applied to
   * that page, so such a page may hold fewer than `limit` items: follow nextCursor. A cursor
   * belongs to its order (another order's is a 400).
   */
  list(filter: ExecutionFilter = {}, page: PageRequest = {}, order: ExecutionOrder = 'newest'): Promise<Page<ExecutionSummary>> {
    const limit = pageLimit(page.limit);
    const after = page.after ?? null;
    const where: Where<ExecutionSummaryDoc> = definedOnly({ workflow: filter.workflow, status: filter.status });
    const search = Object.entries(filter.search ?? {});
    const sort = { field: 'startedAt', direction: order === 'newest' ? 'desc' : 'asc' } as const;
    return clientQuery(async () => {
      if (search.length === 0) {
        const found = await this.store.find(executions, { where, sort, limit, after });
        return { items: found.items.map(summary), nextCursor: found.nextCursor };
      }
      const [[field, value], ...others] = search;
      const keys = await this.store.find(searchKeys, { where: { key: searchKey(field, value) }, sort, limit, after });
      const ids = keys.items.map((k) => k.executionId);
      const found = ids.length === 0 ? [] : (await this.store.find(executions, { where: { ...where, id: { in: ids } }, limit })).items;
      const byId = new Map(found.map((doc) => [doc.id, doc]));
      const items = ids
        .map((id) => byId.get(id))
        .filter((doc): doc is Stored<ExecutionSummaryDoc> => doc !== undefined && others.every(([f, v]) => f in doc.search && searchKey(f, doc.search[f]) === searchKey(f, v)))
        .map(summary);
      return { items, nextCursor: keys.nextCursor };
    });
  }

  /** The execution's event documents in stream order (their ids sort so), a page of 1,000 at a time. */
  private async eventsOf(executionId: string): Promise<ExecutionEventDoc[]> {
    const events: ExecutionEventDoc[] = [];
    let after: string | null = null;
    do {
      const page: { items: ExecutionEventDoc[]; nextCursor: string | null } = await this.store.find(executionEvents, {
        where: { executionId },
        sort: { field: 'id', direction: 'asc' },
        limit: MAX_LIMIT,
        after,
      });
      events.push(...page.items);
      after = page.nextCursor;
    } while (after);
    return events;
  }
}

function isWholeView(summary: ExecutionSummaryDoc): boolean {
  const stored = summary as Partial<ExecutionDoc>;
  return Array.isArray(stored.runs) && Array.isArray(stored.activations) && stored.waiting !== undefined;
}

/** The view after every event, from the start (the first). */
function fold(events: readonly ExecutionEventDoc[]): ExecutionDoc {
  let view = startExecutionView(recorded(events[0]));
  for (let i = 1; i < events.length; i++) view = foldExecutionView(view, recorded(events[i]));
  return view;
}

/** The event as the folds read it: only its type, data and occurredAt are stored (the rest is not read). */
function recorded(event: ExecutionEventDoc): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: `execution-${event.executionId}`,
    revision: event.revision,
    position: 0,
    data: event.data,
    metadata: { occurredAt: event.at },
  } as RecordedEvent;
}

function detail(doc: ExecutionDoc): ExecutionDetail {
  const { fold: _fold, ...view } = doc;
  const tasks = new Map<string, TaskRuns>();
  for (const run of view.runs) {
    let task = tasks.get(run.task);
    if (!task) tasks.set(run.task, (task = { task: run.task, status: run.status, runs: [] }));
    task.runs.push(run);
    task.status = run.status;
  }
  return { ...view, tasks: [...tasks.values()] };
}

function summary(doc: Stored<ExecutionSummaryDoc>): ExecutionSummary {
  const { id, workflow, version, status, actor, parentExecutionId, parent, search, error, startedAt, endedAt, updatedAt } = doc;
  return { id, workflow, version, status, actor, parentExecutionId, parent, search, error, startedAt, endedAt, updatedAt };
}
