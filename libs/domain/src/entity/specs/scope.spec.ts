/** Sprint scope: both sides idempotent, an issue in at most one sprint, closing releases issues. */
import type { EntityCommand } from '../commands';
import { as, event, given, placedIn, transition } from './fixtures';

const on = <T extends EntityCommand['type']>(type: T, body: Record<string, string>) => ({ type, ...body, ...as('sm') }) as EntityCommand;

describe('the sprint side', () => {
  const sprint = placedIn('sprint', ['Planning']);

  it('adds an issue once, removes it once', () => {
    const added = given(sprint).when(on('AddIssueToSprint', { issueId: 'issue-1' })).then([{ type: 'SprintIssueAdded', data: { issueId: 'issue-1' } }]);
    expect(added.state.scope).toEqual(['issue-1']);
    const withIssue = [...sprint, ...added.events];
    given(withIssue).when(on('AddIssueToSprint', { issueId: 'issue-1' })).then([]);
    given(withIssue).when(on('RemoveIssueFromSprint', { issueId: 'issue-1' })).then([{ type: 'SprintIssueRemoved' }]);
    given(sprint).when(on('RemoveIssueFromSprint', { issueId: 'issue-1' })).then([]);
  });

  it('a closed sprint keeps its scope', () => {
    given(placedIn('sprint', ['Closed'])).when(on('AddIssueToSprint', { issueId: 'issue-1' })).then({
      error: 'invalid_transition',
      details: { state: 'Closed', allowed: [] },
    });
  });

  it('scope commands are for sprints only', () => {
    given(placedIn('issue', ['Backlog'])).when(on('AddIssueToSprint', { issueId: 'issue-2' })).then({ error: 'validation_failed' });
  });

  it('closing (or cancelling) lists the issues for a process manager to return', () => {
    const scoped = [
      ...placedIn('sprint', ['Active', 'Review', 'Retrospective']),
      event('sprint', 'IssueAdded', { issueId: 'issue-1', actor: 'sm' }),
      event('sprint', 'IssueAdded', { issueId: 'issue-2', actor: 'sm' }),
    ];
    given(scoped).when(transition('close')).then([
      { type: 'SprintTransitioned', data: { to: 'Closed' } },
      { type: 'SprintIssuesReleased', data: { issueIds: ['issue-1', 'issue-2'], state: 'Closed' } },
    ]);
  });
});

describe('the issue side', () => {
  const issue = placedIn('issue', ['InProgress']);
  const inSprint1 = [...issue, event('issue', 'Scheduled', { sprintId: 'sprint-1', actor: 'sm' })];

  it('is scheduled once; moving to another sprint names the one it left', () => {
    given(issue).when(on('ScheduleIssue', { sprintId: 'sprint-1' })).then([{ type: 'IssueScheduled', data: { sprintId: 'sprint-1' } }]);
    given(inSprint1).when(on('ScheduleIssue', { sprintId: 'sprint-1' })).then([]);
    const moved = given(inSprint1).when(on('ScheduleIssue', { sprintId: 'sprint-2' })).then([
      { type: 'IssueScheduled', data: { sprintId: 'sprint-2', previousSprintId: 'sprint-1' } },
    ]);
    expect(moved.state.sprint).toBe('sprint-2');
  });

  it('is unscheduled only from the sprint it is in', () => {
    given(inSprint1).when(on('UnscheduleIssue', { sprintId: 'sprint-2' })).then([]);
    const out = given(inSprint1).when(on('UnscheduleIssue', { sprintId: 'sprint-1' })).then([
      { type: 'IssueUnscheduled', data: { sprintId: 'sprint-1', reason: 'removed' } },
    ]);
    expect(out.state.sprint).toBeUndefined();
  });

  it('goes back to the backlog when its sprint closes unfinished, and stays when finished', () => {
    given(inSprint1).when(on('ReturnIssueToBacklog', { sprintId: 'sprint-1' })).then([
      { type: 'IssueUnscheduled', data: { sprintId: 'sprint-1', reason: 'sprint_closed' } },
    ]);
    const done = [...placedIn('issue', ['Testing', 'Done']), event('issue', 'Scheduled', { sprintId: 'sprint-1', actor: 'sm' })];
    given(done).when(on('ReturnIssueToBacklog', { sprintId: 'sprint-1' })).then([]);
  });

  it('the sprint is visible to guards as entity.sprint', () => {
    const { state } = given(inSprint1).when(transition('block', { reason: 'x' })).then([{}]);
    expect(state.sprint).toBe('sprint-1');
  });
});
