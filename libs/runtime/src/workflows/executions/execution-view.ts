/**
 * GET /executions/{id}: the run view, folded from the execution's stream — status, every task
 * activation with its runs and their attempts (worker, timings, result or error), how each ended
 * task's transitions evaluated (so "why did nothing happen after this task?" has an answer),
 * vars, output, error, and what the execution waits for. Statuses come from the same fold the
 * decider uses; the events add times and history the state does not keep.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import {
  evolve,
  initialState,
  nextActions,
  type ExecutionEvent,
  type ExecutionState,
  type Reached,
  type TransitionEvaluation,
} from '@trellis/workflow';
import { executionIdOf } from './execution-index';

export interface AttemptView {
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

export interface RunView {
  runId: string;
  item?: number;
  action?: string;
  status: string;
  attempts: AttemptView[];
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
  runs: RunView[];
}

export interface ExecutionView {
  id: string;
  workflow: string;
  version: number;
  status: string;
  actor: string;
  parent?: { executionId: string; runId: string };
  depth: number;
  parameters: Record<string, unknown>;
  vars: Record<string, unknown>;
  search: Record<string, unknown>;
  output: unknown;
  error: unknown;
  startedAt: string;
  endedAt?: string;
  updatedAt: string;
  tasks: ActivationView[];
  waiting: {
    inquiries: Array<{ task: string; runId: string; prompt: unknown; roles: string[]; schema?: Record<string, unknown> }>;
    timers: Array<{ timerId: string; purpose: string; dueAt: string; runId?: string }>;
    children: Array<{ task: string; runId: string; executionId: string }>;
  };
  eventCount: number;
}

const ENDED = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionCanceled']);

export function foldState(events: readonly RecordedEvent[]): ExecutionState {
  return events.reduce((state, e) => evolve(state, { type: e.type, data: e.data } as ExecutionEvent), initialState());
}

export function executionView(events: readonly RecordedEvent[]): ExecutionView {
  const state = foldState(events);
  const activations = new Map<string, ActivationView>();
  const runs = new Map<string, RunView>();
  let endedAt: string | undefined;
  const reach = (list: Reached[], at: string) => {
    for (const r of list) {
      activations.set(`${r.task}.${r.activation}`, {
        task: r.task,
        activation: r.activation,
        via: r.via,
        ...(r.joined ? { joined: r.joined } : {}),
        ...(r.retryOf !== undefined ? { retryOf: r.retryOf } : {}),
        status: 'active',
        reachedAt: at,
        runs: [],
      });
    }
  };
  const attemptOf = (runId: string, attempt: number) => runs.get(runId)?.attempts.find((a) => a.attempt === attempt);

  for (const recorded of events) {
    const at = recorded.metadata.occurredAt;
    const event = { type: recorded.type, data: recorded.data } as ExecutionEvent;
    switch (event.type) {
      case 'ExecutionStarted':
        reach(event.data.reached, at);
        break;
      case 'TransitionsEvaluated': {
        reach(event.data.reached, at);
        const view = activations.get(`${event.data.task}.${event.data.activation}`);
        if (view) {
          view.transitions = { outcome: event.data.outcome, evaluations: event.data.evaluations, reached: event.data.reached.map((r) => r.task) };
        }
        break;
      }
      case 'ExecutionRetried':
        reach(event.data.reached, at);
        break;
      case 'TaskRunScheduled': {
        const { runId, task, activation, item, attempt, action, input } = event.data;
        let run = runs.get(runId);
        if (!run) {
          run = { runId, ...(item === undefined ? {} : { item }), action, status: 'scheduled', attempts: [] };
          runs.set(runId, run);
          activations.get(`${task}.${activation}`)?.runs.push(run);
        }
        run.attempts.push({ attempt, status: 'scheduled', scheduledAt: at, input });
        break;
      }
      case 'TaskRunStarted': {
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (a) Object.assign(a, { status: 'running', startedAt: at, ...(event.data.worker ? { worker: event.data.worker } : {}) });
        break;
      }
      case 'TaskRunSucceeded': {
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (a) Object.assign(a, { status: 'succeeded', endedAt: at, result: event.data.result });
        break;
      }
      case 'TaskRunFailed':
      case 'TaskRunTimedOut': {
        const a = attemptOf(event.data.runId, event.data.attempt);
        const status = event.type === 'TaskRunFailed' ? 'failed' : 'timedout';
        if (a) Object.assign(a, { status, endedAt: at, error: event.data.error, retrying: event.data.retrying });
        break;
      }
      case 'TaskRunCanceled': {
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (a && !a.endedAt) Object.assign(a, { status: 'canceled', endedAt: at, error: { code: 'canceled', message: event.data.reason } });
        break;
      }
      case 'InquiryRequested': {
        const run = runs.get(event.data.runId);
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (a) a.status = 'waiting';
        if (run) run.inquiry = { prompt: event.data.prompt, roles: event.data.roles, ...(event.data.schema ? { schema: event.data.schema } : {}) };
        break;
      }
      case 'InquiryAnswered': {
        const run = runs.get(event.data.runId);
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (a) Object.assign(a, { status: 'succeeded', endedAt: at, result: event.data.answer });
        if (run?.inquiry) run.inquiry.answeredBy = event.data.actor;
        break;
      }
      case 'ChildExecutionRequested':
      case 'ChildExecutionRetryRequested': {
        const run = runs.get(event.data.runId);
        const a = attemptOf(event.data.runId, event.data.attempt);
        if (run) run.childExecutionId = event.data.childExecutionId;
        if (a) Object.assign(a, { status: 'running', startedAt: at });
        break;
      }
      case 'TimerScheduled':
        if (event.data.purpose === 'sleep' && event.data.runId) {
          const a = attemptOf(event.data.runId, event.data.attempt ?? 0);
          if (a) a.status = 'waiting';
        }
        break;
      default:
        if (ENDED.has(event.type)) endedAt = at;
    }
  }

  for (const [key, view] of activations) {
    const folded = state.activations[key];
    if (!folded) continue;
    view.status = folded.status;
    if (folded.items) view.items = folded.items.length;
    if (folded.result !== undefined) view.result = folded.result;
    if (folded.error) view.error = folded.error;
    for (const run of view.runs) {
      const current = folded.runs[run.item ?? 0];
      if (current) run.status = current.status;
    }
    if (folded.status !== 'active') view.endedAt = lastEnd(view);
  }

  const actions = nextActions(state);
  const first = events[0];
  return {
    id: first ? executionIdOf(first.streamId) : state.executionId,
    workflow: state.workflow,
    version: state.version,
    status: state.status,
    actor: state.actor,
    ...(state.parent ? { parent: state.parent } : {}),
    depth: state.depth,
    parameters: state.parameters,
    vars: state.vars,
    search: state.search,
    output: state.output ?? null,
    error: state.error ?? null,
    startedAt: state.startedAt,
    ...(endedAt && ['succeeded', 'failed', 'canceled'].includes(state.status) ? { endedAt } : {}),
    updatedAt: events.length ? events[events.length - 1].metadata.occurredAt : state.startedAt,
    tasks: [...activations.values()],
    waiting: {
      inquiries: actions.inquiries.map(({ task, runId, prompt, roles, schema }) => ({ task, runId, prompt, roles, ...(schema ? { schema } : {}) })),
      timers: actions.timers,
      children: actions.children.map(({ task, runId, childExecutionId }) => ({ task, runId, executionId: childExecutionId })),
    },
    eventCount: events.length,
  };
}

function lastEnd(view: ActivationView): string | undefined {
  const ends = view.runs.flatMap((r) => r.attempts.map((a) => a.endedAt).filter((t): t is string => !!t));
  return ends.sort().pop() ?? view.reachedAt;
}
