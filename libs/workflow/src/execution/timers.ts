/**
 * Durable timers: the runtime fires them at their due time; a timer that already fired or whose
 * purpose is gone (its run ended, the execution stopped) fires into nothing.
 */
import { scheduleAttempt } from './activation';
import { failAttempt } from './attempts';
import type { FireTimer } from './commands';
import type { Decision } from './decision';
import { findRun } from './state';
import { hardStop } from './stopping';

export function onTimerFired(d: Decision, command: FireTimer): void {
  const timer = d.state.timers[command.timerId];
  if (!timer) return;
  d.emit('TimerFired', { timerId: timer.timerId, purpose: timer.purpose });
  if (timer.purpose === 'execution_timeout') {
    return hardStop(d, {
      code: 'execution_timeout',
      message: `the execution exceeded its timeout (limits.timeout) and was stopped`,
      details: { dueAt: timer.dueAt },
    });
  }
  const found = timer.runId ? findRun(d.state, timer.runId) : undefined;
  if (!found) return;
  const { address, run } = found;
  switch (timer.purpose) {
    case 'delay':
    case 'retry':
      if (run.status === 'waiting') scheduleAttempt(d, address.key, address.item, timer.attempt ?? 1);
      return;
    case 'timeout':
      if (run.attempt === timer.attempt && ['scheduled', 'running', 'waiting'].includes(run.status)) {
        const limit = d.workflow.tasks[address.task].timeoutMs ?? 0;
        failAttempt(d, run.runId, { code: 'timeout', message: `attempt ${run.attempt} exceeded the task timeout of ${limit} ms` }, true);
      }
      return;
    case 'sleep':
      if (run.attempt === timer.attempt && run.status === 'waiting') {
        d.emit('TaskRunSucceeded', { runId: run.runId, attempt: run.attempt, result: null });
      }
      return;
  }
}
