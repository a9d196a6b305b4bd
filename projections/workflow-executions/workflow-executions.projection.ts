/** Workflow executions: one view per execution (see execution-view.ts) and its search keys. */
import type { RecordedEvent } from '@trellis/eventstore';
import type { ExecutionEventType } from '@trellis/workflow';
import { deleteOp, upsertOp, type WriteOp } from '@trellis/readstore';
import type { Projection } from '@trellis/runtime/projections';
import { executions, searchKey, searchKeys, WORKFLOW_EXECUTIONS, type ExecutionDoc } from './collections';
import { foldExecutionView, startExecutionView } from './execution-view';

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
    collections: [executions, searchKeys],
    eventTypes: Object.keys(EXECUTION_EVENT_TYPES),
    keys: (event) => (isExecutionEvent(event) && event.type !== 'ExecutionStarted' ? [{ collection: executions, id: idOf(event) }] : []),
    async apply(event, ctx) {
      if (!isExecutionEvent(event)) return [];
      if (event.type === 'ExecutionStarted') {
        const view = startExecutionView(event);
        return [upsertOp(executions, view), ...searchWrites(view.id, view.startedAt, {}, view.search)];
      }
      const current = await ctx.get(executions, idOf(event));
      if (!current) return [];
      const next = foldExecutionView(current, event);
      return [upsertOp(executions, next), ...searchWrites(next.id, next.startedAt, current.search, next.search)];
    },
  };
}

const isExecutionEvent = (event: RecordedEvent) => event.streamId.startsWith(EXECUTION_STREAM_PREFIX);

function searchWrites(executionId: string, startedAt: string, before: ExecutionDoc['search'], after: ExecutionDoc['search']): WriteOp[] {
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
