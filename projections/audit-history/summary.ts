/**
 * One line that says what an event changed, for people reading the audit trail ("Backlog → Ready
 * (ready)", "set points=3; removed assignee"). Unknown types get their data's top-level keys.
 */
import { factOf, type EntityEventData } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';

type Data = EntityEventData;
type Summarize = (data: any) => string; // eslint-disable-line @typescript-eslint/no-explicit-any

const MAX_VALUE = 80;

const entitySummaries: { [F in keyof Data]: (data: Data[F]) => string } = {
  Created: (d) => `created in ${d.state}${fieldList(d.fields)}`,
  FieldsChanged: (d) => changeList(d.fields),
  Transitioned: (d) => `${d.from} → ${d.to} (${d.transition})${d.reason ? `: ${clip(d.reason)}` : ''}`,
  ApprovalRequested: (d) => `approval of ${d.transition} (${d.from} → ${d.to}) requested from ${d.roles.join('/')} (${d.count} needed)`,
  ApprovalGranted: (d) => `${d.actor} approved ${d.transition}${d.comment ? `: ${clip(d.comment)}` : ''}`,
  ApprovalRejected: (d) => `${d.actor} rejected ${d.transition}${d.comment ? `: ${clip(d.comment)}` : ''}`,
  HookTriggered: (d) => `entering ${d.state} starts workflow ${d.ref}${d.errors?.length ? ` (errors: ${d.errors.join('; ')})` : ''}`,
  IssueAdded: (d) => `issue ${d.issueId} added to the sprint`,
  IssueRemoved: (d) => `issue ${d.issueId} removed from the sprint`,
  IssuesReleased: (d) => `${d.issueIds.length} unfinished issue(s) released (sprint ${d.state})`,
  Scheduled: (d) => `scheduled in sprint ${d.sprintId}${d.previousSprintId ? ` (moved from ${d.previousSprintId})` : ''}`,
  Unscheduled: (d) => `left sprint ${d.sprintId} (${d.reason === 'sprint_closed' ? 'sprint closed' : 'removed'})`,
};

const executionSummaries: Record<string, Summarize> = {
  ExecutionStarted: (d) => `workflow ${d.workflow} v${d.version} started${d.parent ? ` by execution ${d.parent.executionId}` : ''}`,
  TaskItemsListed: (d) => `task ${d.task} #${d.activation}: ${d.items.length} item(s)`,
  TaskRunScheduled: (d) => `task ${d.task} #${d.activation}${item(d.item)} attempt ${d.attempt} scheduled (${d.action})`,
  TaskRunStarted: (d) => `run ${d.runId} attempt ${d.attempt} started${d.worker ? ` on ${d.worker}` : ''}`,
  TaskRunSucceeded: (d) => `run ${d.runId} attempt ${d.attempt} succeeded`,
  TaskRunFailed: (d) => `run ${d.runId} attempt ${d.attempt} failed: ${clip(d.error.message)}${d.retrying ? ' (retrying)' : ''}`,
  TaskRunTimedOut: (d) => `run ${d.runId} attempt ${d.attempt} timed out${d.retrying ? ' (retrying)' : ''}`,
  TaskRunCanceled: (d) => `run ${d.runId} attempt ${d.attempt} canceled: ${clip(d.reason)}`,
  TransitionsEvaluated: (d) =>
    `task ${d.task} #${d.activation} ${d.outcome}; next: ${d.reached.map((r: { task: string }) => r.task).join(', ') || 'none'}`,
  VariablesPublished: (d) => `task ${d.task} published ${Object.keys(d.vars).join(', ') || 'nothing'}`,
  TimerScheduled: (d) => `${d.purpose} timer due ${d.dueAt}${d.task ? ` for task ${d.task}` : ''}`,
  TimerFired: (d) => `${d.purpose} timer fired`,
  InquiryRequested: (d) => `task ${d.task} asks ${d.roles.join('/') || 'anyone'} for an answer`,
  InquiryAnswered: (d) => `${d.actor} answered task ${d.task}`,
  ChildExecutionRequested: (d) => `task ${d.task} starts workflow ${d.workflow} as execution ${d.childExecutionId}`,
  ChildExecutionRetryRequested: (d) => `task ${d.task} retries execution ${d.childExecutionId}`,
  ChildExecutionCancelRequested: (d) => `execution ${d.childExecutionId} asked to cancel`,
  ExecutionPausing: (d) => `${d.actor} asked to pause`,
  ExecutionPaused: () => 'paused',
  ExecutionResumed: (d) => `${d.actor} resumed`,
  ExecutionCanceling: (d) => `${d.actor} asked to cancel${d.reason ? `: ${clip(d.reason)}` : ''}`,
  ExecutionCanceled: () => 'canceled',
  ExecutionFailing: (d) => `failing: ${clip(d.error.message)}`,
  ExecutionFailed: (d) => `failed (${d.error.code}): ${clip(d.error.message)}`,
  ExecutionSucceeded: () => 'succeeded',
  ExecutionRetried: (d) => `${d.actor} retried ${d.tasks.join(', ') || 'the failed tasks'}`,
  ExecutionLimitWarning: (d) => `${d.count} of at most ${d.max} events`,
};

// Definitions and access: never the source or the token hash, which are not "a change" to read.
const otherSummaries: Record<string, Summarize> = {
  LifecycleRegistered: (d) => `lifecycle ${d.name} v${d.version} registered`,
  WorkflowRegistered: (d) => `workflow ${d.ref} v${d.version} registered`,
  TemplateRegistered: (d) => `template ${d.name} v${d.version} registered`,
  TokenIssued: (d) => `token issued to ${d.actor} (${Object.entries(d.roles as Record<string, string[]>).map(([p, r]) => `${p}: ${r.join('/')}`).join('; ')})`,
};

export function summarize(event: RecordedEvent): string {
  try {
    const other = otherSummaries[event.type];
    if (other) return other(event.data);
    const fact = factOf(event.type);
    if (fact && !executionSummaries[event.type]) return (entitySummaries[fact] as Summarize)(event.data);
    const summary = executionSummaries[event.type];
    if (summary) return summary(event.data);
  } catch {
    // An event of an older shape than the summary expects: fall through to the generic line.
  }
  return generic(event.data);
}

function generic(data: unknown): string {
  if (data === null || typeof data !== 'object') return clip(JSON.stringify(data) ?? '');
  const keys = Object.keys(data);
  return keys.length === 0 ? '' : `fields: ${keys.join(', ')}`;
}

function fieldList(fields: Record<string, unknown>): string {
  const entries = Object.entries(fields);
  return entries.length === 0 ? '' : ` with ${entries.map(([name, value]) => `${name}=${show(value)}`).join(', ')}`;
}

function changeList(fields: Record<string, unknown>): string {
  const set = Object.entries(fields).filter(([, value]) => value !== null);
  const removed = Object.entries(fields).filter(([, value]) => value === null);
  return [
    set.length ? `set ${set.map(([name, value]) => `${name}=${show(value)}`).join(', ')}` : '',
    removed.length ? `removed ${removed.map(([name]) => name).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

const item = (index: unknown) => (typeof index === 'number' ? ` item ${index}` : '');
const show = (value: unknown) => clip(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
const clip = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);
