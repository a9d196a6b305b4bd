/**
 * The orchestration decider of one workflow version: `decide(command, state)` answers with the
 * events of the decision (or a DomainError), `evolve` folds them. Drivers — the runtime's process
 * managers and the in-memory simulator — call nothing else but `nextActions`.
 */
import type { Decider } from '@trellis/domain';
import { DomainError } from '@trellis/domain';
import type { CompiledWorkflow } from '../definition';
import { onRunReport } from './attempts';
import type { ExecutionCommand } from './commands';
import { onCancel, onPause, onResume, onRetry } from './controls';
import { Decision } from './decision';
import type { ExecutionEvent } from './events';
import { evolve } from './evolve';
import { onInquiryAnswered } from './inquiry';
import { settle } from './settle';
import { onStart } from './start';
import { initialState, isTerminal, type ExecutionState } from './state';
import { onTimerFired } from './timers';

export type ExecutionDecider = Decider<ExecutionCommand, ExecutionEvent, ExecutionState>;

export function executionDecider(workflow: CompiledWorkflow): ExecutionDecider {
  return {
    initialState,
    evolve,
    decide(command, state) {
      if (state.status === 'new' && command.type !== 'StartExecution') {
        return new DomainError('not_found', 'the execution has not started');
      }
      const d = new Decision(state, workflow, command.now);
      const rejected = route(d, command);
      if (rejected) return rejected;
      if (!isTerminal(d.state) || d.events.length > 0) settle(d);
      return d.events;
    },
  };
}

function route(d: Decision, command: ExecutionCommand): DomainError | void {
  switch (command.type) {
    case 'StartExecution':
      return onStart(d, command);
    case 'StartTaskRun':
    case 'CompleteTaskRun':
    case 'FailTaskRun':
      return onRunReport(d, command);
    case 'FireTimer':
      return onTimerFired(d, command);
    case 'AnswerInquiry':
      return onInquiryAnswered(d, command);
    case 'PauseExecution':
      return onPause(d, command);
    case 'ResumeExecution':
      return onResume(d, command);
    case 'CancelExecution':
      return onCancel(d, command);
    case 'RetryExecution':
      return onRetry(d, command);
  }
}

/** Folds a stream from the beginning. */
export function foldExecution(events: ExecutionEvent[], from: ExecutionState = initialState()): ExecutionState {
  return events.reduce(evolve, from);
}
