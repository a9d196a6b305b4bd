/**
 * Every execution's workflow, version, status and parent, in memory, for the engine: which decider
 * an execution needs, which executions to resume at startup, whether a child has ended. It is
 * rebuilt at startup from the execution streams' status events and kept current from the events
 * the engine appends (and from a live subscription, for writers that are not the engine).
 * Applying an event twice changes nothing (revisions only move forward). Listings and views are
 * the workflow-executions read model's (projections/workflow-executions).
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { ExecutionEvent, ExecutionStatus, ParentLink } from '@trellis/workflow';

export const EXECUTION_STREAM_PREFIX = 'execution-';
export const executionStreamId = (executionId: string) => `${EXECUTION_STREAM_PREFIX}${executionId}`;
export const executionIdOf = (streamId: string) => streamId.slice(EXECUTION_STREAM_PREFIX.length);

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

/** The event types that change what the index holds. */
export const INDEXED_EVENT_TYPES = Object.keys(STATUS_BY_EVENT);

export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'canceled'];

export interface IndexedExecution {
  id: string;
  workflow: string;
  version: number;
  status: ExecutionStatus;
  parent?: ParentLink;
  /** The last revision applied. */
  revision: number;
}

export class ExecutionIndex {
  /** In start order (the engine resumes live executions oldest first). */
  private readonly byId = new Map<string, IndexedExecution>();

  get(id: string): IndexedExecution | undefined {
    return this.byId.get(id);
  }

  apply(event: RecordedEvent): void {
    if (!event.streamId.startsWith(EXECUTION_STREAM_PREFIX)) return;
    const id = executionIdOf(event.streamId);
    const entry = this.byId.get(id);
    const typed = { type: event.type, data: event.data } as ExecutionEvent;
    if (typed.type === 'ExecutionStarted') {
      if (entry) return;
      const { workflow, version, parent } = typed.data;
      this.byId.set(id, { id, workflow, version, status: 'running', ...(parent ? { parent } : {}), revision: event.revision });
      return;
    }
    if (!entry || event.revision <= entry.revision) return;
    entry.revision = event.revision;
    entry.status = STATUS_BY_EVENT[typed.type] ?? entry.status;
  }

  /** Executions that have not ended (the engine resumes them at startup). */
  live(): IndexedExecution[] {
    return [...this.byId.values()].filter((e) => !TERMINAL_STATUSES.includes(e.status));
  }
}
