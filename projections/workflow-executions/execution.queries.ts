/** GET /executions[/{id}] and GraphQL `execution`, `executions`: read from the workflow-executions model only. */
import { DomainError } from '@trellis/domain';
import type { ReadStore, Stored, Where } from '@trellis/readstore';
import { clientQuery, definedOnly, pageLimit, withoutStoreFields, type Page, type PageRequest } from '../common/queries';
import { executions, searchKey, searchKeys, type ExecutionDoc, type RunView } from './collections';

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

/** The document as queries serve it: the engine's fold stays inside the projection. */
export type ExecutionDetail = Omit<ExecutionDoc, 'fold'> & { tasks: TaskRuns[] };

export type ExecutionSummary = Pick<
  ExecutionDoc,
  'id' | 'workflow' | 'version' | 'status' | 'actor' | 'parentExecutionId' | 'parent' | 'search' | 'error' | 'startedAt' | 'endedAt' | 'updatedAt'
>;

/** By `startedAt`: newest first (GraphQL), or oldest first, in start order (REST). */
export type ExecutionOrder = 'newest' | 'oldest';

export class ExecutionQueries {
  constructor(private readonly store: ReadStore) {}

  async get(id: string): Promise<ExecutionDetail> {
    const doc = await this.store.get(executions, id);
    if (!doc) throw new DomainError('not_found', `no execution ${id}`, { executionId: id });
    return detail(doc);
  }

  /**
   * With search fields the first one is looked up by index and the other filters are applied to
   * that page, so such a page may hold fewer than `limit` items: follow nextCursor. A cursor
   * belongs to its order (another order's is a 400).
   */
  list(filter: ExecutionFilter = {}, page: PageRequest = {}, order: ExecutionOrder = 'newest'): Promise<Page<ExecutionSummary>> {
    const limit = pageLimit(page.limit);
    const after = page.after ?? null;
    const where: Where<ExecutionDoc> = definedOnly({ workflow: filter.workflow, status: filter.status });
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
        .filter((doc): doc is Stored<ExecutionDoc> => doc !== undefined && others.every(([f, v]) => f in doc.search && searchKey(f, doc.search[f]) === searchKey(f, v)))
        .map(summary);
      return { items, nextCursor: keys.nextCursor };
    });
  }
}

function detail(doc: Stored<ExecutionDoc>): ExecutionDetail {
  const { fold: _fold, ...view } = withoutStoreFields(doc);
  const tasks = new Map<string, TaskRuns>();
  for (const run of view.runs) {
    let task = tasks.get(run.task);
    if (!task) tasks.set(run.task, (task = { task: run.task, status: run.status, runs: [] }));
    task.runs.push(run);
    task.status = run.status;
  }
  return { ...view, tasks: [...tasks.values()] };
}

function summary(doc: Stored<ExecutionDoc>): ExecutionSummary {
  const { id, workflow, version, status, actor, parentExecutionId, parent, search, error, startedAt, endedAt, updatedAt } = doc;
  return { id, workflow, version, status, actor, parentExecutionId, parent, search, error, startedAt, endedAt, updatedAt };
}
