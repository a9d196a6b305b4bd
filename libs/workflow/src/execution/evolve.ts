/**
 * Folds one event into the state. It needs no workflow definition: the events carry what the
 * decider decided (which tasks were reached, how joins stand), so a replay of any version folds.
 */
import type { ExecutionEvent, Reached, TaskError } from './events';
import {
  activationKey,
  isRunEnded,
  parseRunId,
  type ActivationState,
  type ExecutionState,
  type RunState,
} from './state';

export function evolve(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  const next = apply(state, event);
  if (next === state) return { ...state, eventCount: state.eventCount + 1 };
  // `apply` built `next` just now and nothing else holds it: setting the count saves a copy.
  next.eventCount = state.eventCount + 1;
  return next;
}

function apply(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  switch (event.type) {
    case 'ExecutionStarted': {
      const { reached, ...data } = event.data;
      return addActivations({ ...state, ...data, status: 'running' }, reached);
    }
    case 'TaskItemsListed': {
      const { task, activation, items, carried } = event.data;
      const key = activationKey(task, activation);
      const kept = (i: number) => Object.prototype.hasOwnProperty.call(carried, String(i));
      const next = withActivation(state, key, (a) => ({
        ...a,
        items,
        itemStatus: items.map((_, i) => (kept(i) ? 'succeeded' : 'pending')),
        runs: items.map(() => null),
        results: items.map((_, i) => (kept(i) ? carried[String(i)] : null)),
        pending: items.filter((_, i) => !kept(i)).length,
      }));
      return maybeEnd(next, key);
    }
    case 'TaskRunScheduled': {
      const { runId, item, attempt, kind, action, input, timeoutMs, heartbeatMs } = event.data;
      return updateRun(state, runId, (run) => ({
        ...run,
        runId,
        item,
        attempt,
        status: 'scheduled',
        kind,
        action,
        input,
        timeoutMs,
        heartbeatMs,
      }));
    }
    case 'TaskRunStarted':
      return updateRun(state, event.data.runId, (run) => ({ ...run, status: 'running' }));
    case 'TaskRunSucceeded':
      return endRun(state, event.data.runId, 'succeeded', { result: event.data.result });
    case 'InquiryAnswered':
      return endRun(state, event.data.runId, 'succeeded', { result: event.data.answer });
    case 'TaskRunFailed':
    case 'TaskRunTimedOut': {
      const { runId, attempt, error, retrying } = event.data;
      if (!retrying) return endRun(state, runId, 'failed', { error });
      const waiting = updateRun(state, runId, (run) => ({
        ...run,
        status: 'waiting',
        error,
        lastOutcome: { attempt, type: 'failed' },
      }));
      return dropTimers(waiting, runId);
    }
    case 'TaskRunCanceled':
      return endRun(state, event.data.runId, 'canceled', {});
    case 'TransitionsEvaluated': {
      const { task, activation, evaluations, joins, reached } = event.data;
      const key = activationKey(task, activation);
      const skipped = evaluations.length > 0 && evaluations.every((e) => e.outcome === 'skipped');
      let next = withActivation(state, key, (a) => ({ ...a, evaluated: true, skipped }));
      next = { ...next, unevaluated: next.unevaluated.filter((k) => k !== key), joins: { ...next.joins } };
      for (const join of joins) next.joins[join.task] = { arrived: join.arrived, released: join.released };
      return addActivations(next, reached);
    }
    case 'VariablesPublished':
      return { ...state, vars: { ...state.vars, ...event.data.vars }, search: event.data.search ?? state.search };
    case 'TimerScheduled': {
      const data = event.data;
      const next = { ...state, timers: { ...state.timers, [data.timerId]: data } };
      if (data.purpose === 'delay' && data.runId) {
        return updateRun(next, data.runId, (run) => ({ ...run, runId: data.runId as string, item: data.item, attempt: 0, status: 'waiting' }));
      }
      if (data.purpose === 'sleep' && data.runId) return updateRun(next, data.runId, (run) => ({ ...run, status: 'waiting' }));
      return next;
    }
    case 'TimerFired': {
      const timers = { ...state.timers };
      delete timers[event.data.timerId];
      return { ...state, timers };
    }
    case 'InquiryRequested': {
      const { prompt, roles, schema } = event.data;
      return updateRun(state, event.data.runId, (run) => ({ ...run, status: 'waiting', inquiry: { prompt, roles, schema } }));
    }
    case 'ChildExecutionRequested':
    case 'ChildExecutionRetryRequested': {
      const { childExecutionId } = event.data;
      return updateRun(state, event.data.runId, (run) => ({ ...run, status: 'running', childExecutionId, childCancelRequested: false }));
    }
    case 'ChildExecutionCancelRequested':
      return updateRun(state, event.data.runId, (run) => ({ ...run, childCancelRequested: true }));
    case 'ExecutionPausing':
      return { ...state, status: 'pausing' };
    case 'ExecutionPaused':
      return { ...state, status: 'paused' };
    case 'ExecutionResumed':
      return { ...state, status: 'running' };
    case 'ExecutionCanceling':
      return stopAll({ ...state, status: 'canceling' });
    case 'ExecutionFailing': {
      const { error } = event.data;
      return stopAll({ ...state, status: 'failing', error, failureOrigins: error.task ? [error.task] : [] });
    }
    case 'ExecutionCanceled':
      return { ...state, status: 'canceled', timers: {} };
    case 'ExecutionFailed': {
      const { error } = event.data;
      const origins = error.task && !state.failureOrigins.includes(error.task) ? [...state.failureOrigins, error.task] : state.failureOrigins;
      return { ...state, status: 'failed', error, failureOrigins: origins, timers: {} };
    }
    case 'ExecutionSucceeded':
      return { ...state, status: 'succeeded', output: event.data.output, timers: {} };
    case 'ExecutionRetried': {
      const { reached, reevaluate } = event.data;
      const tasks = Object.fromEntries(Object.entries(state.tasks).map(([name, c]) => [name, { ...c, budget: 0 }]));
      let next: ExecutionState = { ...state, status: 'running', error: undefined, failureOrigins: [], retries: state.retries + 1, tasks };
      for (const { task, activation } of reevaluate) {
        const key = activationKey(task, activation);
        next = withActivation(next, key, (a) => ({ ...a, evaluated: false, skipped: false }));
        next = { ...next, unevaluated: [...next.unevaluated, key] };
      }
      return addActivations(next, reached);
    }
    case 'ExecutionLimitWarning':
      return { ...state, warnedMaxEvents: true };
  }
}

