import type { RecordedEvent } from '@trellis/eventstore';
import { sprintScopeProcessManager as pm } from './sprint-scope';

const recorded = (streamId: string, type: string, data: unknown, id = 'e-1'): RecordedEvent => ({
  id,
  type,
  streamId,
  revision: 3,
  position: 42,
  data,
  metadata: { actor: 'alice', correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1, prevHash: '', hash: '' },
});

describe('sprint scope process manager', () => {
  it('schedules an issue added to a sprint, and unschedules one removed', () => {
    expect(pm.react(recorded('sprint-s1', 'SprintIssueAdded', { issueId: 'i1', actor: 'alice' }))).toEqual([
      { streamId: 'issue-i1', command: { type: 'ScheduleIssue', sprintId: 's1' }, idempotencyKey: 'sprint-scope:e-1', tolerate: ['not_found', 'validation_failed'] },
    ]);
    expect(pm.react(recorded('sprint-s1', 'SprintIssueRemoved', { issueId: 'i1', actor: 'alice' }))).toMatchObject([
      { streamId: 'issue-i1', command: { type: 'UnscheduleIssue', sprintId: 's1' } },
    ]);
  });

  it('returns every released issue of a closed sprint to the backlog', () => {
    const reactions = pm.react(recorded('sprint-s1', 'SprintIssuesReleased', { issueIds: ['i1', 'i2'], state: 'Closed' }));
    expect(reactions.map((r) => [r.streamId, r.command])).toEqual([
      ['issue-i1', { type: 'ReturnIssueToBacklog', sprintId: 's1' }],
      ['issue-i2', { type: 'ReturnIssueToBacklog', sprintId: 's1' }],
    ]);
  });

  it('takes an issue that moved out of the sprint it was in, tolerating a closed one', () => {
    expect(pm.react(recorded('issue-i1', 'IssueScheduled', { sprintId: 's2', previousSprintId: 's1', actor: 'alice' }))).toEqual([
      {
        streamId: 'sprint-s1',
        command: { type: 'RemoveIssueFromSprint', issueId: 'i1' },
        idempotencyKey: 'sprint-scope:e-1',
        tolerate: ['not_found', 'validation_failed', 'invalid_transition'],
      },
    ]);
    expect(pm.react(recorded('issue-i1', 'IssueScheduled', { sprintId: 's2', actor: 'alice' }))).toEqual([]);
  });

  it('derives the same command and key from a redelivered event', () => {
    const event = recorded('sprint-s1', 'SprintIssueAdded', { issueId: 'i1', actor: 'alice' }, 'e-9');
    expect(pm.react(event)).toEqual(pm.react({ ...event }));
  });
});
