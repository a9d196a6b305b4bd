/**
 * The end of an attempt (WORKFLOWS.md, Tasks: retry, timeout): a failed attempt is retried while
 * `retry.count` and `retry.when` allow, after a fixed or exponential delay capped by max_delay;
 * all attempts belong to one run. Reports carry the fencing token of the attempt they are about.
 */
import { addDuration, render, type RetryPolicy } from '../definition';
import { scheduleAttempt } from './activation';
import type { CompleteTaskRun, FailTaskRun, StartTaskRun } from './commands';
import { expressionContext } from './context';
import type { Decision } from './decision';
import { expressionError, invalidInState, normalizeTaskError, staleFencingToken } from './errors';
import type { TaskError } from './events';
import { findRun, isActive, type RunState } from './state';
import { startFailing } from './stopping';
import { DomainError } from '@trellis/domain';

/** The delay before retry number `retry` (1 = the first retry). */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  const base = policy.backoff === 'exponential' ? policy.delayMs * 2 ** (retry - 1) : policy.delayMs;
  return policy.maxDelayMs === undefined ? base : Math.min(base, policy.maxDelayMs);
}

export function failAttempt(d: Decision, runId: string, error: TaskError, timedOut = false): void {
  const found = findRun(d.state, runId);
  if (!found) return;
  const { address, run } = found;
  const task = d.workflow.tasks[address.task];
  const activation = d.state.activations[address.key];
  const policy = task.retry;
  let retrying = !!policy && run.attempt <= policy.count && isActive(d.state);
  if (retrying && policy?.when) {
    const item = address.item === undefined || !activation.items ? undefined : { value: activation.items[address.item], index: address.item };
    try {
      retrying = render(policy.when, expressionContext(d.state, { outcome: { status: 'failed', error, result: null }, item })) === true;
    } catch (e) {
      d.emit(timedOut ? 'TaskRunTimedOut' : 'TaskRunFailed', { runId, attempt: run.attempt, error, retrying: false });
      const reason = e instanceof Error ? e.message : String(e);
      return startFailing(d, expressionError(task.name, 'retry.when', policy.when.kind === 'expression' ? `{{ ${policy.when.source} }}` : '', reason));
    }
  }
  d.emit(timedOut ? 'TaskRunTimedOut' : 'TaskRunFailed', { runId, attempt: run.attempt, error, retrying });
  if (timedOut && run.kind === 'workflow' && run.childExecutionId) {
    d.emit('ChildExecutionCancelRequested', { runId, childExecutionId: run.childExecutionId });
  }
  if (!retrying || !policy) return;
  const next = run.attempt + 1;
  const delay = retryDelayMs(policy, run.attempt);
  if (delay === 0) return scheduleAttempt(d, address.key, address.item, next);
  d.emit('TimerScheduled', {
    timerId: `${runId}.retry.${next}`,
    dueAt: addDuration(d.now, delay),
    purpose: 'retry',
    runId,
    attempt: next,
  });
}

type RunReport = StartTaskRun | CompleteTaskRun | FailTaskRun;

/**
 * The run a report is about, 'duplicate' when it repeats what was already recorded, or the
 * error that rejects it.
 */
export function checkReport(d: Decision, command: RunReport): RunState | 'duplicate' | DomainError {
  const found = findRun(d.state, command.runId);
  if (!found) return new DomainError('not_found', `no task run ${command.runId} in execution ${d.state.executionId}`);
  const { run } = found;
  const token = command.fencingToken;
  const reported = command.type === 'CompleteTaskRun' ? 'succeeded' : command.type === 'FailTaskRun' ? 'failed' : undefined;
  if (reported && run.lastOutcome?.attempt === token && run.lastOutcome.type === reported) return 'duplicate';
  if (command.type === 'StartTaskRun' && run.status === 'running' && run.attempt === token) return 'duplicate';
  const reportable = command.type === 'StartTaskRun' ? ['scheduled'] : ['scheduled', 'running'];
  if (token !== run.attempt || !reportable.includes(run.status) || run.kind === 'inquiry' || run.kind === 'sleep') {
    return staleFencingToken(command.runId, token, run.attempt, run.status);
  }
  if (command.type === 'StartTaskRun' && (d.state.status === 'paused' || d.state.status === 'pausing')) {
    return invalidInState(d.state, 'start a task run', ['running']);
  }
  return run;
}

export function onRunReport(d: Decision, command: RunReport): DomainError | void {
  const checked = checkReport(d, command);
  if (checked === 'duplicate') return;
  if (checked instanceof DomainError) return checked;
  const { runId, fencingToken: attempt } = command;
  if (command.type === 'StartTaskRun') d.emit('TaskRunStarted', { runId, attempt, worker: command.worker });
  else if (command.type === 'CompleteTaskRun') d.emit('TaskRunSucceeded', { runId, attempt, result: command.result ?? null });
  else {
    failAttempt(d, runId, normalizeTaskError(command.error));
  }
}
