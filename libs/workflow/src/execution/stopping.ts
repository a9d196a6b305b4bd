/**
 * How an execution stops (WORKFLOWS.md, Transitions and Executions). Fail-fast: the execution
 * turns `failing`, nothing new is scheduled, waiting runs are canceled and running ones finish,
 * then it is `failed`. Cancel: scheduled and waiting runs are canceled, child executions are asked
 * to cancel, running ones finish. A hard stop (execution timeout, max_events) cancels everything.
 */
import type { Decision } from './decision';
import type { ExecutionError } from './events';
import { isActive, liveRuns } from './state';

/** The first failure wins; later ones (or a failure while canceling) change nothing. */
export function startFailing(d: Decision, error: ExecutionError): void {
  if (!isActive(d.state)) return;
  d.emit('ExecutionFailing', { error });
  for (const { run } of liveRuns(d.state)) {
    if (run.status === 'waiting') d.emit('TaskRunCanceled', { runId: run.runId, attempt: run.attempt, reason: 'execution failing' });
  }
}

export function startCanceling(d: Decision, actor: string, reason?: string): void {
  d.emit('ExecutionCanceling', { actor, reason });
  for (const { run } of liveRuns(d.state)) {
    if (run.status === 'waiting' || run.status === 'scheduled') {
      d.emit('TaskRunCanceled', { runId: run.runId, attempt: run.attempt, reason: 'execution canceled' });
    } else if (run.kind === 'workflow' && run.childExecutionId && !run.childCancelRequested) {
      d.emit('ChildExecutionCancelRequested', { runId: run.runId, childExecutionId: run.childExecutionId });
    }
  }
}

export function hardStop(d: Decision, error: ExecutionError): void {
  if (d.state.status !== 'failing') {
    if (!isActive(d.state) && d.state.status !== 'canceling') return;
    d.emit('ExecutionFailing', { error });
  }
  for (const { run } of liveRuns(d.state)) {
    if (run.kind === 'workflow' && run.childExecutionId && !run.childCancelRequested) {
      d.emit('ChildExecutionCancelRequested', { runId: run.runId, childExecutionId: run.childExecutionId });
    }
    d.emit('TaskRunCanceled', { runId: run.runId, attempt: run.attempt, reason: error.code });
  }
}