function addActivations(state: ExecutionState, reached: Reached[]): ExecutionState {
  if (reached.length === 0) return state;
  const tasks = { ...state.tasks };
  const activations = { ...state.activations };
  const live = [...state.live];
  for (const r of reached) {
    const counters = tasks[r.task] ?? { count: 0, budget: 0, latest: 0 };
    tasks[r.task] = { count: Math.max(counters.count, r.activation), budget: counters.budget + 1, latest: r.activation };
    const key = activationKey(r.task, r.activation);
    activations[key] = newActivation(r);
    live.push(key);
  }
  return { ...state, tasks, activations, live };
}

function newActivation(r: Reached): ActivationState {
  return {
    task: r.task,
    number: r.activation,
    via: r.via,
    retryOf: r.retryOf,
    status: 'active',
    items: null,
    itemStatus: ['pending'],
    runs: [null],
    results: [null],
    inFlight: 0,
    pending: 1,
    cursor: 0,
    failed: 0,
    canceled: 0,
    stopping: false,
    maxAttempt: 0,
    evaluated: false,
    skipped: false,
  };
}

function withActivation(state: ExecutionState, key: string, update: (a: ActivationState) => ActivationState): ExecutionState {
  const activation = state.activations[key];
  if (!activation) return state;
  return { ...state, activations: { ...state.activations, [key]: update(activation) } };
}

