/** What a simulation answers: order of task runs, transition evaluations, status, vars, output. */
import type { ExecutionError, ExecutionEvent, TransitionsEvaluated } from '../execution';
import { nextActions, type ExecutionState, type ExecutionStatus } from '../execution';

export type TimedEvent = ExecutionEvent & { at: string };

export interface SimulatedRun {
  task: string;
  runId: string;
  item?: number;
  attempt: number;
  scheduledAt: string;
  outcome: 'succeeded' | 'failed' | 'timedout' | 'canceled' | 'pending';
  result?: unknown;
  error?: unknown;
}

export interface SimulationReport {
  status: ExecutionStatus;
  /** Task names in the order their runs were first scheduled (one entry per run, i.e. per item). */
  order: string[];
  /** Every attempt, in scheduling order. */
  runs: SimulatedRun[];
  transitions: Array<TransitionsEvaluated['data']>;
  vars: Record<string, unknown>;
  output: unknown;
  error?: ExecutionError;
  /** The most runs of each task that were running at the same time. */
  maxInFlight: Record<string, number>;
  /** Inquiries left without a scripted answer. */
  waiting: string[];
  rejected: Array<{ at: string; code: string; message: string }>;
  events: TimedEvent[];
  endedAt: string;
}

export function simulationReport(
  state: ExecutionState,
  events: TimedEvent[],
  rejected: Array<{ at: string; code: string; message: string }>,
): SimulationReport {
  const runs: SimulatedRun[] = [];
  const attempt = new Map<string, SimulatedRun>();
  const running = new Map<string, string>();
  const inFlight: Record<string, number> = {};
  const maxInFlight: Record<string, number> = {};
  const stop = (runId: string) => {
    const task = running.get(runId);
    if (task === undefined) return;
    running.delete(runId);
    inFlight[task] -= 1;
  };
  for (const event of events) {
    switch (event.type) {
      case 'TaskRunScheduled': {
        const { runId, task, item, attempt: n } = event.data;
        const run: SimulatedRun = { task, runId, ...(item === undefined ? {} : { item }), attempt: n, scheduledAt: event.at, outcome: 'pending' };
        runs.push(run);
        attempt.set(runId, run);
        break;
      }
      case 'TaskRunStarted': {
        const task = attempt.get(event.data.runId)?.task ?? '';
        running.set(event.data.runId, task);
        inFlight[task] = (inFlight[task] ?? 0) + 1;
        maxInFlight[task] = Math.max(maxInFlight[task] ?? 0, inFlight[task]);
        break;
      }
      case 'TaskRunSucceeded':
      case 'InquiryAnswered': {
        const run = attempt.get(event.data.runId);
        if (run) Object.assign(run, { outcome: 'succeeded', result: 'result' in event.data ? event.data.result : event.data.answer });
        stop(event.data.runId);
        break;
      }
      case 'TaskRunFailed':
      case 'TaskRunTimedOut': {
        const run = attempt.get(event.data.runId);
        if (run) Object.assign(run, { outcome: event.type === 'TaskRunFailed' ? 'failed' : 'timedout', error: event.data.error });
        stop(event.data.runId);
        break;
      }
      case 'TaskRunCanceled': {
        const run = attempt.get(event.data.runId);
        if (run && run.outcome === 'pending') run.outcome = 'canceled';
        stop(event.data.runId);
        break;
      }
    }
  }
  return {
    status: state.status,
    order: runs.filter((r) => r.attempt === 1).map((r) => r.task),
    runs,
    transitions: events.flatMap((e) => (e.type === 'TransitionsEvaluated' ? [e.data] : [])),
    vars: state.vars,
    output: state.output ?? null,
    ...(state.error ? { error: state.error } : {}),
    maxInFlight,
    waiting: nextActions(state).inquiries.map((i) => i.task),
    rejected,
    events,
    endedAt: events.length ? events[events.length - 1].at : '',
  };
}
