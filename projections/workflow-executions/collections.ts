/** The workflow executions read model: one summary per execution, its events, and its search values as keys. */
import { defineCollection, type ReadDocument } from '@trellis/readstore';
import type { ExecutionError, ParentLink, TaskError } from '@trellis/workflow';
import type { ActivationFields } from './activation-view';

export const WORKFLOW_EXECUTIONS = 'workflow-executions';

export type AttemptStatus = 'scheduled' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'canceled';

export interface AttemptView {
  attempt: number;
  status: AttemptStatus;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** From start (or scheduling, when it never reported a start) to end. */
  durationMs: number | null;
  worker: string | null;
  error: TaskError | null;
}

export interface RunView {
  runId: string;
  task: string;
  activation: number;
  item: number | null;
  action: string | null;
  kind: string | null;
  /** As the engine sees it: scheduled, running, waiting (delay, retry back-off, inquiry), succeeded, failed, canceled. */
  status: string;
  attempts: AttemptView[];
  result: unknown;
  error: TaskError | null;
  childExecutionId: string | null;
  inquiry: { prompt: unknown; roles: string[]; schema: Record<string, unknown> | null } | null;
  answeredBy: string | null;
}

export interface TimerView {
  timerId: string;
  purpose: string;
  dueAt: string;
  runId: string | null;
  task: string | null;
}

/** What an execution is waiting for right now. */
export type WaitView =
  | { kind: 'inquiry'; task: string; runId: string; roles: string[]; prompt: unknown }
  | { kind: 'worker'; task: string; runId: string; action: string | null }
  | { kind: 'child'; task: string; runId: string; childExecutionId: string }
  | { kind: 'timer'; purpose: string; dueAt: string; task: string | null; runId: string | null };

/**
 * What the `executions` collection stores for an execution: its top-level fields only, small
 * enough to be read and rewritten on each of its events. Listings read these; the runs and
 * activations are folded from the execution's events when one execution is read (ExecutionDoc).
 */
export interface ExecutionSummaryDoc extends ReadDocument {
  workflow: string;
  version: number;
  status: string;
  actor: string;
  parentExecutionId: string | null;
  /** The parent execution and its run that started this one as a child. */
  parent: ParentLink | null;
  depth: number;
  parameters: Record<string, unknown>;
  vars: Record<string, unknown>;
  search: Record<string, unknown>;
  output: unknown;
  error: ExecutionError | null;
  startedAt: string;
  endedAt: string | null;
  /** The time of the last event of the stream. */
  updatedAt: string;
  retries: number;
  /** Events folded so far: the stream's last revision + 1 once the view has caught up with it. */
  eventCount: number;
}

/**
 * The whole view of one execution, folded from its events at query time (never stored): the
 * summary's fields, two views of the runs: `runs` and `waits` (GraphQL), and `activations` and
 * `waiting` with the engine's `fold` (REST, GET /executions/{id}; see activation-view.ts).
 */
export interface ExecutionDoc extends ExecutionSummaryDoc, ActivationFields {
  /** Every run in the order it first appeared. */
  runs: RunView[];
  timers: TimerView[];
  waits: WaitView[];
}

/**
 * One per execution event, written blind: the id (`<executionId>/<revision, 10 digits>`) sorts
 * an execution's events in stream order, so the view is folded from them by one indexed query.
 */
export interface ExecutionEventDoc extends ReadDocument {
  executionId: string;
  revision: number;
  type: string;
  data: unknown;
  /** The event's occurredAt. */
  at: string;
}

/** One per (execution, search field): `key` is `<field>=<value>`, so a listing by a business field is one index lookup. */
export interface SearchKeyDoc extends ReadDocument {
  executionId: string;
  key: string;
  startedAt: string;
}

export const executions = defineCollection<ExecutionSummaryDoc>({
  projection: WORKFLOW_EXECUTIONS,
  name: 'executions',
  indexes: ['workflow', 'status', 'startedAt', 'parentExecutionId'],
});

export const executionEvents = defineCollection<ExecutionEventDoc>({ projection: WORKFLOW_EXECUTIONS, name: 'execution_events', indexes: ['executionId'] });

export const executionEventId = (executionId: string, revision: number): string => `${executionId}/${String(revision).padStart(10, '0')}`;

export const searchKeys = defineCollection<SearchKeyDoc>({ projection: WORKFLOW_EXECUTIONS, name: 'search_keys', indexes: ['key', 'startedAt'] });

export const searchKey = (field: string, value: unknown): string => `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
