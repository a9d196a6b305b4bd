/**
 * What a driver must do for an execution now, read from its state: the runtime's dispatcher and
 * timer service and the simulator all work from this, so they never re-derive the semantics.
 * Everything listed is idempotent to act on (run id + fencing token, timer id, child id).
 */
import type { RunKind, TimerPurpose } from './events';
import { isTerminal, liveRuns, type ExecutionState, type ExecutionStatus } from './state';

export interface RunToDispatch {
  runId: string;
  task: string;
  item?: number;
  action: string;
  attempt: number;
  fencingToken: number;
  idempotencyKey: string;
  /** Rendered; may hold secret markers the dispatcher resolves (resolveSecrets). */
  input: unknown;
  timeoutMs?: number;
  heartbeatMs?: number;
}

export interface TimerToArm {
  timerId: string;
  dueAt: string;
  purpose: TimerPurpose;
  runId?: string;
}

export interface WaitingInquiry {
  runId: string;
  task: string;
  attempt: number;
  prompt: unknown;
  roles: string[];
  schema?: Record<string, unknown>;
}

export interface ChildInFlight {
  runId: string;
  task: string;
  attempt: number;
  childExecutionId: string;
  workflow: string;
  parameters: unknown;
  cancelRequested: boolean;
}

export interface NextActions {
  status: ExecutionStatus;
  done: boolean;
  /** Action runs to hand to built-in or external workers; empty while pausing or paused. */
  dispatch: RunToDispatch[];
  /** Live timers, earliest first. */
  timers: TimerToArm[];
  inquiries: WaitingInquiry[];
  children: ChildInFlight[];
}

const DISPATCHING: ExecutionStatus[] = ['running', 'failing'];

export function nextActions(state: ExecutionState): NextActions {
  const dispatch: RunToDispatch[] = [];
  const inquiries: WaitingInquiry[] = [];
  const children: ChildInFlight[] = [];
  for (const { key, run } of liveRuns(state)) {
    const task = state.activations[key].task;
    const kind: RunKind | undefined = run.kind;
    if (kind === 'action' && run.status === 'scheduled' && DISPATCHING.includes(state.status)) {
      dispatch.push({
        runId: run.runId,
        task,
        ...(run.item === undefined ? {} : { item: run.item }),
        action: run.action ?? '',
        attempt: run.attempt,
        fencingToken: run.attempt,
        idempotencyKey: run.runId,
        input: run.input,
        ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
        ...(run.heartbeatMs ? { heartbeatMs: run.heartbeatMs } : {}),
      });
    }
    if (kind === 'inquiry' && run.status === 'waiting' && run.inquiry) {
      inquiries.push({ runId: run.runId, task, attempt: run.attempt, ...run.inquiry });
    }
    if (kind === 'workflow' && run.status === 'running' && run.childExecutionId) {
      children.push({
        runId: run.runId,
        task,
        attempt: run.attempt,
        childExecutionId: run.childExecutionId,
        workflow: run.action ?? '',
        parameters: run.input,
        cancelRequested: !!run.childCancelRequested,
      });
    }
  }
  const timers = Object.values(state.timers)
    .map(({ timerId, dueAt, purpose, runId }) => ({ timerId, dueAt, purpose, ...(runId ? { runId } : {}) }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.timerId.localeCompare(b.timerId));
  return { status: state.status, done: isTerminal(state), dispatch, timers, inquiries, children };
}
