/**
 * GET /executions/{id} `tasks` and `waiting`, folded with the execution's view: every activation of
 * a task (how it was reached, when, how its transitions evaluated) with its runs and their attempts
 * (worker, input, result or error, timings), and what the execution waits for. Statuses, item
 * counts, results and `waiting` are read from the engine's own fold of the stream (libs/workflow
 * evolve and nextActions), kept beside them as `fold`, so they are what the decider sees; the
 * events add the times and history the engine's state does not keep.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import {
  evolve,
  initialState,
  nextActions,
  parseRunId,
  type ActivationState,
  type EventData,
  type ExecutionEvent,
  type ExecutionState,
  type Reached,
  type TransitionEvaluation,
} from '@trellis/workflow';
import { occurredAt } from '../common/events';

export interface RunAttemptView {
  attempt: number;
  status: 'scheduled' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'timedout' | 'canceled';
  scheduledAt: string;
  startedAt?: string;
  endedAt?: string;
  worker?: string;
  input?: unknown;
  result?: unknown;
  error?: unknown;
  retrying?: boolean;
}

export interface ActivationRunView {
  runId: string;
  item?: number;
  action?: string;
  status: string;
  attempts: RunAttemptView[];
  childExecutionId?: string;
  inquiry?: { prompt: unknown; roles: string[]; schema?: Record<string, unknown>; answeredBy?: string };
}

export interface ActivationView {
  task: string;
  activation: number;
  via: string;
  joined?: string[];
  retryOf?: number;
  status: string;
  items?: number;
  result?: unknown;
  error?: unknown;
  reachedAt: string;
  endedAt?: string;
  /** How its transitions evaluated when it ended (fired, false, error with the message, or skipped). */
  transitions?: { outcome: string; evaluations: TransitionEvaluation[]; reached: string[] };
  runs: ActivationRunView[];
}

export interface WaitingView {
  inquiries: Array<{ task: string; runId: string; prompt: unknown; roles: string[]; schema?: Record<string, unknown> }>;
  timers: Array<{ timerId: string; purpose: string; dueAt: string; runId?: string }>;
  children: Array<{ task: string; runId: string; executionId: string }>;
}

export interface ActivationFields {
  activations: ActivationView[];
  waiting: WaitingView;
  /** The engine's fold of the stream so far (never served: queries drop it). */
  fold: ExecutionState;
}

/** The fields after `event`; `previous` is null for the stream's first event. */
export function foldActivationFields(previous: ActivationFields | null, event: RecordedEvent): ActivationFields {
  const before = previous?.fold ?? initialState();
  const fold = evolve(before, { type: event.type, data: event.data } as ExecutionEvent);
  const views = previous?.activations ?? [];
  const recorded = record(views, fold, event, occurredAt(event));
  // Only what the event touched is settled again: the rest is as the engine's state still has it.
  const activations = recorded.map((view, i) => {
    const key = `${view.task}.${view.activation}`;
    const folded = fold.activations[key];
    return folded && (view !== views[i] || folded !== before.activations[key]) ? settle(view, folded) : view;
  });
  return { activations, waiting: waitingOf(fold), fold };
}

type Views = ActivationView[];

function record(views: Views, state: ExecutionState, recorded: RecordedEvent, at: string): Views {
  const event = { type: recorded.type, data: recorded.data } as ExecutionEvent;
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionRetried':
      return reach(views, event.data.reached, at);
    case 'TransitionsEvaluated': {
      const { task, activation, outcome, evaluations, reached } = event.data;
      const transitions = { outcome, evaluations, reached: reached.map((r) => r.task) };
      return updateActivation(reach(views, reached, at), task, activation, (view) => ({ ...view, transitions }));
    }
    case 'TaskRunScheduled':
      return schedule(views, event.data, at);
    case 'TaskRunStarted': {
      const { runId, attempt, worker } = event.data;
      return updateAttempt(views, state, runId, attempt, (a) => ({ ...a, status: 'running', startedAt: at, ...(worker ? { worker } : {}) }));
    }
    case 'TaskRunSucceeded':
      return updateAttempt(views, state, event.data.runId, event.data.attempt, (a) => ({ ...a, status: 'succeeded', endedAt: at, result: event.data.result }));
    case 'TaskRunFailed':
    case 'TaskRunTimedOut': {
      const { runId, attempt, error, retrying } = event.data;
      const status = event.type === 'TaskRunFailed' ? 'failed' : 'timedout';
      return updateAttempt(views, state, runId, attempt, (a) => ({ ...a, status, endedAt: at, error, retrying }));
    }
    case 'TaskRunCanceled': {
      const { runId, attempt, reason } = event.data;
      return updateAttempt(views, state, runId, attempt, (a) => (a.endedAt ? a : { ...a, status: 'canceled', endedAt: at, error: { code: 'canceled', message: reason } }));
    }
    case 'InquiryRequested': {
      const { runId, attempt, prompt, roles, schema } = event.data;
      const waiting = updateAttempt(views, state, runId, attempt, (a) => ({ ...a, status: 'waiting' }));
      return updateRun(waiting, state, runId, (run) => ({ ...run, inquiry: { prompt, roles, ...(schema ? { schema } : {}) } }));
    }
    case 'InquiryAnswered': {
      const { runId, attempt, answer, actor } = event.data;
      const answered = updateAttempt(views, state, runId, attempt, (a) => ({ ...a, status: 'succeeded', endedAt: at, result: answer }));
      return updateRun(answered, state, runId, (run) => (run.inquiry ? { ...run, inquiry: { ...run.inquiry, answeredBy: actor } } : run));
    }
    case 'ChildExecutionRequested':
    case 'ChildExecutionRetryRequested': {
      const { runId, attempt, childExecutionId } = event.data;
      const started = updateAttempt(views, state, runId, attempt, (a) => ({ ...a, status: 'running', startedAt: at }));
      return updateRun(started, state, runId, (run) => ({ ...run, childExecutionId }));
    }
    case 'TimerScheduled': {
      const { purpose, runId, attempt } = event.data;
      if (purpose !== 'sleep' || !runId) return views;
      return updateAttempt(views, state, runId, attempt ?? 0, (a) => ({ ...a, status: 'waiting' }));
    }
    default:
      return views;
  }
}

