/**
 * Folds one execution event into the execution's view. Two folds, each owning its fields:
 * - the summary (foldExecutionSummary): status, vars, search, output, error, endedAt, retries,
 *   updatedAt and eventCount — what the `executions` collection stores and listings read;
 * - the runs (foldExecutionView adds them to the summary): runs with every attempt and its
 *   timings, timers, what the execution waits for now, and the activations GET /executions/{id}
 *   shows (activation-view.ts). These are folded from the execution's stored events when one
 *   execution is read (execution.queries.ts), not stored.
 * The run and execution statuses follow the engine's own fold (libs/workflow, execution/evolve.ts);
 * timings come from each event's `occurredAt`, which the engine's state does not keep.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { EventData, ExecutionEventType, TaskError } from '@trellis/workflow';
import { occurredAt } from '../common/events';
import { foldActivationFields } from './activation-view';
import type { AttemptStatus, AttemptView, ExecutionDoc, ExecutionSummaryDoc, RunView, TimerView, WaitView } from './collections';

/** A summary fold keeps every other field of the document it is given (the full view's runs, ...). */
type SummaryFold = <T extends ExecutionSummaryDoc>(doc: T, data: any, at: string) => T; // eslint-disable-line @typescript-eslint/no-explicit-any
type RunFold = (doc: ExecutionDoc, data: any, at: string) => ExecutionDoc; // eslint-disable-line @typescript-eslint/no-explicit-any

const ENDED = new Set(['succeeded', 'failed', 'canceled']);
const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

export function startExecutionSummary(event: RecordedEvent): ExecutionSummaryDoc {
  const d = event.data as EventData<'ExecutionStarted'>;
  const at = occurredAt(event);
  return {
    id: d.executionId,
    workflow: d.workflow,
    version: d.version,
    status: 'running',
    actor: d.actor,
    parentExecutionId: d.parent?.executionId ?? null,
    parent: d.parent ?? null,
    depth: d.depth,
    parameters: d.parameters,
    vars: d.vars,
    search: d.search,
    output: null,
    error: null,
    startedAt: d.startedAt || at,
    endedAt: null,
    updatedAt: at,
    retries: 0,
    eventCount: 1,
  };
}

/** The summary after `event` (every event counts: `eventCount` and `updatedAt` move with each). */
export function foldExecutionSummary<T extends ExecutionSummaryDoc>(doc: T, event: RecordedEvent): T {
  const fold = summaryFolds[event.type as ExecutionEventType];
  const at = occurredAt(event);
  const next = fold ? fold(doc, event.data, at) : doc;
  return { ...next, updatedAt: at, eventCount: doc.eventCount + 1 };
}

export function startExecutionView(event: RecordedEvent): ExecutionDoc {
  return withWaits({ ...startExecutionSummary(event), runs: [], timers: [], waits: [], ...foldActivationFields(null, event) });
}

/** The view after `event`: its summary folded, then its runs, timers, activations and waits. */
export function foldExecutionView(doc: ExecutionDoc, event: RecordedEvent): ExecutionDoc {
  const summarized = foldExecutionSummary(doc, event);
  const fold = runFolds[event.type as ExecutionEventType];
  const next = fold ? fold(summarized, event.data, occurredAt(event)) : summarized;
  return withWaits({ ...next, ...foldActivationFields(doc, event) });
}

const status =
  (value: string): SummaryFold =>
  (doc, _data, at) => (TERMINAL.has(value) ? { ...doc, status: value, endedAt: at } : { ...doc, status: value });

const summaryFolds: Partial<Record<ExecutionEventType, SummaryFold>> = {
  VariablesPublished: (doc, d: EventData<'VariablesPublished'>) => ({ ...doc, vars: { ...doc.vars, ...d.vars }, search: d.search ?? doc.search }),
  ExecutionPausing: status('pausing'),
  ExecutionPaused: status('paused'),
  ExecutionResumed: status('running'),
  ExecutionCanceling: status('canceling'),
  ExecutionCanceled: status('canceled'),
  ExecutionFailing: (doc, d: EventData<'ExecutionFailing'>, at) => ({ ...status('failing')(doc, d, at), error: d.error }),
  ExecutionFailed: (doc, d: EventData<'ExecutionFailed'>, at) => ({ ...status('failed')(doc, d, at), error: d.error }),
  ExecutionSucceeded: (doc, d: EventData<'ExecutionSucceeded'>, at) => ({ ...status('succeeded')(doc, d, at), output: d.output }),
  ExecutionRetried: (doc) => ({ ...doc, status: 'running', error: null, endedAt: null, retries: doc.retries + 1 }),
};

