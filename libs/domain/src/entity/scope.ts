/**
 * Sprint scope (LIFECYCLES.md, Built-in lifecycles; API.md `POST /sprints/{id}/scope`). Each side
 * keeps its own half, idempotently, and a process manager keeps the halves consistent:
 *   sprint IssueAdded    → ScheduleIssue on the issue (Scheduled; `previousSprintId` set if it
 *                          moved, → RemoveIssueFromSprint on that sprint)
 *   sprint IssueRemoved  → UnscheduleIssue on the issue
 *   sprint IssuesReleased→ ReturnIssueToBacklog on each issue (unscheduled unless finished)
 * The issue's stream is where "in at most one sprint" holds: its `sprint` is the truth.
 */
import type { CompiledLifecycle } from '@trellis/lifecycle';
import { DomainError } from '../errors';
import type { AddIssueToSprint, RemoveIssueFromSprint, ReturnIssueToBacklog, ScheduleIssue, UnscheduleIssue } from './commands';
import { defined, emitter } from './emit';
import type { EntityEvent } from './events';
import { invalidTransition } from './rejections';
import { FINISHED_ISSUE_STATE, ISSUE_LIFECYCLE, SPRINT_LIFECYCLE } from './scope-rules';
import type { EntityState } from './state';

type SprintCommand = AddIssueToSprint | RemoveIssueFromSprint;
type IssueCommand = ScheduleIssue | UnscheduleIssue | ReturnIssueToBacklog;

export function decideSprintScope(command: SprintCommand, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  if (state.lifecycle !== SPRINT_LIFECYCLE || !state.scope) return notOf(SPRINT_LIFECYCLE, command.type, state);
  const inScope = state.scope.includes(command.issueId);
  if (command.type === 'AddIssueToSprint' ? inScope : !inScope) return [];
  if (lifecycle.states[state.state]?.final) {
    return invalidTransition(lifecycle, state, `sprint ${state.id} is ${state.state}: its scope can no longer change`);
  }
  const emit = emitter(lifecycle, command);
  const data = { issueId: command.issueId, actor: command.actor };
  return [command.type === 'AddIssueToSprint' ? emit('IssueAdded', data) : emit('IssueRemoved', data)];
}

export function decideIssueSprint(command: IssueCommand, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  if (state.lifecycle !== ISSUE_LIFECYCLE) return notOf(ISSUE_LIFECYCLE, command.type, state);
  const emit = emitter(lifecycle, command);
  if (command.type === 'ScheduleIssue') {
    if (state.sprint === command.sprintId) return [];
    return [emit('Scheduled', defined({ sprintId: command.sprintId, previousSprintId: state.sprint, actor: command.actor }))];
  }
  if (state.sprint !== command.sprintId) return [];
  if (command.type === 'ReturnIssueToBacklog' && isFinished(state, lifecycle)) return [];
  const reason = command.type === 'ReturnIssueToBacklog' ? 'sprint_closed' : 'removed';
  return [emit('Unscheduled', { sprintId: command.sprintId, reason, actor: command.actor })];
}

const isFinished = (state: EntityState, lifecycle: CompiledLifecycle) =>
  state.state === FINISHED_ISSUE_STATE || !!lifecycle.states[state.state]?.final;

function notOf(lifecycle: string, command: string, state: EntityState): DomainError {
  return new DomainError('validation_failed', `${command} applies to a ${lifecycle}, not to a ${state.lifecycle}`, {
    violations: [{ path: '', message: `not a ${lifecycle}` }],
  });
}
