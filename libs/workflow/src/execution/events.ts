/**
 * The facts of an execution stream (`execution-<id>`). Past tense, data only JSON. Secrets never
 * appear: rendered inputs hold markers where a secret goes (see secrets/marker.ts).
 */
import type { DomainEvent } from '@trellis/domain';

export type TimerPurpose = 'delay' | 'retry' | 'timeout' | 'sleep' | 'execution_timeout';
/** How a task run is carried out: dispatched to an action, or waited for inside the execution. */
export type RunKind = 'action' | 'workflow' | 'inquiry' | 'sleep';

export interface TaskError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ExecutionErrorCode =
  | 'task_failed'
  | 'fail_transition'
  | 'expression_error'
  | 'max_task_runs_exceeded'
  | 'max_items_exceeded'
  | 'unsatisfiable_join'
  | 'execution_timeout'
  | 'max_events_exceeded';

export interface ExecutionError {
  code: ExecutionErrorCode;
  message: string;
  /** The task the failure started from (retry re-runs it). */
  task?: string;
  details?: Record<string, unknown>;
}

/** A task reached: a new activation (one "task run" for max_task_runs; with-items: all its items). */
export interface Reached {
  task: string;
  activation: number;
  /** `start`, `retry`, or the transition that fired (`build:next[0]`). */
  via: string;
  /** Join: the inbound transitions that released it. */
  joined?: string[];
  /** Retry: the activation whose failed items or child execution it continues. */
  retryOf?: number;
}

export interface TransitionEvaluation {
  transition: string;
  when: string;
  outcome: 'fired' | 'false' | 'error' | 'skipped';
  message?: string;
}

export interface JoinUpdate {
  task: string;
  arrived: string[];
  released: boolean;
  need: number;
  inbound: number;
}

export interface ParentLink {
  executionId: string;
  runId: string;
}

type E<Type extends string, Data> = DomainEvent<Type, Data>;

export type ExecutionStarted = E<'ExecutionStarted', {
  executionId: string;
  workflow: string;
  version: number;
  parameters: Record<string, unknown>;
  vars: Record<string, unknown>;
  search: Record<string, unknown>;
  actor: string;
  parent?: ParentLink;
  depth: number;
  startedAt: string;
  reached: Reached[];
}>;
export type TaskItemsListed = E<'TaskItemsListed', {
  task: string;
  activation: number;
  items: unknown[];
  /** Item index → result kept from the activation a retry continues. */
  carried: Record<string, unknown>;
}>;
export type TaskRunScheduled = E<'TaskRunScheduled', {
  runId: string;
  task: string;
  activation: number;
  item?: number;
  attempt: number;
  action: string;
  kind: RunKind;
  input: unknown;
  /** Stable across the attempts of a run, so an external side effect can be made exactly-once. */
  idempotencyKey: string;
  /** The attempt number: a completion carrying an older one is stale. */
  fencingToken: number;
  timeoutMs?: number;
  heartbeatMs?: number;
}>;
export type TaskRunStarted = E<'TaskRunStarted', { runId: string; attempt: number; worker?: string }>;
export type TaskRunSucceeded = E<'TaskRunSucceeded', { runId: string; attempt: number; result: unknown }>;
export type TaskRunFailed = E<'TaskRunFailed', { runId: string; attempt: number; error: TaskError; retrying: boolean }>;
export type TaskRunTimedOut = E<'TaskRunTimedOut', { runId: string; attempt: number; error: TaskError; retrying: boolean }>;
export type TaskRunCanceled = E<'TaskRunCanceled', { runId: string; attempt: number; reason: string }>;
export type TransitionsEvaluated = E<'TransitionsEvaluated', {
  task: string;
  activation: number;
  outcome: 'succeeded' | 'failed';
  evaluations: TransitionEvaluation[];
  reached: Reached[];
  joins: JoinUpdate[];
}>;
export type VariablesPublished = E<'VariablesPublished', {
  task: string;
  activation: number;
  vars: Record<string, unknown>;
  search?: Record<string, unknown>;
}>;
export type TimerScheduled = E<'TimerScheduled', {
  timerId: string;
  dueAt: string;
  purpose: TimerPurpose;
  runId?: string;
  task?: string;
  activation?: number;
  item?: number;
  attempt?: number;
}>;
export type TimerFired = E<'TimerFired', { timerId: string; purpose: TimerPurpose }>;
export type InquiryRequested = E<'InquiryRequested', {
  runId: string;
  task: string;
  attempt: number;
  prompt: unknown;
  roles: string[];
  schema?: Record<string, unknown>;
}>;
export type InquiryAnswered = E<'InquiryAnswered', { runId: string; task: string; attempt: number; answer: unknown; actor: string }>;
export type ChildExecutionRequested = E<'ChildExecutionRequested', {
  runId: string;
  task: string;
  attempt: number;
  childExecutionId: string;
  workflow: string;
  parameters: unknown;
  depth: number;
}>;
export type ChildExecutionRetryRequested = E<'ChildExecutionRetryRequested', {
  runId: string;
  task: string;
  attempt: number;
  childExecutionId: string;
}>;
export type ChildExecutionCancelRequested = E<'ChildExecutionCancelRequested', { runId: string; childExecutionId: string }>;
export type ExecutionPausing = E<'ExecutionPausing', { actor: string }>;
export type ExecutionPaused = E<'ExecutionPaused', { actor: string }>;
export type ExecutionResumed = E<'ExecutionResumed', { actor: string }>;
export type ExecutionCanceling = E<'ExecutionCanceling', { actor: string; reason?: string }>;
export type ExecutionCanceled = E<'ExecutionCanceled', Record<string, never>>;
export type ExecutionFailing = E<'ExecutionFailing', { error: ExecutionError }>;
export type ExecutionFailed = E<'ExecutionFailed', { error: ExecutionError }>;
export type ExecutionSucceeded = E<'ExecutionSucceeded', { output: unknown }>;
export type ExecutionRetried = E<'ExecutionRetried', {
  actor: string;
  tasks: string[];
  reached: Reached[];
  /** Activations that succeeded while the execution was failing: their transitions run now. */
  reevaluate: Array<{ task: string; activation: number }>;
}>;
export type ExecutionLimitWarning = E<'ExecutionLimitWarning', { limit: 'max_events'; count: number; max: number }>;

export type ExecutionEvent =
  | ExecutionStarted
  | TaskItemsListed
  | TaskRunScheduled
  | TaskRunStarted
  | TaskRunSucceeded
  | TaskRunFailed
  | TaskRunTimedOut
  | TaskRunCanceled
  | TransitionsEvaluated
  | VariablesPublished
  | TimerScheduled
  | TimerFired
  | InquiryRequested
  | InquiryAnswered
  | ChildExecutionRequested
  | ChildExecutionRetryRequested
  | ChildExecutionCancelRequested
  | ExecutionPausing
  | ExecutionPaused
  | ExecutionResumed
  | ExecutionCanceling
  | ExecutionCanceled
  | ExecutionFailing
  | ExecutionFailed
  | ExecutionSucceeded
  | ExecutionRetried
  | ExecutionLimitWarning;

export type ExecutionEventType = ExecutionEvent['type'];
export type EventData<T extends ExecutionEventType> = Extract<ExecutionEvent, { type: T }>['data'];