/** Updates (or creates) a run; a run that was not in flight becomes so. */
function updateRun(state: ExecutionState, runId: string, update: (run: RunState) => RunState): ExecutionState {
  const address = parseRunId(state, runId);
  if (!address) return state;
  return withActivation(state, address.key, (a) => {
    const index = address.item ?? 0;
    const previous = a.runs[index];
    const run = update(previous ?? ({ runId, item: address.item, attempt: 0, status: 'waiting' } as RunState));
    const starts = !previous || isRunEnded(previous);
    const runs = [...a.runs];
    runs[index] = run;
    if (!starts) return { ...a, runs, maxAttempt: Math.max(a.maxAttempt, run.attempt) };
    const itemStatus = [...a.itemStatus];
    const was = itemStatus[index];
    itemStatus[index] = 'active';
    return {
      ...a,
      runs,
      itemStatus,
      inFlight: a.inFlight + 1,
      pending: a.pending - (was === 'pending' ? 1 : 0),
      cursor: Math.max(a.cursor, index + 1),
      failed: a.failed - (was === 'failed' ? 1 : 0),
      canceled: a.canceled - (was === 'canceled' ? 1 : 0),
      maxAttempt: Math.max(a.maxAttempt, run.attempt),
    };
  });
}

function endRun(
  state: ExecutionState,
  runId: string,
  status: 'succeeded' | 'failed' | 'canceled',
  fields: { result?: unknown; error?: TaskError },
): ExecutionState {
  const address = parseRunId(state, runId);
  if (!address) return state;
  const next = withActivation(state, address.key, (a) => {
    const index = address.item ?? 0;
    const previous = a.runs[index];
    if (!previous || isRunEnded(previous)) return a;
    const outcome = status === 'canceled' ? previous.lastOutcome : { attempt: previous.attempt, type: status };
    const run: RunState = { ...previous, ...fields, status, lastOutcome: outcome };
    const runs = [...a.runs];
    runs[index] = run;
    const itemStatus = [...a.itemStatus];
    itemStatus[index] = status;
    let results = a.results;
    if (status === 'succeeded') {
      results = [...a.results];
      results[index] = fields.result ?? null;
    }
    return {
      ...a,
      runs,
      itemStatus,
      results,
      inFlight: a.inFlight - 1,
      failed: a.failed + (status === 'failed' ? 1 : 0),
      canceled: a.canceled + (status === 'canceled' ? 1 : 0),
      stopping: a.stopping || (status === 'failed' && a.items !== null),
    };
  });
  return maybeEnd(dropTimers(next, runId), address.key);
}

/** An activation ends when nothing of it is in flight and no item is left to start. */
function maybeEnd(state: ExecutionState, key: string): ExecutionState {
  const a = state.activations[key];
  if (!a || a.status !== 'active' || a.inFlight > 0) return state;
  if (a.pending > 0 && !a.stopping) return state;
  const status = a.failed > 0 ? 'failed' : a.pending > 0 || a.canceled > 0 ? 'canceled' : 'succeeded';
  const ended: ActivationState =
    a.items === null
      ? { ...a, status, result: a.runs[0]?.result, error: status === 'failed' ? a.runs[0]?.error : undefined }
      : { ...a, status, result: a.results, error: status === 'failed' ? itemsError(a) : undefined };
  const evaluates = status !== 'canceled';
  return {
    ...state,
    activations: { ...state.activations, [key]: { ...ended, evaluated: !evaluates } },
    live: state.live.filter((k) => k !== key),
    unevaluated: evaluates ? [...state.unevaluated, key] : state.unevaluated,
  };
}

function itemsError(a: ActivationState): TaskError {
  const failed = a.itemStatus.flatMap((s, i) => (s === 'failed' ? [i] : []));
  const first = a.runs[failed[0]]?.error;
  return {
    code: 'items_failed',
    message: `${failed.length} of ${a.itemStatus.length} items failed; item ${failed[0]}: ${first?.message ?? 'failed'}`,
    details: { failed, error: first },
  };
}

function stopAll(state: ExecutionState): ExecutionState {
  let next = state;
  for (const key of state.live) {
    next = withActivation(next, key, (a) => ({ ...a, stopping: true }));
    next = maybeEnd(next, key);
  }
  return next;
}

function dropTimers(state: ExecutionState, runId: string): ExecutionState {
  const stale = Object.values(state.timers).filter((t) => t.runId === runId);
  if (stale.length === 0) return state;
  const timers = { ...state.timers };
  for (const timer of stale) delete timers[timer.timerId];
  return { ...state, timers };
}
