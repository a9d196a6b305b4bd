/**
 * Controls (WORKFLOWS.md, Executions): pause (no new dispatch), resume, cancel, and retry, which
 * re-runs a failed execution from the tasks that failed (or those the caller names), keeping what
 * succeeded: with-items keep their succeeded items, child executions are retried, and tasks that
 * ended while the execution was failing have their transitions evaluated now.
 */
import { DomainError } from '@trellis/domain';
import { addDuration } from '../definition';
import { startActivation } from './activation';
import type { CancelExecution, PauseExecution, ResumeExecution, RetryExecution } from './commands';
import type { Decision } from './decision';
import { invalidInState } from './errors';
import type { Reached } from './events';
import { activationKey, isActive, type ExecutionState } from './state';
import { startCanceling } from './stopping';

export function onPause(d: Decision, command: PauseExecution): DomainError | void {
  if (d.state.status === 'pausing' || d.state.status === 'paused') return;
  if (d.state.status !== 'running') return invalidInState(d.state, 'pause', ['running']);
  d.emit('ExecutionPausing', { actor: command.actor });
}

export function onResume(d: Decision, command: ResumeExecution): DomainError | void {
  if (d.state.status === 'running') return;
  if (d.state.status !== 'paused' && d.state.status !== 'pausing') return invalidInState(d.state, 'resume', ['paused', 'pausing']);
  d.emit('ExecutionResumed', { actor: command.actor });
}

export function onCancel(d: Decision, command: CancelExecution): DomainError | void {
  if (d.state.status === 'canceling' || d.state.status === 'canceled') return;
  if (!isActive(d.state) && d.state.status !== 'failing') {
    return invalidInState(d.state, 'cancel', ['running', 'pausing', 'paused', 'failing']);
  }
  startCanceling(d, command.actor, command.reason);
}

export function onRetry(d: Decision, command: RetryExecution): DomainError | void {
  const { state, workflow } = d;
  if (state.status !== 'failed') return invalidInState(state, 'retry', ['failed']);
  const unknown = (command.tasks ?? []).filter((task) => !workflow.tasks[task]);
  if (unknown.length) {
    return new DomainError('validation_failed', `no task named ${unknown.join(', ')} in ${workflow.ref}`, { tasks: unknown });
  }
  const tasks = command.tasks ?? failedTasks(state, workflow.taskOrder);
  const reevaluate = Object.values(state.activations)
    .filter((a) => a.skipped && a.status === 'succeeded' && !tasks.includes(a.task))
    .map((a) => ({ task: a.task, activation: a.number }));
  if (tasks.length === 0 && reevaluate.length === 0) {
    return new DomainError('validation_failed', 'nothing failed that a retry could re-run: name the tasks to re-run', {});
  }
  const reached: Reached[] = tasks.map((task) => {
    const counters = state.tasks[task];
    const latest = counters && state.activations[activationKey(task, counters.latest)];
    const continues = latest && (latest.status === 'failed' || latest.status === 'canceled');
    return { task, activation: (counters?.count ?? 0) + 1, via: 'retry', ...(continues ? { retryOf: latest.number } : {}) };
  });
  d.emit('ExecutionRetried', { actor: command.actor, tasks, reached, reevaluate });
  if (workflow.limits.timeoutMs) {
    d.emit('TimerScheduled', {
      timerId: `${state.executionId}.timeout.${d.state.retries}`,
      dueAt: addDuration(d.now, workflow.limits.timeoutMs),
      purpose: 'execution_timeout',
    });
  }
  for (const r of reached) startActivation(d, r);
}

/** The tasks the failure started from, and those whose latest activation failed or was canceled. */
function failedTasks(state: ExecutionState, order: string[]): string[] {
  return order.filter((task) => {
    if (state.failureOrigins.includes(task)) return true;
    const counters = state.tasks[task];
    const latest = counters && state.activations[activationKey(task, counters.latest)];
    return !!latest && (latest.status === 'failed' || latest.status === 'canceled');
  });
}
