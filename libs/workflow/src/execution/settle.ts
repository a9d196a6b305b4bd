/**
 * After every command the execution settles: ended tasks have their transitions evaluated,
 * with-items refill up to their concurrency, joins that can no longer be satisfied fail the
 * execution, a pausing execution with nothing running is paused, and an execution with nothing
 * running, scheduled or waiting ends (WORKFLOWS.md: "An execution ends when nothing is running,
 * scheduled or waiting"). The event budget is watched last.
 */
import { render, RenderError } from '../definition';
import { fillItems } from './activation';
import type { Decision } from './decision';
import { expressionError } from './errors';
import { unsatisfiableJoin } from './joins';
import { expressionContext } from './context';
import { isActive, isTerminal } from './state';
import { hardStop, startFailing } from './stopping';
import { evaluateTransitions } from './transitions';

export function settle(d: Decision): void {
  for (let progressed = true; progressed; ) {
    progressed = false;
    while (d.state.unevaluated.length > 0) {
      evaluateTransitions(d, d.state.unevaluated[0]);
      progressed = true;
    }
    for (const key of [...d.state.live]) if (d.state.activations[key].items !== null && fillItems(d, key)) progressed = true;
    if (progressed) continue;
    if (isActive(d.state)) {
      const join = unsatisfiableJoin(d.state, d.workflow);
      if (join) {
        startFailing(d, join);
        progressed = true;
        continue;
      }
    }
    if (end(d)) progressed = true;
    if (watchEventBudget(d)) progressed = true;
  }
}

function end(d: Decision): boolean {
  const { state } = d;
  if (state.status === 'pausing' && !state.live.some((k) => state.activations[k].runs.some((r) => r?.status === 'running'))) {
    d.emit('ExecutionPaused', { actor: 'system' });
    return true;
  }
  if (isTerminal(state) || state.status === 'new' || state.live.length > 0) return false;
  if (state.status === 'failing') {
    d.emit('ExecutionFailed', { error: state.error ?? { code: 'task_failed', message: 'failed' } });
  } else if (state.status === 'canceling') {
    d.emit('ExecutionCanceled', {});
  } else {
    let output: unknown = null;
    try {
      output = d.workflow.output ? render(d.workflow.output, expressionContext(d.state)) : null;
    } catch (error) {
      const reason = error instanceof RenderError ? error.reason : String(error);
      const source = error instanceof RenderError ? `{{ ${error.source} }}` : '';
      startFailing(d, expressionError(undefined, 'output', source, reason));
      return true;
    }
    d.emit('ExecutionSucceeded', { output });
  }
  return true;
}

function watchEventBudget(d: Decision): boolean {
  const { maxEvents } = d.workflow.limits;
  const { state } = d;
  if (isTerminal(state)) return false;
  if (state.eventCount >= maxEvents && state.error?.code !== 'max_events_exceeded') {
    hardStop(d, {
      code: 'max_events_exceeded',
      message: `the execution reached max_events (${maxEvents} events) and was stopped`,
      details: { count: state.eventCount, max: maxEvents },
    });
    return true;
  }
  if (!state.warnedMaxEvents && state.eventCount >= Math.floor(maxEvents * 0.8)) {
    d.emit('ExecutionLimitWarning', { limit: 'max_events', count: state.eventCount, max: maxEvents });
    return true;
  }
  return false;
}