/** An execution that ended waits for no timer. */
const dropAllTimers: RunFold = (doc) => ({ ...doc, timers: [] });

const runFolds: Partial<Record<ExecutionEventType, RunFold>> = {
  TaskRunScheduled: (doc, d: EventData<'TaskRunScheduled'>, at) =>
    updateRun(doc, d.runId, { task: d.task, activation: d.activation, item: d.item }, (run) => ({
      ...run,
      action: d.action,
      kind: d.kind,
      status: 'scheduled',
      attempts: [...run.attempts, newAttempt(d.attempt, at)],
    })),
  TaskRunStarted: (doc, d: EventData<'TaskRunStarted'>, at) =>
    updateRun(doc, d.runId, null, (run) => ({
      ...run,
      status: 'running',
      attempts: updateAttempt(run.attempts, d.attempt, (a) => ({ ...a, status: 'running', startedAt: at, worker: d.worker ?? null })),
    })),
  TaskRunSucceeded: (doc, d: EventData<'TaskRunSucceeded'>, at) => endRun(doc, d.runId, d.attempt, 'succeeded', at, { result: d.result }),
  InquiryAnswered: (doc, d: EventData<'InquiryAnswered'>, at) =>
    endRun(doc, d.runId, d.attempt, 'succeeded', at, { result: d.answer, answeredBy: d.actor }),
  TaskRunFailed: (doc, d: EventData<'TaskRunFailed'>, at) => failRun(doc, d.runId, d.attempt, d.error, d.retrying, 'failed', at),
  TaskRunTimedOut: (doc, d: EventData<'TaskRunTimedOut'>, at) => failRun(doc, d.runId, d.attempt, d.error, d.retrying, 'timed_out', at),
  TaskRunCanceled: (doc, d: EventData<'TaskRunCanceled'>, at) => endRun(doc, d.runId, d.attempt, 'canceled', at, {}),
  TimerScheduled: (doc, d: EventData<'TimerScheduled'>) => {
    const timer: TimerView = { timerId: d.timerId, purpose: d.purpose, dueAt: d.dueAt, runId: d.runId ?? null, task: d.task ?? null };
    const next = { ...doc, timers: [...doc.timers, timer] };
    if (!d.runId || (d.purpose !== 'delay' && d.purpose !== 'sleep')) return next;
    const address = d.task === undefined || d.activation === undefined ? null : { task: d.task, activation: d.activation, item: d.item };
    return updateRun(next, d.runId, address, (run) => ({ ...run, status: 'waiting' }));
  },
  TimerFired: (doc, d: EventData<'TimerFired'>) => ({ ...doc, timers: doc.timers.filter((t) => t.timerId !== d.timerId) }),
  InquiryRequested: (doc, d: EventData<'InquiryRequested'>) =>
    updateRun(doc, d.runId, null, (run) => ({ ...run, status: 'waiting', inquiry: { prompt: d.prompt, roles: d.roles, schema: d.schema ?? null } })),
  ChildExecutionRequested: (doc, d: EventData<'ChildExecutionRequested'>) =>
    updateRun(doc, d.runId, null, (run) => ({ ...run, status: 'running', childExecutionId: d.childExecutionId })),
  ChildExecutionRetryRequested: (doc, d: EventData<'ChildExecutionRetryRequested'>) =>
    updateRun(doc, d.runId, null, (run) => ({ ...run, status: 'running', childExecutionId: d.childExecutionId })),
  ExecutionCanceled: dropAllTimers,
  ExecutionFailed: dropAllTimers,
  ExecutionSucceeded: dropAllTimers,
};

type Address = { task: string; activation: number; item?: number } | null;

/** Updates a run, creating it first if the engine mentions it for the first time. */
function updateRun(doc: ExecutionDoc, runId: string, address: Address, update: (run: RunView) => RunView): ExecutionDoc {
  const index = doc.runs.findIndex((r) => r.runId === runId);
  const runs = [...doc.runs];
  if (index >= 0) {
    runs[index] = update(runs[index]);
  } else {
    const parsed = address ?? parseRunId(doc.id, runId);
    if (!parsed) return doc;
    runs.push(update(newRun(runId, parsed)));
  }
  return { ...doc, runs };
}

