/**
 * Workflow executions: one summary per execution (see execution-view.ts), one document per
 * execution event (from which a query folds an execution's runs and activations), and the search
 * keys. Each event reads and rewrites only the small summary; its event document is written blind.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { ExecutionEventType } from '@trellis/workflow';
import { deleteOp, upsertOp, type WriteOp } from '@trellis/readstore';
import type { Projection } from '@trellis/runtime/projections';
import { occurredAt } from '../common/events';
import { withoutStoreFields } from '../common/queries';
import { executionEventId, executionEvents, executions, searchKey, searchKeys, WORKFLOW_EXECUTIONS, type ExecutionSummaryDoc } from './collections';
import { foldExecutionSummary, startExecutionSummary } from './execution-view';

export const EXECUTION_STREAM_PREFIX = 'execution-';

// Every execution event type, checked against the union by the compiler (a new type must be
// added here), so that rebuilds read only these from the log.
const EXECUTION_EVENT_TYPES: Record<ExecutionEventType, true> = {
  ExecutionStarted: true,
  TaskItemsListed: true,
  TaskRunScheduled: true,
  TaskRunStarted: true,
  TaskRunSucceeded: true,
  TaskRunFailed: true,
  TaskRunTimedOut: true,
  TaskRunCanceled: true,
  TransitionsEvaluated: true,
  VariablesPublished: true,
  TimerScheduled: true,
  TimerFired: true,
  InquiryRequested: true,
  InquiryAnswered: true,
  ChildExecutionRequested: true,
  ChildExecutionRetryRequested: true,
  ChildExecutionCancelRequested: true,
  ExecutionPausing: true,
  ExecutionPaused: true,
  ExecutionResumed: true,
  ExecutionCanceling: true,
  ExecutionCanceled: true,
  ExecutionFailing: true,
  ExecutionFailed: true,
  ExecutionSucceeded: true,
  ExecutionRetried: true,
  ExecutionLimitWarning: true,
};

export function workflowExecutionsProjection(): Projection {
  const idOf = (event: RecordedEvent) => event.streamId.slice(EXECUTION_STREAM_PREFIX.length);
  return {
    name: WORKFLOW_EXECUTIONS,
    // 2: a summary per execution and one document per event (1 kept the whole view per execution).
    version: 2,
    collections: [executions, executionEvents, searchKeys],
    eventTypes: Object.keys(EXECUTION_EVENT_TYPES),
    keys: (event) => (isExecutionEvent(event) && event.type !== 'ExecutionStarted' ? [{ collection: executions, id: idOf(event) }] : []),
    async apply(event, ctx) {
      if (!isExecutionEvent(event)) return [];
      if (event.type === 'ExecutionStarted') {
        const summary = startExecutionSummary(event);
        return [upsertOp(executions, summary), eventWrite(summary.id, event), ...searchWrites(summary.id, summary.startedAt, {}, summary.search)];
      }
      // Events before the start (none in a well-formed stream) are left out, of the events too.
      const current = await ctx.get(executions, idOf(event));
      if (!current) return [];
      const next = foldExecutionSummary(withoutStoreFields(current), event);
      return [upsertOp(executions, next), eventWrite(next.id, event), ...searchWrites(next.id, next.startedAt, current.search, next.search)];
    },
  };
}

const eventWrite = (executionId: string, event: RecordedEvent): WriteOp =>
  upsertOp(executionEvents, {
    id: executionEventId(executionId, event.revision),
    executionId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    at: occurredAt(event),
  });

const isExecutionEvent = (event: RecordedEvent) => event.streamId.startsWith(EXECUTION_STREAM_PREFIX);

function searchWrites(executionId: string, startedAt: string, before: ExecutionSummaryDoc['search'], after: ExecutionSummaryDoc['search']): WriteOp[] {
  const writes: WriteOp[] = [];
  for (const [field, value] of Object.entries(after)) {
    const key = searchKey(field, value);
    if (field in before && searchKey(field, before[field]) === key) continue;
    writes.push(upsertOp(searchKeys, { id: `${executionId}/${field}`, executionId, key, startedAt }));
  }
  for (const field of Object.keys(before)) {
    if (!(field in after)) writes.push(deleteOp(searchKeys, `${executionId}/${field}`));
  }
  return writes;
}
