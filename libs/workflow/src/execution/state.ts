/**
 * The state folded from an execution stream. An activation is one arrival at a task (a "task run"
 * for max_task_runs); it has one run (`runs[0]`) or, with `with: items`, one run per item. A run
 * holds its attempts: the attempt number is its fencing token.
 */
import type { ExecutionError, ParentLink, Reached, RunKind, TaskError, TimerScheduled } from './events';

export type ExecutionStatus =
  | 'new'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'failing'
  | 'failed'
  | 'canceling'
  | 'canceled'
  | 'succeeded';

export type TaskRunStatus = 'scheduled' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';
export type ItemStatus = 'pending' | 'active' | 'succeeded' | 'failed' | 'canceled';
export type ActivationStatus = 'active' | 'succeeded' | 'failed' | 'canceled';

export interface RunState {
  runId: string;
  item?: number;
  attempt: number;
  status: TaskRunStatus;
  /** Unknown while the first attempt waits for its delay. */
  kind?: RunKind;
  action?: string;
  input?: unknown;
  timeoutMs?: number;
  heartbeatMs?: number;
  result?: unknown;
  error?: TaskError;
  /** The last attempt that ended, so a duplicate report of it changes nothing. */
  lastOutcome?: { attempt: number; type: 'succeeded' | 'failed' };
  inquiry?: { prompt: unknown; roles: string[]; schema?: Record<string, unknown> };
  childExecutionId?: string;
  childCancelRequested?: boolean;
}

export interface ActivationState {
  task: string;
  number: number;
  via: string;
  retryOf?: number;
  status: ActivationStatus;
  /** with-items: the listed items; null for a plain task. */
  items: unknown[] | null;
  itemStatus: ItemStatus[];
  runs: Array<RunState | null>;
  results: unknown[];
  inFlight: number;
  /** Items not started yet, and items that ended failed or canceled (counted: lists can be long). */
  pending: number;
  failed: number;
  canceled: number;
  /** Items start in index order: every pending item is at or after this index. */
  cursor: number;
  /** No further items are started (an item failed, or the execution is failing or canceling). */
  stopping: boolean;
  maxAttempt: number;
  result?: unknown;
  error?: TaskError;
  /** Its transitions were evaluated, or skipped because the execution was failing/canceling. */
  evaluated: boolean;
  skipped: boolean;
}

export interface TaskCounters {
  /** Activations so far (numbers them). */
  count: number;
  /** Activations since start or the last retry, against max_task_runs. */
  budget: number;
  latest: number;
}

export interface JoinState {
  arrived: string[];
  released: boolean;
}

export type TimerState = TimerScheduled['data'];

export interface ExecutionState {
  status: ExecutionStatus;
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
  tasks: Record<string, TaskCounters>;
  activations: Record<string, ActivationState>;
  /** Activations not yet ended, oldest first. */
  live: string[];
  /** Ended activations whose transitions are still to be evaluated, in the order they ended. */
  unevaluated: string[];
  joins: Record<string, JoinState>;
  timers: Record<string, TimerState>;
  error?: ExecutionError;
  output?: unknown;
  /** Tasks the failure started from: a retry without `tasks` re-runs them. */
  failureOrigins: string[];
  retries: number;
  eventCount: number;
  warnedMaxEvents: boolean;
}

export function initialState(): ExecutionState {
  return {
    status: 'new',
    executionId: '',
    workflow: '',
    version: 0,
    parameters: {},
    vars: {},
    search: {},
    actor: '',
    depth: 0,
    startedAt: '',
    tasks: {},
    activations: {},
    live: [],
    unevaluated: [],
    joins: {},
    timers: {},
    failureOrigins: [],
    retries: 0,
    eventCount: 0,
    warnedMaxEvents: false,
  };
}

export const activationKey = (task: string, activation: number) => `${task}.${activation}`;

/** Run ids are unique across executions (workers address runs without the execution id). */
export function runIdFor(executionId: string, task: string, activation: number, item?: number): string {
  return item === undefined ? `${executionId}.${task}.${activation}` : `${executionId}.${task}.${activation}.${item}`;
}

export interface RunAddress {
  key: string;
  task: string;
  activation: number;
  item?: number;
}

export function parseRunId(state: ExecutionState, runId: string): RunAddress | undefined {
  const prefix = `${state.executionId}.`;
  if (!runId.startsWith(prefix)) return undefined;
  const [task, activation, item, extra] = runId.slice(prefix.length).split('.');
  if (!task || !activation || extra !== undefined) return undefined;
  const address = { key: activationKey(task, Number(activation)), task, activation: Number(activation) };
  return item === undefined ? address : { ...address, item: Number(item) };
}

export function findRun(state: ExecutionState, runId: string): { address: RunAddress; run: RunState } | undefined {
  const address = parseRunId(state, runId);
  const activation = address && state.activations[address.key];
  const run = activation?.runs[address?.item ?? 0];
  return address && run ? { address, run } : undefined;
}

export const ACTIVE_STATUSES: ExecutionStatus[] = ['running', 'pausing', 'paused'];
export const isActive = (state: ExecutionState) => ACTIVE_STATUSES.includes(state.status);
export const isTerminal = (state: ExecutionState) => ['succeeded', 'failed', 'canceled'].includes(state.status);
export const isRunEnded = (run: RunState) => ['succeeded', 'failed', 'canceled'].includes(run.status);

/** Runs that have not ended, of every live activation. */
export function liveRuns(state: ExecutionState): Array<{ key: string; run: RunState }> {
  const runs: Array<{ key: string; run: RunState }> = [];
  for (const key of state.live) {
    const activation = state.activations[key];
    if (activation.inFlight === 0) continue;
    for (const run of activation.runs) if (run && !isRunEnded(run)) runs.push({ key, run });
  }
  return runs;
}

/** `tasks.<name>` in expressions: status, result, error and attempts of the latest activation. */
export interface TaskView {
  status: string;
  result: unknown;
  error: TaskError | null;
  attempts: number;
}

export function taskView(activation: ActivationState): TaskView {
  let status: string = activation.status;
  if (activation.status === 'active') {
    const run = activation.items === null ? activation.runs[0] : undefined;
    status = run ? run.status : activation.inFlight > 0 ? 'running' : 'scheduled';
  }
  return {
    status,
    result: activation.result ?? null,
    error: activation.error ?? null,
    attempts: activation.maxAttempt,
  };
}

export type { Reached };
