/**
 * Every execution's summary — workflow, version, status, search values, parent — in memory, for
 * GET /executions and for the engine to find an execution's workflow version. It is rebuilt at
 * startup from the execution streams' status events and kept current from the events the engine
 * appends (and from a live subscription, for writers that are not the engine). Applying an event
 * twice changes nothing (revisions only move forward). A projection-backed list replaces the
 * listing with issue 4; the engine keeps using this.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { ExecutionError, ExecutionEvent, ExecutionStatus, ParentLink } from '@trellis/workflow';

export const EXECUTION_STREAM_PREFIX = 'execution-';
export const executionStreamId = (executionId: string) => `${EXECUTION_STREAM_PREFIX}${executionId}`;
export const executionIdOf = (streamId: string) => streamId.slice(EXECUTION_STREAM_PREFIX.length);

/** The event types that change what the index holds. */
export const INDEXED_EVENT_TYPES = [
  'ExecutionStarted',
  'VariablesPublished',
  'ExecutionPausing',
  'ExecutionPaused',
  'ExecutionResumed',
  'ExecutionCanceling',
  'ExecutionCanceled',
  'ExecutionFailing',
  'ExecutionFailed',
  'ExecutionSucceeded',
  'ExecutionRetried',
] as const;

const STATUS_BY_EVENT: Partial<Record<string, ExecutionStatus>> = {
  ExecutionStarted: 'running',
  ExecutionPausing: 'pausing',
  ExecutionPaused: 'paused',
  ExecutionResumed: 'running',
  ExecutionCanceling: 'canceling',
  ExecutionCanceled: 'canceled',
  ExecutionFailing: 'failing',
  ExecutionFailed: 'failed',
  ExecutionSucceeded: 'succeeded',
  ExecutionRetried: 'running',
};

export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'canceled'];

export interface ExecutionSummary {
  id: string;
  workflow: string;
  version: number;
  status: ExecutionStatus;
  search: Record<string, unknown>;
  actor: string;
  parent?: ParentLink;
  depth: number;
  startedAt: string;
  endedAt?: string;
  updatedAt: string;
  error?: ExecutionError;
  /** Global position of ExecutionStarted: the listing's order and cursor. */
  position: number;
  /** The last revision applied. */
  revision: number;
}

export interface ExecutionFilter {
  workflow?: string;
  status?: string;
  /** `search:` field → value, compared as text. */
  search?: Record<string, string>;
  /** Cursor: list executions started after this one. */
  after?: string;
  limit?: number;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

export class ExecutionIndex {
  private readonly byId = new Map<string, ExecutionSummary>();
  /** In start order (positions only grow), for paging. */
  private readonly ordered: ExecutionSummary[] = [];
  private sorted = true;

  get(id: string): ExecutionSummary | undefined {
    return this.byId.get(id);
  }

  apply(event: RecordedEvent): void {
    if (!event.streamId.startsWith(EXECUTION_STREAM_PREFIX)) return;
    const id = executionIdOf(event.streamId);
    const entry = this.byId.get(id);
    const occurredAt = event.metadata.occurredAt;
    const typed = { type: event.type, data: event.data } as ExecutionEvent;
    if (typed.type === 'ExecutionStarted') {
      if (entry) return;
      const { workflow, version, search, actor, parent, depth, startedAt } = typed.data;
      const summary: ExecutionSummary = {
        id,
        workflow,
        version,
        status: 'running',
        search,
        actor,
        ...(parent ? { parent } : {}),
        depth,
        startedAt,
        updatedAt: occurredAt,
        position: event.position,
        revision: event.revision,
      };
      this.byId.set(id, summary);
      if (this.ordered.length && this.ordered[this.ordered.length - 1].position > event.position) this.sorted = false;
      this.ordered.push(summary);
      return;
    }
    if (!entry || event.revision <= entry.revision) return;
    entry.revision = event.revision;
    entry.updatedAt = occurredAt;
    if (typed.type === 'VariablesPublished' && typed.data.search) entry.search = typed.data.search;
    const status = STATUS_BY_EVENT[typed.type];
    if (!status) return;
    entry.status = status;
    if (typed.type === 'ExecutionFailing' || typed.type === 'ExecutionFailed') entry.error = typed.data.error;
    if (typed.type === 'ExecutionRetried') entry.error = undefined;
    if (TERMINAL_STATUSES.includes(status)) entry.endedAt = occurredAt;
    else delete entry.endedAt;
  }

  /** Executions that have not ended (the engine resumes them at startup). */
  live(): ExecutionSummary[] {
    return this.ordered.filter((e) => !TERMINAL_STATUSES.includes(e.status));
  }

  list(filter: ExecutionFilter = {}): { items: ExecutionSummary[]; next: string | null } {
    if (!this.sorted) {
      this.ordered.sort((a, b) => a.position - b.position);
      this.sorted = true;
    }
    const limit = Math.min(Math.max(1, filter.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
    const after = filter.after === undefined ? 0 : Number(filter.after);
    const search = Object.entries(filter.search ?? {});
    const items: ExecutionSummary[] = [];
    let more = false;
    for (const entry of this.ordered) {
      if (entry.position <= after) continue;
      if (filter.workflow !== undefined && entry.workflow !== filter.workflow) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (search.some(([name, value]) => !matches(entry.search[name], value))) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(entry);
    }
    return { items, next: more ? String(items[items.length - 1].position) : null };
  }
}

function matches(indexed: unknown, wanted: string): boolean {
  if (indexed === undefined || indexed === null) return false;
  return typeof indexed === 'object' ? JSON.stringify(indexed) === wanted : String(indexed) === wanted;
}