function endRun(doc: ExecutionDoc, runId: string, attempt: number, outcome: AttemptStatus, at: string, fields: Partial<RunView>): ExecutionDoc {
  const run = doc.runs.find((r) => r.runId === runId);
  if (!run || ENDED.has(run.status)) return doc;
  const runStatus = outcome === 'timed_out' ? 'failed' : outcome;
  const next = updateRun(doc, runId, null, (r) => ({
    ...r,
    ...fields,
    status: runStatus,
    attempts: updateAttempt(r.attempts, attempt, (a) => endAttempt(a, outcome, at, fields.error ?? null)),
  }));
  return dropTimers(next, runId);
}

function failRun(doc: ExecutionDoc, runId: string, attempt: number, error: TaskError, retrying: boolean, outcome: AttemptStatus, at: string) {
  if (!retrying) return endRun(doc, runId, attempt, outcome, at, { error });
  const next = updateRun(doc, runId, null, (run) => ({
    ...run,
    status: 'waiting',
    error,
    attempts: updateAttempt(run.attempts, attempt, (a) => endAttempt(a, outcome, at, error)),
  }));
  return dropTimers(next, runId);
}

function updateAttempt(attempts: AttemptView[], attempt: number, update: (a: AttemptView) => AttemptView): AttemptView[] {
  const index = attempts.findIndex((a) => a.attempt === attempt);
  if (index < 0) return attempts;
  const next = [...attempts];
  next[index] = update(next[index]);
  return next;
}

/** An attempt ends once: a later report about it (a timeout after a failure) changes the run, not the attempt. */
function endAttempt(a: AttemptView, status: AttemptStatus, at: string, error: TaskError | null): AttemptView {
  if (a.endedAt !== null) return a;
  const from = Date.parse(a.startedAt ?? a.scheduledAt);
  const to = Date.parse(at);
  return { ...a, status, endedAt: at, durationMs: Number.isNaN(from) || Number.isNaN(to) ? null : to - from, error };
}

const dropTimers = (doc: ExecutionDoc, runId: string): ExecutionDoc =>
  doc.timers.some((t) => t.runId === runId) ? { ...doc, timers: doc.timers.filter((t) => t.runId !== runId) } : doc;

const newAttempt = (attempt: number, at: string): AttemptView => ({
  attempt,
  status: 'scheduled',
  scheduledAt: at,
  startedAt: null,
  endedAt: null,
  durationMs: null,
  worker: null,
  error: null,
});

const newRun = (runId: string, address: { task: string; activation: number; item?: number }): RunView => ({
  runId,
  task: address.task,
  activation: address.activation,
  item: address.item ?? null,
  action: null,
  kind: null,
  status: 'waiting',
  attempts: [],
  result: null,
  error: null,
  childExecutionId: null,
  inquiry: null,
  answeredBy: null,
});

/** `<executionId>.<task>.<activation>[.<item>]` (libs/workflow, execution/state.ts runIdFor). */
function parseRunId(executionId: string, runId: string): { task: string; activation: number; item?: number } | null {
  const prefix = `${executionId}.`;
  if (!runId.startsWith(prefix)) return null;
  const [task, activation, item, extra] = runId.slice(prefix.length).split('.');
  if (!task || !activation || extra !== undefined) return null;
  return item === undefined ? { task, activation: Number(activation) } : { task, activation: Number(activation), item: Number(item) };
}

/** What the execution waits for, derived once per fold so that readers need no rules. */
function withWaits(doc: ExecutionDoc): ExecutionDoc {
  const waits: WaitView[] = [];
  if (!TERMINAL.has(doc.status)) {
    for (const run of doc.runs) {
      if (run.status === 'waiting' && run.inquiry) {
        waits.push({ kind: 'inquiry', task: run.task, runId: run.runId, roles: run.inquiry.roles, prompt: run.inquiry.prompt });
      } else if (run.status === 'scheduled' && run.kind === 'action') {
        waits.push({ kind: 'worker', task: run.task, runId: run.runId, action: run.action });
      } else if (run.status === 'running' && run.childExecutionId) {
        waits.push({ kind: 'child', task: run.task, runId: run.runId, childExecutionId: run.childExecutionId });
      }
    }
    for (const t of doc.timers) waits.push({ kind: 'timer', purpose: t.purpose, dueAt: t.dueAt, task: t.task, runId: t.runId });
  }
  return { ...doc, waits };
}