function reach(views: Views, reached: Reached[], at: string): Views {
  if (reached.length === 0) return views;
  const next = [...views];
  for (const r of reached) {
    const view: ActivationView = {
      task: r.task,
      activation: r.activation,
      via: r.via,
      ...(r.joined ? { joined: r.joined } : {}),
      ...(r.retryOf !== undefined ? { retryOf: r.retryOf } : {}),
      status: 'active',
      reachedAt: at,
      runs: [],
    };
    const index = next.findIndex((v) => v.task === r.task && v.activation === r.activation);
    if (index >= 0) next[index] = view;
    else next.push(view);
  }
  return next;
}

function schedule(views: Views, d: EventData<'TaskRunScheduled'>, at: string): Views {
  return updateActivation(views, d.task, d.activation, (view) => {
    const index = view.runs.findIndex((r) => r.runId === d.runId);
    const run: ActivationRunView =
      index >= 0 ? view.runs[index] : { runId: d.runId, ...(d.item === undefined ? {} : { item: d.item }), action: d.action, status: 'scheduled', attempts: [] };
    const scheduled = { ...run, attempts: [...run.attempts, { attempt: d.attempt, status: 'scheduled' as const, scheduledAt: at, input: d.input }] };
    const runs = [...view.runs];
    runs.splice(index >= 0 ? index : runs.length, index >= 0 ? 1 : 0, scheduled);
    return { ...view, runs };
  });
}

function updateActivation(views: Views, task: string, activation: number, update: (view: ActivationView) => ActivationView): Views {
  const index = views.findIndex((v) => v.task === task && v.activation === activation);
  if (index < 0) return views;
  const next = [...views];
  next[index] = update(views[index]);
  return next;
}

/** A run is found through its activation, which its id names (`<execution>.<task>.<activation>[.<item>]`). */
function updateRun(views: Views, state: ExecutionState, runId: string, update: (run: ActivationRunView) => ActivationRunView): Views {
  const address = parseRunId(state, runId);
  if (!address) return views;
  return updateActivation(views, address.task, address.activation, (view) => {
    const index = view.runs.findIndex((r) => r.runId === runId);
    if (index < 0) return view;
    const runs = [...view.runs];
    runs[index] = update(runs[index]);
    return { ...view, runs };
  });
}

function updateAttempt(views: Views, state: ExecutionState, runId: string, attempt: number, update: (a: RunAttemptView) => RunAttemptView): Views {
  return updateRun(views, state, runId, (run) => {
    const index = run.attempts.findIndex((a) => a.attempt === attempt);
    if (index < 0) return run;
    const attempts = [...run.attempts];
    attempts[index] = update(attempts[index]);
    return { ...run, attempts };
  });
}

/** The activation's status, items, result and error, and its runs' statuses, as the engine's state has them. */
function settle(view: ActivationView, folded: ActivationState): ActivationView {
  const { items: _items, result: _result, error: _error, endedAt: _endedAt, ...recorded } = view;
  const settled: ActivationView = {
    ...recorded,
    status: folded.status,
    ...(folded.items ? { items: folded.items.length } : {}),
    ...(folded.result !== undefined ? { result: folded.result } : {}),
    ...(folded.error ? { error: folded.error } : {}),
    runs: view.runs.map((run) => {
      const current = folded.runs[run.item ?? 0];
      return current && current.status !== run.status ? { ...run, status: current.status } : run;
    }),
  };
  return folded.status === 'active' ? settled : { ...settled, endedAt: lastEnd(settled) };
}

function lastEnd(view: ActivationView): string {
  const ends = view.runs.flatMap((r) => r.attempts.map((a) => a.endedAt).filter((t): t is string => !!t));
  return ends.sort().pop() ?? view.reachedAt;
}

function waitingOf(state: ExecutionState): WaitingView {
  const actions = nextActions(state);
  return {
    inquiries: actions.inquiries.map(({ task, runId, prompt, roles, schema }) => ({ task, runId, prompt, roles, ...(schema ? { schema } : {}) })),
    timers: actions.timers,
    children: actions.children.map(({ task, runId, childExecutionId }) => ({ task, runId, executionId: childExecutionId })),
  };
}
