/**
 * What the read models must hold, computed straight from the events with none of the projection
 * code: tests compare the projections against these folds.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { foldExecution, type ExecutionEvent } from '@trellis/workflow';

interface Issue {
  id: string;
  projectId?: string;
  sprint?: string;
  fields: Record<string, unknown>;
  state: string;
  created: number;
}

export interface ExpectedBoard {
  sprintState: string;
  columns: Record<string, { cards: string[]; wip: number; points: number }>;
  burndown: Array<{ date: string; remaining: number }>;
}

const FINISHED = ['Done', 'Abandoned'];

export function expectedBoard(events: readonly RecordedEvent[], sprintId: string, today: string): ExpectedBoard {
  const issues = new Map<string, Issue>();
  let sprintState = '';
  let started: string | null = null;
  let ended = false;
  const byDay = new Map<string, number>();
  const remaining = () =>
    [...issues.values()].filter((i) => i.sprint === sprintId && !FINISHED.includes(i.state)).reduce((sum, i) => sum + (Number(i.fields.points) || 0), 0);

  for (const e of events) {
    const d = e.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const id = e.streamId.replace(/^issue-/, '');
    const issue = issues.get(id);
    switch (e.type) {
      case 'IssueCreated':
        issues.set(d.id, { id: d.id, projectId: d.projectId, fields: { ...d.fields }, state: d.state, created: e.position });
        break;
      case 'IssueFieldsChanged':
        for (const [k, v] of Object.entries(d.fields)) {
          if (v === null) delete issue!.fields[k];
          else issue!.fields[k] = v;
        }
        break;
      case 'IssueTransitioned':
        issue!.state = d.to;
        break;
      case 'IssueScheduled':
        issue!.sprint = d.sprintId;
        break;
      case 'IssueUnscheduled':
        issue!.sprint = undefined;
        break;
      case 'SprintTransitioned':
        if (e.streamId === `sprint-${sprintId}`) {
          sprintState = d.to;
          if (d.to === 'Active' && !started) started = e.metadata.occurredAt;
        }
        break;
      case 'SprintCreated':
        if (d.id === sprintId) sprintState = d.state;
        break;
    }
    const onBoard = e.streamId.startsWith('issue-') || e.streamId.startsWith('sprint-');
    if (started && !ended && onBoard) byDay.set(e.metadata.occurredAt.slice(0, 10), remaining());
    if (sprintState === 'Closed') ended = true;
  }

  const columns: ExpectedBoard['columns'] = {};
  for (const issue of [...issues.values()].filter((i) => i.sprint === sprintId).sort((a, b) => a.created - b.created)) {
    const column = (columns[issue.state] ??= { cards: [], wip: 0, points: 0 });
    column.cards.push(issue.id);
    column.wip += 1;
    column.points += Number(issue.fields.points) || 0;
  }
  const burndown: ExpectedBoard['burndown'] = [];
  if (started) {
    const days = [...byDay.keys()].sort();
    const last = days[days.length - 1] > today ? days[days.length - 1] : today;
    let value = 0;
    for (let t = Date.parse(`${(started as string).slice(0, 10)}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      value = byDay.get(date) ?? value;
      burndown.push({ date, remaining: value });
    }
  }
  return { sprintState, columns, burndown };
}

export interface ExpectedAuditEntry {
  position: number;
  type: string;
  actor: string;
  streamId: string;
  occurredAt: string;
  correlationId: string;
}

export function expectedAudit(events: readonly RecordedEvent[]): ExpectedAuditEntry[] {
  return events.map((e) => ({
    position: e.position,
    type: e.type,
    actor: e.metadata.actor,
    streamId: e.streamId,
    occurredAt: e.metadata.occurredAt,
    correlationId: e.metadata.correlationId,
  }));
}

export interface ExpectedExecution {
  status: string;
  vars: Record<string, unknown>;
  output: unknown;
  errorCode: string | null;
  runs: Array<{ runId: string; status: string; attempts: Array<{ attempt: number; scheduledAt: string; startedAt: string | null; endedAt: string | null }> }>;
  waitingInquiries: string[];
  /** Every activation in the order it was reached, with the engine's status of it. */
  activations: Array<{ task: string; activation: number; status: string }>;
  eventCount: number;
}

export function expectedExecution(events: readonly RecordedEvent[], executionId: string): ExpectedExecution {
  const stream = events.filter((e) => e.streamId === `execution-${executionId}`);
  const state = foldExecution(stream.map((e) => ({ type: e.type, data: e.data }) as ExecutionEvent));
  const runs = new Map<string, ExpectedExecution['runs'][number]>();
  for (const e of stream) {
    const d = e.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const at = e.metadata.occurredAt;
    if (e.type === 'TaskRunScheduled') {
      const run: ExpectedExecution['runs'][number] = runs.get(d.runId) ?? { runId: d.runId, status: '', attempts: [] };
      run.attempts.push({ attempt: d.attempt, scheduledAt: at, startedAt: null, endedAt: null });
      runs.set(d.runId, run);
    }
    const attempt = runs.get(d.runId)?.attempts.find((a) => a.attempt === d.attempt);
    if (attempt && e.type === 'TaskRunStarted') attempt.startedAt = at;
    if (attempt && ['TaskRunSucceeded', 'TaskRunFailed', 'TaskRunTimedOut', 'InquiryAnswered'].includes(e.type) && !attempt.endedAt) attempt.endedAt = at;
  }
  for (const activation of Object.values(state.activations)) {
    for (const run of activation.runs) if (run && runs.has(run.runId)) runs.get(run.runId)!.status = run.status;
  }
  const waitingInquiries = Object.values(state.activations).flatMap((a) =>
    a.runs.filter((r) => r && r.status === 'waiting' && r.inquiry).map((r) => r!.runId),
  );
  return {
    status: state.status,
    vars: state.vars,
    output: state.output ?? null,
    errorCode: state.error?.code ?? null,
    runs: [...runs.values()],
    waitingInquiries: ['succeeded', 'failed', 'canceled'].includes(state.status) ? [] : waitingInquiries,
    activations: Object.values(state.activations).map((a) => ({ task: a.task, activation: a.number, status: a.status })),
    eventCount: stream.length,
  };
}

/** Every event of the log, oldest first. */
export async function readAllEvents(store: { readAll(o: { after: number; maxCount: number }): Promise<{ events: RecordedEvent[]; nextAfter: number; isEnd: boolean }> }) {
  const events: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: 5000 });
    events.push(...page.events);
    if (page.isEnd || page.nextAfter <= after) return events;
    after = page.nextAfter;
  }
}
